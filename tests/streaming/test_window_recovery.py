"""Windows after getOrCreate: the first windows after a restart hold the batches from before it.

A word count over a socket with three windowed outputs (``window``, ``reduceByKeyAndWindow`` without
and with an inverse function) runs three batches, stops, and is recovered from its checkpoint; the
windows of the next batches must be exactly what an uninterrupted run gives.
"""

from __future__ import annotations

import os
import socket
from operator import add, sub

import pytest
from streaming_helpers import manual_context

from ember import SparkContext
from ember.streaming import StreamingContext
from ember.testing import BatchDriver

RESULTS: dict = {"window": [], "plain": [], "inverse": []}


# module level, so the recovered graph calls these very functions (pickled by reference)
def _window(rdd) -> None:
    RESULTS["window"].append(sorted(rdd.collect()))


def _plain(rdd) -> None:
    RESULTS["plain"].append(sorted(rdd.collect()))


def _inverse(rdd) -> None:
    RESULTS["inverse"].append(sorted(rdd.collect()))


def setup_on(port: int):
    def setup():
        ssc = StreamingContext(SparkContext._active_spark_context, 1)
        words = ssc.socketTextStream("127.0.0.1", port).flatMap(str.split)
        pairs = words.map(lambda w: (w, 1))
        words.window(3, 1).foreachRDD(_window)
        pairs.reduceByKeyAndWindow(add, None, 3, 1).foreachRDD(_plain)
        pairs.reduceByKeyAndWindow(add, sub, 5, 1).foreachRDD(_inverse)  # incremental: 5 slides
        return ssc

    return setup


@pytest.fixture
def manual_sc():
    sc = manual_context(app="win")
    yield sc
    sc.stop()


def _run(ckpt: str, listener: socket.socket, texts: list[str]) -> None:
    ssc = StreamingContext.getOrCreate(ckpt, setup_on(listener.getsockname()[1]))
    driver = BatchDriver(ssc)
    ssc.start()
    conn, _ = listener.accept()
    stream = ssc._graph.inputs[0]
    received = 0
    for text in texts:
        received += text.count("\n")
        conn.sendall(text.encode())
        assert stream.buffer.wait_received(received, 10)
        driver.advance(1)
    ssc.stop(stopSparkContext=False)
    conn.close()


def test_windows_hold_the_batches_from_before_a_restart(manual_sc, tmp_path):
    for out in RESULTS.values():
        out.clear()
    ckpt = str(tmp_path / "ckpt")
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        _run(ckpt, listener, ["a b\n", "b c\n", "c d\n"])
        before = {k: len(v) for k, v in RESULTS.items()}
        _run(ckpt, listener, ["d e\n", "e f\n", "f\n"])  # recovered: batches 4000, 5000, 6000 ms
    finally:
        listener.close()
    after = {k: v[before[k]:] for k, v in RESULTS.items()}
    assert after["window"] == [["b", "c", "c", "d", "d", "e"], ["c", "d", "d", "e", "e", "f"],
                               ["d", "e", "e", "f", "f"]]
    assert after["plain"] == [[("b", 1), ("c", 2), ("d", 2), ("e", 1)],
                              [("c", 1), ("d", 2), ("e", 2), ("f", 1)],
                              [("d", 1), ("e", 2), ("f", 2)]]
    # window (t - 5 s, t]: batch 1000 leaves at 6000; keys that fall to 0 stay (no filterFunc)
    assert after["inverse"] == [[("a", 1), ("b", 2), ("c", 2), ("d", 2), ("e", 1)],
                                [("a", 1), ("b", 2), ("c", 2), ("d", 2), ("e", 2), ("f", 1)],
                                [("a", 0), ("b", 1), ("c", 2), ("d", 2), ("e", 2), ("f", 2)]]
    # only what the windows still need is kept: the last window plus a slide of each parent
    saved = os.listdir(os.path.join(ckpt, "windows"))
    assert len(saved) <= 2 * (3 + 1 + 5 + 1 + 1) and not [n for n in saved if n.endswith(".tmp")]
