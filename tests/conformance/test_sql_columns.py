"""Column expressions: operators, null propagation, casts, predicates, field access and sort order.

Each case of ``sql_cases.COLUMNS`` returns ``[schema.simpleString(), rows]`` and must equal the
literal captured from real Spark in ``sql_expected.py``.
"""

import pytest
from sql_cases import COLUMNS
from sql_expected import EXPECTED


@pytest.mark.parametrize("name", list(COLUMNS))
def test_column(spark, engine, name):
    assert COLUMNS[name](spark, engine.module("sql.functions")) == EXPECTED[f"columns.{name}"]


def test_column_is_immutable_and_reusable(spark, engine):
    F = engine.module("sql.functions")
    base = F.col("n")
    plus = base + 1
    named = plus.alias("p")
    df = spark.createDataFrame([(1,)], "n INT")
    assert df.select(base, plus, named).columns == ["n", "(n + 1)", "p"]


def test_column_has_no_truth_value(engine):
    F = engine.module("sql.functions")
    with pytest.raises(ValueError, match="Cannot convert column into bool"):
        bool(F.col("a") > 1)
    with pytest.raises(ValueError, match="Cannot convert column into bool"):
        (F.col("a") > 1) and (F.col("b") > 1)
