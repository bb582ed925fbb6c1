"""Triggers on both engines: argument checks with Spark's messages, once, availableNow, processingTime,
and the deterministic rate-micro-batch source. Expected values were captured from PySpark 4.3.0.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from test_structured_support import BatchLog, Feed, checkpoint, wait_for

pytestmark = pytest.mark.usefixtures("stop_streams")


@pytest.fixture
def lines(spark, tmp_path):
    return spark.readStream.text(Feed(tmp_path, "lines").path)


SINGLE = "[ONLY_ALLOW_SINGLE_TRIGGER] Only a single trigger is allowed."


@pytest.mark.parametrize("kwargs", [
    {},
    {"once": True, "processingTime": "5 seconds"},
    {"processingTime": "5 seconds", "continuous": "1 second"},
    {"availableNow": True, "once": True},
])
def test_exactly_one_trigger(lines, errors, kwargs):
    with pytest.raises(errors.PySparkValueError) as info:
        lines.writeStream.trigger(**kwargs)
    assert str(info.value) == SINGLE
    assert info.value.getCondition() == "ONLY_ALLOW_SINGLE_TRIGGER"
    assert isinstance(info.value, ValueError)


def test_trigger_takes_keywords_only(lines):
    with pytest.raises(TypeError) as info:
        lines.writeStream.trigger("5 seconds")
    assert str(info.value) == "DataStreamWriter.trigger() takes 1 positional argument but 2 were given"


@pytest.mark.parametrize("name", ["once", "availableNow"])
def test_flag_triggers_must_be_true(lines, errors, name):
    with pytest.raises(errors.PySparkValueError) as info:
        lines.writeStream.trigger(**{name: False})
    assert str(info.value) == (
        f"[VALUE_NOT_ALLOWED] Value for `{name}` has to be amongst the following values: [True].")
    assert info.value.getMessageParameters() == {"arg_name": name, "allowed_values": "[True]"}


@pytest.mark.parametrize("name, value, shown", [
    ("processingTime", "", ""),
    ("processingTime", "  ", "  "),
    ("processingTime", 5, "5"),
    ("continuous", "", ""),
    ("continuous", 5, "5"),
])
def test_interval_triggers_need_a_non_empty_string(lines, errors, name, value, shown):
    with pytest.raises(errors.PySparkValueError) as info:
        lines.writeStream.trigger(**{name: value})
    assert str(info.value) == (
        f"[VALUE_NOT_NON_EMPTY_STR] Value for `{name}` must be a non-empty string, got '{shown}'.")


def test_processing_time_interval_is_checked(lines, errors, tmp_path):
    writer = lines.writeStream.format("console").option("checkpointLocation", checkpoint(tmp_path))
    with pytest.raises(errors.IllegalArgumentException) as info:
        writer.trigger(processingTime="-1 seconds").start()
    assert str(info.value) == "requirement failed: the interval of trigger should not be negative"
    with pytest.raises(errors.IllegalArgumentException) as info:
        writer.trigger(processingTime="soon").start()
    assert str(info.value) == (
        "[INVALID_INTERVAL_FORMAT.UNRECOGNIZED_NUMBER] Error parsing 'soon' to interval. Please ensure that "
        "the value provided is in a valid format for defining an interval. You can reference the "
        "documentation for the correct format. Unrecognized number soon. SQLSTATE: 22006"
    )
    assert spark_active(lines) == []


def spark_active(df):
    return df.sparkSession.streams.active


def _three_files(tmp_path):
    feed = Feed(tmp_path, "three")
    for i in range(3):
        feed.add(f"line{i}")
    return feed


def test_available_now_honours_max_files_per_trigger(spark, tmp_path):
    feed = _three_files(tmp_path)
    log = BatchLog()
    source = spark.readStream.option("maxFilesPerTrigger", 1).text(feed.path)
    q = source.writeStream.foreachBatch(log).option("checkpointLocation", checkpoint(tmp_path))
    q = q.trigger(availableNow=True).start()
    assert q.awaitTermination(120) is True
    # one file per batch, oldest first, then the query stops by itself
    assert log.batches == [(0, [("line0",)]), (1, [("line1",)]), (2, [("line2",)])]
    assert not q.isActive
    assert q.exception() is None
    assert q.status["message"] == "Stopped"


def test_once_runs_a_single_batch_of_everything(spark, tmp_path):
    feed = _three_files(tmp_path)
    log = BatchLog()
    source = spark.readStream.option("maxFilesPerTrigger", 1).text(feed.path)
    q = source.writeStream.foreachBatch(log).option("checkpointLocation", checkpoint(tmp_path))
    q = q.trigger(once=True).start()
    q.awaitTermination()
    assert log.batches == [(0, [("line0",), ("line1",), ("line2",)])]
    assert not q.isActive


def test_processing_time_trigger_processes_new_files(spark, tmp_path):
    feed = Feed(tmp_path, "pt")
    log = BatchLog()
    q = spark.readStream.text(feed.path).writeStream.foreachBatch(log)
    q = q.option("checkpointLocation", checkpoint(tmp_path)).trigger(processingTime="100 milliseconds")
    q = q.start()
    feed.add("first")
    q.processAllAvailable()
    feed.add("second")
    q.processAllAvailable()
    q.stop()
    # no data, no batch: only the two files made batches
    assert log.batches == [(0, [("first",)]), (1, [("second",)])]


def test_rate_micro_batch_is_deterministic(spark, tmp_path):
    source = (
        spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 3)
        .option("startTimestamp", 1000).option("advanceMillisPerBatch", 500).load()
    )
    log = BatchLog()
    q = source.writeStream.foreachBatch(log).option("checkpointLocation", checkpoint(tmp_path)).start()
    wait_for(lambda: len(log.batches) >= 3, what="three rate-micro-batch batches")
    q.stop()
    s1, s15, s2 = (datetime(1970, 1, 1, 0, 0, 1), datetime(1970, 1, 1, 0, 0, 1, 500000),
                   datetime(1970, 1, 1, 0, 0, 2))
    assert log.batches[:3] == [
        (0, [(s1, 0), (s1, 1), (s1, 2)]),
        (1, [(s15, 3), (s15, 4), (s15, 5)]),
        (2, [(s2, 6), (s2, 7), (s2, 8)]),
    ]
