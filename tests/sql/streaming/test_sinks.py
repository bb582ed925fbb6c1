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
