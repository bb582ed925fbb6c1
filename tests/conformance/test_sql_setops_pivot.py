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
