"""Streams remember only what their windows need; state and windows do not grow with time."""

from __future__ import annotations

import os
from operator import add, sub

from ember.streaming import StreamingContext
from ember.testing import BatchDriver


def test_remembered_rdds_stay_bounded(sc, tmp_path):
    ssc = StreamingContext(sc, 1)
    ssc.checkpoint(str(tmp_path))
    batches = [[f"k{i % 5}"] * 3 for i in range(80)]
    pairs = ssc.queueStream(batches).map(lambda w: (w, 1))
    pairs.reduceByKeyAndWindow(add, sub, 10, 2).foreachRDD(lambda rdd: rdd.count())
    pairs.window(4, 1).foreachRDD(lambda rdd: rdd.count())
    state = pairs.updateStateByKey(lambda vs, s: sum(vs) + (s or 0))
    seen = []
    state.foreachRDD(lambda rdd: seen.append(len(rdd.collect())))
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(60)
    sizes = {type(d).__name__: len(d._generated) for d in ssc._graph.all_streams()}
    assert ssc._scheduler.checkpoint_writer.flush(60)  # checkpoints are written in the background
    files = sum(len(f) for _, _, f in os.walk(tmp_path))
    driver.advance(20)
    sizes_later = {type(d).__name__: len(d._generated) for d in ssc._graph.all_streams()}
    assert ssc._scheduler.checkpoint_writer.flush(60)
    files_later = sum(len(f) for _, _, f in os.walk(tmp_path))
    ssc.stop(stopSparkContext=False)
    assert sizes == sizes_later  # a steady state: nothing accumulates batch after batch
    # the state keeps 2 x its 10 s checkpoint interval; the input feeds a 10 s window over a stream
    # that itself remembers 20 s, so it keeps 30 batches (Spark's remember durations exactly)
    assert sizes["StateDStream"] == 20 and sizes["QueueInputDStream"] == 30
    # old checkpoint files are deleted as batches are forgotten. The two checkpoints kept are not
    # always consecutive (the writer skips a waiting one when it falls behind), so the bound is that
    # of two checkpoints' window batches (windows/: 10 + 2 of the reduced pairs, 4 + 1 of the pairs,
    # the latest reduced window), the two checkpoint files and the RDD checkpoints of the state and
    # the reduced window (2 partitions, 2 intervals each)
    assert files <= 2 * (12 + 5 + 1) + 2 + 8 and files_later <= 2 * (12 + 5 + 1) + 2 + 8
    assert seen[-1] == 5
