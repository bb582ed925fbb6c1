"""The receiver write-ahead log: its record format, damage handling, and replay after a restart."""

from __future__ import annotations

import logging
import os
import socket

import pytest
from streaming_helpers import manual_context

from ember import SparkContext
from ember.streaming import StreamingContext
from ember.streaming import wal as W
from ember.testing import BatchDriver

# -- the log on its own ------------------------------------------------------------------------


def test_blocks_come_back_in_order_and_ids_continue_after_a_reopen(tmp_path):
    log = W.WriteAheadLog(str(tmp_path))
    assert [log.append(["a b", "c"]), log.append(["", "é ü"])] == [0, 1]
    log.close()
    again = W.WriteAheadLog(str(tmp_path))
    assert again.append(["d"]) == 2
    assert [(b.block_id, b.lines) for b in W.read_log(str(tmp_path))] == \
        [(0, ["a b", "c"]), (1, ["", "é ü"]), (2, ["d"])]
    assert [b.block_id for b in again.replay(0)] == [1]  # blocks of this run are not a backlog
    again.close()


def test_a_record_cut_short_at_the_end_is_dropped_with_a_warning(tmp_path, caplog):
    log = W.WriteAheadLog(str(tmp_path))
    log.append(["kept"])
    log.append(["cut short by a crash"])
    log.close()
    (seg,) = W.segments(str(tmp_path))
    with open(seg, "r+b") as fh:
        fh.truncate(os.path.getsize(seg) - 5)
    with caplog.at_level(logging.WARNING, logger="ember.streaming"):
        reopened = W.WriteAheadLog(str(tmp_path))
    assert [b.lines for b in reopened.replay(-1)] == [["kept"]]
    assert reopened.append(["next"]) == 1  # the lost record's id is free again
    reopened.close()
    (warning,) = [r.getMessage() for r in caplog.records if "dropped the record" in r.getMessage()]
    assert seg in warning and "cut short" in warning


@pytest.mark.parametrize("damage", ["zeros", "checksum"])
def test_a_damaged_last_record_is_dropped(tmp_path, damage):
    log = W.WriteAheadLog(str(tmp_path))
    log.append(["kept"])
    log.append(["damaged"])
    log.close()
    (seg,) = W.segments(str(tmp_path))
    data = bytearray(open(seg, "rb").read())
    if damage == "zeros":
        data += bytes(40)  # space a crash had allocated but not filled
    else:
        data[-1] ^= 0xFF
    open(seg, "wb").write(bytes(data))
    assert [b.lines for b in W.read_log(str(tmp_path))][:1] == [["kept"]]
    assert len(W.read_log(str(tmp_path))) == (2 if damage == "zeros" else 1)


def test_a_damaged_record_in_the_middle_is_an_error_naming_the_file(tmp_path):
    log = W.WriteAheadLog(str(tmp_path))
    log.append(["first"])
    log.append(["second"])
    log.close()
    (seg,) = W.segments(str(tmp_path))
    data = bytearray(open(seg, "rb").read())
    data[W.HEADER_SIZE] ^= 0xFF  # the first payload byte
    open(seg, "wb").write(bytes(data))
    with pytest.raises(W.WriteAheadLogError, match=f"{seg} is damaged: the record at byte 0"):
        W.WriteAheadLog(str(tmp_path))


def test_a_full_disk_is_a_clear_error(tmp_path):
    os.symlink("/dev/full", tmp_path / "log-0000000000000000")  # every write there fails with ENOSPC
    log = W.WriteAheadLog(str(tmp_path))
    with pytest.raises(W.WriteAheadLogError, match="No space left on device; a block of 2 lines was not"):
        log.append(["a", "b"])
    log.close()


def test_done_segments_are_deleted_but_the_newest_stays(tmp_path):
    log = W.WriteAheadLog(str(tmp_path), segment_bytes=1)  # one block per segment
    for i in range(5):
        log.append([f"line {i}"])
    assert len(W.segments(str(tmp_path))) == 5
    log.mark_done(2)
    assert [b.block_id for b in W.read_log(str(tmp_path))] == [3, 4]
    log.mark_done(4)
    assert [b.block_id for b in W.read_log(str(tmp_path))] == [4]  # shows the last block received
    assert log.append(["more"]) == 5
    log.mark_done(5)
    assert [b.block_id for b in W.read_log(str(tmp_path))] == [5]
    log.close()
    assert W.WriteAheadLog(str(tmp_path)).done == 5
    assert list(W.WriteAheadLog(str(tmp_path)).replay(5)) == []


# -- the log under a socket receiver -------------------------------------------------------------

RESULTS: list = []


def _collect(rdd) -> None:
    RESULTS.append(sorted(rdd.collect()))  # module level: the recovered graph calls this very function


def _setup(port: int):
    def setup():
        ssc = StreamingContext(SparkContext._active_spark_context, 1)
        words = ssc.socketTextStream("127.0.0.1", port).flatMap(str.split).map(lambda w: (w, 1))
        words.updateStateByKey(lambda new, old: sum(new) + (old or 0)).foreachRDD(_collect)
        return ssc

    return setup


@pytest.fixture
def wal_sc():
    sc = manual_context(app="wal", settings={W.ENABLE_KEY: "true"})
    yield sc
    sc.stop()


def _send(ssc, conn, text: str, total: int) -> None:
    conn.sendall(text.encode())
    assert ssc._graph.inputs[0].buffer.wait_received(total, 10)


def test_received_lines_survive_a_stop_before_their_batch(wal_sc, tmp_path):
    RESULTS.clear()
    server = socket.create_server(("127.0.0.1", 0))
    port, ckpt = server.getsockname()[1], str(tmp_path / "ckpt")
    ssc = StreamingContext.getOrCreate(ckpt, _setup(port))
    driver = BatchDriver(ssc)
    ssc.start()
    conn, _ = server.accept()
    _send(ssc, conn, "a b a\n", 1)
    driver.advance(1)
    _send(ssc, conn, "b c\nc\n", 3)  # received and logged, never processed: the context goes down
    ssc.stop(stopSparkContext=False)
    conn.close()
    assert RESULTS == [[("a", 2), ("b", 1)]]
    assert [b.lines for b in W.read_log(os.path.join(ckpt, "receivedData", "0"))] == [["a b a"], ["b c", "c"]]

    ssc = StreamingContext.getOrCreate(ckpt, _setup(port))
    driver = BatchDriver(ssc)
    ssc.start()
    conn, _ = server.accept()
    driver.advance(1)  # the first batch after the restart holds the replayed lines
    _send(ssc, conn, "d\n", 3)  # 2 replayed + 1 new
    driver.advance(1)
    ssc.stop(stopSparkContext=False)
    conn.close()
    server.close()
    assert RESULTS[1:] == [[("a", 2), ("b", 2), ("c", 2)], [("a", 2), ("b", 2), ("c", 2), ("d", 1)]]
    # the processed blocks' segments are gone; only the newest segment stays
    assert [b.lines for b in W.read_log(os.path.join(ckpt, "receivedData", "0"))] == [["d"]]


def test_a_full_disk_fails_the_context_loudly(wal_sc, tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    ckpt = tmp_path / "ckpt"
    (ckpt / "receivedData" / "0").mkdir(parents=True)
    os.symlink("/dev/full", ckpt / "receivedData" / "0" / "log-0000000000000000")
    ssc = StreamingContext.getOrCreate(str(ckpt), _setup(server.getsockname()[1]))
    ssc.start()
    conn, _ = server.accept()
    conn.sendall(b"lost to a full disk\n")
    with pytest.raises(W.WriteAheadLogError, match="No space left on device; a block of 1 lines"):
        ssc.awaitTermination(10)
    ssc.stop(stopSparkContext=False)
    conn.close()
    server.close()


def test_a_damaged_log_stops_the_start_naming_the_file(wal_sc, tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    ckpt = tmp_path / "ckpt"
    log = W.WriteAheadLog(str(ckpt / "receivedData" / "0"))
    log.append(["first"])
    log.append(["second"])
    log.close()
    (seg,) = W.segments(str(ckpt / "receivedData" / "0"))
    data = bytearray(open(seg, "rb").read())
    data[3] ^= 0xFF  # the first record's magic
    open(seg, "wb").write(bytes(data))
    ssc = StreamingContext.getOrCreate(str(ckpt), _setup(server.getsockname()[1]))
    with pytest.raises(W.WriteAheadLogError, match=f"write-ahead log {seg} is damaged"):
        ssc.start()
    ssc.stop(stopSparkContext=False)
    server.close()
