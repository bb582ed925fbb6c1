"""Checkpoints: Spark's layout, restart from the last commit, replay of an uncommitted batch."""

from __future__ import annotations

import json
import os
import pathlib

from ember.sql import functions as F


def _add(d: pathlib.Path, name: str, *lines: str) -> None:
    stage = d.parent / (d.name + ".stage")
    stage.mkdir(exist_ok=True)
    (stage / name).write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    os.replace(stage / name, d / name)


def _counts(spark, src, chk, log):
    lines = spark.readStream.text(str(src))
    words = lines.select(F.explode(F.split(lines.value, " ")).alias("word"))
    return (words.groupBy("word").count().writeStream.outputMode("complete")
            .foreachBatch(lambda df, bid: log.append((bid, sorted(map(tuple, df.collect())))))
            .option("checkpointLocation", str(chk)).start())


def test_layout_and_restart_keep_state(spark, tmp_path):
    src, chk = tmp_path / "in", tmp_path / "chk"
    src.mkdir()
    log: list = []
    q = _counts(spark, src, chk, log)
    _add(src, "a.txt", "a b", "a")
    q.processAllAvailable()
    first_id = q.id
    q.stop()
    assert json.loads((chk / "metadata").read_text()) == {"id": first_id}
    version, meta, offset = (chk / "offsets" / "0").read_text().split("\n")
    assert version == "v1" and offset == '{"logOffset":0}'
    assert set(json.loads(meta)) == {"batchWatermarkMs", "batchTimestampMs", "conf"}
    assert (chk / "commits" / "0").read_text() == 'v1\n{"nextBatchWatermarkMs":0}'
    entry = (chk / "sources" / "0" / "0").read_text().split("\n")
    assert entry[0] == "v1" and json.loads(entry[1])["path"].endswith("/in/a.txt")
    assert (chk / "state" / "0" / "0" / "1.snapshot").exists()

    _add(src, "b.txt", "b c")
    q = _counts(spark, src, chk, log)
    q.processAllAvailable()
    assert q.id == first_id and q.runId != first_id
    q.stop()
    assert log == [(0, [("a", 2), ("b", 1)]), (1, [("a", 2), ("b", 2), ("c", 1)])]


def test_uncommitted_batch_is_replayed_with_the_same_files(spark, tmp_path):
    src, chk = tmp_path / "in", tmp_path / "chk"
    src.mkdir()
    log: list = []
    q = _counts(spark, src, chk, log)
    _add(src, "a.txt", "x")
    q.processAllAvailable()
    _add(src, "b.txt", "y")
    q.processAllAvailable()
    q.stop()
    # as if the process died after offsets/1 but before commits/1 (and before the state of batch 1)
    (chk / "commits" / "1").unlink()
    (chk / "state" / "0" / "0" / "2.snapshot").unlink()
    _add(src, "c.txt", "z")
    log.clear()
    q = _counts(spark, src, chk, log)
    q.processAllAvailable()
    q.stop()
    assert log == [(1, [("x", 1), ("y", 1)]), (2, [("x", 1), ("y", 1), ("z", 1)])]


def test_temporary_checkpoint_is_removed(spark):
    from ember.sql.streaming.memory import MemoryStream

    stream = MemoryStream(spark, "v INT")
    q = stream.to_df().writeStream.format("noop").start()
    q.processAllAvailable()
    stream.add_data(1)
    q.processAllAvailable()
    root = q._checkpoint.root
    assert root.exists() and (root / "metadata").exists()
    q.stop()
    assert not root.exists()
