"""start()-time checks and reader/writer errors, with the texts PySpark 4.3.0 printed for the same calls."""

from __future__ import annotations

import pytest

from ember.errors import AnalysisException, IllegalArgumentException, PySparkValueError
from ember.sql import functions as F


@pytest.fixture
def rate(spark):
    return spark.readStream.format("rate").load()


@pytest.fixture
def agg(spark):
    words = spark.readStream.format("rate").load().selectExpr("cast(value as string) as word", "timestamp")
    return words.groupBy("word").count()


def _start(df, mode, fmt="noop", **options):
    q = df.writeStream.outputMode(mode).format(fmt).options(**options).start()
    q.stop()


def _head(e) -> str:
    return str(e.value).split(";\n", 1)[0]


def test_complete_without_aggregation(rate):
    with pytest.raises(AnalysisException) as e:
        _start(rate, "complete")
    assert _head(e) == (
        "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: complete. This "
        "output mode is not supported for no streaming aggregations on streaming DataFrames/DataSets. "
        "SQLSTATE: 42KDE")


def test_append_with_aggregation_without_watermark(agg):
    with pytest.raises(AnalysisException) as e:
        _start(agg, "append")
    assert _head(e) == (
        "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: append. This output "
        "mode is not supported for streaming aggregations without watermark on streaming "
        "DataFrames/DataSets. SQLSTATE: 42KDE")


SORT = ("Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated "
        "DataFrame/Dataset in Complete output mode")


def test_sorting(rate, agg):
    with pytest.raises(AnalysisException) as e:
        _start(rate.orderBy("value"), "append")
    assert _head(e) == SORT
    with pytest.raises(AnalysisException) as e:
        _start(agg.orderBy("word"), "update")
    assert _head(e) == SORT
    _start(agg.orderBy("word"), "complete")


def test_distinct_aggregation_and_limit(spark, agg):
    words = spark.readStream.format("rate").load().selectExpr("cast(value as string) as word", "timestamp")
    with pytest.raises(AnalysisException) as e:
        _start(words.groupBy("word").agg(F.countDistinct("timestamp")), "complete")
    assert _head(e) == ("Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider "
                        "using approx_count_distinct() instead.")
    with pytest.raises(AnalysisException) as e:
        _start(agg.limit(3), "update")
    assert _head(e) == "Limits are not supported on streaming DataFrames/Datasets in Update output mode"


def test_sink_checks(rate, tmp_path):
    with pytest.raises(AnalysisException) as e:
        _start(rate, "update", "parquet", path=str(tmp_path / "o"), checkpointLocation=str(tmp_path / "c"))
    assert str(e.value) == ("[STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE] Invalid streaming output mode: "
                            "update. This output mode is not supported in Data Source parquet. "
                            "SQLSTATE: 42KDE")
    with pytest.raises(AnalysisException, match=r"^queryName must be specified for memory sink\.$"):
        _start(rate, "append", "memory")
    with pytest.raises(AnalysisException) as e:
        _start(rate, "append", "parquet", path=str(tmp_path / "o"))
    assert str(e.value) == ('checkpointLocation must be specified either through '
                            'option("checkpointLocation", ...) or '
                            'SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...).')
    with pytest.raises(IllegalArgumentException, match=r"^'path' is not specified\.$"):
        _start(rate, "append", "parquet", checkpointLocation=str(tmp_path / "c"))


def test_writer_arguments(rate):
    with pytest.raises(IllegalArgumentException) as e:
        rate.writeStream.outputMode("bogus")
    assert str(e.value) == ("[STREAMING_OUTPUT_MODE.INVALID] Invalid streaming output mode: bogus. Accepted "
                            "output modes are 'Append', 'Complete', 'Update'. SQLSTATE: 42KDE")
    with pytest.raises(PySparkValueError) as e:
        rate.writeStream.queryName("")
    assert str(e.value) == ("[VALUE_NOT_NON_EMPTY_STR] Value for `queryName` must be a non-empty string, "
                            "got ''.")


def test_query_names_are_unique_among_active_queries(rate):
    q1 = rate.writeStream.format("noop").queryName("same").start()
    with pytest.raises(IllegalArgumentException) as e:
        rate.writeStream.format("noop").queryName("same").start()
    assert str(e.value) == ("Cannot start query with name same as a query with that name is already active "
                            "in this SparkSession")
    q1.stop()
    rate.writeStream.format("noop").queryName("same").start().stop()


@pytest.mark.parametrize("build, exc, message", [
    (lambda r: r.format("rate").option("rowsPerSecond", 0).load(), IllegalArgumentException,
     "Invalid value '0'. The option 'rowsPerSecond' must be positive"),
    (lambda r: r.format("rate").option("rowsPerSecond", "abc").load(), IllegalArgumentException,
     'For input string: "abc"'),
    (lambda r: r.format("rate-micro-batch").load(), IllegalArgumentException,
     "Invalid value '0'. The option 'rowsPerBatch' must be positive"),
    (lambda r: r.format("socket").load(), AnalysisException,
     'Set a host to read from with option("host", ...).'),
    (lambda r: r.format("socket").option("host", "localhost").load(), AnalysisException,
     'Set a port to read from with option("port", ...).'),
    (lambda r: r.format("socket").option("host", "h").option("port", 1).option("includeTimestamp", "maybe")
     .load(), AnalysisException, 'IncludeTimestamp must be set to either "true" or "false".'),
    (lambda r: r.csv("/nonexistent"), IllegalArgumentException,
     "Schema must be specified when creating a streaming source DataFrame. If some files already exist in "
     "the directory, then depending on the file format you may be able to create a static DataFrame on that "
     "directory with 'spark.read.load(directory)' and infer schema from it."),
    (lambda r: r.load(""), PySparkValueError,
     "[VALUE_NOT_NON_EMPTY_STR] Value for `path` must be a non-empty string, got ''."),
])
def test_reader_errors(spark, build, exc, message):
    with pytest.raises(exc) as e:
        build(spark.readStream)
    assert str(e.value) == message


def test_await_termination_timeout_must_be_positive(rate):
    q = rate.writeStream.format("noop").start()
    for bad, name in (("hello", "str"), (-1, "int"), (0, "int")):
        with pytest.raises(PySparkValueError) as e:
            q.awaitTermination(bad)
        assert str(e.value) == f"[VALUE_NOT_POSITIVE] Value for `timeout` must be positive, got '{name}'."
    assert q.awaitTermination(0.05) is False
    q.stop()
    assert q.awaitTermination(1) is True
    assert q.status == {"message": "Stopped", "isDataAvailable": False, "isTriggerActive": False}
