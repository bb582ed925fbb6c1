"""socketStream: records a converter reads from the connection's bytes (Spark's Scala API)."""

from __future__ import annotations

import logging
import socket
import struct
import threading

import pytest
from streaming_helpers import manual_context

from ember.errors import SparkException
from ember.streaming import StreamingContext
from ember.streaming.sources.socket import LineBuffer
from ember.testing import BatchDriver, LoopbackServer


def ints(stream):
    """4-byte big-endian integers, as a binary protocol would frame them."""
    while len(frame := stream.read(4)) == 4:
        yield struct.unpack(">i", frame)[0]


def frames(*numbers: int) -> bytes:
    return b"".join(struct.pack(">i", n) for n in numbers)


def test_records_come_from_the_converter(sc):
    with LoopbackServer() as server:
        ssc = StreamingContext(sc, 1)
        stream = ssc.socketStream("127.0.0.1", server.port, ints)
        out = []
        stream.map(lambda n: n * 10).foreachRDD(lambda rdd: out.append(rdd.collect()))
        driver = BatchDriver(ssc)
        ssc.start()
        server.send(frames(1, 2, -3))
        assert stream.buffer.wait_received(3, 10)
        driver.advance(1)
        server.send(frames(7) + b"\x00\x00")  # half a frame: not a record yet
        assert stream.buffer.wait_received(4, 10)
        driver.advance(1)
        ssc.stop(stopSparkContext=False)
    assert out == [[10, 20, -30], [70]]


def test_a_failing_converter_is_reported_once_and_the_receiver_reconnects(sc, caplog):
    caplog.set_level(logging.WARNING, logger="ember.streaming")

    def strict(stream):
        for n in ints(stream):
            if n < 0:
                raise ValueError(f"negative frame {n}")
            yield n

    listener = socket.create_server(("127.0.0.1", 0))
    ssc = StreamingContext(sc, 1)
    stream = ssc.socketStream("127.0.0.1", listener.getsockname()[1], strict)
    out = []
    stream.foreachRDD(lambda rdd: out.append(rdd.collect()))
    driver = BatchDriver(ssc)
    ssc.start()
    try:
        listener.settimeout(30)
        first, _ = listener.accept()
        first.sendall(frames(1, -1, 2))  # 2 never arrives: the converter failed before it
        second, _ = listener.accept()  # the receiver came back (after its 2 s retry)
        second.sendall(frames(3))
        assert stream.buffer.wait_received(2, 10)
        driver.advance(1)
    finally:
        ssc.stop(stopSparkContext=False)
        listener.close()
    assert out == [[1, 3]]
    failures = [r.getMessage() for r in caplog.records if "converter failed" in r.getMessage()]
    assert len(failures) == 1
    assert "ValueError: negative frame -1" in failures[0]


def test_records_share_a_block_until_taken():
    buffer = LineBuffer(1 << 20)
    for n in range(3):
        assert buffer.put_record(n, 36)
    blocks, counts = buffer.take()
    assert (blocks, counts) == ([[0, 1, 2]], [3])
    buffer.put_record("x", 58)
    assert buffer.take() == ([["x"]], [1])


def test_a_full_buffer_holds_the_receiver_back():
    buffer = LineBuffer(100)
    assert buffer.put_record(b"a" * 200, 233)  # over the bound: the next put waits
    put = threading.Thread(target=buffer.put_record, args=(1, 36))
    put.start()
    put.join(0.2)
    assert put.is_alive() and buffer.received == 1
    assert buffer.take()[1] == [1]
    put.join(10)
    assert buffer.take()[1] == [1]


def test_the_converter_must_be_a_function(sc):
    ssc = StreamingContext(sc, 1)
    with pytest.raises(TypeError, match="converter must be a function of the connection's binary stream, "
                                        "not str"):
        ssc.socketStream("127.0.0.1", 9, "ints")


def test_the_write_ahead_log_is_refused_at_start(tmp_path):
    sc = manual_context(settings={"spark.streaming.receiver.writeAheadLog.enable": "true"})
    try:
        ssc = StreamingContext(sc, 1)
        ssc.checkpoint(str(tmp_path))
        ssc.socketStream("127.0.0.1", 9, ints).foreachRDD(lambda rdd: None)
        with pytest.raises(SparkException, match="socketStream cannot use it yet"):
            ssc.start()
    finally:
        sc.stop()
