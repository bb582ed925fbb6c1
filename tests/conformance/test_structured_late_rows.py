"""Late rows in a streaming aggregation with a watermark, on both engines.

Since Spark 3.5 a stateful operator drops a row as late when its event time (for a window key: the
window's end) is at or before the PREVIOUS batch's watermark (``eventTimeWatermarkForLateEvents``),
while the current batch's watermark decides what the state evicts. With ``maxFilesPerTrigger=1`` two
files run as two data batches in a row, the second with a watermark that moved since the first, and no
no-data batch in between, so the two watermarks differ. Inputs are CSV files ``time TIMESTAMP,
user STRING, v INT`` with fixed times; expected values were captured from PySpark 4.3.0 (local[2],
2 shuffle partitions, UTC).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from test_structured_support import BatchLog, Feed, checkpoint

pytestmark = pytest.mark.usefixtures("stop_streams")


def _events(spark, feed):
    return spark.readStream.schema("time TIMESTAMP, user STRING, v INT").option(
        "maxFilesPerTrigger", 1).csv(feed.path)


def _t(second: int) -> datetime:
    return datetime(2026, 1, 1, 0, second // 60, second % 60)


def _s(start: int, end: int) -> tuple:
    return (_t(start), _t(end))


def _line(second: int, user: str = "a", v: int = 1) -> str:
    return f"{_t(second):%Y-%m-%d %H:%M:%S},{user},{v}"


def _rounds(df, mode, feed, tmp_path, rounds):
    """Add each round's files and run ``df`` with availableNow on one checkpoint.

    Returns every batch's sorted rows and, per batch, (batchId, numInputRows, watermark, state metrics).
    """
    log = BatchLog()
    chk = checkpoint(tmp_path)
    progress = []
    for files in rounds:
        for lines in files:
            feed.add(*lines)
        q = df.writeStream.outputMode(mode).foreachBatch(log).option("checkpointLocation", chk)
        q = q.trigger(availableNow=True).start()
        q.awaitTermination()
        for p in q.recentProgress:
            ops = [(s.numRowsTotal, s.numRowsUpdated, s.numRowsRemoved, s.numRowsDroppedByWatermark)
                   for s in p.stateOperators]
            progress.append((p.batchId, p.numInputRows, p.eventTime.get("watermark"), ops))
    return log.batches, progress


# file 1 moves the watermark (delay 10 s) to 20; file 2 runs next with watermark 20 but is late only
# behind file 1's watermark (0); round 2 comes after a batch with watermark 20: behind 20 is late
ROUNDS = [
    [[_line(1), _line(30)], [_line(3), _line(12), _line(25, "b")]],
    [[_line(5), _line(19, "b"), _line(20, "b"), _line(31)]],
]


def _windowed(F, spark, feed):
    return _events(spark, feed).withWatermark("time", "10 seconds").groupBy(
        F.window("time", "10 seconds"), "user").count()


WATERMARKS = [(0, 2, "1970-01-01T00:00:00.000Z"), (1, 3, "2026-01-01T00:00:20.000Z"),
              (2, 4, "2026-01-01T00:00:20.000Z"), (3, 0, "2026-01-01T00:00:21.000Z")]


def test_append_window_keeps_rows_behind_the_current_watermark_until_the_previous_one(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    batches, progress = _rounds(_windowed(F, spark, feed), "append", feed, tmp_path, ROUNDS)
    # batch 1 (watermark 20) counts 3 and 12 and then evicts their windows; batch 2 drops 5 and b's 19
    assert batches == [(0, []), (1, [(_s(0, 10), "a", 2), (_s(10, 20), "a", 1)]), (2, []), (3, [])]
    assert [p[:3] for p in progress] == WATERMARKS
    assert [p[3] for p in progress] == [[(2, 2, 0, 0)], [(2, 3, 2, 0)], [(2, 2, 0, 2)], [(2, 0, 0, 0)]]


def test_update_window_drops_rows_late_for_the_previous_batch_watermark(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    batches, progress = _rounds(_windowed(F, spark, feed), "update", feed, tmp_path, ROUNDS)
    assert batches == [
        (0, [(_s(0, 10), "a", 1), (_s(30, 40), "a", 1)]),
        (1, [(_s(0, 10), "a", 2), (_s(10, 20), "a", 1), (_s(20, 30), "b", 1)]),
        (2, [(_s(20, 30), "b", 2), (_s(30, 40), "a", 2)]),
        (3, []),
    ]
    assert [p[:3] for p in progress] == WATERMARKS
    assert [p[3] for p in progress] == [[(2, 2, 0, 0)], [(2, 3, 2, 0)], [(2, 2, 0, 2)], [(2, 0, 0, 0)]]


def _by_time(F, spark, feed):
    return _events(spark, feed).withWatermark("time", "10 seconds").groupBy("time").agg(F.sum("v"))


def test_append_event_time_key_keeps_rows_until_the_previous_watermark(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    batches, progress = _rounds(_by_time(F, spark, feed), "append", feed, tmp_path, ROUNDS)
    assert batches == [(0, []), (1, [(_t(1), 1), (_t(3), 1), (_t(12), 1)]), (2, []), (3, [])]
    assert [p[:3] for p in progress] == WATERMARKS
    assert [p[3] for p in progress] == [[(2, 2, 0, 0)], [(2, 3, 3, 0)], [(3, 1, 0, 3)], [(3, 0, 0, 0)]]


def test_update_event_time_key_drops_rows_at_the_previous_watermark(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    batches, progress = _rounds(_by_time(F, spark, feed), "update", feed, tmp_path, ROUNDS)
    # in batch 2, 5, 19 and 20 are at or behind watermark 20: late; 31 counts
    assert batches == [(0, [(_t(1), 1), (_t(30), 1)]), (1, [(_t(3), 1), (_t(12), 1), (_t(25), 1)]),
                       (2, [(_t(31), 1)]), (3, [])]
    assert [p[3] for p in progress] == [[(2, 2, 0, 0)], [(2, 3, 3, 0)], [(3, 1, 0, 3)], [(3, 0, 0, 0)]]
