"""The background checkpoint writer: batches do not wait for the disk, and nothing is lost silently."""

from __future__ import annotations

import logging
import os
import threading
from operator import add

import pytest

from ember.streaming import StreamingContext, checkpoint
from ember.streaming.checkpoint_writer import CheckpointWriter
from ember.testing import BatchDriver


class _Slow:
    """A stand-in for checkpoint.Pending whose write blocks until released."""

    def __init__(self, t: int, written: list, gate: threading.Event) -> None:
        self.time_ms, self.written, self.gate = t, written, gate
        self.absorbed: list[int] = []

    def absorb(self, older: _Slow) -> None:
        self.absorbed.append(older.time_ms)

    def write(self, ssc) -> None:
        self.gate.wait(10)
        self.written.append(self.time_ms)


class _Ctx:
    _checkpoint_dir = "/nowhere"


def test_a_waiting_checkpoint_is_replaced_by_a_newer_one_and_stop_writes_it():
    written: list = []
    gate = threading.Event()
    writer = CheckpointWriter(_Ctx(), lambda what, e: None)
    first = _Slow(1000, written, gate)
    writer.submit(first)
    assert not writer.flush(0.05)  # the first is being written: the writer is busy
    second, third = _Slow(2000, written, gate), _Slow(3000, written, gate)
    writer.submit(second)
    writer.submit(third)  # 2000 was still waiting: 3000 takes its place and its window batches
    gate.set()
    writer.stop()
    assert written == [1000, 3000]
    assert third.absorbed == [2000] and writer.skipped == 1 and writer.written == 2


def test_a_newer_checkpoint_takes_over_the_window_files_it_names():
    def pending(t, names, blobs):
        saved = checkpoint.Saved(checkpoint.FORMAT, t, 1000, 0, None, [], b"", {},
                                 windows={1: {k: n for k, n in names.items()}})
        return checkpoint.Pending(t, saved, blobs)

    older = pending(2000, {1000: "1-1000", 2000: "1-2000"}, {"1-1000": [b"a"], "1-2000": [b"b"]})
    newer = pending(3000, {2000: "1-2000", 3000: "1-3000"}, {"1-3000": [b"c"]})
    newer.absorb(older)
    assert newer.window_blobs == {"1-3000": [b"c"], "1-2000": [b"b"]}  # 1-1000 is no longer needed


def test_batches_go_on_while_the_writer_fails_and_the_failure_is_reported(sc, tmp_path, monkeypatch, caplog):
    real = checkpoint._write_atomically
    attempts: list = []

    def full_disk(path, blob):
        if os.path.basename(path).startswith("checkpoint-"):
            attempts.append(path)
            raise OSError(28, "No space left on device")
        real(path, blob)

    monkeypatch.setattr(checkpoint, "_write_atomically", full_disk)
    ssc = StreamingContext(sc, 1)
    ssc.checkpoint(str(tmp_path))
    seen: list = []
    ssc.queueStream([["a"], ["b"], ["c"]]).map(lambda w: (w, 1)).reduceByKey(add) \
        .foreachRDD(lambda rdd: seen.append(rdd.collect()))
    driver = BatchDriver(ssc)
    ssc.start()
    with caplog.at_level(logging.WARNING, logger="ember.streaming"):
        driver.advance(1)
        assert ssc._scheduler.checkpoint_writer.flush(30)
    assert len(attempts) == 3  # three attempts, as Spark makes
    assert "Could not write checkpoint for time" in caplog.text and "checkpoint-" in caplog.text
    with pytest.raises(OSError, match="No space left on device"):
        ssc.awaitTerminationOrTimeout(5)
    monkeypatch.setattr(checkpoint, "_write_atomically", real)  # the disk has room again
    driver.advance(2)
    ssc.stop(stopSparkContext=False)
    assert seen == [[("a", 1)], [("b", 1)], [("c", 1)]]
    assert sorted(n for n in os.listdir(tmp_path) if n.startswith("checkpoint-"))[-1].endswith("3000")
