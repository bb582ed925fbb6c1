"""socketTextStream: decoding, line splitting, reconnecting, long lines, bounded memory."""

from __future__ import annotations

import socket
import threading

import pytest
from streaming_helpers import manual_context

from ember.streaming import StreamingContext
from ember.testing import BatchDriver, LoopbackServer

Server = LoopbackServer


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def run(sc, port, payloads, expect_lines, batches=1):
    ssc = StreamingContext(sc, 1)
    stream = ssc.socketTextStream("127.0.0.1", port)
    out = []
    stream.foreachRDD(lambda rdd: out.append(rdd.collect()))
    driver = BatchDriver(ssc)
    ssc.start()
    return ssc, stream, out, driver


def test_lines_decoded_and_split(sc, server):
    ssc, stream, out, driver = run(sc, server.port, None, None)
    server.send(b"hello world\r\nhello spark\nbad \xff byte\ncaf\xc3\xa9\n")
    assert stream.buffer.wait_received(4, 10)
    driver.advance(1)
    server.send(b"spark streaming\nno newline at the end")
    assert stream.buffer.wait_received(5, 10)
    driver.advance(1)
    server.conn.close()  # the last line counts once the connection ends, as Java's readLine has it
    assert stream.buffer.wait_received(6, 10)
    driver.advance(1)
    ssc.stop(stopSparkContext=False)
    assert out == [["hello world", "hello spark", "bad \ufffd byte", "café"], ["spark streaming"],
                   ["no newline at the end"]]


def test_missing_server_gives_empty_batches_and_one_warning(sc, caplog):
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    import logging

    from ember.streaming import StreamingListener

    caplog.set_level(logging.WARNING, logger="ember.streaming")  # another test may have set ERROR

    failed = threading.Event()

    class Errors(StreamingListener):
        def onReceiverError(self, receiverError):
            failed.set()

    ssc = StreamingContext(sc, 1)
    ssc.addStreamingListener(Errors())
    out = []
    ssc.socketTextStream("127.0.0.1", port).foreachRDD(lambda rdd: out.append(rdd.collect()))
    driver = BatchDriver(ssc)
    ssc.start()
    assert failed.wait(10)
    driver.advance(3)
    ssc.stop(stopSparkContext=False)
    assert out == [[], [], []]
    warnings = [r.getMessage() for r in caplog.records if "cannot connect" in r.getMessage()]
    assert len(warnings) == 1 and f"127.0.0.1:{port}" in warnings[0]


def test_long_line_is_skipped_and_counted(sc, server):
    sc.getConf()  # the bound is read from the conf; the test uses a small one
    ssc = StreamingContext(sc, 1)
    stream = ssc.socketTextStream("127.0.0.1", server.port)
    stream._receiver.max_line = 1000
    out = []
    stream.foreachRDD(lambda rdd: out.append(rdd.collect()))
    driver = BatchDriver(ssc)
    ssc.start()
    server.send(b"short\n" + b"x" * 5000 + b"\nafter\n")
    assert stream.buffer.wait_received(2, 10)
    driver.advance(1)
    ssc.stop(stopSparkContext=False)
    assert out == [["short", "after"]]
    assert stream._receiver.skipped_lines == 1


def test_full_buffer_stops_reading_without_losing_lines(sc, server):
    ssc = StreamingContext(sc, 1)
    stream = ssc.socketTextStream("127.0.0.1", server.port)
    stream.buffer.max_bytes = 10_000  # tiny, so the producer is pushed back at once
    total = []
    stream.foreachRDD(lambda rdd: total.append(len(rdd.collect())))
    driver = BatchDriver(ssc)
    ssc.start()
    lines = 200_000
    sender = threading.Thread(target=server.send, args=(b"0123456789\n" * lines,), daemon=True)
    sender.start()
    batches = 0
    while sum(total) < lines and batches < 5000:
        seen = stream.buffer.received
        if seen < lines:
            stream.buffer.wait_more_or_full(seen, 5)  # the receiver refills after each batch
        # bounded: at most one read beyond the cap (a block of its bytes, with a line's tail and the
        # block's own overhead)
        assert stream.buffer._bytes <= 10_000 + 65_536 + 100
        driver.advance(1)
        batches += 1
    ssc.stop(stopSparkContext=False)
    assert sum(total) == lines
    assert batches > 10  # it took many batches: the receiver waited for them


def test_receiver_works_with_one_core(server):
    # Spark with local[1] and a receiver processes nothing, silently; ember's receiver is a thread

    sc = manual_context("local[1]")
    try:
        ssc, stream, out, driver = run(sc, server.port, None, None)
        server.send(b"one core is enough\n")
        assert stream.buffer.wait_received(1, 10)
        driver.advance(1)
        ssc.stop(stopSparkContext=False)
        assert out == [["one core is enough"]]
    finally:
        sc.stop()
