"""The plan contracts the Structured Streaming engine builds on."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from ember.errors import AnalysisException
from ember.sql import execution
from ember.sql import functions as F
from ember.sql import plan as P
from ember.sql import types as T
from ember.sql.dataframe import DataFrame


class FakeSource:
    short_name = "fake"


def stream(spark) -> DataFrame:
    schema = T.StructType([T.StructField("value", T.StringType(), True)])
    return DataFrame(P.StreamSource(FakeSource(), schema), spark)


def test_nodes_are_frozen_and_rebuild_over_new_children(spark):
    df = spark.createDataFrame([("a b",)], ["value"]).filter(F.col("value") != "")
    node = df._plan
    assert isinstance(node, P.Filter) and node.children == (node.child,)
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.condition = None
    other = spark.createDataFrame([("x",)], ["value"])._plan
    rebuilt = node.with_children(other)
    assert rebuilt.child is other and rebuilt.condition is node.condition
    assert execution.to_lazy(rebuilt).collect().rows() == [("x",)]


def test_schema_without_running(spark):
    df = spark.createDataFrame([("a b",)], ["value"]).select(F.explode(F.split("value", " ")).alias("w"))
    words = df.groupBy("w").count()
    assert execution.schema_of(words._plan).simpleString() == "struct<w:string,count:bigint>"
    assert [f.nullable for f in words._plan.schema.fields] == [False, False]


def test_streaming_source_binds_a_frame_per_batch(spark):
    sdf = stream(spark)
    counts = sdf.select(F.explode(F.split("value", " ")).alias("word")).groupBy("word").count()
    assert sdf.isStreaming and counts.isStreaming
    (leaf,) = [x for x in P.leaves(counts._plan) if isinstance(x, P.StreamSource)]
    batch = pl.DataFrame({"value": ["a b a", "b"]})
    by_node = execution.to_lazy(counts._plan, {leaf: batch}).collect().sort("word").rows()
    by_id = execution.to_lazy(counts._plan, {id(leaf): batch.lazy()}).collect().sort("word").rows()
    assert by_node == by_id == [("a", 2), ("b", 2)]


@pytest.mark.parametrize("action", ["collect", "count", "show", "first"])
def test_batch_actions_refuse_streaming_plans(spark, action):
    with pytest.raises(AnalysisException) as info:
        getattr(stream(spark), action)()
    assert str(info.value).startswith(
        "Queries with streaming sources must be executed with writeStream.start()")
    assert str(info.value).endswith(";\nfake")


def test_watermark_is_metadata(spark):
    import datetime

    df = spark.createDataFrame([(datetime.datetime(2024, 1, 1, 0, 0, 5), 1)], ["t", "v"])
    marked = df.withWatermark("t", "10 seconds")
    assert isinstance(marked._plan, P.Watermark)
    assert marked._plan.delay_us == 10_000_000 and marked._plan.event_time == "t"
    assert marked.collect() == df.collect()


def test_unknown_column_fails_when_built_not_when_run(spark):
    df = spark.createDataFrame([(1,)], ["a"])
    with pytest.raises(AnalysisException):
        df.select("b")


def test_to_lazy_names_duplicate_columns_apart(spark):
    left = spark.createDataFrame([(1, "x")], ["id", "v"])
    right = spark.createDataFrame([(1, "y")], ["id", "w"])
    joined = left.join(right, left.id == right.id)
    assert joined.columns == ["id", "v", "id", "w"]
    assert execution.to_lazy(joined._plan).collect().columns == ["id", "v", "id#1", "w"]
    assert joined.select(left.id, right.w).collect()[0] == (1, "y")


def test_self_join_gets_fresh_ids(spark):
    df = spark.createDataFrame([(1, "a"), (2, "b")], ["k", "v"])
    out = df.alias("l").join(df.alias("r"), F.col("l.k") == F.col("r.k")).select("l.v", "r.k")
    assert sorted(tuple(r) for r in out.collect()) == [("a", 1), ("b", 2)]
