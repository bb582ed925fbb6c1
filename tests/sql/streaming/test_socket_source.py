"""The socket source: the seed's windowed word count end to end, word count, errors, memory."""

from __future__ import annotations

import datetime

import pytest

from ember.sql.functions import explode, split, window

EMPTY_WINDOWED = """\
-------------------------------------------
Batch: 0
-------------------------------------------
+------+----+-----+
|window|word|count|
+------+----+-----+
+------+----+-----+

"""


def _socket_lines(spark, port, ts=True):
    return (spark.readStream.format("socket").option("host", "127.0.0.1").option("port", port)
            .option("includeTimestamp", ts).load())


def _feed(q, server, data: bytes, total_lines: int) -> None:
    server.send(data)
    assert q._runner.sources[0].wait_lines(total_lines, 10)
    q.processAllAvailable()


def _window_text(ts: datetime.datetime, start_offset: int) -> str:
    base = int(ts.timestamp()) // 5 * 5 - start_offset
    fmt = "%Y-%m-%d %H:%M:%S"
    s = datetime.datetime.fromtimestamp(base, datetime.timezone.utc)
    e = s + datetime.timedelta(seconds=10)
    return f"{{{s.strftime(fmt)}, {e.strftime(fmt)}}}"


def test_seed_windowed_word_count(spark, server, capsys):
    lines = _socket_lines(spark, server.port)
    words = lines.select(explode(split(lines.value, " ")).alias("word"), lines.timestamp)
    counts = words.groupBy(window(words.timestamp, "10 seconds", "5 seconds"), words.word).count()
    q = (counts.orderBy("window").writeStream.outputMode("complete").format("console")
         .option("truncate", "false").start())
    q.processAllAvailable()
    assert capsys.readouterr().out == EMPTY_WINDOWED
    before = datetime.datetime.now(datetime.timezone.utc)
    _feed(q, server, b"hello world\nhello spark\n", 2)
    after = datetime.datetime.now(datetime.timezone.utc)
    out = capsys.readouterr().out
    assert out.startswith("-------------------------------------------\nBatch: 1\n")
    body = [ln for ln in out.splitlines() if ln.startswith("|{")]
    assert len(body) == 6  # 3 words in 2 overlapping windows each
    if int(before.timestamp()) // 5 == int(after.timestamp()) // 5:  # no boundary crossed
        first, second = _window_text(before, 5), _window_text(before, 0)
        assert body == sorted(body, key=lambda r: r.split("|")[1])
        assert {b.split("|")[1] for b in body} == {first, second}
        assert sorted(b.split("|")[2].strip() + b.split("|")[3].strip() for b in body) == sorted(
            ["hello2", "world1", "spark1"] * 2)
    q.stop()
    assert q.exception() is None


WORDCOUNT = """\
-------------------------------------------
Batch: 1
-------------------------------------------
+-----+-----+
| word|count|
+-----+-----+
|hello|    2|
|world|    1|
|spark|    1|
+-----+-----+

-------------------------------------------
Batch: 2
-------------------------------------------
+---------+-----+
|     word|count|
+---------+-----+
|    hello|    2|
|    world|    1|
|    spark|    2|
|streaming|    1|
+---------+-----+

"""


def test_structured_network_wordcount(spark, server, capsys):
    lines = _socket_lines(spark, server.port, ts=False)
    words = lines.select(explode(split(lines.value, " ")).alias("word"))
    q = words.groupBy("word").count().writeStream.outputMode("complete").format("console").start()
    q.processAllAvailable()
    capsys.readouterr()
    _feed(q, server, b"hello world\r\nhello spark\n", 2)
    _feed(q, server, b"spark streaming", 2)  # no newline yet: not a line
    server.send(b"\n")
    assert q._runner.sources[0].wait_lines(3, 10)
    q.processAllAvailable()
    q.stop()
    assert capsys.readouterr().out == WORDCOUNT


def test_missing_server_fails_the_query_at_once(spark):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nobody listens there now
    q = _socket_lines(spark, port).writeStream.format("noop").start()
    from ember.errors import StreamingQueryException

    with pytest.raises(StreamingQueryException, match="Connection refused"):
        q.awaitTermination(10)
    assert not q.isActive


def test_committed_lines_are_released(spark, server):
    q = _socket_lines(spark, server.port).writeStream.format("noop").start()
    q.processAllAvailable()
    _feed(q, server, b"x\n" * 10_000, 10_000)
    src = q._runner.sources[0]
    assert src._chunks == [] and src._bytes == 0
    q.stop()


@pytest.mark.parametrize("blocks, lines", [
    ([b"a\r", b"\nb\n"], ["a", "b"]),  # the \n of a \r\n split across two reads is not an empty line
    ([b"a\r", b"\r\nb\n"], ["a", "", "b"]),
    ([b"a\n", b"\nb\r"], ["a", "", "b"]),
    ([b"a\r\r", b"b"], ["a", "", "b"]),
    ([b"\r", b"\n", b"\n"], ["", ""]),
])
def test_line_ends_across_reads(blocks, lines):
    from ember.sql.streaming.sources.socket import _unify_newlines

    out, after_cr = [], False
    for block in blocks:
        data, after_cr = _unify_newlines(block, after_cr)
        out.append(data)
    text = b"".join(out).decode()
    assert (text[:-1] if text.endswith("\n") else text).split("\n") == lines


def test_reader_stops_while_the_buffer_is_full(spark, server):
    import threading
    import time

    from ember.sql.streaming.sources.socket import _READ

    spark.conf.set("ember.socket.maxBufferBytes", "4096")
    try:
        # one batch at start, then none for an hour: nothing commits, so nothing leaves the buffer
        q = (_socket_lines(spark, server.port).writeStream.format("noop")
             .trigger(processingTime="1 hour").start())
        assert server._accepted.wait(10), "the source never connected"
        total = 200_000
        threading.Thread(target=server.send, args=(b"0123456789\n" * total,), daemon=True).start()
        src = q._runner.sources[0]
        deadline = time.monotonic() + 30
        while src._bytes < 4096:  # until the reader has filled its buffer
            assert time.monotonic() < deadline, "the reader never filled its buffer"
            src.wait_lines(src._lines + 1, 0.1)
        assert src._bytes < 4096 + _READ  # at most one read past the limit
        assert src._lines < total  # and the rest waits in TCP, slowing the sender
        q.stop()
    finally:
        spark.conf.unset("ember.socket.maxBufferBytes")


def test_reader_fills_the_next_batch_while_one_runs(spark, server):
    # the lines a running batch took (get_batch until its commit) leave room under the cap: the
    # reader reads ahead for the next batch, which is bounded by the cap in turn
    import threading
    import time

    from ember.sql.streaming.sources.base import SourceSpec
    from ember.sql.streaming.sources.socket import _READ, SocketSource, schema_for

    spark.conf.set("ember.socket.maxBufferBytes", "4096")
    try:
        options = {"host": "127.0.0.1", "port": str(server.port)}
        src = SocketSource(SourceSpec("socket", options, schema_for(options), SocketSource), spark)
        src.start(None)
        assert server._accepted.wait(10), "the source never connected"
        threading.Thread(target=server.send, args=(b"0123456789\n" * 200_000,), daemon=True).start()

        def wait_for(cond) -> None:
            deadline = time.monotonic() + 30
            while not cond():
                assert time.monotonic() < deadline, "the reader never got there"
                src.wait_lines(src._lines + 1, 0.1)

        wait_for(lambda: src._bytes >= 4096)
        end = src.latest_offset()
        batch = src.get_batch(None, end)  # a batch runs with these lines
        assert batch.height == end + 1
        wait_for(lambda: src._bytes - batch.height * 11 >= 4096)  # the next batch's lines come in
        assert src._bytes - batch.height * 11 < 4096 + _READ
        src.commit(end)
        assert src.get_batch(end, src.latest_offset()).height <= (4096 + _READ) // 11
        src.stop()
    finally:
        spark.conf.unset("ember.socket.maxBufferBytes")
