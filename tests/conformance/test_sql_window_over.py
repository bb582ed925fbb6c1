"""Window functions over partitions: ``Column.over(Window...)`` and ``OVER (...)`` in spark.sql.

Ranking (row_number, rank, dense_rank, percent_rank, cume_dist, ntile), offsets (lag, lead,
nth_value), first/last and aggregates over Spark's default frames (the whole partition without
ORDER BY, ``RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`` with it, so peers count) and over
explicit ROWS/RANGE frames; output names and types; misuse errors. Every case returns
``[schema.simpleString(), rows]`` with rows in an order the query defines; the expected literals
were captured from PySpark 4.3.0 (``EMBER_TEST_ENGINE=spark``), never computed by ember.
"""

# ruff: noqa: E501  (case tables and captured literals read best one case per line)
from __future__ import annotations

import datetime
import decimal
import re

import pytest
from sql_cases import out

ROWS = [(1, "a", 1, 1.0), (2, "a", 2, 2.0), (3, "a", 2, None), (4, "a", 3, 4.0), (5, "b", 5, 1.5),
        (6, "b", None, 2.5), (7, "b", 7, None), (8, None, 4, 3.0), (9, None, 4, 1.0), (10, "a", None, 0.5)]


def data(spark):
    return spark.createDataFrame(ROWS, "id INT, g STRING, n INT, x DOUBLE")


def decimals(spark):
    return spark.createDataFrame(
        [(1, "a", decimal.Decimal("1.25")), (2, "a", decimal.Decimal("2.50")), (3, "a", None),
         (4, "b", decimal.Decimal("0.10"))], "id INT, g STRING, d DECIMAL(5,2)")


def times(spark):
    return spark.createDataFrame(
        [(1, datetime.datetime(2024, 1, 1, 10, 0, 0), "u"), (2, datetime.datetime(2024, 1, 1, 10, 0, 5), "u"),
         (3, datetime.datetime(2024, 1, 1, 10, 0, 5), "v"), (4, None, "u")], "id INT, ts TIMESTAMP, k STRING")


def sel(df, *cols):
    """``select("id", *cols)`` ordered by id (ids are unique)."""
    return out(df.select("id", *cols).orderBy("id"))


def _p(W):
    return W.partitionBy("g").orderBy("n")


def _po(W):
    return W.partitionBy("g").orderBy("n", "id")  # no ties: row_number, lag, ... are deterministic


CASES = {
    "row_number": lambda s, F, W: sel(data(s), F.row_number().over(_po(W))),
    "rank_dense_percent_cume": lambda s, F, W: sel(
        data(s), F.rank().over(_p(W)), F.dense_rank().over(_p(W)), F.percent_rank().over(_p(W)),
        F.cume_dist().over(_p(W))),
    "ntile": lambda s, F, W: sel(
        data(s), F.ntile(2).over(_po(W)), F.ntile(3).over(_po(W)), F.ntile(5).over(_po(W))),
    "ntile_more_buckets_than_rows": lambda s, F, W: sel(
        data(s), F.ntile(4).over(W.orderBy("id")), F.ntile(20).over(W.orderBy("id"))),
    "lag_lead": lambda s, F, W: sel(
        data(s), F.lag("n").over(_po(W)), F.lag("n", 2, 0).over(_po(W)), F.lead("n", 1, -1).over(_po(W)),
        F.lead("x").over(_po(W)), F.lag("x", -1).over(_po(W))),
    "lag_zero_and_string_default": lambda s, F, W: sel(
        data(s), F.lag("n", 0).over(_po(W)), F.lead("g", 2, "zz").over(W.orderBy("id"))),
    "nth_value": lambda s, F, W: sel(
        data(s), F.nth_value("x", 2).over(_po(W)), F.nth_value("x", 2, True).over(_po(W))),
    "nth_value_rows": lambda s, F, W: sel(
        data(s), F.nth_value("x", 2).over(_po(W).rowsBetween(W.unboundedPreceding, W.unboundedFollowing)),
        F.nth_value("x", 1, True).over(_po(W).rowsBetween(-1, 1))),
    "first_last_default_frame": lambda s, F, W: sel(
        data(s), F.first("x").over(_po(W)), F.first("x", True).over(_po(W)), F.last("x").over(_po(W)),
        F.last("x", True).over(_po(W))),
    "first_last_rows": lambda s, F, W: sel(
        data(s), F.first("x", True).over(_po(W).rowsBetween(-1, 1)),
        F.last("x", True).over(_po(W).rowsBetween(-1, 1)), F.first("x").over(_po(W).rowsBetween(1, 2))),
    "aggregates_whole_partition": lambda s, F, W: sel(
        data(s), F.sum("n").over(W.partitionBy("g")), F.avg("x").over(W.partitionBy("g")),
        F.count("*").over(W.partitionBy("g")), F.count("x").over(W.partitionBy("g"))),
    "aggregates_default_frame_with_peers": lambda s, F, W: sel(
        data(s), F.sum("n").over(_p(W)), F.avg("x").over(_p(W)), F.min("x").over(_p(W)),
        F.max("x").over(_p(W)), F.count("x").over(_p(W))),
    "collect_list_and_set": lambda s, F, W: sel(
        data(s), F.collect_list("x").over(_po(W)), F.sort_array(F.collect_set("n").over(W.partitionBy("g")))),
    "rows_frames": lambda s, F, W: sel(
        data(s), F.sum("n").over(_po(W).rowsBetween(-1, 1)),
        F.sum("x").over(_po(W).rowsBetween(W.unboundedPreceding, W.currentRow)),
        F.max("x").over(_po(W).rowsBetween(0, W.unboundedFollowing)),
        F.count("*").over(_po(W).rowsBetween(-2, -1))),
    "rows_frames_first_last_collect": lambda s, F, W: sel(
        data(s), F.first("x").over(_po(W).rowsBetween(-1, 1)), F.last("x").over(_po(W).rowsBetween(-1, 1)),
        F.collect_list("x").over(_po(W).rowsBetween(-1, 1))),
    "rows_frames_float_and_stddev": lambda s, F, W: sel(
        data(s), F.sum("x").over(_po(W).rowsBetween(-1, 1)), F.avg("x").over(_po(W).rowsBetween(-2, 0)),
        F.stddev("x").over(_po(W).rowsBetween(W.unboundedPreceding, W.unboundedFollowing))),
    "rows_frames_suffix": lambda s, F, W: sel(
        data(s), F.sum("n").over(_po(W).rowsBetween(0, W.unboundedFollowing)),
        F.min("x").over(_po(W).rowsBetween(1, W.unboundedFollowing)),
        F.collect_list("id").over(_p(W).rangeBetween(W.currentRow, W.unboundedFollowing))),
    "rows_frames_prefix_with_offset": lambda s, F, W: sel(
        data(s), F.sum("n").over(_po(W).rowsBetween(W.unboundedPreceding, -1)),
        F.max("x").over(_po(W).rowsBetween(W.unboundedPreceding, 1)),
        F.last("x").over(_po(W).rowsBetween(W.unboundedPreceding, -1))),
    "rows_frame_without_order": lambda s, F, W: sel(
        data(s), F.sum("n").over(W.partitionBy("g").rowsBetween(W.unboundedPreceding, W.unboundedFollowing))),
    "range_frames": lambda s, F, W: sel(
        data(s), F.sum("x").over(_p(W).rangeBetween(-1, 1)),
        F.count("*").over(_p(W).rangeBetween(W.currentRow, W.unboundedFollowing)),
        F.collect_list("id").over(W.partitionBy("g").orderBy(F.desc("n")).rangeBetween(-1, 0))),
    "range_frames_float_key_descending": lambda s, F, W: sel(
        data(s), F.sum("id").over(W.orderBy(F.desc("x")).rangeBetween(-1, 1)),
        F.count("*").over(W.orderBy("x").rangeBetween(0, 1))),
    "collect_set_rows_frame": lambda s, F, W: sel(
        data(s), F.sort_array(F.collect_set("n").over(W.orderBy("id").rowsBetween(-2, 0)))),
    "no_partition_and_empty_partition_by": lambda s, F, W: sel(
        data(s), F.sum("n").over(W.orderBy("id")), F.sum("n").over(W.partitionBy()),
        F.row_number().over(W.orderBy(F.desc("n"), "id"))),
    "null_ordering": lambda s, F, W: sel(
        data(s), F.rank().over(W.partitionBy("g").orderBy(F.desc("n"))),
        F.rank().over(W.orderBy(F.asc_nulls_last("n"))),
        F.row_number().over(W.orderBy(F.desc_nulls_first("n"), "id"))),
    "expression_keys": lambda s, F, W: sel(
        data(s), F.dense_rank().over(W.orderBy(F.col("n") * -1)),
        F.percent_rank().over(W.orderBy(F.asc_nulls_last("x"))),
        F.row_number().over(W.partitionBy(F.col("id") % 3).orderBy("id"))),
    "window_inside_expressions": lambda s, F, W: sel(
        data(s), (F.col("n") - F.lag("n").over(_po(W))).alias("d"), F.row_number().over(_po(W)) * 10),
    "decimal_aggregates": lambda s, F, W: sel(
        decimals(s), F.sum("d").over(W.partitionBy("g").orderBy("id")),
        F.avg("d").over(W.partitionBy("g").orderBy("id")),
        F.sum("d").over(W.partitionBy("g").orderBy("id").rowsBetween(-1, 0))),
    "timestamp_and_string_keys": lambda s, F, W: sel(
        times(s), F.rank().over(W.orderBy("ts")), F.lag("ts").over(W.partitionBy("k").orderBy("ts")).cast("string"),
        F.count("*").over(W.orderBy("ts"))),
    "string_key_peers": lambda s, F, W: sel(
        data(s), F.collect_list("id").over(W.orderBy(F.desc("g"), "id").rowsBetween(W.unboundedPreceding, 0)),
        F.cume_dist().over(W.orderBy("g"))),
    "with_column": lambda s, F, W: out(
        data(s).withColumn("rn", F.row_number().over(W.orderBy(F.desc_nulls_first("n"), "id"))).orderBy("id")),
    "after_group_by": lambda s, F, W: out(
        data(s).groupBy("g").agg(F.sum("n").alias("s"))
        .select("g", "s", F.rank().over(W.orderBy(F.desc("s"))).alias("r")).orderBy("r", "g")),
    "group_by_agg_with_windows_over_aggregates": lambda s, F, W: out(
        data(s).groupBy("g").agg(F.sum("n"), F.rank().over(W.orderBy(F.desc(F.sum("n")), "g")).alias("r"), F.max("x"),
                                 F.sum(F.count("*")).over(W.partitionBy()).alias("tot"),
                                 F.lag(F.max("x")).over(W.orderBy("g"))).orderBy("r")),
    "empty_input": lambda s, F, W: sel(
        data(s).filter("id > 100"), F.row_number().over(W.orderBy("id")), F.sum("n").over(W.partitionBy("g"))),
    "select_expr": lambda s, F, W: out(
        data(s).selectExpr("id", "row_number() over (order by id desc) as rn",
                           "sum(n) over (partition by g) as s").orderBy("id")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_window(spark, engine, name):
    F, W = engine.module("sql.functions"), engine.module("sql.window").Window
    assert CASES[name](spark, F, W) == EXPECTED[name]


SQL = {
    "row_number": "select id, row_number() over (partition by g order by n, id) as rn from t order by id",
    "rows_preceding": "select id, sum(n) over (partition by g order by n rows between 1 preceding and current row) "
                      "from t order by id",
    "range_preceding_following": "select id, sum(x) over (order by n range between 1 preceding and 1 following) "
                                 "from t order by id",
    "lag_lead_count": "select id, lag(n, 1, 0) over (order by id), lead(n) over (partition by g order by id), "
                      "count(*) over () from t order by id",
    "rank_desc_nulls_last": "select id, rank() over (partition by g order by n desc nulls last) r from t order by id",
    "first_value_last_value": "select id, first_value(x) over (partition by g order by id), "
                              "last_value(x, true) over (partition by g order by id) from t order by id",
    "ranks_unaliased": "select id, dense_rank() over (order by n), percent_rank() over (order by n), "
                       "cume_dist() over (order by g), ntile(3) over (order by id) from t order by id",
    "window_in_expression": "select id, n - lag(n) over (partition by g order by id) as d, "
                            "avg(x) over (partition by g) * 2 from t order by id",
    "rank_of_group_totals": "select g, sum(n) as s, rank() over (order by sum(n) desc) as r from t group by g "
                            "order by r, g",
    "window_over_an_aggregate": "select g, count(*), sum(count(*)) over () as total from t group by g order by g",
    "unaliased_window_in_group_by": "select g, max(x), row_number() over (order by g) from t group by g order by g",
}


@pytest.mark.parametrize("name", list(SQL))
def test_window_sql(spark, name):
    data(spark).createOrReplaceTempView("t")
    assert out(spark.sql(SQL[name])) == EXPECTED[f"sql.{name}"]


def test_window_constants(engine):
    W = engine.module("sql.window").Window
    assert (W.unboundedPreceding, W.unboundedFollowing, W.currentRow) == (
        -9223372036854775808, 9223372036854775807, 0)
    assert engine.module("sql").Window is W
    assert isinstance(W.partitionBy("g").orderBy("n"), engine.module("sql").WindowSpec)


def test_window_spec_is_immutable_and_reusable(spark, engine):
    F, W = engine.module("sql.functions"), engine.module("sql.window").Window
    base = W.partitionBy("g")
    ordered = base.orderBy("id")
    df = data(spark)
    rows = df.select("id", F.count("*").over(base).alias("c"), F.row_number().over(ordered).alias("r"),
                     F.sum("n").over(ordered.rowsBetween(-1, 0)).alias("s")).orderBy("id").collect()
    assert [tuple(r) for r in rows] == [
        (1, 5, 1, 1), (2, 5, 2, 3), (3, 5, 3, 4), (4, 5, 4, 5), (5, 3, 1, 5), (6, 3, 2, 5),
        (7, 3, 3, 7), (8, 2, 1, 4), (9, 2, 2, 8), (10, 5, 5, 3)]


def message(exc: BaseException) -> str:
    """The message up to and including ``SQLSTATE: xxxxx`` (or its first line when it has none)."""
    text = str(exc).strip()
    found = re.match(r"(.*?SQLSTATE: [0-9A-Z]{5})", text, re.DOTALL)
    return found.group(1) if found else text.split("\n")[0]


ERRORS = {
    "ranking_without_order": (
        lambda df, F, W: df.select(F.row_number().over(W.partitionBy("g"))),
        "WINDOW_FUNCTION_FRAME_NOT_ORDERED",
        "[WINDOW_FUNCTION_FRAME_NOT_ORDERED] Window function row_number requires the window to be ordered. "
        "You need to add an ORDER BY clause. For example: SELECT row_number() OVER (PARTITION BY "
        "window_partition ORDER BY window_ordering) FROM table. SQLSTATE: 42601"),
    "rank_without_order": (
        lambda df, F, W: df.select(F.rank().over(W.partitionBy("g"))),
        "WINDOW_FUNCTION_FRAME_NOT_ORDERED",
        "[WINDOW_FUNCTION_FRAME_NOT_ORDERED] Window function rank requires the window to be ordered. "
        "You need to add an ORDER BY clause. For example: SELECT RANK() OVER (PARTITION BY "
        "window_partition ORDER BY window_ordering) FROM table. SQLSTATE: 42601"),
    "lag_without_order": (
        lambda df, F, W: df.select(F.lag("n").over(W.partitionBy("g"))),
        "WINDOW_FUNCTION_FRAME_NOT_ORDERED",
        "[WINDOW_FUNCTION_FRAME_NOT_ORDERED] Window function lag requires the window to be ordered. "
        "You need to add an ORDER BY clause. For example: SELECT lag(n, 1, NULL) OVER (PARTITION BY "
        "window_partition ORDER BY window_ordering) FROM table. SQLSTATE: 42601"),
    "row_number_with_other_frame": (
        lambda df, F, W: df.select(F.row_number().over(W.partitionBy("g").orderBy("n").rowsBetween(-1, 1))),
        "_LEGACY_ERROR_TEMP_1036",
        "Window Frame specifiedwindowframe(RowFrame, -1, 1) must match the required frame "
        "specifiedwindowframe(RowFrame, unboundedpreceding$(), currentrow$())."),
    "lag_with_frame": (
        lambda df, F, W: df.select(F.lag("n").over(W.orderBy("n").rowsBetween(-1, 1))),
        "_LEGACY_ERROR_TEMP_1035",
        "Cannot specify window frame for lag function."),
    "range_offsets_on_a_string_key": (
        lambda df, F, W: df.select(F.sum("n").over(W.orderBy("g").rangeBetween(-1, 1))),
        "DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE",
        '[DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE] Cannot resolve "RANGE BETWEEN -1 '
        'FOLLOWING AND 1 FOLLOWING" due to data type mismatch: The data type of the lower bound "STRING" '
        'does not match the expected data type ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO '
        'MONTH" or "INTERVAL"). SQLSTATE: 42K09'),
    "range_offsets_without_order": (
        lambda df, F, W: df.select(F.sum("n").over(W.partitionBy("g").rangeBetween(-1, 1))),
        "DATATYPE_MISMATCH.RANGE_FRAME_WITHOUT_ORDER",
        '[DATATYPE_MISMATCH.RANGE_FRAME_WITHOUT_ORDER] Cannot resolve "(PARTITION BY g RANGE BETWEEN -1 '
        'FOLLOWING AND 1 FOLLOWING)" due to data type mismatch: A range window frame cannot be used in an '
        "unordered window specification. SQLSTATE: 42K09"),
    "range_offsets_with_two_keys": (
        lambda df, F, W: df.select(F.sum("n").over(W.orderBy("n", "id").rangeBetween(-1, 1))),
        "DATATYPE_MISMATCH.RANGE_FRAME_MULTI_ORDER",
        None),  # the message names attribute ids (n#2), which are engine-specific
    "frame_bounds_reversed": (
        lambda df, F, W: df.select(F.sum("n").over(W.orderBy("n").rowsBetween(1, -1))),
        "DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_WRONG_COMPARISON",
        '[DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_WRONG_COMPARISON] Cannot resolve "ROWS BETWEEN 1 '
        'FOLLOWING AND -1 FOLLOWING" due to data type mismatch: The lower bound of a window frame must be '
        "less than or equal to the upper bound. SQLSTATE: 42K09"),
    "ntile_zero": (
        lambda df, F, W: df.select(F.ntile(0).over(W.orderBy("n"))),
        "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE",
        '[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "ntile(0)" due to data type mismatch: The '
        "buckets must be between (0, 2147483647] (current value = 0). SQLSTATE: 42K09"),
    "ranking_function_without_over": (
        lambda df, F, W: df.select(F.row_number()),
        "WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE",
        '[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function "row_number()" requires an OVER clause. '
        "SQLSTATE: 42601"),
    "lag_without_over": (
        lambda df, F, W: df.select(F.lag("n")),
        "WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE",
        '[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function "lag(n, 1, NULL)" requires an OVER clause. '
        "SQLSTATE: 42601"),
    "window_in_where": (
        lambda df, F, W: df.filter(F.row_number().over(W.orderBy("id")) > 1).collect(),
        "WINDOW_FUNCTION_NOT_ALLOWED_IN_CLAUSE",
        "[WINDOW_FUNCTION_NOT_ALLOWED_IN_CLAUSE] It is not allowed to use window functions inside WHERE "
        "clause. SQLSTATE: 42601"),
    "aggregate_and_window_without_group_by": (
        lambda df, F, W: df.select(F.sum("n"), F.sum("n").over(W.orderBy("id"))),
        "MISSING_GROUP_BY",
        "[MISSING_GROUP_BY] The query does not include a GROUP BY clause. Add GROUP BY or turn it into the "
        "window functions using OVER clauses. SQLSTATE: 42803"),
    "sql_ranking_without_order": (
        lambda df, F, W: df.sparkSession.sql("select row_number() over (partition by g) from t"),
        "WINDOW_FUNCTION_FRAME_NOT_ORDERED",
        "[WINDOW_FUNCTION_FRAME_NOT_ORDERED] Window function row_number requires the window to be ordered. "
        "You need to add an ORDER BY clause. For example: SELECT row_number() OVER (PARTITION BY "
        "window_partition ORDER BY window_ordering) FROM table. SQLSTATE: 42601"),
    "sql_window_of_an_ungrouped_column": (
        lambda df, F, W: df.sparkSession.sql("select g, sum(n) over (partition by g) from t group by g"),
        "MISSING_AGGREGATION",
        '[MISSING_AGGREGATION] The non-aggregating expression "n" is based on columns which are not '
        "participating in the GROUP BY clause.\nAdd the columns or the expression to the GROUP BY, aggregate "
        'the expression, or use "any_value(n)" if you do not care which of the values within a group is '
        "returned. SQLSTATE: 42803"),
    "distinct_window_function": (
        lambda df, F, W: df.select(F.countDistinct("n").over(W.partitionBy("g"))),
        "DISTINCT_WINDOW_FUNCTION_UNSUPPORTED",
        '[DISTINCT_WINDOW_FUNCTION_UNSUPPORTED] Distinct window functions are not supported: "count(DISTINCT '
        'n) OVER (PARTITION BY g ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)". SQLSTATE: 0A000'),
    "scalar_function_over_a_window": (
        lambda df, F, W: df.select(F.upper("g").over(W.orderBy("n"))),
        "UNSUPPORTED_EXPR_FOR_WINDOW",
        '[UNSUPPORTED_EXPR_FOR_WINDOW] Expression "upper(g)" not supported within a window function. '
        "SQLSTATE: 42P20"),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_window_errors(spark, engine, name):
    F, W = engine.module("sql.functions"), engine.module("sql.window").Window
    AnalysisException = engine.module("errors").AnalysisException
    build, condition, text = ERRORS[name]
    df = data(spark)
    df.createOrReplaceTempView("t")
    with pytest.raises(AnalysisException) as info:
        build(df, F, W)
    assert info.value.getCondition() == condition
    if text is not None:
        assert message(info.value) == text


# Captured from PySpark 4.3.0 (tests/conformance/test_sql_window_over.py cases, UTC session).
EXPECTED: dict = {'row_number': ['struct<id:int,row_number() OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS '
                'FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):int>',
                [(1, 2), (2, 3), (3, 4), (4, 5), (5, 2), (6, 1), (7, 3), (8, 1), (9, 2), (10, 1)]],
 'rank_dense_percent_cume': ['struct<id:int,RANK() OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST ROWS '
                             'BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):int,DENSE_RANK() OVER (PARTITION '
                             'BY g ORDER BY n ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT '
                             'ROW):int,PERCENT_RANK() OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST ROWS '
                             'BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):double,cume_dist() OVER '
                             '(PARTITION BY g ORDER BY n ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING '
                             'AND CURRENT ROW):double>',
                             [(1, 2, 2, 0.25, 0.4),
                              (2, 3, 3, 0.5, 0.8),
                              (3, 3, 3, 0.5, 0.8),
                              (4, 5, 4, 1.0, 1.0),
                              (5, 2, 2, 0.5, 0.6666666666666666),
                              (6, 1, 1, 0.0, 0.3333333333333333),
                              (7, 3, 3, 1.0, 1.0),
                              (8, 1, 1, 0.0, 1.0),
                              (9, 1, 1, 0.0, 1.0),
                              (10, 1, 1, 0.0, 0.2)]],
 'ntile': ['struct<id:int,ntile(2) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST ROWS '
           'BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):int,ntile(3) OVER (PARTITION BY g ORDER BY n ASC '
           'NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):int,ntile(5) '
           'OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED '
           'PRECEDING AND CURRENT ROW):int>',
           [(1, 1, 1, 2),
            (2, 1, 2, 3),
            (3, 2, 2, 4),
            (4, 2, 3, 5),
            (5, 1, 2, 2),
            (6, 1, 1, 1),
            (7, 2, 3, 3),
            (8, 1, 1, 1),
            (9, 2, 2, 2),
            (10, 1, 1, 1)]],
 'ntile_more_buckets_than_rows': ['struct<id:int,ntile(4) OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN '
                                  'UNBOUNDED PRECEDING AND CURRENT ROW):int,ntile(20) OVER (ORDER BY id ASC '
                                  'NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):int>',
                                  [(1, 1, 1),
                                   (2, 1, 2),
                                   (3, 1, 3),
                                   (4, 2, 4),
                                   (5, 2, 5),
                                   (6, 2, 6),
                                   (7, 3, 7),
                                   (8, 3, 8),
                                   (9, 4, 9),
                                   (10, 4, 10)]],
 'lag_lead': ['struct<id:int,lag(n, 1, NULL) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS '
              'FIRST ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING):int,lag(n, 2, 0) OVER (PARTITION BY g ORDER '
              'BY n ASC NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN -2 FOLLOWING AND -2 '
              'FOLLOWING):int,lead(n, 1, -1) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS '
              'FIRST ROWS BETWEEN 1 FOLLOWING AND 1 FOLLOWING):int,lead(x, 1, NULL) OVER (PARTITION BY g '
              'ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN 1 FOLLOWING AND 1 '
              'FOLLOWING):double,lag(x, -1, NULL) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC '
              'NULLS FIRST ROWS BETWEEN 1 FOLLOWING AND 1 FOLLOWING):double>',
              [(1, None, 0, 2, 2.0, 2.0),
               (2, 1, None, 2, None, None),
               (3, 2, 1, 3, 4.0, 4.0),
               (4, 2, 2, -1, None, None),
               (5, None, 0, 7, None, None),
               (6, None, 0, 5, 1.5, 1.5),
               (7, 5, None, -1, None, None),
               (8, None, 0, 4, 1.0, 1.0),
               (9, 4, 0, -1, None, None),
               (10, None, 0, 1, 1.0, 1.0)]],
 'lag_zero_and_string_default': ['struct<id:int,lag(n, 0, NULL) OVER (PARTITION BY g ORDER BY n ASC NULLS '
                                 'FIRST, id ASC NULLS FIRST ROWS BETWEEN 0 FOLLOWING AND 0 '
                                 'FOLLOWING):int,lead(g, 2, zz) OVER (ORDER BY id ASC NULLS FIRST ROWS '
                                 'BETWEEN 2 FOLLOWING AND 2 FOLLOWING):string>',
                                 [(1, 1, 'a'),
                                  (2, 2, 'a'),
                                  (3, 2, 'b'),
                                  (4, 3, 'b'),
                                  (5, 5, 'b'),
                                  (6, None, None),
                                  (7, 7, None),
                                  (8, 4, 'a'),
                                  (9, 4, 'zz'),
                                  (10, None, 'zz')]],
 'nth_value': ['struct<id:int,nth_value(x, 2) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS '
               'FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):double,nth_value(x, 2) ignore nulls '
               'OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST RANGE BETWEEN UNBOUNDED '
               'PRECEDING AND CURRENT ROW):double>',
               [(1, 1.0, 1.0),
                (2, 1.0, 1.0),
                (3, 1.0, 1.0),
                (4, 1.0, 1.0),
                (5, 1.5, 1.5),
                (6, None, None),
                (7, 1.5, 1.5),
                (8, None, None),
                (9, 1.0, 1.0),
                (10, None, None)]],
 'nth_value_rows': ['struct<id:int,nth_value(x, 2) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC '
                    'NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED '
                    'FOLLOWING):double,nth_value(x, 1) ignore nulls OVER (PARTITION BY g ORDER BY n ASC '
                    'NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND 1 FOLLOWING):double>',
                    [(1, 1.0, 0.5),
                     (2, 1.0, 1.0),
                     (3, 1.0, 2.0),
                     (4, 1.0, 4.0),
                     (5, 1.5, 2.5),
                     (6, 1.5, 2.5),
                     (7, 1.5, 1.5),
                     (8, 1.0, 3.0),
                     (9, 1.0, 3.0),
                     (10, 1.0, 0.5)]],
 'first_last_default_frame': ['struct<id:int,first(x) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id '
                              'ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT '
                              'ROW):double,first(x) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC '
                              'NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):double,last(x) '
                              'OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST RANGE '
                              'BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):double,last(x) OVER (PARTITION '
                              'BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST RANGE BETWEEN UNBOUNDED '
                              'PRECEDING AND CURRENT ROW):double>',
                              [(1, 0.5, 0.5, 1.0, 1.0),
                               (2, 0.5, 0.5, 2.0, 2.0),
                               (3, 0.5, 0.5, None, 2.0),
                               (4, 0.5, 0.5, 4.0, 4.0),
                               (5, 2.5, 2.5, 1.5, 1.5),
                               (6, 2.5, 2.5, 2.5, 2.5),
                               (7, 2.5, 2.5, None, 1.5),
                               (8, 3.0, 3.0, 3.0, 3.0),
                               (9, 3.0, 3.0, 1.0, 1.0),
                               (10, 0.5, 0.5, 0.5, 0.5)]],
 'first_last_rows': ['struct<id:int,first(x) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS '
                     'FIRST ROWS BETWEEN -1 FOLLOWING AND 1 FOLLOWING):double,last(x) OVER (PARTITION BY g '
                     'ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND 1 '
                     'FOLLOWING):double,first(x) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC '
                     'NULLS FIRST ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING):double>',
                     [(1, 0.5, 2.0, 2.0),
                      (2, 1.0, 2.0, None),
                      (3, 2.0, 4.0, 4.0),
                      (4, 4.0, 4.0, None),
                      (5, 2.5, 1.5, None),
                      (6, 2.5, 1.5, 1.5),
                      (7, 1.5, 1.5, None),
                      (8, 3.0, 1.0, 1.0),
                      (9, 3.0, 1.0, None),
                      (10, 0.5, 1.0, 1.0)]],
 'aggregates_whole_partition': ['struct<id:int,sum(n) OVER (PARTITION BY g ROWS BETWEEN UNBOUNDED PRECEDING '
                                'AND UNBOUNDED FOLLOWING):bigint,avg(x) OVER (PARTITION BY g ROWS BETWEEN '
                                'UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING):double,count(1) OVER '
                                '(PARTITION BY g ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED '
                                'FOLLOWING):bigint,count(x) OVER (PARTITION BY g ROWS BETWEEN UNBOUNDED '
                                'PRECEDING AND UNBOUNDED FOLLOWING):bigint>',
                                [(1, 8, 1.875, 5, 4),
                                 (2, 8, 1.875, 5, 4),
                                 (3, 8, 1.875, 5, 4),
                                 (4, 8, 1.875, 5, 4),
                                 (5, 12, 2.0, 3, 2),
                                 (6, 12, 2.0, 3, 2),
                                 (7, 12, 2.0, 3, 2),
                                 (8, 8, 2.0, 2, 2),
                                 (9, 8, 2.0, 2, 2),
                                 (10, 8, 1.875, 5, 4)]],
 'aggregates_default_frame_with_peers': ['struct<id:int,sum(n) OVER (PARTITION BY g ORDER BY n ASC NULLS '
                                         'FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT '
                                         'ROW):bigint,avg(x) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST '
                                         'RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):double,min(x) '
                                         'OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST RANGE BETWEEN '
                                         'UNBOUNDED PRECEDING AND CURRENT ROW):double,max(x) OVER (PARTITION '
                                         'BY g ORDER BY n ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING '
                                         'AND CURRENT ROW):double,count(x) OVER (PARTITION BY g ORDER BY n '
                                         'ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT '
                                         'ROW):bigint>',
                                         [(1, 1, 0.75, 0.5, 1.0, 2),
                                          (2, 5, 1.1666666666666667, 0.5, 2.0, 3),
                                          (3, 5, 1.1666666666666667, 0.5, 2.0, 3),
                                          (4, 8, 1.875, 0.5, 4.0, 4),
                                          (5, 5, 2.0, 1.5, 2.5, 2),
                                          (6, None, 2.5, 2.5, 2.5, 1),
                                          (7, 12, 2.0, 1.5, 2.5, 2),
                                          (8, 8, 2.0, 1.0, 3.0, 2),
                                          (9, 8, 2.0, 1.0, 3.0, 2),
                                          (10, None, 0.5, 0.5, 0.5, 1)]],
 'collect_list_and_set': ['struct<id:int,collect_list(x) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id '
                          'ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT '
                          'ROW):array<double>,sort_array(collect_set(n) OVER (PARTITION BY g ROWS BETWEEN '
                          'UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), true):array<int>>',
                          [(1, [0.5, 1.0], [1, 2, 3]),
                           (2, [0.5, 1.0, 2.0], [1, 2, 3]),
                           (3, [0.5, 1.0, 2.0], [1, 2, 3]),
                           (4, [0.5, 1.0, 2.0, 4.0], [1, 2, 3]),
                           (5, [2.5, 1.5], [5, 7]),
                           (6, [2.5], [5, 7]),
                           (7, [2.5, 1.5], [5, 7]),
                           (8, [3.0], [4]),
                           (9, [3.0, 1.0], [4]),
                           (10, [0.5], [1, 2, 3])]],
 'rows_frames': ['struct<id:int,sum(n) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST '
                 'ROWS BETWEEN -1 FOLLOWING AND 1 FOLLOWING):bigint,sum(x) OVER (PARTITION BY g ORDER BY n '
                 'ASC NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT '
                 'ROW):double,max(x) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST '
                 'ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING):double,count(1) OVER (PARTITION BY g '
                 'ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN -2 FOLLOWING AND -1 '
                 'FOLLOWING):bigint>',
                 [(1, 3, 1.5, 4.0, 1),
                  (2, 5, 3.5, 4.0, 2),
                  (3, 7, 3.5, 4.0, 2),
                  (4, 5, 7.5, 4.0, 2),
                  (5, 12, 4.0, 1.5, 1),
                  (6, 5, 2.5, 2.5, 0),
                  (7, 12, 4.0, None, 2),
                  (8, 8, 3.0, 3.0, 0),
                  (9, 8, 4.0, 1.0, 1),
                  (10, 1, 0.5, 4.0, 0)]],
 'rows_frames_first_last_collect': ['struct<id:int,first(x) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, '
                                    'id ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND 1 '
                                    'FOLLOWING):double,last(x) OVER (PARTITION BY g ORDER BY n ASC NULLS '
                                    'FIRST, id ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND 1 '
                                    'FOLLOWING):double,collect_list(x) OVER (PARTITION BY g ORDER BY n ASC '
                                    'NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND 1 '
                                    'FOLLOWING):array<double>>',
                                    [(1, 0.5, 2.0, [0.5, 1.0, 2.0]),
                                     (2, 1.0, None, [1.0, 2.0]),
                                     (3, 2.0, 4.0, [2.0, 4.0]),
                                     (4, None, 4.0, [4.0]),
                                     (5, 2.5, None, [2.5, 1.5]),
                                     (6, 2.5, 1.5, [2.5, 1.5]),
                                     (7, 1.5, None, [1.5]),
                                     (8, 3.0, 1.0, [3.0, 1.0]),
                                     (9, 3.0, 1.0, [3.0, 1.0]),
                                     (10, 0.5, 1.0, [0.5, 1.0])]],
 'rows_frames_float_and_stddev': ['struct<id:int,sum(x) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id '
                                  'ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND 1 FOLLOWING):double,avg(x) '
                                  'OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST ROWS '
                                  'BETWEEN -2 FOLLOWING AND CURRENT ROW):double,stddev(x) OVER (PARTITION BY '
                                  'g ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED '
                                  'PRECEDING AND UNBOUNDED FOLLOWING):double>',
                                  [(1, 3.5, 0.75, 1.547847968417226),
                                   (2, 3.0, 1.1666666666666667, 1.547847968417226),
                                   (3, 6.0, 1.5, 1.547847968417226),
                                   (4, 4.0, 3.0, 1.547847968417226),
                                   (5, 4.0, 2.0, 0.7071067811865476),
                                   (6, 4.0, 2.5, 0.7071067811865476),
                                   (7, 1.5, 2.0, 0.7071067811865476),
                                   (8, 4.0, 3.0, 1.4142135623730951),
                                   (9, 4.0, 2.0, 1.4142135623730951),
                                   (10, 1.5, 0.5, 1.547847968417226)]],
 'rows_frames_suffix': ['struct<id:int,sum(n) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS '
                        'FIRST ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING):bigint,min(x) OVER '
                        '(PARTITION BY g ORDER BY n ASC NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN 1 '
                        'FOLLOWING AND UNBOUNDED FOLLOWING):double,collect_list(id) OVER (PARTITION BY g '
                        'ORDER BY n ASC NULLS FIRST RANGE BETWEEN CURRENT ROW AND UNBOUNDED '
                        'FOLLOWING):array<int>>',
                        [(1, 8, 2.0, [1, 2, 3, 4]),
                         (2, 7, 4.0, [2, 3, 4]),
                         (3, 5, 4.0, [2, 3, 4]),
                         (4, 3, None, [4]),
                         (5, 12, None, [5, 7]),
                         (6, 12, 1.5, [6, 5, 7]),
                         (7, 7, None, [7]),
                         (8, 8, 1.0, [8, 9]),
                         (9, 4, None, [8, 9]),
                         (10, 8, 1.0, [10, 1, 2, 3, 4])]],
 'rows_frames_prefix_with_offset': ['struct<id:int,sum(n) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST, '
                                    'id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND -1 '
                                    'FOLLOWING):bigint,max(x) OVER (PARTITION BY g ORDER BY n ASC NULLS '
                                    'FIRST, id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND 1 '
                                    'FOLLOWING):double,last(x) OVER (PARTITION BY g ORDER BY n ASC NULLS '
                                    'FIRST, id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND -1 '
                                    'FOLLOWING):double>',
                                    [(1, None, 2.0, 0.5),
                                     (2, 1, 2.0, 1.0),
                                     (3, 3, 4.0, 2.0),
                                     (4, 5, 4.0, None),
                                     (5, None, 2.5, 2.5),
                                     (6, None, 2.5, None),
                                     (7, 5, 2.5, 1.5),
                                     (8, None, 3.0, None),
                                     (9, 4, 3.0, 3.0),
                                     (10, None, 1.0, None)]],
 'rows_frame_without_order': ['struct<id:int,sum(n) OVER (PARTITION BY g ROWS BETWEEN UNBOUNDED PRECEDING '
                              'AND UNBOUNDED FOLLOWING):bigint>',
                              [(1, 8),
                               (2, 8),
                               (3, 8),
                               (4, 8),
                               (5, 12),
                               (6, 12),
                               (7, 12),
                               (8, 8),
                               (9, 8),
                               (10, 8)]],
 'range_frames': ['struct<id:int,sum(x) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST RANGE BETWEEN -1 '
                  'FOLLOWING AND 1 FOLLOWING):double,count(1) OVER (PARTITION BY g ORDER BY n ASC NULLS '
                  'FIRST RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING):bigint,collect_list(id) OVER '
                  '(PARTITION BY g ORDER BY n DESC NULLS LAST RANGE BETWEEN -1 FOLLOWING AND CURRENT '
                  'ROW):array<int>>',
                  [(1, 3.0, 4, [2, 3, 1]),
                   (2, 7.0, 3, [4, 2, 3]),
                   (3, 7.0, 3, [4, 2, 3]),
                   (4, 6.0, 1, [4]),
                   (5, 1.5, 2, [5]),
                   (6, 2.5, 3, [6]),
                   (7, None, 1, [7]),
                   (8, 4.0, 2, [8, 9]),
                   (9, 4.0, 2, [8, 9]),
                   (10, 0.5, 5, [10])]],
 'range_frames_float_key_descending': ['struct<id:int,sum(id) OVER (ORDER BY x DESC NULLS LAST RANGE BETWEEN '
                                       '-1 FOLLOWING AND 1 FOLLOWING):bigint,count(1) OVER (ORDER BY x ASC '
                                       'NULLS FIRST RANGE BETWEEN CURRENT ROW AND 1 FOLLOWING):bigint>',
                                       [(1, 27, 4),
                                        (2, 31, 3),
                                        (3, 10, 2),
                                        (4, 12, 1),
                                        (5, 33, 3),
                                        (6, 21, 2),
                                        (7, 10, 2),
                                        (8, 20, 2),
                                        (9, 27, 4),
                                        (10, 25, 4)]],
 'collect_set_rows_frame': ['struct<id:int,sort_array(collect_set(n) OVER (ORDER BY id ASC NULLS FIRST ROWS '
                            'BETWEEN -2 FOLLOWING AND CURRENT ROW), true):array<int>>',
                            [(1, [1]),
                             (2, [1, 2]),
                             (3, [1, 2]),
                             (4, [2, 3]),
                             (5, [2, 3, 5]),
                             (6, [3, 5]),
                             (7, [5, 7]),
                             (8, [4, 7]),
                             (9, [4, 7]),
                             (10, [4])]],
 'no_partition_and_empty_partition_by': ['struct<id:int,sum(n) OVER (ORDER BY id ASC NULLS FIRST RANGE '
                                         'BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):bigint,sum(n) OVER '
                                         '(ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED '
                                         'FOLLOWING):bigint,row_number() OVER (ORDER BY n DESC NULLS LAST, '
                                         'id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT '
                                         'ROW):int>',
                                         [(1, 1, 28, 8),
                                          (2, 3, 28, 6),
                                          (3, 5, 28, 7),
                                          (4, 8, 28, 5),
                                          (5, 13, 28, 2),
                                          (6, 13, 28, 9),
                                          (7, 20, 28, 1),
                                          (8, 24, 28, 3),
                                          (9, 28, 28, 4),
                                          (10, 28, 28, 10)]],
 'null_ordering': ['struct<id:int,RANK() OVER (PARTITION BY g ORDER BY n DESC NULLS LAST ROWS BETWEEN '
                   'UNBOUNDED PRECEDING AND CURRENT ROW):int,RANK() OVER (ORDER BY n ASC NULLS LAST ROWS '
                   'BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):int,row_number() OVER (ORDER BY n DESC '
                   'NULLS FIRST, id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):int>',
                   [(1, 4, 1, 10),
                    (2, 2, 2, 8),
                    (3, 2, 2, 9),
                    (4, 1, 4, 7),
                    (5, 2, 7, 4),
                    (6, 3, 9, 1),
                    (7, 1, 8, 3),
                    (8, 1, 5, 5),
                    (9, 1, 5, 6),
                    (10, 5, 9, 2)]],
 'expression_keys': ['struct<id:int,DENSE_RANK() OVER (ORDER BY (n * -1) ASC NULLS FIRST ROWS BETWEEN '
                     'UNBOUNDED PRECEDING AND CURRENT ROW):int,PERCENT_RANK() OVER (ORDER BY x ASC NULLS '
                     'LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):double,row_number() OVER '
                     '(PARTITION BY (id % 3) ORDER BY id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING '
                     'AND CURRENT ROW):int>',
                     [(1, 7, 0.1111111111111111, 1),
                      (2, 6, 0.4444444444444444, 1),
                      (3, 6, 0.8888888888888888, 1),
                      (4, 5, 0.7777777777777778, 2),
                      (5, 3, 0.3333333333333333, 2),
                      (6, 1, 0.5555555555555556, 2),
                      (7, 2, 0.8888888888888888, 3),
                      (8, 4, 0.6666666666666666, 3),
                      (9, 4, 0.1111111111111111, 3),
                      (10, 1, 0.0, 4)]],
 'window_inside_expressions': ['struct<id:int,d:int,(row_number() OVER (PARTITION BY g ORDER BY n ASC NULLS '
                               'FIRST, id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) '
                               '* 10):int>',
                               [(1, None, 20),
                                (2, 1, 30),
                                (3, 0, 40),
                                (4, 1, 50),
                                (5, None, 20),
                                (6, None, 10),
                                (7, 2, 30),
                                (8, None, 10),
                                (9, 0, 20),
                                (10, None, 10)]],
 'decimal_aggregates': ['struct<id:int,sum(d) OVER (PARTITION BY g ORDER BY id ASC NULLS FIRST RANGE BETWEEN '
                        'UNBOUNDED PRECEDING AND CURRENT ROW):decimal(15,2),avg(d) OVER (PARTITION BY g '
                        'ORDER BY id ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT '
                        'ROW):decimal(9,6),sum(d) OVER (PARTITION BY g ORDER BY id ASC NULLS FIRST ROWS '
                        'BETWEEN -1 FOLLOWING AND CURRENT ROW):decimal(15,2)>',
                        [(1, decimal.Decimal('1.25'), decimal.Decimal('1.250000'), decimal.Decimal('1.25')),
                         (2, decimal.Decimal('3.75'), decimal.Decimal('1.875000'), decimal.Decimal('3.75')),
                         (3, decimal.Decimal('3.75'), decimal.Decimal('1.875000'), decimal.Decimal('2.50')),
                         (4, decimal.Decimal('0.10'), decimal.Decimal('0.100000'), decimal.Decimal('0.10'))]],
 'timestamp_and_string_keys': ['struct<id:int,RANK() OVER (ORDER BY ts ASC NULLS FIRST ROWS BETWEEN '
                               'UNBOUNDED PRECEDING AND CURRENT ROW):int,CAST(lag(ts, 1, NULL) OVER '
                               '(PARTITION BY k ORDER BY ts ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND -1 '
                               'FOLLOWING) AS STRING):string,count(1) OVER (ORDER BY ts ASC NULLS FIRST '
                               'RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):bigint>',
                               [(1, 2, None, 2),
                                (2, 3, '2024-01-01 10:00:00', 4),
                                (3, 3, None, 4),
                                (4, 1, None, 1)]],
 'string_key_peers': ['struct<id:int,collect_list(id) OVER (ORDER BY g DESC NULLS LAST, id ASC NULLS FIRST '
                      'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):array<int>,cume_dist() OVER (ORDER '
                      'BY g ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):double>',
                      [(1, [5, 6, 7, 1], 0.7),
                       (2, [5, 6, 7, 1, 2], 0.7),
                       (3, [5, 6, 7, 1, 2, 3], 0.7),
                       (4, [5, 6, 7, 1, 2, 3, 4], 0.7),
                       (5, [5], 1.0),
                       (6, [5, 6], 1.0),
                       (7, [5, 6, 7], 1.0),
                       (8, [5, 6, 7, 1, 2, 3, 4, 10, 8], 0.2),
                       (9, [5, 6, 7, 1, 2, 3, 4, 10, 8, 9], 0.2),
                       (10, [5, 6, 7, 1, 2, 3, 4, 10], 0.7)]],
 'with_column': ['struct<id:int,g:string,n:int,x:double,rn:int>',
                 [(1, 'a', 1, 1.0, 10),
                  (2, 'a', 2, 2.0, 8),
                  (3, 'a', 2, None, 9),
                  (4, 'a', 3, 4.0, 7),
                  (5, 'b', 5, 1.5, 4),
                  (6, 'b', None, 2.5, 1),
                  (7, 'b', 7, None, 3),
                  (8, None, 4, 3.0, 5),
                  (9, None, 4, 1.0, 6),
                  (10, 'a', None, 0.5, 2)]],
 'after_group_by': ['struct<g:string,s:bigint,r:int>', [('b', 12, 1), (None, 8, 2), ('a', 8, 2)]],
 'empty_input': ['struct<id:int,row_number() OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED '
                 'PRECEDING AND CURRENT ROW):int,sum(n) OVER (PARTITION BY g ROWS BETWEEN UNBOUNDED '
                 'PRECEDING AND UNBOUNDED FOLLOWING):bigint>',
                 []],
 'select_expr': ['struct<id:int,rn:int,s:bigint>',
                 [(1, 10, 8),
                  (2, 9, 8),
                  (3, 8, 8),
                  (4, 7, 8),
                  (5, 6, 12),
                  (6, 5, 12),
                  (7, 4, 12),
                  (8, 3, 8),
                  (9, 2, 8),
                  (10, 1, 8)]],
 'sql.row_number': ['struct<id:int,rn:int>',
                    [(1, 2), (2, 3), (3, 4), (4, 5), (5, 2), (6, 1), (7, 3), (8, 1), (9, 2), (10, 1)]],
 'sql.rows_preceding': ['struct<id:int,sum(n) OVER (PARTITION BY g ORDER BY n ASC NULLS FIRST ROWS BETWEEN 1 '
                        'PRECEDING AND CURRENT ROW):bigint>',
                        [(1, 1),
                         (2, 3),
                         (3, 4),
                         (4, 5),
                         (5, 5),
                         (6, None),
                         (7, 12),
                         (8, 4),
                         (9, 8),
                         (10, None)]],
 'sql.range_preceding_following': ['struct<id:int,sum(x) OVER (ORDER BY n ASC NULLS FIRST RANGE BETWEEN 1 '
                                   'PRECEDING AND 1 FOLLOWING):double>',
                                   [(1, 3.0),
                                    (2, 7.0),
                                    (3, 7.0),
                                    (4, 10.0),
                                    (5, 5.5),
                                    (6, 3.0),
                                    (7, None),
                                    (8, 9.5),
                                    (9, 9.5),
                                    (10, 3.0)]],
 'sql.lag_lead_count': ['struct<id:int,lag(n, 1, 0) OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN -1 '
                        'FOLLOWING AND -1 FOLLOWING):int,lead(n, 1, NULL) OVER (PARTITION BY g ORDER BY id '
                        'ASC NULLS FIRST ROWS BETWEEN 1 FOLLOWING AND 1 FOLLOWING):int,count(1) OVER (ROWS '
                        'BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING):bigint>',
                        [(1, 0, 2, 10),
                         (2, 1, 2, 10),
                         (3, 2, 3, 10),
                         (4, 2, None, 10),
                         (5, 3, None, 10),
                         (6, 5, 7, 10),
                         (7, None, None, 10),
                         (8, 7, 4, 10),
                         (9, 4, None, 10),
                         (10, 4, None, 10)]],
 'sql.rank_desc_nulls_last': ['struct<id:int,r:int>',
                              [(1, 4),
                               (2, 2),
                               (3, 2),
                               (4, 1),
                               (5, 2),
                               (6, 3),
                               (7, 1),
                               (8, 1),
                               (9, 1),
                               (10, 5)]],
 'sql.first_value_last_value': ['struct<id:int,first_value(x) OVER (PARTITION BY g ORDER BY id ASC NULLS '
                                'FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT '
                                'ROW):double,last_value(x) OVER (PARTITION BY g ORDER BY id ASC NULLS FIRST '
                                'RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):double>',
                                [(1, 1.0, 1.0),
                                 (2, 1.0, 2.0),
                                 (3, 1.0, 2.0),
                                 (4, 1.0, 4.0),
                                 (5, 1.5, 1.5),
                                 (6, 1.5, 2.5),
                                 (7, 1.5, 2.5),
                                 (8, 3.0, 3.0),
                                 (9, 3.0, 1.0),
                                 (10, 1.0, 0.5)]],
 'sql.ranks_unaliased': ['struct<id:int,DENSE_RANK() OVER (ORDER BY n ASC NULLS FIRST ROWS BETWEEN UNBOUNDED '
                         'PRECEDING AND CURRENT ROW):int,PERCENT_RANK() OVER (ORDER BY n ASC NULLS FIRST '
                         'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):double,cume_dist() OVER (ORDER '
                         'BY g ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT '
                         'ROW):double,ntile(3) OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED '
                         'PRECEDING AND CURRENT ROW):int>',
                         [(1, 2, 0.2222222222222222, 0.7, 1),
                          (2, 3, 0.3333333333333333, 0.7, 1),
                          (3, 3, 0.3333333333333333, 0.7, 1),
                          (4, 4, 0.5555555555555556, 0.7, 1),
                          (5, 6, 0.8888888888888888, 1.0, 2),
                          (6, 1, 0.0, 1.0, 2),
                          (7, 7, 1.0, 1.0, 2),
                          (8, 5, 0.6666666666666666, 0.2, 3),
                          (9, 5, 0.6666666666666666, 0.2, 3),
                          (10, 1, 0.0, 0.7, 3)]],
 'sql.window_in_expression': ['struct<id:int,d:int,(avg(x) OVER (PARTITION BY g ROWS BETWEEN UNBOUNDED '
                              'PRECEDING AND UNBOUNDED FOLLOWING) * 2):double>',
                              [(1, None, 3.75),
                               (2, 1, 3.75),
                               (3, 0, 3.75),
                               (4, 1, 3.75),
                               (5, None, 4.0),
                               (6, None, 4.0),
                               (7, None, 4.0),
                               (8, None, 4.0),
                               (9, 0, 4.0),
                               (10, None, 3.75)]],
 'group_by_agg_with_windows_over_aggregates': [
     'struct<g:string,sum(n):bigint,r:int,max(x):double,tot:bigint,lag(max(x), 1, NULL) OVER (ORDER BY '
     'g ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING):double>',
     [('b', 12, 1, 2.5, 10, 4.0), (None, 8, 2, 3.0, 10, None), ('a', 8, 3, 4.0, 10, 3.0)]],
 'sql.rank_of_group_totals': ['struct<g:string,s:bigint,r:int>', [('b', 12, 1), (None, 8, 2), ('a', 8, 2)]],
 'sql.window_over_an_aggregate': ['struct<g:string,count(1):bigint,total:bigint>',
                                  [(None, 2, 10), ('a', 5, 10), ('b', 3, 10)]],
 'sql.unaliased_window_in_group_by': ['struct<g:string,max(x):double,row_number() OVER (ORDER BY g ASC NULLS '
                                      'FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):int>',
                                      [(None, 3.0, 1), ('a', 4.0, 2), ('b', 2.5, 3)]],
}
