"""getOrCreate: a stateful word count stopped and recovered keeps its running totals."""

from __future__ import annotations

import os
import socket

import pytest
from streaming_helpers import manual_context

from ember import SparkContext
from ember.streaming import StreamingContext
from ember.streaming.checkpoint import CheckpointError
from ember.testing import BatchDriver

RESULTS: list = []
CALLS: list = []


def _collect(rdd) -> None:
    # module level, so the recovered graph calls this very function (pickled by reference) and its
    # results land in this module's list; a nested function would be pickled with a copy of the list
    RESULTS.append(sorted(rdd.collect()))


def setup_on(port: int):
    def setup():
        CALLS.append("setup")
        sc = SparkContext._active_spark_context
        ssc = StreamingContext(sc, 1)
        words = ssc.socketTextStream("127.0.0.1", port).flatMap(str.split).map(lambda w: (w, 1))
        totals = words.updateStateByKey(lambda new, old: sum(new) + (old or 0))
        totals.foreachRDD(_collect)
        return ssc

    return setup


class Feed:
    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]

    def connect(self) -> socket.socket:
        conn, _ = self.listener.accept()
        return conn


@pytest.fixture
def manual_sc():
    sc = manual_context(app="rec")
    yield sc
    sc.stop()


def run_batch(ssc, driver, conn, text, expect_total):
    stream = ssc._graph.inputs[0]
    conn.sendall(text.encode())
    assert stream.buffer.wait_received(expect_total, 10)
    driver.advance(1)


def test_state_survives_a_restart(manual_sc, tmp_path):
    RESULTS.clear()
    CALLS.clear()
    feed = Feed()
    ckpt = str(tmp_path / "ckpt")
    ssc = StreamingContext.getOrCreate(ckpt, setup_on(feed.port))
    driver = BatchDriver(ssc)
    ssc.start()
    conn = feed.connect()
    run_batch(ssc, driver, conn, "a b a\n", 1)
    run_batch(ssc, driver, conn, "b c\n", 2)
    ssc.stop(stopSparkContext=False)
    conn.close()
    assert CALLS == ["setup"]
    assert RESULTS[-1] == [("a", 2), ("b", 2), ("c", 1)]
    # the newest batch's checkpoint is on disk when stop returns (1000's may have been skipped for it,
    # as Spark's writer skips a waiting checkpoint when a newer one comes)
    assert sorted(n for n in os.listdir(ckpt) if n.startswith("checkpoint-"))[-1:] == ["checkpoint-2000"]

    ssc = StreamingContext.getOrCreate(ckpt, setup_on(feed.port))  # recovered: setup is not called
    assert CALLS == ["setup"]
    driver = BatchDriver(ssc)
    ssc.start()
    conn = feed.connect()
    run_batch(ssc, driver, conn, "c d\n", 1)
    ssc.stop(stopSparkContext=False)
    conn.close()
    feed.listener.close()
    assert RESULTS[-1] == [("a", 2), ("b", 2), ("c", 2), ("d", 1)]


def test_a_damaged_checkpoint_is_an_error_naming_the_file(manual_sc, tmp_path):
    (tmp_path / "checkpoint-5000").write_bytes(b"not a pickle at all")
    with pytest.raises(CheckpointError, match="checkpoint-5000"):
        StreamingContext.getOrCreate(str(tmp_path), lambda: None)


def test_queue_streams_cannot_be_recovered(manual_sc, tmp_path):
    def setup():
        ssc = StreamingContext(manual_sc, 1)
        ssc.queueStream([[1]]).pprint()
        return ssc

    ssc = StreamingContext.getOrCreate(str(tmp_path), setup)
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(1)
    ssc.stop(stopSparkContext=False)
    with pytest.raises(Exception, match="queueStream doesn't support checkpointing"):
        StreamingContext.getOrCreate(str(tmp_path), setup)

