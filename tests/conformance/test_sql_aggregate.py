"""Aggregates: groupBy/agg (columns and dict), GroupedData shortcuts, null rules and output names.

Each case of ``sql_cases.AGGREGATE`` returns ``[schema.simpleString(), rows]`` (rows sorted where no
orderBy defines their order; collect_list/collect_set contents sorted) and must equal the literal
captured from real Spark in ``sql_expected.py``.
"""

import pytest
from sql_cases import AGGREGATE
from sql_expected import EXPECTED


@pytest.mark.parametrize("name", list(AGGREGATE))
def test_aggregate(spark, engine, name):
    assert AGGREGATE[name](spark, engine.module("sql.functions")) == EXPECTED[f"aggregate.{name}"]
