"""Stateful operators beyond count: global limit, avg/min/max/collect merged across batches."""

from __future__ import annotations

from ember.sql import functions as F
from ember.sql.streaming.memory import MemoryStream


def _batches(df, mode="append"):
    log = []
    q = df.writeStream.outputMode(mode).foreachBatch(
        lambda b, i: log.append((i, sorted(tuple(r) for r in b.collect())))).start()
    return q, log


def test_limit_counts_rows_across_batches(spark):
    stream = MemoryStream(spark, "v INT")
    q, log = _batches(stream.to_df().limit(3))
    q.processAllAvailable()
    for rows in ([1, 2], [3, 4], [5]):
        stream.add_data(*rows)
        q.processAllAvailable()
    q.stop()
    assert log == [(0, []), (1, [(1,), (2,)]), (2, [(3,)]), (3, [])]


def test_merged_aggregates_match_a_batch_query(spark):
    stream = MemoryStream(spark, "k STRING, v INT")
    agg = stream.to_df().groupBy("k").agg(
        F.count("v").alias("n"), F.sum("v").alias("s"), F.avg("v").alias("a"), F.min("v").alias("lo"),
        F.max("v").alias("hi"), F.sort_array(F.collect_list("v")).alias("all"))
    q, log = _batches(agg, "update")
    q.processAllAvailable()
    stream.add_data(("x", 1), ("x", 5), ("y", None))
    q.processAllAvailable()
    stream.add_data(("x", 3), ("y", 2))
    q.processAllAvailable()
    q.stop()
    assert log[-1] == (2, [("x", 3, 9, 3.0, 1, 5, [1, 3, 5]), ("y", 1, 2, 2.0, 2, 2, [2])])
    assert log[-2] == (1, [("x", 2, 6, 3.0, 1, 5, [1, 5]), ("y", 0, None, None, None, None, [])])
