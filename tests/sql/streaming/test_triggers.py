"""Triggers: validation with PySpark's messages, once, availableNow with maxFilesPerTrigger, intervals."""

from __future__ import annotations

import pathlib
from datetime import datetime

import pytest

from ember.errors import IllegalArgumentException, PySparkValueError
from ember.sql.streaming.memory import MemoryStream


@pytest.fixture
def writer(spark):
    return MemoryStream(spark, "v INT").to_df().writeStream


@pytest.mark.parametrize("kwargs, message", [
    ({}, "[ONLY_ALLOW_SINGLE_TRIGGER] Only a single trigger is allowed."),
    ({"once": True, "availableNow": True}, "[ONLY_ALLOW_SINGLE_TRIGGER] Only a single trigger is allowed."),
    ({"once": False}, "[VALUE_NOT_ALLOWED] Value for `once` has to be amongst the following values: [True]."),
    ({"availableNow": 1},
     "[VALUE_NOT_ALLOWED] Value for `availableNow` has to be amongst the following values: [True]."),
    ({"processingTime": ""},
     "[VALUE_NOT_NON_EMPTY_STR] Value for `processingTime` must be a non-empty string, got ''."),
])
def test_bad_trigger_arguments(writer, kwargs, message):
    with pytest.raises(PySparkValueError) as info:
        writer.trigger(**kwargs)
    assert str(info.value) == message


def test_trigger_is_keyword_only(writer):
    with pytest.raises(TypeError):
        writer.trigger("5 seconds")


def test_bad_intervals(writer):
    with pytest.raises(IllegalArgumentException, match="Doesn't support month or year interval: 1 month"):
        writer.trigger(processingTime="1 month")
    with pytest.raises(IllegalArgumentException):
        writer.trigger(processingTime="abc")


def _files(tmp_path, n):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        (src / f"f{i}.txt").write_text(f"line{i}\n")
    return src


def test_available_now_runs_every_file_in_several_batches_then_stops(spark, tmp_path):
    src = _files(tmp_path, 5)
    log = []
    q = (spark.readStream.option("maxFilesPerTrigger", 2).text(str(src)).writeStream
         .foreachBatch(lambda df, b: log.append((b, sorted(r.value for r in df.collect()))))
         .trigger(availableNow=True).start())
    assert q.awaitTermination(30) is True
    assert log == [(0, ["line0", "line1"]), (1, ["line2", "line3"]), (2, ["line4"])]
    assert not q.isActive and q.exception() is None


def test_once_runs_one_batch(spark, tmp_path):
    src = _files(tmp_path, 3)
    log = []
    q = (spark.readStream.option("maxFilesPerTrigger", 1).text(str(src)).writeStream
         .foreachBatch(lambda df, b: log.append((b, [r.value for r in df.collect()])))
         .trigger(once=True).start())
    q.awaitTermination(30)
    assert log == [(0, ["line0", "line1", "line2"])]  # once ignores maxFilesPerTrigger (as Spark)


def test_processing_time_batches_start_on_interval_boundaries(spark):
    stream = MemoryStream(spark, "v INT")
    q = stream.to_df().writeStream.format("noop").trigger(processingTime="100 milliseconds").start()
    for i in range(3):
        stream.add_data(i)
        q.processAllAvailable()
    q.stop()
    stamps = [p["timestamp"] for p in q.recentProgress]
    # whole timestamps, not just seconds: a run that crosses a minute must not see a negative gap
    millis = [datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() * 1000 for s in stamps]
    gaps = [b - a for a, b in zip(millis, millis[1:])]
    assert all(g >= 95 for g in gaps), gaps  # never two batches inside one interval


def test_default_trigger_waits_for_data(spark):
    stream = MemoryStream(spark, "v INT")
    q = stream.to_df().writeStream.format("noop").start()
    q.processAllAvailable()
    q.processAllAvailable()
    assert [p["batchId"] for p in q.recentProgress] == [0]  # no data: no new batch
    stream.add_data(1)
    q.processAllAvailable()
    assert q.lastProgress["batchId"] == 1 and q.lastProgress["numInputRows"] == 1
    q.stop()


def test_file_source_latest_first_and_file_name_only(spark, tmp_path):
    import os

    src = _files(tmp_path, 4)
    for i in range(4):
        os.utime(src / f"f{i}.txt", (1000 + i, 1000 + i))
    log = []
    q = (spark.readStream.option("maxFilesPerTrigger", 3).option("latestFirst", "true").text(str(src))
         .writeStream.foreachBatch(lambda df, b: log.append((b, sorted(r.value for r in df.collect()))))
         .trigger(availableNow=True).start())
    q.awaitTermination(30)
    assert log == [(0, ["line1", "line2", "line3"]), (1, ["line0"])]


def test_file_source_clean_source_archive_and_delete(spark, tmp_path):
    src = _files(tmp_path, 2)
    archive = tmp_path / "archive"
    q = (spark.readStream.option("cleanSource", "archive").option("sourceArchiveDir", str(archive))
         .text(str(src)).writeStream.format("noop").trigger(availableNow=True).start())
    q.awaitTermination(30)
    assert sorted(p.name for p in src.iterdir()) == []
    assert sorted(p.name for p in archive.rglob("*.txt")) == ["f0.txt", "f1.txt"]
    src2 = _files(tmp_path / "x", 1) if (tmp_path / "x").mkdir() is None else None
    q = (spark.readStream.option("cleanSource", "delete").text(str(src2)).writeStream.format("noop")
         .trigger(availableNow=True).start())
    q.awaitTermination(30)
    assert list(pathlib.Path(src2).iterdir()) == []
