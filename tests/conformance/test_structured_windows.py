"""Event-time windows on both engines, in the shape of the seed's windowed word count.

The seed reads a socket with ``includeTimestamp`` (columns ``value``, ``timestamp``); here the same
columns come from CSV files with fixed times (``timestamp;line``), so the output is deterministic.
Expected text was captured from PySpark 4.3.0 (local[2], 2 shuffle partitions, UTC). The query orders
by window only, so rows of one window may come in any order: they are compared as multisets.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from test_structured_support import BatchLog, ConsoleOut, Feed, checkpoint, sort_tables

pytestmark = pytest.mark.usefixtures("stop_streams")


def _lines(spark, feed):
    return spark.readStream.schema("timestamp TIMESTAMP, value STRING").option("sep", ";").csv(feed.path)


def _windowed_counts(F, lines, window, slide):
    words = lines.select(F.explode(F.split(lines.value, " ")).alias("word"), lines.timestamp)
    return words.groupBy(F.window(words.timestamp, window, slide), words.word).count().orderBy("window")


SEED_COMPLETE = """\
-------------------------------------------
Batch: 0
-------------------------------------------
+------------------------------------------+-----+-----+
|window                                    |word |count|
+------------------------------------------+-----+-----+
|{2026-11-24 12:43:00, 2026-11-24 12:43:10}|hello|1    |
|{2026-11-24 12:43:00, 2026-11-24 12:43:10}|world|1    |
|{2026-11-24 12:43:05, 2026-11-24 12:43:15}|hello|2    |
|{2026-11-24 12:43:05, 2026-11-24 12:43:15}|spark|1    |
|{2026-11-24 12:43:05, 2026-11-24 12:43:15}|world|1    |
|{2026-11-24 12:43:10, 2026-11-24 12:43:20}|hello|1    |
|{2026-11-24 12:43:10, 2026-11-24 12:43:20}|spark|1    |
+------------------------------------------+-----+-----+

-------------------------------------------
Batch: 1
-------------------------------------------
+------------------------------------------+---------+-----+
|window                                    |word     |count|
+------------------------------------------+---------+-----+
|{2026-11-24 12:43:00, 2026-11-24 12:43:10}|hello    |1    |
|{2026-11-24 12:43:00, 2026-11-24 12:43:10}|world    |1    |
|{2026-11-24 12:43:05, 2026-11-24 12:43:15}|hello    |2    |
|{2026-11-24 12:43:05, 2026-11-24 12:43:15}|spark    |2    |
|{2026-11-24 12:43:05, 2026-11-24 12:43:15}|streaming|1    |
|{2026-11-24 12:43:05, 2026-11-24 12:43:15}|world    |1    |
|{2026-11-24 12:43:10, 2026-11-24 12:43:20}|hello    |1    |
|{2026-11-24 12:43:10, 2026-11-24 12:43:20}|spark    |2    |
|{2026-11-24 12:43:10, 2026-11-24 12:43:20}|streaming|1    |
+------------------------------------------+---------+-----+

"""


def test_seed_windowed_word_count_console(F, spark, tmp_path, request):
    feed = Feed(tmp_path, "lines", ".csv")
    feed.add("2026-11-24 12:43:07;hello world", "2026-11-24 12:43:12;hello spark")
    counts = _windowed_counts(F, _lines(spark, feed), "10 seconds", "5 seconds")
    assert counts.schema.simpleString() == (
        "struct<window:struct<start:timestamp,end:timestamp>,word:string,count:bigint>"
    )
    console = ConsoleOut(request, spark)
    q = (
        counts.writeStream.outputMode("complete").format("console").option("truncate", "false")
        .option("checkpointLocation", checkpoint(tmp_path)).start()
    )
    q.processAllAvailable()
    feed.add("2026-11-24 12:43:13;spark streaming")
    q.processAllAvailable()
    q.stop()
    assert sort_tables(console.read(), key_cells=1) == sort_tables(SEED_COMPLETE, key_cells=1)


def test_window_truncated_in_console(F, spark, tmp_path, request):
    feed = Feed(tmp_path, "lines", ".csv")
    feed.add("2026-01-01 00:00:07;a")
    counts = _windowed_counts(F, _lines(spark, feed), "5 seconds", None)
    console = ConsoleOut(request, spark)
    q = counts.writeStream.outputMode("complete").format("console").option(
        "checkpointLocation", checkpoint(tmp_path)).start()
    q.processAllAvailable()
    q.stop()
    assert console.read() == (
        "-------------------------------------------\n"
        "Batch: 0\n"
        "-------------------------------------------\n"
        "+--------------------+----+-----+\n"
        "|              window|word|count|\n"
        "+--------------------+----+-----+\n"
        "|{2026-01-01 00:00...|   a|    1|\n"
        "+--------------------+----+-----+\n"
        "\n"
    )


def _t(second: int) -> datetime:
    return datetime(2026, 1, 1, 0, 0, second)


def test_tumbling_window_with_start_time(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    feed.add("2026-01-01 00:00:07;a", "2026-01-01 00:00:13;b", "2026-01-01 00:00:14;c")
    lines = _lines(spark, feed)
    windows = lines.select(F.window("timestamp", "10 seconds", startTime="3 seconds"), "value")
    assert windows.columns == ["window", "value"]
    log = BatchLog()
    q = windows.writeStream.foreachBatch(log).option("checkpointLocation", checkpoint(tmp_path))
    q = q.trigger(availableNow=True).start()
    q.awaitTermination()
    assert log.batches == [(0, [
        ((_t(3), _t(13)), "a"),
        ((_t(13), _t(23)), "b"),
        ((_t(13), _t(23)), "c"),
    ])]


def test_sliding_window_counts_a_row_in_each_of_its_windows(F, spark, tmp_path):
    feed = Feed(tmp_path, "events", ".csv")
    feed.add("2026-01-01 00:00:07;a", "2026-01-01 00:00:10;b", "2026-01-01 00:00:14;c")
    lines = _lines(spark, feed)
    sliding = lines.groupBy(F.window("timestamp", "10 seconds", "5 seconds")).agg(
        F.sort_array(F.collect_list("value")).alias("values"))
    log = BatchLog()
    q = sliding.writeStream.outputMode("complete").foreachBatch(log).option(
        "checkpointLocation", checkpoint(tmp_path)).trigger(availableNow=True).start()
    q.awaitTermination()
    # each row lies in ceil(10 / 5) = 2 windows
    assert log.batches == [(0, [
        ((_t(0), _t(10)), ["a"]),
        ((_t(5), _t(15)), ["a", "b", "c"]),
        ((_t(10), _t(20)), ["b", "c"]),
    ])]
