"""Session windows on streams, on both engines: ``groupBy(session_window(time, gap), key).agg(...)``.

Inputs are CSV files ``time TIMESTAMP, user STRING, v INT`` with fixed times. Each round adds one file
and runs the query with ``trigger(availableNow=True)`` on the same checkpoint, so batch ids, the
no-data batches Spark runs when the watermark moves, and every batch's rows are deterministic
(see test_structured_modes.py). Expected values were captured from PySpark 4.3.0 (local[2],
2 shuffle partitions, UTC).

What they pin down: a session is ``[first event, last event + gap)`` and events within the gap, or
exactly at a session's end, join it; sessions of a key merge across batches (an event can bridge two
stored sessions); append mode emits a session once the watermark reaches its end; a row whose own
session ``[t, t + gap)`` ends at or before the previous batch's watermark is dropped as late, in
complete mode too; and the state metrics count as Spark's session store does.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from test_structured_support import BatchLog, ConsoleOut, Feed, checkpoint, sort_tables

pytestmark = pytest.mark.usefixtures("stop_streams")


def _events(spark, feed):
    return spark.readStream.schema("time TIMESTAMP, user STRING, v INT").csv(feed.path)


def _rounds(df, mode, feed, tmp_path, rounds):
    """Add each round's file and run ``df`` with availableNow on one checkpoint.

    Returns every batch's sorted rows and, per batch, (batchId, numInputRows, watermark, state metrics).
    """
    log = BatchLog()
    chk = checkpoint(tmp_path)
    progress = []
    for lines in rounds:
        feed.add(*lines)
        q = df.writeStream.outputMode(mode).foreachBatch(log).option("checkpointLocation", chk)
        q = q.trigger(availableNow=True).start()
        q.awaitTermination()
        for p in q.recentProgress:
            ops = [(s.operatorName, s.numRowsTotal, s.numRowsUpdated, s.numRowsRemoved,
                    s.numRowsDroppedByWatermark) for s in p.stateOperators]
            progress.append((p.batchId, p.numInputRows, p.eventTime.get("watermark"), ops))
    return log.batches, progress


def _t(second: int) -> datetime:
    return datetime(2026, 1, 1, 0, second // 60, second % 60)


def _s(start: int, end: int) -> tuple:
    return (_t(start), _t(end))


def _line(second: int, user: str, v: int) -> str:
    return f"{_t(second):%Y-%m-%d %H:%M:%S},{user},{v}"


SESSION = "sessionWindowStateStoreSaveExec"

# gap 5 s, watermark delay 10 s
ROUNDS = [
    # a: [1, 8) from 1 and 3, [20, 25), [30, 35); b: [2, 7). Watermark next: 30 - 10 = 20
    [_line(1, "a", 1), _line(3, "a", 2), _line(2, "b", 3), _line(20, "a", 4), _line(30, "a", 5)],
    # a at 25 touches [20, 25) and [30, 35): one session [20, 35); the rest ends by 20: late
    [_line(25, "a", 6), _line(4, "b", 7), _line(9, "b", 8), _line(12, "c", 9)],
    [_line(41, "a", 10), _line(11, "c", 11), _line(45, "b", 12)],
    [_line(70, "a", 13)],
]


def _sessions(F, df):
    return df.groupBy(F.session_window("time", "5 seconds"), "user").agg(
        F.count("*").alias("n"), F.sum("v").alias("s"), F.max("v").alias("mx"))


def test_append_mode_emits_sessions_the_watermark_closed(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    df = _sessions(F, _events(spark, feed).withWatermark("time", "10 seconds"))
    assert df.schema.simpleString() == (
        "struct<session_window:struct<start:timestamp,end:timestamp>,user:string,n:bigint,s:bigint,mx:int>")
    batches, progress = _rounds(df, "append", feed, tmp_path, ROUNDS)
    assert batches == [
        (0, []),
        (1, [(_s(1, 8), "a", 2, 3, 2), (_s(2, 7), "b", 1, 3, 3)]),  # watermark 20
        (2, []),
        (3, []),
        (4, [(_s(20, 35), "a", 3, 15, 6)]),  # watermark 35
        (5, []),
        (6, [(_s(41, 46), "a", 1, 10, 10), (_s(45, 50), "b", 1, 12, 12)]),  # watermark 60
    ]
    assert progress == [
        (0, 5, "1970-01-01T00:00:00.000Z", [(SESSION, 4, 4, 0, 0)]),
        (1, 0, "2026-01-01T00:00:20.000Z", [(SESSION, 2, 0, 2, 0)]),
        (2, 4, "2026-01-01T00:00:20.000Z", [(SESSION, 1, 1, 1, 3)]),
        (3, 3, "2026-01-01T00:00:20.000Z", [(SESSION, 3, 3, 0, 1)]),
        (4, 0, "2026-01-01T00:00:35.000Z", [(SESSION, 2, 0, 1, 0)]),
        (5, 1, "2026-01-01T00:00:35.000Z", [(SESSION, 3, 2, 0, 0)]),
        (6, 0, "2026-01-01T00:01:00.000Z", [(SESSION, 1, 0, 2, 0)]),
    ]


def test_complete_mode_drops_rows_late_for_the_previous_batch_watermark(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    df = _sessions(F, _events(spark, feed).withWatermark("time", "10 seconds"))
    batches, progress = _rounds(df, "complete", feed, tmp_path, ROUNDS)
    # batch 1 runs with watermark 20, but rows are late only behind batch 0's (0): b's rows count.
    # In batch 2, c at 11 ([11, 16)) is behind batch 1's watermark (20): dropped
    first = [(_s(1, 8), "a", 2, 3, 2), (_s(2, 14), "b", 3, 18, 8), (_s(12, 17), "c", 1, 9, 9),
             (_s(20, 35), "a", 3, 15, 6)]
    later = [(_s(41, 46), "a", 1, 10, 10), (_s(45, 50), "b", 1, 12, 12)]
    assert batches == [
        (0, [(_s(1, 8), "a", 2, 3, 2), (_s(2, 7), "b", 1, 3, 3), (_s(20, 25), "a", 1, 4, 4),
             (_s(30, 35), "a", 1, 5, 5)]),
        (1, first),
        (2, sorted(first + later)),
        (3, sorted(first + later + [(_s(70, 75), "a", 1, 13, 13)])),
    ]
    assert progress == [
        (0, 5, "1970-01-01T00:00:00.000Z", [(SESSION, 4, 4, 0, 0)]),
        (1, 4, "2026-01-01T00:00:20.000Z", [(SESSION, 4, 4, 1, 0)]),
        (2, 3, "2026-01-01T00:00:20.000Z", [(SESSION, 6, 5, 0, 1)]),
        (3, 1, "2026-01-01T00:00:35.000Z", [(SESSION, 7, 4, 0, 0)]),
    ]


def test_complete_mode_without_watermark_keeps_and_merges_everything(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    batches, progress = _rounds(_sessions(F, _events(spark, feed)), "complete", feed, tmp_path, ROUNDS)
    # c at 11 now counts and moves c's session start from 12 to 11 (the old start is "removed")
    assert batches[2] == (2, [
        (_s(1, 8), "a", 2, 3, 2), (_s(2, 14), "b", 3, 18, 8), (_s(11, 17), "c", 2, 20, 11),
        (_s(20, 35), "a", 3, 15, 6), (_s(41, 46), "a", 1, 10, 10), (_s(45, 50), "b", 1, 12, 12),
    ])
    assert len(batches) == 4 and batches[3][1][-1] == (_s(70, 75), "a", 1, 13, 13)
    assert progress == [
        (0, 5, None, [(SESSION, 4, 4, 0, 0)]),
        (1, 4, None, [(SESSION, 4, 4, 1, 0)]),
        (2, 3, None, [(SESSION, 6, 6, 1, 0)]),
        (3, 1, None, [(SESSION, 7, 4, 0, 0)]),
    ]


def test_a_row_is_late_when_its_own_session_ends_by_the_watermark(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    df = _events(spark, feed).withWatermark("time", "10 seconds")
    df = df.groupBy(F.session_window("time", "5 seconds"), "user").agg(
        F.count("*").alias("n"), F.collect_list("v").alias("vs"))
    batches, progress = _rounds(df, "append", feed, tmp_path, [
        [_line(1, "a", 1), _line(30, "a", 2)],  # watermark next: 20
        # b at 15 ends at 20: late; c at 16 ends at 21: kept; f at 14 is late even though f at 18,
        # kept, would have reached it; a row without a time joins no session
        [_line(15, "b", 3), _line(16, "c", 4), _line(18, "d", 5), _line(26, "a", 6), _line(14, "f", 7),
         _line(18, "f", 8), ",g,9", _line(19, "h", 10)],
        [_line(58, "z", 11)],
    ])
    assert batches == [
        (0, []),
        (1, [(_s(1, 6), "a", 1, [1])]),
        (2, []),
        (3, []),
        (4, [(_s(16, 21), "c", 1, [4]), (_s(18, 23), "d", 1, [5]), (_s(18, 23), "f", 1, [8]),
             (_s(19, 24), "h", 1, [10]), (_s(26, 35), "a", 2, [6, 2])]),
    ]
    assert progress == [
        (0, 2, "1970-01-01T00:00:00.000Z", [(SESSION, 2, 2, 0, 0)]),
        (1, 0, "2026-01-01T00:00:20.000Z", [(SESSION, 1, 0, 1, 0)]),
        (2, 8, "2026-01-01T00:00:20.000Z", [(SESSION, 5, 5, 1, 2)]),
        (3, 1, "2026-01-01T00:00:20.000Z", [(SESSION, 6, 1, 0, 0)]),
        (4, 0, "2026-01-01T00:00:48.000Z", [(SESSION, 1, 0, 5, 0)]),
    ]


def test_session_window_after_the_key(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    df = _events(spark, feed).withWatermark("time", "10 seconds")
    counts = df.groupBy("user", F.session_window(df.time, "5 seconds")).count()
    assert counts.schema.simpleString() == (
        "struct<user:string,session_window:struct<start:timestamp,end:timestamp>,count:bigint>")
    batches, _ = _rounds(counts, "append", feed, tmp_path, ROUNDS)
    assert [b for b in batches if b[1]] == [
        (1, [("a", _s(1, 8), 2), ("b", _s(2, 7), 1)]),
        (4, [("a", _s(20, 35), 3)]),
        (6, [("a", _s(41, 46), 1), ("b", _s(45, 50), 1)]),
    ]


def test_update_mode_is_refused(F, spark, errors, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    counts = _events(spark, feed).withWatermark("time", "10 seconds").groupBy(
        F.session_window("time", "5 seconds"), "user").count()
    writer = counts.writeStream.outputMode("update").format("noop")
    with pytest.raises(errors.AnalysisException) as info:
        writer.option("checkpointLocation", checkpoint(tmp_path)).start()
    assert info.value.getCondition() == "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION"
    assert info.value.getMessageParameters() == {
        "outputMode": "update", "operation": "session window streaming aggregations"}
    assert str(info.value) == (
        "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: update. This output "
        "mode is not supported for session window streaming aggregations on streaming DataFrames/DataSets. "
        "SQLSTATE: 42KDE")


def test_append_mode_needs_a_watermark(F, spark, errors, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    counts = _events(spark, feed).groupBy(F.session_window("time", "5 seconds"), "user").count()
    writer = counts.writeStream.outputMode("append").format("noop")
    with pytest.raises(errors.AnalysisException) as info:
        writer.option("checkpointLocation", checkpoint(tmp_path)).start()
    assert str(info.value) == (
        "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: append. This output "
        "mode is not supported for streaming aggregations without watermark on streaming "
        "DataFrames/DataSets. SQLSTATE: 42KDE")


def test_a_session_window_without_another_key_fails_the_query(F, spark, errors, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    feed.add(_line(1, "a", 1))
    counts = _events(spark, feed).groupBy(F.session_window("time", "5 seconds")).count()
    q = counts.writeStream.outputMode("complete").format("noop").option(
        "checkpointLocation", checkpoint(tmp_path)).start()  # Spark refuses it only when planning a batch
    with pytest.raises(errors.StreamingQueryException) as info:
        q.processAllAvailable()
    assert info.value.getCondition() == "STREAM_FAILED"
    assert "terminated with exception: Global aggregation with session window in streaming query is not " \
           "supported." in str(info.value).replace("AnalysisException: ", "")


CONSOLE = """\
-------------------------------------------
Batch: 0
-------------------------------------------
+--------------------+----+-----+
|      session_window|user|count|
+--------------------+----+-----+
|{2026-01-01 00:00...|   a|    2|
|{2026-01-01 00:00...|   b|    1|
+--------------------+----+-----+

"""


def test_console_shows_sessions(F, spark, tmp_path, request):
    feed = Feed(tmp_path, "events", ".csv")
    feed.add(_line(1, "a", 1), _line(3, "a", 1), _line(2, "b", 1))
    counts = _events(spark, feed).withWatermark("time", "10 seconds").groupBy(
        F.session_window("time", "5 seconds"), "user").count()
    console = ConsoleOut(request, spark)
    q = counts.writeStream.outputMode("complete").format("console").option(
        "checkpointLocation", checkpoint(tmp_path)).start()
    q.processAllAvailable()
    q.stop()
    assert sort_tables(console.read()) == sort_tables(CONSOLE)


def test_unlike_sessions_a_window_aggregation_in_complete_mode_keeps_late_rows(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    counts = _events(spark, feed).withWatermark("time", "10 seconds").groupBy(
        F.window("time", "10 seconds"), "user").count()
    batches, progress = _rounds(counts, "complete", feed, tmp_path, [
        [_line(1, "a", 1), _line(30, "a", 1)], [_line(3, "a", 1)], [_line(4, "a", 1)]])
    # batch 2 runs after a batch with watermark 20, yet 00:00:04 still counts in [0, 10)
    assert batches[-1] == (2, [(_s(0, 10), "a", 3), (_s(30, 40), "a", 1)])
    assert [p[3] for p in progress] == [[("stateStoreSave", 2, 2, 0, 0)], [("stateStoreSave", 2, 1, 0, 0)],
                                        [("stateStoreSave", 2, 1, 0, 0)]]
