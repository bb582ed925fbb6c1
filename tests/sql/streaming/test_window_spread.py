"""Sliding windows in a streaming aggregate: partials counted per event time (or per slide-long bucket)
and spread over the windows give what copying each row into each of its windows gives.

The batch engine copies rows into windows, so a streaming query's complete output over two batches
must equal the batch query's over the same rows, row for row, for lengths the slide divides or not,
with a start offset, null times and values, and aggregates that spread (count, min, max) or not
(sums and averages take the engine's own path today). A float sum is left out: merged per batch, its
last digit may differ from a one-pass sum.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from ember.sql import functions as F
from ember.sql.streaming.memory import MemoryStream

SCHEMA = "t TIMESTAMP, k STRING, v INT, x DOUBLE"
ROWS = [
    [(datetime(2026, 1, 1, 0, 0, s % 60), "ab"[s % 2], None if s % 7 == 0 else s, s / 10)
     for s in range(0, 50, 3)] + [(None, "a", 1, 0.5)],
    [(datetime(2026, 1, 1, 0, 0, s), "abc"[s % 3], s, s / 7) for s in range(1, 40, 4)],
]


def _aggs(df, window, extra):
    return df.groupBy(window, "k").agg(
        F.count("*").alias("n"), F.count("v").alias("nv"), F.min("v").alias("lo"), F.max("t").alias("hi"),
        *extra)


@pytest.mark.parametrize("length,slide,start", [("10 seconds", "5 seconds", None),
                                                ("10 seconds", "3 seconds", None),
                                                ("9 seconds", "3 seconds", "1 second")])
@pytest.mark.parametrize("extra", [[], [F.sum("v").alias("s"), F.avg("v").alias("a")]])
def test_streaming_sliding_windows_match_the_batch_engine(spark, length, slide, start, extra):
    stream = MemoryStream(spark, SCHEMA)
    df = stream.to_df()
    window = F.window("t", length, slide, start) if start else F.window("t", length, slide)
    log = []
    q = _aggs(df, window, extra).writeStream.outputMode("complete").foreachBatch(
        lambda b, i: log.append(sorted(tuple(r) for r in b.collect()))).start()
    for rows in ROWS:
        stream.add_data(*rows)
        q.processAllAvailable()
    q.stop()
    batch = spark.createDataFrame(ROWS[0] + ROWS[1], SCHEMA)
    expected = sorted(tuple(r) for r in _aggs(batch, window, extra).collect())
    assert log[-1] == expected
    assert len(expected) > 10
