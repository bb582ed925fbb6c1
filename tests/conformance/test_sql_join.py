"""Joins: every join type on column names and on expressions, with Spark's output column order.

Joining on names puts the key columns first (once); joining on an expression keeps both sides'
columns. Row order of a join is not defined, so rows are compared sorted.
"""

import pytest
from sql_cases import JOIN
from sql_expected import EXPECTED


@pytest.mark.parametrize("name", list(JOIN))
def test_join(spark, engine, name):
    assert JOIN[name](spark, engine.module("sql.functions")) == EXPECTED[f"join.{name}"]
