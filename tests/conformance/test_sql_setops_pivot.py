"""Set operations (intersect, intersectAll, subtract, exceptAll), generators with several aliases,
joins on conditions that are not equalities, and ``groupBy().pivot()``.

Expected values were captured from PySpark 4.3.0. Rows come in no defined order where no orderBy
defines one, so those compare sorted.
"""

import pytest


def _sorted(df):
    return sorted((tuple(r) for r in df.collect()), key=repr)


@pytest.fixture
def ab(spark):
    a = spark.createDataFrame(
        [(1, "x"), (1, "x"), (2, "y"), (None, None), (None, None), (3, "z")], "k INT, v STRING"
    )
    b = spark.createDataFrame([(1, "x"), (None, None), (3, "w"), (4, "q")], "a INT, b STRING")
    return a, b


def test_intersect_all_keeps_the_smaller_count(ab):
    a, b = ab
    assert _sorted(a.intersectAll(b)) == [(1, "x"), (None, None)]
    assert a.intersectAll(b).columns == ["k", "v"]
    assert _sorted(a.union(a).intersectAll(a)) == [
        (1, "x"), (1, "x"), (2, "y"), (3, "z"), (None, None), (None, None)
    ]


def test_intersect_is_distinct_and_null_safe(ab):
    a, b = ab
    assert _sorted(a.intersect(b)) == [(1, "x"), (None, None)]


def test_except_all_removes_one_copy_per_match(ab, spark):
    a, b = ab
    assert _sorted(a.exceptAll(b)) == [(1, "x"), (2, "y"), (3, "z"), (None, None)]
    one = spark.createDataFrame([(1, "x")], "k INT, v STRING")
    assert _sorted(a.union(a).exceptAll(one)) == [
        (1, "x"), (1, "x"), (1, "x"), (2, "y"), (2, "y"), (3, "z"), (3, "z"),
        (None, None), (None, None), (None, None), (None, None),
    ]
    assert a.exceptAll(b).schema.fields[0].nullable is True


def test_subtract_is_distinct_and_null_safe(ab):
    a, b = ab
    assert _sorted(a.subtract(b)) == [(2, "y"), (3, "z")]


def test_set_operations_widen_types(ab, spark):
    a, _ = ab
    d = spark.createDataFrame([(1.5, "x")], "k DOUBLE, v STRING")
    assert a.intersectAll(d).schema.simpleString() == "struct<k:double,v:string>"
    s = spark.createDataFrame([("1", 2)], "k STRING, v INT")
    assert a.exceptAll(s).schema.simpleString() == "struct<k:bigint,v:bigint>"


@pytest.mark.parametrize(
    "method, op",
    [("intersectAll", "INTERSECT ALL"), ("exceptAll", "EXCEPT ALL"), ("subtract", "EXCEPT"),
     ("intersect", "INTERSECT")],
)
def test_set_operations_need_as_many_columns(ab, spark, engine, method, op):
    a, _ = ab
    one = spark.createDataFrame([(1,)], "k INT")
    with pytest.raises(engine.module("errors").AnalysisException) as info:
        getattr(a, method)(one)
    assert info.value.getCondition() == "NUM_COLUMNS_MISMATCH"
    assert str(info.value).startswith(
        f"[NUM_COLUMNS_MISMATCH] {op} can only be performed on inputs with the same number of columns, "
        "but the first input has 2 columns and the second input has 1 columns. SQLSTATE: 42826"
    )


def test_set_operation_type_mismatch(ab, spark, engine):
    a, _ = ab
    arr = spark.createDataFrame([([1], 1)], "k ARRAY<INT>, v INT")
    with pytest.raises(engine.module("errors").AnalysisException) as info:
        a.exceptAll(arr)
    assert str(info.value).startswith(
        "[INCOMPATIBLE_COLUMN_TYPE] EXCEPT ALL can only be performed on tables with compatible column "
        'types. The first column of the second table is "ARRAY<INT>" type which is not compatible with '
        '"INT" at the same column of the first table.. SQLSTATE: 42825'
    )


# -- generators with several names -------------------------------------------------------------
def test_generator_aliases(spark, engine):
    F = engine.module("sql.functions")
    df = spark.createDataFrame([(1, [10, 20], {"a": 1})], "id INT, arr ARRAY<INT>, m MAP<STRING,INT>")
    out = df.select("id", F.posexplode("arr").alias("p", "v"))
    assert out.columns == ["id", "p", "v"]
    assert [tuple(r) for r in out.collect()] == [(1, 0, 10), (1, 1, 20)]
    assert [tuple(r) for r in df.select(F.explode("m").alias("k", "val")).collect()] == [("a", 1)]
    assert df.select(F.explode("m").alias("k", "val")).columns == ["k", "val"]
    assert df.select(F.posexplode("m").alias("p", "k", "val")).columns == ["p", "k", "val"]
    empty = spark.createDataFrame([(1, None)], "id INT, arr ARRAY<INT>")
    assert [tuple(r) for r in empty.select("id", F.posexplode_outer("arr").alias("p", "v")).collect()] == [
        (1, None, None)
    ]
    assert [tuple(r) for r in df.selectExpr("posexplode(arr) as (p, v)").collect()] == [(0, 10), (1, 20)]


# -- joins on conditions that are not equalities ------------------------------------------------
JOIN_EXPECTED = {
    ("lt", "left"): [(1, 10, 1, 15), (1, 10, 5, 40), (2, 20, 5, 40), (3, 30, 5, 40), (None, 5, 1, 15),
                     (None, 5, 5, 40)],
    ("mixed", "left"): [(1, 10, 1, 15), (2, 20, None, None), (3, 30, None, None), (None, 5, None, None)],
    ("or", "left"): [(1, 10, 1, 15), (2, 20, 2, 5), (3, 30, 2, 5), (3, 30, None, 1), (None, 5, None, None)],
    ("lt", "right"): [(1, 10, 1, 15), (1, 10, 5, 40), (2, 20, 5, 40), (3, 30, 5, 40), (None, 5, 1, 15),
                      (None, 5, 5, 40), (None, None, 2, 5), (None, None, None, 1)],
    ("mixed", "right"): [(1, 10, 1, 15), (None, None, 2, 5), (None, None, 5, 40), (None, None, None, 1)],
    ("or", "right"): [(1, 10, 1, 15), (2, 20, 2, 5), (3, 30, 2, 5), (3, 30, None, 1), (None, None, 5, 40)],
    ("lt", "full"): [(1, 10, 1, 15), (1, 10, 5, 40), (2, 20, 5, 40), (3, 30, 5, 40), (None, 5, 1, 15),
                     (None, 5, 5, 40), (None, None, 2, 5), (None, None, None, 1)],
    ("mixed", "full"): [(1, 10, 1, 15), (2, 20, None, None), (3, 30, None, None), (None, 5, None, None),
                        (None, None, 2, 5), (None, None, 5, 40), (None, None, None, 1)],
    ("or", "full"): [(1, 10, 1, 15), (2, 20, 2, 5), (3, 30, 2, 5), (3, 30, None, 1), (None, 5, None, None),
                     (None, None, 5, 40)],
    ("lt", "left_semi"): [(1, 10), (2, 20), (3, 30), (None, 5)],
    ("mixed", "left_semi"): [(1, 10)],
    ("or", "left_semi"): [(1, 10), (2, 20), (3, 30)],
    ("lt", "left_anti"): [],
    ("mixed", "left_anti"): [(2, 20), (3, 30), (None, 5)],
    ("or", "left_anti"): [(None, 5)],
    ("lt", "inner"): [(1, 10, 1, 15), (1, 10, 5, 40), (2, 20, 5, 40), (3, 30, 5, 40), (None, 5, 1, 15),
                      (None, 5, 5, 40)],
    ("mixed", "inner"): [(1, 10, 1, 15)],
    ("or", "inner"): [(1, 10, 1, 15), (2, 20, 2, 5), (3, 30, 2, 5), (3, 30, None, 1)],
}


@pytest.mark.parametrize("cond, how", list(JOIN_EXPECTED))
def test_non_equi_join(spark, cond, how):
    left = spark.createDataFrame([(1, 10), (2, 20), (3, 30), (None, 5)], "id INT, x INT")
    right = spark.createDataFrame([(1, 15), (2, 5), (5, 40), (None, 1)], "rid INT, y INT")
    on = {
        "lt": left.x < right.y,
        "mixed": (left.id == right.rid) & (left.x < right.y),
        "or": (left.id == right.rid) | (left.x > right.y + 20),
    }[cond]
    assert _sorted(left.join(right, on, how)) == JOIN_EXPECTED[(cond, how)]


# -- pivot ---------------------------------------------------------------------------------------
@pytest.fixture
def sales(spark):
    return spark.createDataFrame(
        [("a", "x", 1), ("a", "y", 2), ("b", "x", 3), ("a", "x", 4), ("b", None, 5), ("c", "z", 6)],
        "k STRING, p STRING, v INT",
    )


def test_pivot_finds_values_sorted_null_first(sales):
    out = sales.groupBy("k").pivot("p").sum("v")
    assert out.columns == ["k", "null", "x", "y", "z"]
    assert out.schema.simpleString() == "struct<k:string,null:bigint,x:bigint,y:bigint,z:bigint>"
    assert _sorted(out) == [("a", None, 5, 2, None), ("b", 5, 3, None, None), ("c", None, None, None, 6)]
    assert sales.groupBy("k").pivot("p").avg("v").schema.simpleString() == (
        "struct<k:string,null:double,x:double,y:double,z:double>"
    )


def test_pivot_with_values_keeps_their_order(sales, engine):
    F = engine.module("sql.functions")
    out = sales.groupBy("k").pivot("p", ["y", "x", "q"]).agg(F.sum("v"))
    assert out.columns == ["k", "y", "x", "q"]
    assert _sorted(out) == [("a", 2, 5, None), ("b", None, 3, None), ("c", None, None, None)]


def test_pivot_several_aggregates(sales, engine):
    F = engine.module("sql.functions")
    out = sales.groupBy("k").pivot("p").agg(F.sum("v"), F.count("v"))
    assert out.columns == ["k", "null_sum(v)", "null_count(v)", "x_sum(v)", "x_count(v)", "y_sum(v)",
                           "y_count(v)", "z_sum(v)", "z_count(v)"]
    assert _sorted(out) == [
        ("a", None, None, 5, 2, 2, 1, None, None),
        ("b", 5, 1, 3, 1, None, None, None, None),
        ("c", None, None, None, None, None, None, 6, 1),
    ]
    named = sales.groupBy("k").pivot("p", ["x"]).agg(F.sum("v").alias("s"), F.max("v").alias("m"))
    assert named.columns == ["k", "x_s", "x_m"]
    assert sales.groupBy("k").pivot("p", ["x"]).agg(F.sum("v").alias("s")).columns == ["k", "x"]
    assert sales.groupBy("k").pivot("p", ["x"]).agg(F.sum("v") + 1).columns == ["k", "x"]


def test_pivot_count_is_null_where_a_pair_has_no_rows(sales, engine):
    F = engine.module("sql.functions")
    out = sales.groupBy("k").pivot("p").count()
    assert out.columns == ["k", "null", "x", "y", "z"]
    assert _sorted(out) == [("a", None, 2, 1, None), ("b", 1, 1, None, None), ("c", None, None, None, 1)]
    first = sales.groupBy("k").pivot("p").agg(F.first("v"))
    assert _sorted(first) == [("a", None, 1, 2, None), ("b", 5, 3, None, None), ("c", None, None, None, 6)]


def test_pivot_without_keys(sales):
    out = sales.groupBy().pivot("p").sum("v")
    assert out.columns == ["null", "x", "y", "z"]
    assert [tuple(r) for r in out.collect()] == [(5, 8, 2, 6)]


def test_pivot_value_names(sales, engine):
    F = engine.module("sql.functions")
    n = sales.withColumn("n", F.col("v") % 3)
    assert n.groupBy("k").pivot("n").sum("v").columns == ["k", "0", "1", "2"]
    assert n.groupBy("k").pivot("n", [2, 0]).sum("v").columns == ["k", "2", "0"]
    b = sales.withColumn("b", F.col("v") > 2)
    assert b.groupBy("k").pivot("b").sum("v").columns == ["k", "false", "true"]
    d = sales.withColumn("d", F.col("v") / 2)
    assert d.groupBy("k").pivot("d").count().columns == ["k", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"]


def test_pivot_errors_and_repr(sales, engine):
    errors = engine.module("errors")
    with pytest.raises(errors.AnalysisException) as info:
        sales.groupBy("k").pivot("zz")
    assert str(info.value).startswith(
        "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `zz` "
        "cannot be resolved. Did you mean one of the following? [`k`, `p`, `v`]. SQLSTATE: 42703"
    )
    with pytest.raises(Exception) as info:
        sales.groupBy("k").pivot("p").pivot("p")
    assert str(info.value).startswith(
        "[REPEATED_CLAUSE] The PIVOT clause may be used at most once per SUBQUERY operation. SQLSTATE: 42614"
    )
    assert repr(sales.groupBy("k").pivot("p")) == (
        "GroupedData[grouping expressions: [k], value: [k: string, p: string ... 1 more field], type: Pivot]"
    )


ALIAS_ERRORS = {
    "one_name_for_two": (lambda F: F.posexplode("arr").alias("p"), 2, "p"),
    "three_names_for_two": (lambda F: F.posexplode("arr").alias("a", "b", "c"), 2, "a,b,c"),
    "two_names_for_one": (lambda F: F.explode("arr").alias("a", "b"), 1, "a,b"),
    "one_name_for_a_map": (lambda F: F.explode("m").alias("k"), 2, "k"),
}


@pytest.mark.parametrize("name", list(ALIAS_ERRORS))
def test_generator_alias_count_must_match(spark, engine, name):
    F = engine.module("sql.functions")
    build, expected, got = ALIAS_ERRORS[name]
    df = spark.createDataFrame([(1, [10, 20], {"a": 1})], "id INT, arr ARRAY<INT>, m MAP<STRING,INT>")
    with pytest.raises(engine.module("errors").AnalysisException) as info:
        df.select(build(F))
    assert str(info.value).startswith(
        "[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not match the "
        f"number of columns output by the UDTF.\nExpected {expected} aliases, but got {got}.\nPlease "
        "ensure that the number of aliases provided matches the number of columns output by the UDTF. "
        "SQLSTATE: 42802"
    )


def test_multi_alias_of_other_columns_and_with_column(spark, engine):
    F = engine.module("sql.functions")
    errors = engine.module("errors")
    df = spark.createDataFrame([(1, [10, 20], {"a": 1})], "id INT, arr ARRAY<INT>, m MAP<STRING,INT>")
    assert repr(F.col("id").alias("a", "b")) == "Column<'id AS (a, b)'>"
    with pytest.raises(errors.AnalysisException) as info:
        df.select(F.col("id").alias("a", "b"))
    assert str(info.value).startswith(
        '[MULTI_ALIAS_WITHOUT_GENERATOR] Multi part aliasing (a, b) is not supported with "id" as it is not '
        "a generator function. SQLSTATE: 42K0E"
    )
    with pytest.raises(errors.AnalysisException) as info:
        df.withColumn("x", F.posexplode("arr").alias("p", "v"))
    assert "Expected 2 aliases, but got x." in str(info.value)
    with pytest.raises(errors.AnalysisException) as info:
        df.selectExpr("posexplode(arr) as (a, b, c)")
    assert "Expected 2 aliases, but got a,b,c." in str(info.value)
