"""Batches run one at a time, in order, never dropped; a slow batch delays the next ones."""

from __future__ import annotations

import threading

from ember import SparkConf, SparkContext
from ember.streaming import StreamingContext, StreamingListener
from ember.testing import BatchDriver


class Recorder(StreamingListener):
    def __init__(self):
        self.completed = []

    def onBatchCompleted(self, batchCompleted):
        self.completed.append(batchCompleted.batchInfo())


def test_slow_batch_delays_but_never_overlaps_or_drops(sc):
    ssc = StreamingContext(sc, 1)
    release, entered = threading.Event(), threading.Event()
    running, seen, overlaps = [0], [], []

    def job(t, rdd):
        running[0] += 1
        if running[0] > 1:
            overlaps.append(t)
        seen.append(rdd.collect())
        if len(seen) == 1:
            entered.set()
            release.wait(10)
        running[0] -= 1

    ssc.queueStream([[1], [2], [3], [4]]).foreachRDD(job)
    rec = Recorder()
    ssc.addStreamingListener(rec)
    ssc.start()
    ssc._clock.advance(1000)
    assert entered.wait(10)
    ssc._clock.advance(3000)  # three more batches fall due while the first is still running
    release.set()
    assert ssc._scheduler.wait_for_batch(4000, 10)
    ssc.stop(stopSparkContext=False)
    assert seen == [[1], [2], [3], [4]]
    assert overlaps == []
    assert [i.batchTime().milliseconds() for i in rec.completed] == [1000, 2000, 3000, 4000]
    # the second batch waited for the first: its processing started after the first ended
    assert rec.completed[1].processingStartTime() >= rec.completed[0].processingEndTime()


def test_failure_keeps_traceback_and_context_stops_cleanly(sc):
    ssc = StreamingContext(sc, 1)

    def boom(x):
        raise KeyError("special")

    ssc.queueStream([[1]]).map(boom).pprint()
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(1)
    try:
        ssc.awaitTermination()
    except KeyError as e:
        frames = []
        tb = e.__traceback__
        while tb is not None:
            frames.append(tb.tb_frame.f_code.co_name)
            tb = tb.tb_next
        assert "boom" in frames
    else:
        raise AssertionError("the failure did not surface")
    ssc.stop(stopSparkContext=False)
    assert not ssc._scheduler._thread.is_alive()


def test_system_clock_batches_fall_on_multiples_of_the_interval():
    sc = SparkContext(conf=SparkConf().setMaster("local[2]").setAppName("sys"))
    try:
        ssc = StreamingContext(sc, 0.02)
        times = []
        ssc.queueStream([[1]]).foreachRDD(lambda t, rdd: times.append(t))
        ssc.start()
        first = ssc._scheduler.start_ms
        assert ssc._scheduler.wait_for_batch(first + 2 * 20, 10)
        ssc.stop(stopSparkContext=False)
        ms = [round(t.timestamp() * 1000) for t in times[:3]]
        assert ms == [first, first + 20, first + 40]
        assert first % 20 == 0
    finally:
        sc.stop()


def test_pprint_flushes_each_batch(sc, monkeypatch):
    import io
    import sys

    class Out(io.StringIO):
        flushes = 0

        def flush(self):
            Out.flushes += 1

    out = Out()
    monkeypatch.setattr(sys, "stdout", out)
    ssc = StreamingContext(sc, 1)
    ssc.queueStream([[1]]).pprint()
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(1)
    text, flushes_after_one = out.getvalue(), Out.flushes
    ssc.stop(stopSparkContext=False)
    assert text.endswith("1\n\n") and flushes_after_one >= 1
