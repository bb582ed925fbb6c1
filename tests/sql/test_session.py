"""SparkSession basics that are ember's own (speed, laziness, views)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ember.errors import AnalysisException


def test_get_or_create_does_not_import_polars():
    code = ("import sys; from ember.sql import SparkSession; SparkSession.builder.getOrCreate(); "
            "print('polars' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_builder_reuses_the_session_and_applies_conf(spark):
    from ember.sql import SparkSession

    again = SparkSession.builder.config("spark.sql.shuffle.partitions", "3").getOrCreate()
    assert again is spark
    assert spark.conf.get("spark.sql.shuffle.partitions") == "3"
    assert SparkSession.getActiveSession() is spark and SparkSession.active() is spark


def test_streams_manager_is_created_once(spark):
    pytest.importorskip("ember.sql.streaming.query")
    assert spark.streams is spark.streams


def test_temp_and_global_temp_views(spark):
    df = spark.createDataFrame([(1, "a")], ["n", "s"])
    df.createOrReplaceTempView("things")
    df.createOrReplaceGlobalTempView("gthings")
    assert spark.table("things").collect() == df.collect()
    assert spark.table("global_temp.gthings").collect() == df.collect()
    assert "things" in [t.name for t in spark.catalog.listTables()]
    assert spark.catalog.dropTempView("things") is True
    with pytest.raises(AnalysisException) as info:
        spark.table("things")
    assert info.value.getCondition() == "TABLE_OR_VIEW_NOT_FOUND"


def test_create_dataframe_from_rdd_and_polars(spark):
    import polars as pl

    rdd = spark.sparkContext.parallelize([("a", 1), ("b", 2)])
    assert [tuple(r) for r in spark.createDataFrame(rdd, ["k", "v"]).collect()] == [("a", 1), ("b", 2)]
    frame = spark.createDataFrame(pl.DataFrame({"k": ["x"], "v": [1.5]}))
    assert frame.dtypes == [("k", "string"), ("v", "double")]
