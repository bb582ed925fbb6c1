"""pyspark.sql.functions: every function of the DataFrame issue, with Spark's output names and types.

Each case of ``sql_cases.FUNCTIONS`` returns ``[schema.simpleString(), rows]`` and must equal the
literal captured from real Spark in ``sql_expected.py``.
"""

import pytest
from sql_cases import FUNCTIONS
from sql_expected import EXPECTED


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_function(spark, engine, name):
    assert FUNCTIONS[name](spark, engine.module("sql.functions")) == EXPECTED[f"functions.{name}"]


def test_udf_runs_on_whole_column_with_return_type(spark, engine):
    F = engine.module("sql.functions")
    T = engine.module("sql.types")

    @F.udf(returnType=T.LongType())
    def square(x):
        return None if x is None else x * x

    df = spark.createDataFrame([(1,), (2,), (None,)], "n INT").select(square("n"))
    assert df.columns == ["square(n)"]
    assert df.schema.simpleString() == "struct<square(n):bigint>"
    assert sorted(r[0] for r in df.collect() if r[0] is not None) == [1, 4]


def test_udf_as_decorator_with_ddl_type_string(spark, engine):
    F = engine.module("sql.functions")

    @F.udf("int")
    def twice(x):
        return 2 * x

    df = spark.createDataFrame([(3,)], "n INT").select(twice("n").alias("t"), twice(F.lit(5)))
    assert [tuple(r) for r in df.collect()] == [(6, 10)]
    assert df.columns == ["t", "twice(5)"]
