"""Invalid UTF-8 and binary junk: decoded with U+FFFD exactly as Spark's receiver (Java) decodes it.

``junk_spark.json`` holds a payload (hand-made malformed sequences, lines ended by ``\\r``, ``\\r\\n``
and ``\\n``, then 4 KiB of seeded random bytes) and the lines PySpark 4.x's ``socketTextStream``
produced from it. The receiver must give the same lines whole, and whatever the chunk boundaries.
"""

from __future__ import annotations

import json
import pathlib
import random

from reliability_helpers import FakeSocket

from ember.streaming import StreamingContext
from ember.streaming.sources.blocks import lines_of
from ember.streaming.sources.socket import LineBuffer, SocketReceiver
from ember.testing import BatchDriver

CAPTURED = json.loads((pathlib.Path(__file__).parent / "junk_spark.json").read_text())
PAYLOAD = bytes.fromhex(CAPTURED["payload_hex"])
SPARK_LINES = CAPTURED["lines"]


def _read_chunks(chunks: list[bytes], max_line: int = 8 << 20) -> tuple[list[str], SocketReceiver]:
    buffer = LineBuffer(1 << 30)
    receiver = SocketReceiver("127.0.0.1", 0, buffer, max_line, 0, lambda kind, msg: None)
    assert receiver._read(FakeSocket(chunks)) == "closed the connection (no more data)"
    return lines_of(buffer.take()[0]), receiver


def _split(data: bytes, rng: random.Random, most: int) -> list[bytes]:
    chunks, i = [], 0
    while i < len(data):
        n = rng.randint(1, most)
        chunks.append(data[i:i + n])
        i += n
    return chunks


def test_spark_lines_over_a_socket(sc, server):
    ssc = StreamingContext(sc, 1)
    stream = ssc.socketTextStream("127.0.0.1", server.port)
    out: list = []
    stream.foreachRDD(lambda rdd: out.extend(rdd.collect()))
    driver = BatchDriver(ssc)
    ssc.start()
    server.send(PAYLOAD)
    server.hang_up()  # the last line has no line end: it counts when the connection closes
    assert stream.buffer.wait_received(len(SPARK_LINES), 10)
    driver.advance(1)
    ssc.stop(stopSparkContext=False)
    assert out == SPARK_LINES
    assert out[:12] == ["a", "b", "c", "", "d", "", "e", "", "f", "bad \ufffd\ufffd byte", "\ufffd",
                        "\ufffd\ufffd\ufffd\ufffd"]  # ED A0 80 (a surrogate) is one U+FFFD in Java


def test_spark_lines_whatever_the_chunk_boundaries():
    rng = random.Random(11)
    for most in (1, 2, 3, 7, 64):
        lines, _ = _read_chunks(_split(PAYLOAD, rng, most))
        assert lines == SPARK_LINES, f"chunks of up to {most} bytes"


def test_a_megabyte_of_random_bytes_never_stops_the_receiver():
    junk = random.Random(3).randbytes(1 << 20) + b"\nstill here\n"
    whole, receiver = _read_chunks([junk], max_line=4096)
    pieces, _ = _read_chunks(_split(junk, random.Random(4), 70_000), max_line=4096)
    assert whole == pieces and whole[-1] == "still here"
    assert len(whole) > 5000 and receiver.skipped_lines == 0
    assert all("\n" not in ln and "\r" not in ln for ln in whole)
