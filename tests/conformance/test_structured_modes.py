"""Output modes on both engines: Spark's checks at start(), watermarked windows in append and update
mode, dropDuplicates and stream-static joins.

Event-time inputs are CSV files ``time TIMESTAMP, id INT`` with fixed times. Each round adds one file
and runs the query with ``trigger(availableNow=True)`` on the same checkpoint, so batch ids, the
no-data batch Spark runs when the watermark moves, and every batch's rows are deterministic.
Expected values were captured from PySpark 4.3.0 (local[2], 2 shuffle partitions, UTC).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from test_structured_support import BatchLog, Feed, checkpoint, head

pytestmark = pytest.mark.usefixtures("stop_streams")


def _words(F, spark, root):
    lines = spark.readStream.text(Feed(root).path)
    return lines.select(F.explode(F.split(lines.value, " ")).alias("word"))


def _events(spark, feed):
    return spark.readStream.schema("time TIMESTAMP, id INT").csv(feed.path)


def _rounds(df, mode, feed, tmp_path, rounds):
    """Add each round's file and run ``df`` with availableNow on one checkpoint; return the batches."""
    log = BatchLog()
    chk = checkpoint(tmp_path)
    for lines in rounds:
        feed.add(*lines)
        q = df.writeStream.outputMode(mode).foreachBatch(log).option("checkpointLocation", chk)
        q = q.trigger(availableNow=True).start()
        q.awaitTermination()
    return log.batches


def _t(second: int) -> datetime:
    return datetime(2026, 1, 1, 0, 0, second)


def _w(start: int, end: int) -> tuple:
    return (_t(start), _t(end))


# -- Spark's checks at start() -------------------------------------------------------------------

STREAMING_OUTPUT_MODE = (
    "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: {mode}. This output mode "
    "is not supported for {what} on streaming DataFrames/DataSets. SQLSTATE: 42KDE"
)
SORT = (
    "Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated "
    "DataFrame/Dataset in Complete output mode"
)


def test_complete_mode_needs_an_aggregation(F, spark, errors, tmp_path):
    writer = _words(F, spark, tmp_path).writeStream.format("console").outputMode("complete")
    with pytest.raises(errors.AnalysisException) as info:
        writer.option("checkpointLocation", checkpoint(tmp_path)).start()
    assert str(info.value) == STREAMING_OUTPUT_MODE.format(mode="complete", what="no streaming aggregations")
    assert info.value.getCondition() == "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION"
    assert info.value.getSqlState() == "42KDE"
    assert info.value.getMessageParameters() == {
        "outputMode": "complete", "operation": "no streaming aggregations"}
    assert spark.streams.active == []


@pytest.mark.parametrize("mode", ["append", None])
def test_append_mode_aggregation_needs_a_watermark(F, spark, errors, tmp_path, mode):
    counts = _words(F, spark, tmp_path).groupBy("word").count()
    writer = counts.writeStream.format("console").option("checkpointLocation", checkpoint(tmp_path))
    if mode:
        writer = writer.outputMode(mode)
    with pytest.raises(errors.AnalysisException) as info:
        writer.start()  # append is the default mode
    assert str(info.value) == STREAMING_OUTPUT_MODE.format(
        mode="append", what="streaming aggregations without watermark")


@pytest.mark.parametrize("aggregated, mode", [(False, "append"), (True, "update")])
def test_sort_only_after_aggregation_in_complete_mode(F, spark, errors, tmp_path, aggregated, mode):
    df = _words(F, spark, tmp_path)
    if aggregated:
        df = df.groupBy("word").count()
    writer = df.orderBy("word").writeStream.format("console").outputMode(mode)
    with pytest.raises(errors.AnalysisException) as info:
        writer.option("checkpointLocation", checkpoint(tmp_path)).start()
    assert head(info.value) == SORT


@pytest.mark.parametrize("mode", ["bogus", "appendd"])
def test_invalid_output_mode_name(F, spark, errors, tmp_path, mode):
    words = _words(F, spark, tmp_path)
    expected = (
        f"[STREAMING_OUTPUT_MODE.INVALID] Invalid streaming output mode: {mode}. "
        "Accepted output modes are 'Append', 'Complete', 'Update'. SQLSTATE: 42KDE"
    )
    with pytest.raises(errors.IllegalArgumentException) as info:
        words.writeStream.outputMode(mode)
    assert str(info.value) == expected
    with pytest.raises(errors.IllegalArgumentException) as info:
        words.writeStream.format("console").start(outputMode=mode)
    assert str(info.value) == expected
    with pytest.raises(errors.PySparkValueError) as info:
        words.writeStream.outputMode("")
    assert str(info.value) == (
        "[VALUE_NOT_NON_EMPTY_STR] Value for `outputMode` must be a non-empty string, got ''.")


@pytest.mark.parametrize("fmt, mode", [("parquet", "update"), ("json", "complete")])
def test_file_sinks_accept_only_append(F, spark, errors, tmp_path, fmt, mode):
    counts = _words(F, spark, tmp_path).groupBy("word").count()
    writer = counts.writeStream.format(fmt).outputMode(mode)
    writer = writer.option("checkpointLocation", checkpoint(tmp_path))
    with pytest.raises(errors.AnalysisException) as info:
        writer.start(str(tmp_path / "out"))
    assert str(info.value) == (
        f"[STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE] Invalid streaming output mode: {mode}. "
        f"This output mode is not supported in Data Source {fmt}. SQLSTATE: 42KDE"
    )


def test_output_mode_names_are_case_insensitive(F, spark, tmp_path):
    feed = Feed(tmp_path, "words")
    feed.add("b a b")
    lines = spark.readStream.text(feed.path)
    counts = lines.select(F.explode(F.split(lines.value, " ")).alias("word")).groupBy("word").count()
    log = BatchLog()
    q = counts.writeStream.outputMode("Complete").foreachBatch(log)
    q = q.option("checkpointLocation", checkpoint(tmp_path)).trigger(availableNow=True).start()
    q.awaitTermination()
    assert log.batches == [(0, [("a", 1), ("b", 2)])]


# -- watermarks and windows ----------------------------------------------------------------------

ROUNDS = [
    ["2026-01-01 00:00:01,1", "2026-01-01 00:00:05,2", "2026-01-01 00:00:12,3"],
    ["2026-01-01 00:00:25,4"],
    # 00:00:03 is behind the watermark (00:00:15) by now: dropped
    ["2026-01-01 00:00:03,5", "2026-01-01 00:00:31,6"],
]


def _windowed(F, spark, feed):
    events = _events(spark, feed).withWatermark("time", "10 seconds")
    return events.groupBy(F.window("time", "10 seconds")).count()


def test_append_mode_emits_a_window_once_the_watermark_passes_it(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    batches = _rounds(_windowed(F, spark, feed), "append", feed, tmp_path, ROUNDS)
    # each round: its data batch, then the no-data batch the new watermark triggers
    assert batches == [
        (0, []),
        (1, []),  # watermark 00:00:02: nothing closed
        (2, []),
        (3, [(_w(0, 10), 2)]),  # watermark 00:00:15 closes [0, 10)
        (4, []),  # the late row is dropped
        (5, [(_w(10, 20), 1)]),  # watermark 00:00:21 closes [10, 20)
    ]


def test_append_mode_progress_reports_the_watermark(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    feed.add(*ROUNDS[0])
    q = _windowed(F, spark, feed).writeStream.outputMode("append").format("noop")
    q = q.option("checkpointLocation", checkpoint(tmp_path)).trigger(availableNow=True).start()
    q.awaitTermination()
    progress = q.recentProgress
    assert [(p.batchId, p.numInputRows) for p in progress] == [(0, 3), (1, 0)]
    watermarks = [p.eventTime["watermark"] for p in progress]
    assert watermarks == ["1970-01-01T00:00:00.000Z", "2026-01-01T00:00:02.000Z"]
    assert progress[0].eventTime["max"] == "2026-01-01T00:00:12.000Z"
    assert progress[0].eventTime["min"] == "2026-01-01T00:00:01.000Z"


def test_update_mode_emits_changed_windows_and_drops_late_rows(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    batches = _rounds(_windowed(F, spark, feed), "update", feed, tmp_path, ROUNDS)
    assert batches == [
        (0, [(_w(0, 10), 2), (_w(10, 20), 1)]),
        (1, []),
        (2, [(_w(20, 30), 1)]),
        (3, []),
        (4, [(_w(30, 40), 1)]),  # 00:00:03 would have updated [0, 10): dropped as late
        (5, []),
    ]


def test_complete_mode_keeps_every_window(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    batches = _rounds(_windowed(F, spark, feed), "complete", feed, tmp_path, ROUNDS)
    # complete mode evicts nothing, so a moving watermark runs no extra batch, and the late row
    # still counts: [0, 10) ends at 3
    assert batches == [
        (0, [(_w(0, 10), 2), (_w(10, 20), 1)]),
        (1, [(_w(0, 10), 2), (_w(10, 20), 1), (_w(20, 30), 1)]),
        (2, [(_w(0, 10), 3), (_w(10, 20), 1), (_w(20, 30), 1), (_w(30, 40), 1)]),
    ]


def test_with_watermark_checks_its_arguments(spark, errors):
    rate = spark.readStream.format("rate").load()
    with pytest.raises(errors.IllegalArgumentException) as info:
        rate.withWatermark("timestamp", "-1 seconds")
    assert str(info.value) == "requirement failed: delay threshold (-1 seconds) should not be negative."
    with pytest.raises(errors.AnalysisException) as info:
        rate.withWatermark("value", "1 second")
    assert head(info.value) == (
        '[EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE] The event time `value` has the invalid type "BIGINT", '
        'but expected "TIMESTAMP". SQLSTATE: 42K09'
    )


# -- dropDuplicates ------------------------------------------------------------------------------


def test_drop_duplicates_across_batches(spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    deduped = _events(spark, feed).dropDuplicates(["id"])
    batches = _rounds(deduped, "append", feed, tmp_path, [
        ["2026-01-01 00:00:01,1", "2026-01-01 00:00:02,1", "2026-01-01 00:00:02,2"],
        ["2026-01-01 00:00:09,2", "2026-01-01 00:00:09,3"],
    ])
    # the first row of each id wins, and ids seen in an earlier batch never come back
    assert batches == [
        (0, [(_t(1), 1), (_t(2), 2)]),
        (1, [(_t(9), 3)]),
    ]


# -- stream-static joins -------------------------------------------------------------------------


@pytest.mark.parametrize("how, expected", [
    ("inner", [
        (0, [(1, _t(1), "one")]),
        (1, [(2, _t(9), "two"), (2, _t(9), "two")]),
    ]),
    ("left_outer", [
        (0, [(1, _t(1), "one"), (3, _t(2), None)]),
        (1, [(2, _t(9), "two"), (2, _t(9), "two")]),
    ]),
])
def test_stream_static_join(spark, tmp_path, how, expected):
    static = spark.createDataFrame([(1, "one"), (2, "two"), (4, "four")], "id INT, name STRING")
    feed = Feed(tmp_path, "events", ".csv")
    joined = _events(spark, feed).join(static, "id", how)
    assert joined.isStreaming
    assert joined.columns == ["id", "time", "name"]
    batches = _rounds(joined, "append", feed, tmp_path, [
        ["2026-01-01 00:00:01,1", "2026-01-01 00:00:02,3"],
        ["2026-01-01 00:00:09,2", "2026-01-01 00:00:09,2"],
    ])
    assert batches == expected


def test_unsupported_stream_static_joins(spark, errors, tmp_path):
    static = spark.createDataFrame([(1, "one")], "id INT, name STRING")
    stream = _events(spark, Feed(tmp_path, "events", ".csv"))
    with pytest.raises(errors.AnalysisException) as info:
        stream.join(static, "id", "full_outer").writeStream.format("console").option(
            "checkpointLocation", checkpoint(tmp_path)).start()
    assert head(info.value) == (
        "FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset "
        "on the right is not supported"
    )
    with pytest.raises(errors.AnalysisException) as info:
        static.join(stream, "id", "left_outer").writeStream.format("console").option(
            "checkpointLocation", checkpoint(tmp_path)).start()
    assert head(info.value) == (
        "LeftOuter join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset "
        "on the left is not supported"
    )
