"""Sinks: memory tables through spark.sql, toTable, file sinks' commit log and partitions."""

from __future__ import annotations

import json

from ember.sql.streaming.memory import MemoryStream
from ember.sql.streaming.sinks import committed_files


def test_memory_sink_is_queryable_and_complete_replaces(spark):
    stream = MemoryStream(spark, "word STRING")
    q = (stream.to_df().groupBy("word").count().writeStream.outputMode("complete").format("memory")
         .queryName("wc").start())
    stream.add_data("a", "b", "a")
    q.processAllAvailable()
    assert sorted(spark.sql("select word, count from wc").collect()) == [("a", 2), ("b", 1)]
    stream.add_data("b")
    q.processAllAvailable()
    assert sorted(spark.table("wc").collect()) == [("a", 2), ("b", 2)]
    q.stop()
    assert sorted(spark.table("wc").collect()) == [("a", 2), ("b", 2)]  # still there after stop


def test_to_table_appends_every_batch(spark, tmp_path, monkeypatch):
    # the table's parquet files go under the warehouse folder: keep them out of the working directory
    monkeypatch.setattr("ember.sql.tables.warehouse", lambda session: str(tmp_path / "warehouse"))
    stream = MemoryStream(spark, "v INT")
    q = stream.to_df().writeStream.option("checkpointLocation", str(tmp_path / "c")).toTable("numbers")
    stream.add_data(1, 2)
    q.processAllAvailable()
    stream.add_data(3)
    q.processAllAvailable()
    q.stop()
    assert sorted(r.v for r in spark.table("numbers").collect()) == [1, 2, 3]


def test_file_sink_commit_log_partitions_and_replayed_batch(spark, tmp_path):
    out, chk = tmp_path / "out", tmp_path / "chk"
    stream = MemoryStream(spark, "k STRING, v INT")
    writer = (stream.to_df().writeStream.format("json").partitionBy("k")
              .option("checkpointLocation", str(chk)))
    q = writer.start(str(out))
    q.processAllAvailable()  # batch 0: no data, a log entry without files
    stream.add_data(("a", 1), ("b", 2), ("a", 3))
    q.processAllAvailable()
    q.stop()
    assert (out / "_spark_metadata" / "0").read_text() == "v1"
    log = (out / "_spark_metadata" / "1").read_text().split("\n")
    assert log[0] == "v1"
    entries = [json.loads(x) for x in log[1:]]
    assert {e["action"] for e in entries} == {"add"} and all(e["path"].startswith("file://") for e in entries)
    files = committed_files(str(out))
    assert sorted(f.split("/")[-2] for f in files) == ["k=a", "k=b"]
    rows = sorted(line for f in files for line in open(f).read().splitlines())
    assert rows == ['{"v":1}', '{"v":2}', '{"v":3}']
    # batch 1 ran but its commit was lost: the re-run must not add files again
    (chk / "commits" / "1").unlink()
    q = writer.start(str(out))
    q.processAllAvailable()
    q.stop()
    assert sorted(committed_files(str(out))) == sorted(files)
    assert sorted(p.name for p in (out / "_spark_metadata").iterdir()) == ["0", "1"]


def _console_run(spark, capsys, rows_needed_off: bool, monkeypatch, sorted_windows_off=False) -> tuple:
    from datetime import datetime

    from ember.sql import functions as F
    from ember.sql.streaming.incremental import IncrementalExecution
    from ember.sql.streaming.sinks import ConsoleSink

    with monkeypatch.context() as m:  # undone after this run
        if rows_needed_off:
            m.setattr(ConsoleSink, "rows_needed", None)
        if sorted_windows_off:  # the plan's sort itself, not the windows' frames put in order
            m.setattr(IncrementalExecution, "_window_sorted", False)
        return _console_tables(spark, capsys, F, datetime)


def _console_tables(spark, capsys, F, datetime) -> tuple:
    stream = MemoryStream(spark, "t TIMESTAMP, line STRING")
    df = stream.to_df()
    words = df.select(F.explode(F.split(df.line, " ")).alias("word"), df.t)
    counts = words.groupBy(F.window(words.t, "10 seconds", "5 seconds"), words.word).count() \
        .orderBy("window")
    q = counts.writeStream.outputMode("complete").format("console").option("numRows", 15) \
        .option("truncate", False).start()
    for s in (7, 3, 12, 1):  # later windows first: the sort moves them, ties keep first-seen order
        stream.add_data(*[(datetime(2026, 1, 1, 0, 0, s), f"w{i % 7} x{i % 3} w{s}") for i in range(6)])
        q.processAllAvailable()
    q.stop()
    # the tables of the four data batches (a memory stream may or may not run an empty first batch)
    tables = [t.split("\n", 2)[2] for t in capsys.readouterr().out.split("Batch: ")[1:]]
    return [t for t in tables if "|{" in t], [p["sink"]["numOutputRows"] for p in q.recentProgress
                                            if p["numInputRows"]]


def test_console_computes_only_the_rows_it_shows_and_counts_them_all(spark, capsys, monkeypatch):
    # a sorted complete-mode table: the console shows numRows of it, so only those (and one more) are
    # computed; the tables and numOutputRows are those of the whole sorted output
    # (orderBy("window") puts the windows' frames in order; the plan's own sort gives the same tables)
    shown, counted = _console_run(spark, capsys, False, monkeypatch)
    whole, whole_counted = _console_run(spark, capsys, True, monkeypatch)
    topk, topk_counted = _console_run(spark, capsys, False, monkeypatch, sorted_windows_off=True)
    by_sort, by_sort_counted = _console_run(spark, capsys, True, monkeypatch, sorted_windows_off=True)
    assert shown == whole == topk == by_sort
    assert counted == whole_counted == topk_counted == by_sort_counted
    assert len(shown) == 4 and all("only showing top 15 rows" in t for t in shown)
    assert counted[-1] > 20
