"""``repr(Column)`` as Spark 4 prints it: ``Column<'+(a, 1)'>``; every text below was printed by
PySpark 4.3.0 for the same expression.
"""

import datetime

import pytest

CASES = [
    ("add", lambda F, C: C("a") + 1, "Column<'+(a, 1)'>"),
    ("col", lambda F, C: C("a"), "Column<'a'>"),
    ("lit1", lambda F, C: F.lit(1), "Column<'1'>"),
    ("alias", lambda F, C: C("a").alias("b"), "Column<'a AS b'>"),
    ("sum", lambda F, C: F.sum("a"), "Column<'sum(a)'>"),
    ("eqlit", lambda F, C: C("a") == F.lit("x"), "Column<'=(a, 'x')'>"),
    ("cast", lambda F, C: C("a").cast("int"), "Column<'CAST(a AS INT)'>"),
    (
        "when",
        lambda F, C: F.when(C("a") > 1, 2).otherwise(3),
        "Column<'CASE WHEN >(a, 1) THEN 2 ELSE 3 END'>",
    ),
    ("when_no_else", lambda F, C: F.when(C("a") > 1, 2), "Column<'CASE WHEN >(a, 1) THEN 2 END'>"),
    ("desc", lambda F, C: C("a").desc(), "Column<'a DESC NULLS LAST'>"),
    ("isnull", lambda F, C: C("a").isNull(), "Column<'isNull(a)'>"),
    ("getitem", lambda F, C: C("a")["b"], "Column<'a['b']'>"),
    ("getfield", lambda F, C: C("a").getField("b"), "Column<'a['b']'>"),
    ("getitem0", lambda F, C: C("a")[0], "Column<'a[0]'>"),
    ("isin", lambda F, C: C("a").isin(1, 2), "Column<'in(a, 1, 2)'>"),
    ("between", lambda F, C: C("a").between(1, 2), "Column<'and(>=(a, 1), <=(a, 2))'>"),
    ("not", lambda F, C: ~C("a"), "Column<'!(a)'>"),
    ("neg", lambda F, C: -C("a"), "Column<'negative(a)'>"),
    ("and", lambda F, C: C("a") & C("b"), "Column<'and(a, b)'>"),
    ("or", lambda F, C: C("a") | C("b"), "Column<'or(a, b)'>"),
    ("like", lambda F, C: C("a").like("x%"), "Column<'like(a, 'x%')'>"),
    ("upper", lambda F, C: F.upper("a"), "Column<'upper(a)'>"),
    ("countstar", lambda F, C: F.count("*"), "Column<'count(*)'>"),
    ("lits", lambda F, C: F.lit("s"), "Column<''s''>"),
    ("litnull", lambda F, C: F.lit(None), "Column<'NULL'>"),
    ("div", lambda F, C: C("a") / 2, "Column<'/(a, 2)'>"),
    ("mod", lambda F, C: C("a") % 2, "Column<'%(a, 2)'>"),
    ("dotted", lambda F, C: C("x.y"), "Column<'x.y'>"),
    ("asc_nl", lambda F, C: C("a").asc_nulls_last(), "Column<'a ASC NULLS LAST'>"),
    ("struct", lambda F, C: F.struct("a", "b"), "Column<'struct(a, b)'>"),
    ("lit15", lambda F, C: F.lit(1.5), "Column<'1.5'>"),
    ("littrue", lambda F, C: F.lit(True), "Column<'true'>"),
    ("pow", lambda F, C: C("a") ** 2, "Column<'power(a, 2)'>"),
    ("concat_ws", lambda F, C: F.concat_ws("-", "a", "b"), "Column<'concat_ws('-', a, b)'>"),
    ("eqns", lambda F, C: C("a").eqNullSafe(1), "Column<'<=>(a, 1)'>"),
    ("star", lambda F, C: C("*"), "Column<'*'>"),
    ("ne", lambda F, C: C("a") != 1, "Column<'!(=(a, 1))'>"),
    ("ge", lambda F, C: C("a") >= 1, "Column<'>=(a, 1)'>"),
    ("lt", lambda F, C: C("a") < 1, "Column<'<(a, 1)'>"),
    ("mul", lambda F, C: C("a") * C("b"), "Column<'*(a, b)'>"),
    ("sub", lambda F, C: 1 - C("a"), "Column<'-(1, a)'>"),
    ("radd", lambda F, C: 1 + C("a"), "Column<'+(a, 1)'>"),
    ("isnotnull", lambda F, C: C("a").isNotNull(), "Column<'isNotNull(a)'>"),
    ("count", lambda F, C: F.count("a"), "Column<'count(a)'>"),
    ("countDistinct", lambda F, C: F.countDistinct("a", "b"), "Column<'count(a, b)'>"),
    ("avg", lambda F, C: F.avg("a"), "Column<'avg(a)'>"),
    ("max", lambda F, C: F.max("a"), "Column<'max(a)'>"),
    ("explode", lambda F, C: F.explode("a"), "Column<'explode(a)'>"),
    ("split", lambda F, C: F.split("a", " "), "Column<'split(a, ' ', -1)'>"),
    ("alias_multi", lambda F, C: F.posexplode("a").alias("p", "v"), "Column<'posexplode(a) AS (p, v)'>"),
    ("cast_str", lambda F, C: C("a").cast("string"), "Column<'CAST(a AS STRING)'>"),
    ("try_cast", lambda F, C: C("a").try_cast("int"), "Column<'TRY_CAST(a AS INT)'>"),
    ("desc_nf", lambda F, C: C("a").desc_nulls_first(), "Column<'a DESC NULLS FIRST'>"),
    ("asc", lambda F, C: C("a").asc(), "Column<'a ASC NULLS FIRST'>"),
    ("rlike", lambda F, C: C("a").rlike("x"), "Column<'rlike(a, 'x')'>"),
    ("startswith", lambda F, C: C("a").startswith("x"), "Column<'startswith(a, 'x')'>"),
    ("contains", lambda F, C: C("a").contains("x"), "Column<'contains(a, 'x')'>"),
    ("hash", lambda F, C: F.hash("a", "b"), "Column<'hash(a, b)'>"),
    ("xx", lambda F, C: F.xxhash64("a"), "Column<'xxhash64(a)'>"),
    ("nested", lambda F, C: (C("a") + 1) * 2, "Column<'*(+(a, 1), 2)'>"),
    ("litlong", lambda F, C: F.lit(2**40), "Column<'1099511627776L'>"),
    ("litdate", lambda F, C: F.lit(datetime.date(2024, 1, 2)), "Column<'2024-01-02'>"),
    ("coalesce", lambda F, C: F.coalesce("a", "b"), "Column<'coalesce(a, b)'>"),
    ("length", lambda F, C: F.length("a"), "Column<'length(a)'>"),
    ("isnan", lambda F, C: C("a").isNaN(), "Column<'isNaN(a)'>"),
    ("bitand", lambda F, C: C("a").bitwiseAND(1), "Column<'&(a, 1)'>"),
    ("ilike", lambda F, C: C("a").ilike("x"), "Column<'ilike(a, 'x')'>"),
    ("col_ns", lambda F, C: C("`a.b`"), "Column<'`a.b`'>"),
    ("struct_alias", lambda F, C: F.struct(C("a").alias("x")), "Column<'struct(a AS x)'>"),
    ("regexp_replace", lambda F, C: F.regexp_replace("a", "x", "y"), "Column<'regexp_replace(a, 'x', 'y')'>"),
    ("lower", lambda F, C: F.lower(C("a")), "Column<'lower(a)'>"),
    ("to_date", lambda F, C: F.to_date("a"), "Column<'to_date(a)'>"),
    ("current_ts", lambda F, C: F.current_timestamp(), "Column<'current_timestamp()'>"),
    ("collect_list", lambda F, C: F.collect_list("a"), "Column<'collect_list(a)'>"),
    ("first", lambda F, C: F.first("a"), "Column<'first(a, false)'>"),
    ("first_ign", lambda F, C: F.first("a", True), "Column<'first(a, true)'>"),
    ("lit_str_q", lambda F, C: F.lit("it's"), "Column<''it\\'s''>"),
    ("litneg", lambda F, C: F.lit(-1), "Column<'-1'>"),
    ("name", lambda F, C: C("a").name("z"), "Column<'a AS z'>"),
    ("cast_dec", lambda F, C: C("a").cast("decimal(5,2)"), "Column<'CAST(a AS DECIMAL(5,2))'>"),
    ("substring", lambda F, C: F.substring("a", 1, 2), "Column<'substring(a, 1, 2)'>"),
    ("isin_empty", lambda F, C: C("a").isin(), "Column<'in(a)'>"),
    ("approx", lambda F, C: F.approx_count_distinct("a"), "Column<'approx_count_distinct(a)'>"),
]


@pytest.mark.parametrize("name, build, expected", CASES, ids=[c[0] for c in CASES])
def test_column_repr(spark, engine, name, build, expected):
    F = engine.module("sql.functions")
    assert repr(build(F, F.col)) == expected


def test_dataframe_column_repr(spark):
    df = spark.createDataFrame([(1, "x")], "a INT, b STRING")
    assert repr(df.a) == "Column<'a'>"
    assert repr(df.a + 1) == "Column<'+(a, 1)'>"
    assert repr(df["b"]) == "Column<'b'>"
