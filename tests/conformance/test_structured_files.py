"""File sources and sinks on both engines: JSON/CSV/text sources, restart from a checkpoint, the
checkpoint layout, and the exactly-once file sink with its ``_spark_metadata`` log.

Each run uses ``trigger(availableNow=True)`` on a shared checkpoint. Expected values were captured from
PySpark 4.3.0 (local[2], UTC).
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime

import pytest
from test_structured_support import BatchLog, Feed, checkpoint, sort_rows

pytestmark = pytest.mark.usefixtures("stop_streams")


def _run(df, chk, log=None, **sink):
    """One availableNow run of ``df`` into ``log`` (foreachBatch) or the sink options given."""
    writer = df.writeStream.option("checkpointLocation", chk)
    if log is not None:
        writer = writer.foreachBatch(log)
    else:
        writer = writer.format(sink.pop("format")).options(**sink)
    q = writer.trigger(availableNow=True).start()
    q.awaitTermination()
    return q


def test_json_source(spark, tmp_path):
    feed = Feed(tmp_path, "json", ".json")
    feed.add('{"a": "x", "b": 1}', '{"a": "y"}', '{"b": 3, "c": true}')
    log = BatchLog()
    _run(spark.readStream.schema("a STRING, b INT").json(feed.path), checkpoint(tmp_path), log)
    assert log.batches == [(0, [("x", 1), ("y", None), (None, 3)])]


def test_csv_source_with_options(spark, tmp_path):
    feed = Feed(tmp_path, "csv", ".csv")
    feed.add("time|id", "2024-05-24 15:03:20|1", "2024-05-24 15:03:21|2")
    reader = spark.readStream.schema("time TIMESTAMP, id INT").option("header", True).option("sep", "|")
    log = BatchLog()
    _run(reader.csv(feed.path), checkpoint(tmp_path), log)
    t = datetime(2024, 5, 24, 15, 3, 20)
    assert log.batches == [(0, [(t, 1), (t.replace(second=21), 2)])]


def test_restart_resumes_from_the_checkpoint(spark, tmp_path):
    feed = Feed(tmp_path)
    chk = checkpoint(tmp_path)
    source = spark.readStream.text(feed.path)
    log = BatchLog()
    feed.add("one", "two")
    first = _run(source, chk, log)
    feed.add("three")
    second = _run(source, chk, log)
    third = _run(source, chk, log)  # nothing new: no batch at all
    assert log.batches == [(0, [("one",), ("two",)]), (1, [("three",)])]
    assert first.id == second.id == third.id
    assert len({first.runId, second.runId, third.runId}) == 3
    assert [p.batchId for p in second.recentProgress] == [1]
    # the run with nothing to do reports one progress of no input rows for the next batch id
    assert [(p.batchId, p.numInputRows) for p in third.recentProgress] == [(2, 0)]

    # the layout Spark recovers from: query id, per-batch offsets and commits, the source's file log
    with open(os.path.join(chk, "metadata"), encoding="utf-8") as f:
        assert json.loads(f.read()) == {"id": first.id}
    for d in ("offsets", "commits", "sources/0"):
        assert sorted(n for n in os.listdir(os.path.join(chk, d)) if not n.startswith(".")) == ["0", "1"]
    with open(os.path.join(chk, "commits", "1"), encoding="utf-8") as f:
        assert f.read().split("\n")[0] == "v1"
    with open(os.path.join(chk, "offsets", "1"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[0] == "v1"
    assert json.loads(lines[2]) == {"logOffset": 1}


PART = re.compile(r"^part-00000-[0-9a-f-]{36}-c000\.json$")


def test_json_file_sink_is_exactly_once(F, spark, tmp_path):
    feed = Feed(tmp_path)
    out = str(tmp_path / "out")
    chk = checkpoint(tmp_path)
    source = spark.readStream.text(feed.path)
    df = source.select(source.value.alias("word"), F.length(source.value).alias("n"))
    feed.add("a", "bb")
    _run(df, chk, format="json", path=out)
    feed.add("ccc")
    _run(df, chk, format="json", path=out)
    _run(df, chk, format="json", path=out)  # no new input: no new file

    parts = sorted(n for n in os.listdir(out) if not n.startswith((".", "_")))
    assert len(parts) == 2 and all(PART.match(n) for n in parts)
    log_dir = os.path.join(out, "_spark_metadata")
    assert sorted(n for n in os.listdir(log_dir) if not n.startswith(".")) == ["0", "1"]
    logged = {}
    for batch in ("0", "1"):
        with open(os.path.join(log_dir, batch), encoding="utf-8") as f:
            version, *entries = f.read().strip().split("\n")
        assert version == "v1"
        for entry in map(json.loads, entries):
            assert entry["action"] == "add" and entry["isDir"] is False
            logged.setdefault(batch, []).append(os.path.basename(entry["path"]))
    assert sorted(logged["0"] + logged["1"]) == parts

    # a batch reader of the directory sees exactly the committed files
    rows = spark.read.schema("word STRING, n INT").json(out).collect()
    assert sort_rows(rows) == [("a", 1), ("bb", 2), ("ccc", 3)]
    (first_file,) = logged["0"]
    with open(os.path.join(out, first_file), encoding="utf-8") as f:
        first = [json.loads(line) for line in f.read().splitlines()]
    assert sorted(first, key=lambda r: r["word"]) == [{"word": "a", "n": 1}, {"word": "bb", "n": 2}]


def test_partitioned_parquet_sink(F, spark, tmp_path):
    feed = Feed(tmp_path)
    feed.add("hello", "this")
    out = str(tmp_path / "out")
    source = spark.readStream.text(feed.path).withColumn("id", F.lit(1))
    q = (
        source.writeStream.format("parquet").partitionBy("id").queryName("this_query")
        .option("checkpointLocation", checkpoint(tmp_path)).trigger(availableNow=True).start(out)
    )
    q.awaitTermination()
    assert q.name == "this_query"
    assert sorted(n for n in os.listdir(out) if not n.startswith(".")) == ["_spark_metadata", "id=1"]
    files = [n for n in os.listdir(os.path.join(out, "id=1")) if not n.startswith(".")]
    assert len(files) == 1 and files[0].endswith(".snappy.parquet")
    rows = spark.read.parquet(out).collect()
    assert sort_rows(rows) == [("hello", 1), ("this", 1)]
