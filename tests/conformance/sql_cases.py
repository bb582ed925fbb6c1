"""DataFrame behaviours as a table: each case is a function of (spark, functions) returning plain data.

The expected values live in ``sql_expected.py``; they were captured from real PySpark with
``python tools/capture_sql_expected.py`` and are literals, never computed by ember. Most cases return
``[schema.simpleString(), rows]`` so one literal pins the output column names, their types and the
values. Where Spark defines no row order (no orderBy) the rows are sorted by their repr first.
"""

from __future__ import annotations

import datetime
import importlib


def plain(value):
    """Rows (also nested ones) as tuples, so literals stay readable and engine-neutral.

    NaN and infinities become Spark's strings for them: they have no literal and NaN != NaN.
    """
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, tuple):  # Row is a tuple subclass on both engines
        return tuple(plain(v) for v in value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def out(df, ordered: bool = True) -> list:
    """``[simpleString, rows]`` of ``df``; rows sorted by repr unless ``ordered``."""
    rows = [plain(r) for r in df.collect()]
    if not ordered:
        rows.sort(key=repr)
    return [df.schema.simpleString(), rows]


def types_of(F):
    """The ``types`` module beside the engine's ``functions`` module."""
    return importlib.import_module(F.__name__.rsplit(".", 1)[0] + ".types")


# -- inputs --------------------------------------------------------------------------------------


def people(spark):
    return spark.createDataFrame(
        [(1, "Alice", 10.5, "a"), (2, "Bob", None, "b"), (3, None, 7.0, "a"), (4, "dan", 2.5, None)],
        "id INT, name STRING, score DOUBLE, grp STRING",
    )


def nums(spark):
    return spark.createDataFrame(
        [(7, 2, 1.5), (-7, 2, None), (5, -3, 2.0), (None, 3, -0.5)], "a INT, b INT, x DOUBLE"
    )


def texts(spark):
    return spark.createDataFrame(
        [(1, "a b  c"), (2, "x,y;z, w"), (3, ""), (4, None), (5, "  Pad Me  ")], "id INT, s STRING"
    )


def arrays(spark):
    return spark.createDataFrame(
        [(1, ["a", "b"]), (2, []), (3, None), (4, ["c", None])], "id INT, arr ARRAY<STRING>"
    )


def times(spark):
    return spark.createDataFrame(
        [(1, "2016-03-11 09:00:07", "11/03/2016 09:00", 1457686807),
         (2, "2016-12-31 23:59:59", "01/01/2017 00:00", 0),
         (3, None, None, None)],
        "id INT, s STRING, dmy STRING, secs BIGINT",
    )


def events(spark):
    return spark.createDataFrame(
        [(datetime.datetime(2016, 3, 11, 9, 0, 7), 1, "a"),
         (datetime.datetime(2016, 3, 11, 9, 0, 8), 2, "b"),
         (datetime.datetime(2016, 3, 11, 9, 0, 14), 3, "a"),
         (datetime.datetime(2016, 3, 11, 9, 0, 21), 4, "a")],
        "ts TIMESTAMP, v INT, k STRING",
    )


def emp(spark):
    return spark.createDataFrame(
        [(1, "Ann", 10), (2, "Ben", 20), (3, "Cid", None), (4, "Dot", 40)], "id INT, name STRING, dept INT"
    )


def dept(spark):
    return spark.createDataFrame([(10, "Eng"), (20, "Ops"), (30, "Law")], "dept INT, dname STRING")


# -- functions -----------------------------------------------------------------------------------


def _udf_upper(spark, F):
    up = F.udf(lambda s: None if s is None else s.upper(), "string")
    return out(people(spark).select(up("name"), up(F.col("grp")).alias("g")).orderBy("id"))


def _udf_named_int(spark, F):
    def plus_one(x):
        return None if x is None else x + 1

    inc = F.udf(plus_one, types_of(F).IntegerType())
    return out(people(spark).select(inc("id"), inc(F.col("id") * 10).alias("x")).orderBy("id"))


def _udf_default_type(spark, F):
    ident = F.udf(lambda s: s)
    return out(people(spark).select(ident("name").alias("n")).orderBy("id"))


def _current_timestamp(spark, F):
    df = people(spark).limit(1).select(F.current_timestamp().alias("now"))
    row = df.collect()[0]
    return [df.schema.simpleString(), type(row[0]).__name__]


FUNCTIONS = {
    "col_and_lit": lambda spark, F: out(people(spark).select(
        F.col("id"), F.lit(1), F.lit("x"), F.lit(None), F.lit(2.5), F.lit(True), F.lit(10**12)).orderBy("id")),
    "lit_alias": lambda spark, F: out(people(spark).select(F.lit(0).alias("zero")).limit(1)),
    "expr_arithmetic": lambda spark, F: out(people(spark).select(F.expr("id * 2 + 1")).orderBy("id")),
    "expr_function_and_alias": lambda spark, F: out(people(spark).select(
        F.expr("upper(name)"), F.expr("length(name) AS n")).orderBy("id")),
    "split_space": lambda spark, F: out(texts(spark).select("id", F.split("s", " ")).orderBy("id")),
    "split_regex": lambda spark, F: out(texts(spark).select("id", F.split("s", "[,;]\\s*")).orderBy("id")),
    "split_limit": lambda spark, F: out(texts(spark).select("id", F.split("s", "[,;]", 2)).orderBy("id")),
    "split_limit_negative": lambda spark, F: out(texts(spark).select("id", F.split("s", ",", -1)).orderBy("id")),
    "split_trailing_empty": lambda spark, F: out(spark.createDataFrame([("a,b,,",)], "s STRING").select(
        F.split("s", ","), F.split("s", ",", 2).alias("two"))),
    "split_column_name_literal": lambda spark, F: texts(spark).select(F.split(F.col("s"), " ")).columns,
    "explode": lambda spark, F: out(arrays(spark).select("id", F.explode("arr")), ordered=False),
    "explode_outer": lambda spark, F: out(arrays(spark).select("id", F.explode_outer("arr")), ordered=False),
    "posexplode": lambda spark, F: out(arrays(spark).select("id", F.posexplode("arr")), ordered=False),
    "explode_alias": lambda spark, F: out(arrays(spark).select(F.explode("arr").alias("w")), ordered=False),
    "explode_split": lambda spark, F: out(texts(spark).filter("id = 1").select(
        F.explode(F.split("s", " ")).alias("word"))),
    "lower_upper": lambda spark, F: out(people(spark).select(F.lower("name"), F.upper(F.col("name")))
                                        .orderBy("id")),
    "trim": lambda spark, F: out(texts(spark).select("id", F.trim("s")).orderBy("id")),
    "length": lambda spark, F: out(spark.createDataFrame(
        [("héllo",), ("",), (None,), ("日本",)], "s STRING").select(F.length("s"))),
    "concat": lambda spark, F: out(people(spark).select(F.concat("name", F.lit("-"), "grp")).orderBy("id")),
    "concat_ws": lambda spark, F: out(people(spark).select(F.concat_ws("-", "name", "grp")).orderBy("id")),
    "concat_ws_array": lambda spark, F: out(arrays(spark).select("id", F.concat_ws("+", "arr")).orderBy("id")),
    "regexp_replace": lambda spark, F: out(spark.createDataFrame(
        [("a1b22c333",), (None,)], "s STRING").select(F.regexp_replace("s", "[0-9]+", "#"))),
    "regexp_replace_group_ref": lambda spark, F: out(spark.createDataFrame(
        [("a1b22",)], "s STRING").select(F.regexp_replace("s", "([0-9]+)", "<$1>").alias("r"))),
    "regexp_extract": lambda spark, F: out(spark.createDataFrame(
        [("100-200",), ("foo",), (None,)], "s STRING").select(
        F.regexp_extract("s", "(\\d+)-(\\d+)", 1), F.regexp_extract("s", "(\\d+)-(\\d+)", 2).alias("g2"),
        F.regexp_extract("s", "(\\d+)", 0).alias("g0"))),
    "substring": lambda spark, F: out(spark.createDataFrame([("Spark SQL",), (None,)], "s STRING").select(
        F.substring("s", 2, 3), F.substring("s", 0, 2).alias("p0"), F.substring("s", -3, 2).alias("neg"),
        F.substring("s", 5, 100).alias("long"))),
    "size": lambda spark, F: out(arrays(spark).select("id", F.size("arr")).orderBy("id")),
    "array_contains": lambda spark, F: out(arrays(spark).select(
        "id", F.array_contains("arr", "a"), F.array_contains("arr", "z").alias("z")).orderBy("id")),
    "struct": lambda spark, F: out(people(spark).select(F.struct("id", "name")).orderBy("id")),
    "struct_columns_alias": lambda spark, F: out(people(spark).select(
        F.struct(F.col("id").alias("k"), F.upper("name")).alias("s")).orderBy("id")),
    "to_timestamp_default": lambda spark, F: out(times(spark).select("id", F.to_timestamp("s")).orderBy("id")),
    "to_timestamp_format": lambda spark, F: out(times(spark).select(
        "id", F.to_timestamp("dmy", "dd/MM/yyyy HH:mm")).orderBy("id")),
    "to_date": lambda spark, F: out(times(spark).select("id", F.to_date("s"),
                                                        F.to_date("dmy", "dd/MM/yyyy HH:mm").alias("d")).orderBy("id")),
    "date_format": lambda spark, F: out(times(spark).select(
        "id", F.date_format(F.to_timestamp("s"), "yyyy/MM/dd HH:mm").alias("f"),
        F.date_format("s", "EEE d MMM").alias("g")).orderBy("id")),
    "unix_timestamp": lambda spark, F: out(times(spark).select(
        "id", F.unix_timestamp("s"), F.unix_timestamp("dmy", "dd/MM/yyyy HH:mm").alias("u"),
        F.unix_timestamp(F.to_timestamp("s")).alias("t")).orderBy("id")),
    "from_unixtime": lambda spark, F: out(times(spark).select(
        "id", F.from_unixtime("secs"), F.from_unixtime("secs", "yyyy-MM-dd").alias("d")).orderBy("id")),
    "timestamp_cast_roundtrip": lambda spark, F: out(events(spark).select(
        "ts", F.col("ts").cast("string").alias("s"), F.col("ts").cast("long").alias("l")).orderBy("ts")),
    "current_timestamp": _current_timestamp,
    "udf_string": _udf_upper,
    "udf_named_int": _udf_named_int,
    "udf_default_return_type": _udf_default_type,
    "when_otherwise": lambda spark, F: out(people(spark).select(
        "id", F.when(F.col("id") > 2, "big").when(F.col("id") == 2, "two").otherwise("small")).orderBy("id")),
    "when_without_otherwise": lambda spark, F: out(people(spark).select(
        "id", F.when(F.col("score") > 5, F.col("score")).alias("w")).orderBy("id")),
    "when_null_condition": lambda spark, F: out(people(spark).select(
        "id", F.when(F.col("name") == "Bob", 1).otherwise(0).alias("w")).orderBy("id")),
    "coalesce": lambda spark, F: out(people(spark).select(
        "id", F.coalesce("name", "grp", F.lit("?"))).orderBy("id")),
    "coalesce_numeric_widening": lambda spark, F: out(people(spark).select(
        "id", F.coalesce("score", "id").alias("c")).orderBy("id")),
}


# -- columns -------------------------------------------------------------------------------------


def _without_ansi(spark, F):
    old = spark.conf.get("spark.sql.ansi.enabled")
    spark.conf.set("spark.sql.ansi.enabled", "false")
    try:
        df = spark.createDataFrame([("12", 0), ("abc", 1), ("2016-13-45", 2), (None, 3)], "s STRING, n INT")
        return out(df.select(F.col("s").cast("int"), F.col("s").cast("double"), F.col("s").cast("timestamp"),
                             F.col("s").cast("date"), F.col("n") / 0, F.to_timestamp("s").alias("ts")))
    finally:
        spark.conf.set("spark.sql.ansi.enabled", old)


COLUMNS = {
    "arithmetic_names_and_types": lambda spark, F: out(nums(spark).select(
        F.col("a") + F.col("b"), F.col("a") - 1, F.col("a") * F.col("b"), F.col("a") / F.col("b"),
        F.col("a") % F.col("b"), -F.col("a"), F.col("a") + F.col("x"))),
    "arithmetic_reflected": lambda spark, F: out(nums(spark).select(
        1 - F.col("a"), 10 / F.col("b"), 2 * F.col("x"))),
    "integer_division_is_double": lambda spark, F: out(spark.createDataFrame([(7, 2), (6, 3)], "a INT, b INT")
                                                       .select(F.col("a") / F.col("b"))),
    "long_arithmetic": lambda spark, F: out(spark.createDataFrame([(2**40, 3)], "a BIGINT, b INT").select(
        F.col("a") + F.col("b"), F.col("a") * 2, F.col("b") * 1.5)),
    "modulo_sign_follows_dividend": lambda spark, F: out(nums(spark).select("a", "b", F.col("a") % F.col("b"))),
    "null_propagation": lambda spark, F: out(nums(spark).filter(F.col("a").isNull()).select(
        F.col("a") + 1, F.col("x") * F.col("a"), F.col("a") > 0)),
    "comparisons": lambda spark, F: out(nums(spark).select(
        F.col("a") == F.col("b"), F.col("a") != 7, F.col("a") < F.col("b"), F.col("a") <= 5,
        F.col("a") > F.col("b"), F.col("a") >= 5)),
    "eq_null_safe": lambda spark, F: out(nums(spark).select(F.col("a").eqNullSafe(F.lit(None)),
                                                            F.col("x").eqNullSafe(1.5))),
    "string_comparison_code_points": lambda spark, F: out(spark.createDataFrame(
        [("B", "a"), ("é", "z"), ("abc", "abd"), ("ab", "a")], "l STRING, r STRING").select(
        F.col("l") < F.col("r"))),
    "boolean_ops": lambda spark, F: out(nums(spark).select(
        (F.col("a") > 0) & (F.col("b") > 0), (F.col("a") > 0) | (F.col("x") > 1), ~(F.col("a") > 0))),
    "three_valued_logic": lambda spark, F: out(spark.createDataFrame(
        [(True, None), (False, None), (None, None)], "p BOOLEAN, q BOOLEAN").select(
        F.col("p") & F.col("q"), F.col("p") | F.col("q"), ~F.col("q"))),
    "alias": lambda spark, F: out(nums(spark).select(F.col("a").alias("A"), (F.col("a") + 1).alias("b1"))),
    "alias_replaces_name_in_expr_string": lambda spark, F: nums(spark).select(
        F.col("a").alias("z") + 1).columns,
    "cast_int_to_others": lambda spark, F: out(nums(spark).select(
        F.col("a").cast("string"), F.col("a").cast("long"), F.col("a").cast("double"), F.col("a").cast("boolean"))),
    "cast_double_to_int_truncates": lambda spark, F: out(spark.createDataFrame(
        [(2.7,), (-2.7,), (None,)], "x DOUBLE").select(F.col("x").cast("int"), F.col("x").cast("string"))),
    "cast_string_to_numbers": lambda spark, F: out(spark.createDataFrame(
        [("42",), (" 7 ",), ("2.5",), (None,)], "s STRING").select(
        F.col("s").cast("double"), F.col("s").cast("string").alias("same"))),
    "cast_string_int_valid": lambda spark, F: out(spark.createDataFrame(
        [("42",), ("-3",), (None,)], "s STRING").select(F.col("s").cast("int"), F.col("s").cast("long"))),
    "cast_string_to_timestamp_and_date": lambda spark, F: out(spark.createDataFrame(
        [("2016-03-11 09:00:07",), ("2016-03-11",), (None,)], "s STRING").select(
        F.col("s").cast("timestamp"), F.col("s").cast("date"))),
    "cast_timestamp_to_date_and_string": lambda spark, F: out(events(spark).limit(1).select(
        F.col("ts").cast("date"), F.col("ts").cast("string"))),
    "cast_invalid_is_null_without_ansi": _without_ansi,
    "try_cast_invalid_is_null": lambda spark, F: out(spark.createDataFrame([("12",), ("abc",), ("",)], "s STRING")
                                                     .select(F.col("s").try_cast("int"))),
    "cast_with_datatype_object": lambda spark, F: out(nums(spark).select(
        F.col("a").cast(types_of(F).LongType()))),
    "is_null_is_not_null": lambda spark, F: out(people(spark).select(
        "id", F.col("name").isNull(), F.col("score").isNotNull()).orderBy("id")),
    "isin": lambda spark, F: out(people(spark).select(
        "id", F.col("grp").isin("a", "b"), F.col("id").isin([1, 4]).alias("l")).orderBy("id")),
    "between": lambda spark, F: out(people(spark).select(
        "id", F.col("id").between(2, 3), F.col("score").between(5, 11).alias("s")).orderBy("id")),
    "like": lambda spark, F: out(people(spark).select(
        "id", F.col("name").like("A%"), F.col("name").like("_o_").alias("b")).orderBy("id")),
    "rlike": lambda spark, F: out(people(spark).select(
        "id", F.col("name").rlike("^[A-Z]"), F.col("name").rlike("li").alias("partial")).orderBy("id")),
    "get_field_and_dotted_name": lambda spark, F: out(people(spark).select(
        F.struct("id", "name").alias("s")).select(F.col("s").getField("name"), F.col("s.id"))),
    "get_item_array": lambda spark, F: out(arrays(spark).filter("id = 1").select(
        F.col("arr").getItem(0), F.col("arr")[1])),
    "get_item_map": lambda spark, F: out(spark.createDataFrame([({"k": 1},)], "m MAP<STRING, INT>").select(
        F.col("m").getItem("k"), F.col("m")["x"])),
    "order_asc_nulls_first": lambda spark, F: out(people(spark).select("name").orderBy(F.col("name").asc())),
    "order_desc_nulls_last": lambda spark, F: out(people(spark).select("name").orderBy(F.col("name").desc())),
    "order_asc_nulls_last": lambda spark, F: out(people(spark).select("score").orderBy(
        F.col("score").asc_nulls_last())),
    "order_desc_nulls_first": lambda spark, F: out(people(spark).select("score").orderBy(
        F.col("score").desc_nulls_first())),
    "order_functions_desc_asc": lambda spark, F: out(people(spark).select("grp", "id").orderBy(
        F.desc("grp"), F.asc("id"))),
}


# -- aggregate -----------------------------------------------------------------------------------


def _collect_sorted(spark, F):
    df = people(spark).groupBy("grp").agg(F.collect_list("name"), F.collect_set("grp").alias("gs"))
    rows = sorted(([r[0], sorted(r[1]), sorted(r[2])] for r in df.collect()), key=repr)
    return [df.schema.simpleString(), rows]


def _collect_set_dupes(spark, F):
    df = spark.createDataFrame([(1, "x"), (1, "y"), (1, "x"), (2, None)], "k INT, v STRING")
    agg = df.groupBy("k").agg(F.collect_set("v"), F.collect_list("v").alias("l"))
    rows = sorted(([r[0], sorted(r[1]), sorted(r[2])] for r in agg.collect()), key=repr)
    return [agg.schema.simpleString(), rows]


AGGREGATE = {
    "global_aggregates": lambda spark, F: out(people(spark).select(
        F.count("*"), F.count("name"), F.countDistinct("grp"), F.sum("id"), F.avg("score"),
        F.min("name"), F.max("score"))),
    "agg_names_of_count_and_sum": lambda spark, F: out(people(spark).agg(F.count(F.lit(1)), F.sum("score"))),
    "sum_of_no_rows_is_null": lambda spark, F: out(people(spark).filter("id > 100").select(
        F.sum("id"), F.count("id"), F.avg("id"), F.max("name"))),
    "group_by_count": lambda spark, F: out(people(spark).groupBy("grp").count(), ordered=False),
    "group_by_agg_columns": lambda spark, F: out(people(spark).groupBy("grp").agg(
        F.sum("id"), F.avg("score").alias("avg_score"), F.count("name"), F.max("id")), ordered=False),
    "group_by_agg_dict": lambda spark, F: out(people(spark).groupBy("grp").agg(
        {"score": "max", "id": "count"}), ordered=False),
    "agg_dict_without_group": lambda spark, F: out(people(spark).agg({"id": "sum"})),
    "group_by_shortcut_sum": lambda spark, F: out(people(spark).groupBy("grp").sum("id", "score"), ordered=False),
    "group_by_shortcut_sum_all_numeric": lambda spark, F: out(people(spark).groupBy("grp").sum(), ordered=False),
    "group_by_shortcut_avg_mean": lambda spark, F: out(people(spark).groupBy("grp").avg("id"), ordered=False)
    + out(people(spark).groupBy("grp").mean("score"), ordered=False),
    "group_by_shortcut_min_max": lambda spark, F: out(people(spark).groupBy("grp").min("id"), ordered=False)
    + out(people(spark).groupBy("grp").max("score"), ordered=False),
    "group_by_nothing": lambda spark, F: out(people(spark).groupBy().count()),
    "group_by_two_keys": lambda spark, F: out(spark.createDataFrame(
        [("a", 1, 5), ("a", 1, 6), ("a", 2, 7), ("b", 1, 8)], "k STRING, j INT, v INT").groupBy("k", "j").agg(
        F.sum("v")), ordered=False),
    "group_by_expression": lambda spark, F: out(people(spark).groupBy(F.col("id") % 2).agg(F.count("*")),
                                                ordered=False),
    "group_by_column_objects": lambda spark, F: out(people(spark).groupBy(F.col("grp")).agg(
        F.min("id").alias("first_id")), ordered=False),
    "count_distinct_multiple": lambda spark, F: out(spark.createDataFrame(
        [(1, "x"), (1, "x"), (1, "y"), (None, "y")], "a INT, b STRING").select(
        F.countDistinct("a", "b"), F.count_distinct("b"))),
    "sum_types": lambda spark, F: out(spark.createDataFrame([(1, 2**40, 0.5)], "i INT, l BIGINT, d DOUBLE")
                                      .select(F.sum("i"), F.sum("l"), F.sum("d"), F.avg("i"), F.min("i"))),
    "first_last_ignore_nulls": lambda spark, F: out(spark.createDataFrame(
        [("a", None), ("a", 3), ("a", None), ("b", None)], "k STRING, v INT").groupBy("k").agg(
        F.first("v", ignorenulls=True), F.last("v", ignorenulls=True)), ordered=False),
    "first_last_single_value": lambda spark, F: out(spark.createDataFrame(
        [("a", 5), ("a", 5)], "k STRING, v INT").groupBy("k").agg(F.first("v"), F.last("v"))),
    "collect_list_and_set": _collect_sorted,
    "collect_set_dedupes_and_skips_nulls": _collect_set_dupes,
    "approx_count_distinct": lambda spark, F: out(people(spark).select(
        F.approx_count_distinct("grp"), F.approx_count_distinct("id"))),
    "min_max_strings_code_points": lambda spark, F: out(spark.createDataFrame(
        [("b",), ("B",), ("a",)], "s STRING").select(F.min("s"), F.max("s"))),
    "agg_with_ordering": lambda spark, F: out(people(spark).groupBy("grp").agg(F.sum("id").alias("t"))
                                              .orderBy(F.desc("t"), "grp")),
}


# -- join ----------------------------------------------------------------------------------------


def _join(how):
    return lambda spark, F: out(emp(spark).join(dept(spark), "dept", how), ordered=False)


def _join_expr(how):
    return lambda spark, F: out(
        emp(spark).join(dept(spark), emp(spark)["dept"] == dept(spark)["dept"], how), ordered=False)


def _join_expr_same_frames(how):
    def run(spark, F):
        e, d = emp(spark), dept(spark)
        return out(e.join(d, e["dept"] == d["dept"], how).select(e["name"], d["dname"]), ordered=False)

    return run


JOIN = {
    "inner_on_name": _join("inner"),
    "left_on_name": _join("left"),
    "left_outer_on_name": _join("left_outer"),
    "right_on_name": _join("right"),
    "full_on_name": _join("full"),
    "outer_on_name": _join("outer"),
    "semi_on_name": _join("semi"),
    "left_semi_on_name": _join("left_semi"),
    "anti_on_name": _join("anti"),
    "leftanti_on_name": _join("leftanti"),
    "inner_default_how": lambda spark, F: out(emp(spark).join(dept(spark), "dept"), ordered=False),
    "on_list_of_names": lambda spark, F: out(emp(spark).join(dept(spark), ["dept"], "inner"), ordered=False),
    "inner_on_expression": _join_expr_same_frames("inner"),
    "left_on_expression": _join_expr_same_frames("left"),
    "full_on_expression": _join_expr_same_frames("full"),
    "on_expression_keeps_both_keys": lambda spark, F: out(
        emp(spark).join(dept(spark).withColumnRenamed("dept", "d"), F.col("dept") == F.col("d"), "inner"),
        ordered=False),
    "on_expression_anti": lambda spark, F: out(
        emp(spark).join(dept(spark).withColumnRenamed("dept", "d"), F.col("dept") == F.col("d"), "anti"),
        ordered=False),
    "on_expression_non_equi": lambda spark, F: out(
        emp(spark).join(dept(spark).withColumnRenamed("dept", "d"), F.col("dept") < F.col("d"), "inner")
        .select("id", "d"), ordered=False),
    "cross_join": lambda spark, F: out(emp(spark).select("id").crossJoin(dept(spark).select("dname")),
                                       ordered=False),
    "cross_how": lambda spark, F: out(emp(spark).select("id").filter("id < 3").join(
        dept(spark).select("dname"), how="cross"), ordered=False),
    "multi_key_join": lambda spark, F: out(
        spark.createDataFrame([(1, "a", 10), (1, "b", 11), (2, "a", 12)], "x INT, y STRING, v INT").join(
            spark.createDataFrame([(1, "a", 20), (2, "b", 21)], "x INT, y STRING, w INT"), ["x", "y"], "full"),
        ordered=False),
    "join_with_aliases": lambda spark, F: out(
        emp(spark).alias("e").join(dept(spark).alias("d"), F.col("e.dept") == F.col("d.dept"))
        .select("e.name", "d.dname", F.col("d.dept")), ordered=False),
}


# -- time windows --------------------------------------------------------------------------------


def _win(spark, F, *args, **kw):
    w = events(spark).groupBy(F.window("ts", *args, **kw)).agg(F.sum("v").alias("sum"))
    return out(w.select(F.col("window.start").cast("string").alias("start"),
                        F.col("window.end").cast("string").alias("end"), "sum").orderBy("start"))


WINDOW = {
    "tumbling_schema_and_rows": lambda spark, F: out(
        events(spark).groupBy(F.window("ts", "5 seconds")).agg(F.sum("v")).orderBy("window")),
    "tumbling_start_end_fields": lambda spark, F: _win(spark, F, "5 seconds"),
    "tumbling_with_start_time": lambda spark, F: _win(spark, F, "5 seconds", startTime="2 seconds"),
    "sliding": lambda spark, F: _win(spark, F, "10 seconds", "5 seconds"),
    "sliding_with_start_time": lambda spark, F: _win(spark, F, "10 seconds", "5 seconds", "3 seconds"),
    "sliding_minutes": lambda spark, F: _win(spark, F, "1 minute", "20 seconds"),
    "window_and_key": lambda spark, F: out(
        events(spark).groupBy(F.window("ts", "10 seconds"), "k").count().orderBy("window", "k")),
    "window_select_start_end_getfield": lambda spark, F: out(
        events(spark).select(F.window("ts", "5 seconds").alias("w"), "v")
        .select(F.col("w").getField("start"), F.col("w")["end"], "v").orderBy("v")),
    "window_docstring_example": lambda spark, F: out(
        spark.createDataFrame([(datetime.datetime(2016, 3, 11, 9, 0, 7), 1)]).toDF("date", "val")
        .groupBy(F.window("date", "5 seconds")).agg(F.sum("val").alias("sum"))
        .select(F.col("window.start").cast("string").alias("start"),
                F.col("window.end").cast("string").alias("end"), "sum")),
    "session_window": lambda spark, F: out(
        events(spark).groupBy(F.session_window("ts", "5 seconds")).agg(F.sum("v"), F.count("*"))
        .orderBy("session_window")),
    "session_window_per_key": lambda spark, F: out(
        events(spark).groupBy("k", F.session_window("ts", "5 seconds")).agg(F.sum("v").alias("s"))
        .select("k", F.col("session_window.start").cast("string").alias("start"),
                F.col("session_window.end").cast("string").alias("end"), "s").orderBy("k", "start")),
}


# -- dataframe methods ---------------------------------------------------------------------------


def _word_count(spark, F):
    lines = spark.createDataFrame([("to be or not to be",), ("be quick",), ("or not",)], "value STRING")
    words = lines.select(F.explode(F.split(F.col("value"), " ")).alias("word"))
    return out(words.groupBy("word").count().orderBy(F.desc("count"), "word"))


DATAFRAME = {
    "select_names_and_star": lambda spark, F: out(people(spark).select("*", "id").orderBy("id")),
    "select_list": lambda spark, F: out(people(spark).select(["name", "id"]).orderBy("id")),
    "select_expr": lambda spark, F: out(people(spark).selectExpr("id * 2 AS d", "upper(name)", "score > 5")
                                        .orderBy("d")),
    "filter_column": lambda spark, F: out(people(spark).filter(F.col("score") > 5).select("id").orderBy("id")),
    "filter_sql_string": lambda spark, F: out(people(spark).filter("id > 1 AND grp = 'a'").select("id")),
    "where_is_filter": lambda spark, F: out(people(spark).where(F.col("name").isNotNull()).select("id")
                                            .orderBy("id")),
    "with_column_add": lambda spark, F: out(people(spark).withColumn("d", F.col("id") * 2).orderBy("id")),
    "with_column_replace_keeps_position": lambda spark, F: out(people(spark).withColumn(
        "name", F.upper("name")).orderBy("id")),
    "with_columns": lambda spark, F: out(people(spark).select("id").withColumns(
        {"x": F.col("id") + 1, "id": F.col("id") * 10}).orderBy("x")),
    "with_column_renamed": lambda spark, F: out(people(spark).withColumnRenamed("name", "who").select(
        "id", "who").orderBy("id")),
    "with_column_renamed_missing_is_noop": lambda spark, F: people(spark).withColumnRenamed("zzz", "y").columns,
    "drop": lambda spark, F: people(spark).drop("score").columns,
    "drop_many_and_missing": lambda spark, F: people(spark).drop("score", "grp", "zzz").columns,
    "drop_column_object": lambda spark, F: people(spark).drop(F.col("name")).columns,
    "order_by_multiple_keys": lambda spark, F: out(people(spark).orderBy("grp", F.col("id").desc())
                                                   .select("grp", "id")),
    "order_by_ascending_list": lambda spark, F: out(people(spark).orderBy(
        ["grp", "id"], ascending=[False, True]).select("grp", "id")),
    "order_by_ascending_false": lambda spark, F: out(people(spark).orderBy("score", ascending=False)
                                                     .select("score")),
    "sort_is_order_by": lambda spark, F: out(people(spark).sort(F.desc("id")).select("id")),
    "limit": lambda spark, F: out(people(spark).orderBy("id").limit(2)),
    "limit_zero": lambda spark, F: out(people(spark).limit(0)),
    "distinct": lambda spark, F: out(people(spark).select("grp").distinct(), ordered=False),
    "drop_duplicates_all": lambda spark, F: out(spark.createDataFrame(
        [(1, "a"), (1, "a"), (2, "a")], "k INT, v STRING").dropDuplicates(), ordered=False),
    "drop_duplicates_subset": lambda spark, F: out(spark.createDataFrame(
        [(1, "a", 5), (1, "a", 5), (2, "a", 6), (2, "b", 6)], "k INT, v STRING, w INT").dropDuplicates(
        ["w"]).select("k", "w"), ordered=False),
    "drop_duplicates_subset_count": lambda spark, F: people(spark).dropDuplicates(["grp"]).count(),
    "union_by_position": lambda spark, F: out(people(spark).select("name", "grp").union(
        people(spark).select("grp", "name")), ordered=False),
    "union_keeps_duplicates": lambda spark, F: people(spark).union(people(spark)).count(),
    "union_by_name": lambda spark, F: out(people(spark).select("id", "name").unionByName(
        people(spark).select("name", "id")), ordered=False),
    "union_by_name_allow_missing": lambda spark, F: out(people(spark).select("id", "name").unionByName(
        people(spark).select("id", "grp"), allowMissingColumns=True), ordered=False),
    "columns": lambda spark, F: people(spark).columns,
    "schema_simple_string": lambda spark, F: people(spark).schema.simpleString(),
    "dtypes": lambda spark, F: people(spark).dtypes,
    "dtypes_complex": lambda spark, F: spark.createDataFrame(
        [([1], {"a": 1.0}, (1, "x"))], "a ARRAY<INT>, m MAP<STRING, DOUBLE>, s STRUCT<i: BIGINT, t: STRING>").dtypes,
    "collect_rows": lambda spark, F: [r.asDict() for r in people(spark).orderBy("id").collect()],
    "row_attribute_and_key_access": lambda spark, F: [
        (r.id, r["name"], r[2]) for r in people(spark).orderBy("id").collect()],
    "take": lambda spark, F: plain(people(spark).orderBy("id").take(2)),
    "first": lambda spark, F: plain(people(spark).orderBy(F.desc("id")).first()),
    "first_of_empty_is_none": lambda spark, F: people(spark).limit(0).first(),
    "head_no_arg_is_row": lambda spark, F: plain(people(spark).orderBy("id").head()),
    "head_n_is_list": lambda spark, F: plain(people(spark).orderBy("id").head(2)),
    "count": lambda spark, F: [people(spark).count(), people(spark).filter("id > 9").count()],
    "to_local_iterator": lambda spark, F: [plain(r) for r in people(spark).orderBy("id").toLocalIterator()],
    "rdd_of_rows": lambda spark, F: sorted(people(spark).rdd.map(lambda r: (r.id, r.name)).collect(), key=repr),
    "is_streaming": lambda spark, F: people(spark).isStreaming,
    "range": lambda spark, F: out(spark.range(3)) + out(spark.range(1, 7, 2)),
    "create_from_rows_and_dicts": lambda spark, F: out(spark.createDataFrame([{"a": 1, "b": "x"}]))
    + out(spark.createDataFrame([(1, 2.0)], ["p", "q"])),
    "to_df_renames": lambda spark, F: out(spark.createDataFrame([(1, "x")]).toDF("n", "s")),
    "default_name_count": lambda spark, F: people(spark).groupBy("grp").count().columns,
    "default_name_sum": lambda spark, F: people(spark).select(F.sum("id")).columns,
    "default_name_arith": lambda spark, F: people(spark).select(F.col("id") + 1, F.col("id") * 2.0).columns,
    "default_name_split": lambda spark, F: people(spark).select(F.split("name", " ")).columns,
    "default_name_explode": lambda spark, F: arrays(spark).select(F.explode("arr")).columns,
    "default_name_functions": lambda spark, F: people(spark).select(
        F.upper("name"), F.length(F.col("name")), F.concat_ws(",", "name", "grp"), F.lower(F.lit("A"))).columns,
    "default_name_aggregates": lambda spark, F: people(spark).select(
        F.count("*"), F.avg("score"), F.countDistinct("grp"), F.min(F.col("id") + 1)).columns,
    "default_name_string_literal_in_expression": lambda spark, F: people(spark).select(
        F.col("name") == "Bob", F.col("id").isin(1, 2)).columns,
    "temp_view_and_table": lambda spark, F: (people(spark).createOrReplaceTempView("people_v"),
                                             out(spark.table("people_v").orderBy("id").select("id")))[1],
    "temp_view_replace": lambda spark, F: (people(spark).createOrReplaceTempView("people_v2"),
                                           people(spark).select("id").createOrReplaceTempView("people_v2"),
                                           spark.table("people_v2").columns)[2],
    "alias_then_select_qualified": lambda spark, F: out(people(spark).alias("p").select("p.id").orderBy("id")),
    "word_count": _word_count,
}

# -- edge cases: where engines built on other libraries tend to differ from Spark ----------------


def _one(spark, ddl, *values):
    """A one-column DataFrame of ``values``."""
    return spark.createDataFrame([(v,) for v in values], ddl)


def _grouped_zeros(spark, F):
    df = _one(spark, "x DOUBLE", 0.0, -0.0, float("nan"), float("nan"), 1.0)
    return out(df.groupBy("x").count(), ordered=False)


def _join_null_keys(spark, F):
    left = spark.createDataFrame([(1, "a"), (None, "b")], "k INT, l STRING")
    right = spark.createDataFrame([(1, "x"), (None, "y")], "k INT, r STRING")
    return out(left.join(right, "k", "full"), ordered=False)


def _self_join(spark, F):
    e = emp(spark)
    a, b = e.alias("a"), e.alias("b")
    return out(a.join(b, F.col("a.id") + 1 == F.col("b.id")).select(F.col("a.name"), F.col("b.name").alias("next")),
               ordered=False)


def _union_widening(spark, F):
    ints = _one(spark, "n INT", 1)
    return out(ints.union(_one(spark, "x DOUBLE", 2.5)), ordered=False) + out(
        ints.union(_one(spark, "l BIGINT", 2**40)), ordered=False)


FUNCTIONS.update({
    "split_dot_is_regex": lambda spark, F: out(_one(spark, "s STRING", "a.b").select(F.split("s", "\\."), F.split("s", ".").alias("any"))),
    "split_limit_one_and_zero": lambda spark, F: out(_one(spark, "s STRING", "a,b,c,,").select(
        F.split("s", ",", 1).alias("one"), F.split("s", ",", 0).alias("zero"))),
    "split_empty_pattern": lambda spark, F: out(_one(spark, "s STRING", "abc").select(F.split("s", ""))),
    "regexp_lookahead": lambda spark, F: out(_one(spark, "s STRING", "xab ac").select(
        F.regexp_extract("s", "a(?=c)", 0).alias("e"), F.regexp_replace("s", "a(?!b)", "_").alias("r"))),
    "regexp_case_insensitive_flag": lambda spark, F: out(_one(spark, "s STRING", "Hello HELLO").select(
        F.regexp_replace("s", "(?i)hello", "x").alias("r"), F.col("s").rlike("(?i)^hello").alias("m"))),
    "regexp_replace_whole_match_and_escaped_dollar": lambda spark, F: out(_one(spark, "s STRING", "a1").select(
        F.regexp_replace("s", "[0-9]", "<$0>").alias("whole"), F.regexp_replace("s", "a", "\\$").alias("dollar"))),
    "substring_edges": lambda spark, F: out(_one(spark, "s STRING", "abc").select(
        F.substring("s", -5, 3).alias("before_start"), F.substring("s", 2, 0).alias("len0"),
        F.substring("s", 2, -1).alias("neg_len"), F.substring("s", 4, 1).alias("past_end"))),
    "trim_only_spaces": lambda spark, F: out(_one(spark, "s STRING", "\t x \t", "  y  ").select(
        F.trim("s"), F.length(F.trim("s")).alias("n"))),
    "case_mapping_unicode": lambda spark, F: out(_one(spark, "s STRING", "straße ΣΑΣ").select(
        F.upper("s"), F.lower("s"))),
    "concat_casts_numbers": lambda spark, F: out(people(spark).select(F.concat("id", F.lit(":"), "score")).orderBy("id")),
    "size_of_map_and_array_literal": lambda spark, F: out(spark.createDataFrame(
        [({"a": 1, "b": 2}, [1, 2, 3])], "m MAP<STRING, INT>, a ARRAY<INT>").select(F.size("m"), F.size("a"))),
    "explode_map": lambda spark, F: out(spark.createDataFrame([(1, {"a": 1, "b": 2})], "id INT, m MAP<STRING, INT>")
                                        .select("id", F.explode("m")), ordered=False),
    "struct_of_expression_names_fields_col_n": lambda spark, F: people(spark).select(
        F.struct(F.col("id") + 1, "name", F.lit(1))).schema.simpleString(),
    "to_timestamp_fraction_iso_and_offset": lambda spark, F: out(_one(
        spark, "s STRING", "2016-03-11 09:00:07.123456", "2016-03-11T09:00:07", "2016-03-11T09:00:07+02:00",
        "2016-03-11").select(F.to_timestamp("s"))),
    "to_date_from_timestamp": lambda spark, F: out(events(spark).select(F.to_date("ts")).limit(1)),
    "date_format_patterns": lambda spark, F: out(events(spark).limit(1).select(
        F.date_format("ts", "yyyy-MM-dd'T'HH:mm:ss.SSS").alias("iso"), F.date_format("ts", "MMMM EEEE").alias("names"),
        F.date_format("ts", "hh:mm a").alias("ampm"), F.date_format("ts", "D yy").alias("doy"))),
    "from_unixtime_negative_and_format": lambda spark, F: out(_one(spark, "n BIGINT", -1, 86400 * 365).select(
        F.from_unixtime("n"), F.from_unixtime("n", "HH:mm EEE").alias("f"))),
    "unix_timestamp_of_date_string": lambda spark, F: out(_one(spark, "s STRING", "2016-03-11").select(
        F.unix_timestamp("s", "yyyy-MM-dd"))),
    "when_chain_types_widen": lambda spark, F: out(people(spark).select(
        F.when(F.col("id") == 1, 1).when(F.col("id") == 2, 2.5).otherwise(F.lit(None)).alias("w")).orderBy("w")),
})


COLUMNS.update({
    "nan_comparisons": lambda spark, F: out(_one(spark, "x DOUBLE", float("nan"), 1.0).select(
        "x", F.col("x") == float("nan"), F.col("x") > 1e308, F.col("x").isNull())),
    "nan_sorts_after_infinity": lambda spark, F: out(_one(
        spark, "x DOUBLE", float("nan"), float("inf"), None, -1.0, float("-inf")).orderBy("x")),
    "negative_zero_equals_zero": lambda spark, F: out(_one(spark, "x DOUBLE", -0.0).select(F.col("x") == 0.0, "x")),
    "double_modulo": lambda spark, F: out(_one(spark, "x DOUBLE", 7.5, -7.5).select(F.col("x") % 2)),
    "int_compared_with_numeric_string": lambda spark, F: out(people(spark).select("id", F.col("id") == "1")
                                                             .orderBy("id")),
    "like_is_not_regex": lambda spark, F: out(_one(spark, "s STRING", "Alice", "A.ice", "a_b", "axb").select(
        "s", F.col("s").like("A.ice"), F.col("s").like("a\\_b").alias("esc"))),
    "between_strings": lambda spark, F: out(people(spark).select("name", F.col("name").between("B", "d"))
                                            .orderBy("id")),
    "cast_double_to_string_java_format": lambda spark, F: out(_one(
        spark, "x DOUBLE", 1e20, 0.1 + 0.2, 1e-4, 100.0, 1e7, float("nan"), -0.0).select(F.col("x").cast("string"))),
    "cast_to_float": lambda spark, F: out(_one(spark, "x DOUBLE", 0.1, 2.5).select(F.col("x").cast("float"))),
    "cast_string_to_boolean": lambda spark, F: out(_one(
        spark, "s STRING", "true", "TRUE", "t", "yes", "1", "false", "n", "0", None).select(F.col("s").cast("boolean"))),
    "cast_loose_date_and_zulu_timestamp": lambda spark, F: out(_one(
        spark, "s STRING", "2016-3-1", "2016-03-11T09:00:07Z", "2016-03-11 09:00:07.5").select(
        F.col("s").cast("date"), F.col("s").cast("timestamp").alias("t"))),
    "cast_long_and_double_to_timestamp": lambda spark, F: out(_one(spark, "n BIGINT", 1457686807).select(
        F.col("n").cast("timestamp"), (F.col("n") + 0.5).cast("timestamp").alias("half"))),
    "cast_timestamp_with_micros_to_string": lambda spark, F: out(_one(
        spark, "s STRING", "2016-03-11 09:00:07.120000", "2016-03-11 09:00:07.000001").select(
        F.col("s").cast("timestamp").cast("string"))),
    "cast_bool_and_date_to_string": lambda spark, F: out(spark.createDataFrame(
        [(True, datetime.date(2016, 3, 11))], "b BOOLEAN, d DATE").select(F.col("b").cast("string"), F.col("d").cast("string"))),
    "get_field_of_null_struct": lambda spark, F: out(spark.createDataFrame(
        [((1, "x"),), (None,)], "s STRUCT<a: INT, b: STRING>").select(F.col("s.a"), F.col("s").getField("b"))),
})


AGGREGATE.update({
    "group_by_negative_zero_and_nan": _grouped_zeros,
    "distinct_negative_zero": lambda spark, F: _one(spark, "x DOUBLE", 0.0, -0.0).distinct().count(),
    "min_max_dates_timestamps_booleans": lambda spark, F: out(events(spark).select(
        F.min("ts"), F.max("ts"), F.min(F.col("v") > 2), F.max(F.to_date("ts")))),
    "agg_dict_star_and_mean": lambda spark, F: out(people(spark).groupBy("grp").agg({"*": "count", "score": "mean"}),
                                                   ordered=False),
    "count_of_empty_frame": lambda spark, F: out(people(spark).filter("id > 9").groupBy().count())
    + out(people(spark).filter("id > 9").groupBy("grp").count()),
    "sum_of_all_null_group": lambda spark, F: out(people(spark).filter("id = 2").groupBy("grp").agg(
        F.sum("score"), F.avg("score"), F.count("score"), F.min("score"))),
    "same_aggregate_twice": lambda spark, F: people(spark).agg(F.sum("id"), F.sum("id")).columns,
    "select_expr_aggregate": lambda spark, F: out(people(spark).selectExpr("count(*)", "max(id) AS m", "sum(score)")),
    "avg_of_longs_exact": lambda spark, F: out(_one(spark, "n BIGINT", 2**53, 2**53 + 2).select(F.avg("n"), F.sum("n"))),
})


JOIN.update({
    "full_join_null_keys_never_match": _join_null_keys,
    "self_join_with_aliases": _self_join,
    "join_multiplies_duplicates": lambda spark, F: emp(spark).select("dept").union(emp(spark).select("dept")).join(
        dept(spark), "dept").count(),
    "join_on_two_conditions": lambda spark, F: out(emp(spark).join(
        dept(spark).withColumnRenamed("dept", "d"), (F.col("dept") == F.col("d")) & (F.col("dname") != "Ops"))
        .select("name", "dname"), ordered=False),
    "join_on_name_with_widening_key": lambda spark, F: out(
        _one(spark, "k INT", 1, 2).join(_one(spark, "k BIGINT", 2, 3), "k", "full"), ordered=False),
})


WINDOW.update({
    "event_on_boundary_starts_window": lambda spark, F: out(_one(
        spark, "ts TIMESTAMP", datetime.datetime(2016, 3, 11, 9, 0, 10)).select(F.window("ts", "5 seconds"))),
    "before_epoch": lambda spark, F: out(_one(
        spark, "ts TIMESTAMP", datetime.datetime(1969, 12, 31, 23, 59, 58)).select(
        F.window("ts", "5 seconds").cast("string").alias("w"))),
    "hour_day_and_minute_windows": lambda spark, F: [
        out(events(spark).limit(1).select(F.window("ts", *args).cast("string").alias("w")), ordered=False)
        for args in (("1 hour",), ("1 day",), ("10 minutes", "5 minutes", "2 minutes"))],
    "window_with_microseconds": lambda spark, F: out(_one(
        spark, "ts TIMESTAMP", datetime.datetime(2016, 3, 11, 9, 0, 9, 999999)).select(
        F.window("ts", "500 milliseconds").cast("string").alias("w"))),
    "session_windows_touching_gap": lambda spark, F: out(_one(
        spark, "ts TIMESTAMP", datetime.datetime(2016, 3, 11, 9, 0, 7), datetime.datetime(2016, 3, 11, 9, 0, 12),
        datetime.datetime(2016, 3, 11, 9, 0, 16, 999999)).groupBy(F.session_window("ts", "5 seconds")).count()
        .select(F.col("session_window").cast("string").alias("s"), "count").orderBy("s")),
    "window_of_null_timestamp": lambda spark, F: out(_one(spark, "ts TIMESTAMP", None).select(F.window("ts", "5 seconds"))),
})


DATAFRAME.update({
    "order_by_column_not_selected": lambda spark, F: out(people(spark).select("name").orderBy(F.desc("id"))),
    "filter_on_column_not_selected": lambda spark, F: out(people(spark).select("name").filter("id > 2")),
    "filter_sql_functions": lambda spark, F: out(people(spark).filter(
        "length(name) > 3 OR grp IS NULL").select("id").orderBy("id")) + out(people(spark).filter(
        "name LIKE 'B%' OR id IN (3)").select("id").orderBy("id")),
    "select_expr_case_cast_backticks": lambda spark, F: out(people(spark).selectExpr(
        "CASE WHEN id > 2 THEN 'hi' ELSE 'lo' END AS c", "CAST(id AS STRING)", "`name`").orderBy("c", "name")),
    "dotted_column_name_with_backticks": lambda spark, F: out(people(spark).select(F.col("id").alias("a.b")).select(
        "`a.b`").orderBy("`a.b`")),
    "column_name_with_space": lambda spark, F: out(people(spark).withColumn("my col", F.col("id") * 2).select(
        "my col").orderBy("my col")),
    "limit_larger_than_rows_and_head_zero": lambda spark, F: [people(spark).limit(10).count(),
                                                              plain(people(spark).head(0)), plain(people(spark).take(0))],
    "union_widens_numbers": _union_widening,
    "union_of_string_and_int_is_bigint": lambda spark, F: out(_one(spark, "s STRING", "7").union(_one(spark, "n INT", 1)),
                                                              ordered=False),
    "two_generators_in_one_select": lambda spark, F: out(spark.createDataFrame(
        [([1, 2], [3, 4])], "a ARRAY<INT>, b ARRAY<INT>").select(F.explode("a").alias("x"), F.explode("b").alias("y")),
        ordered=False),
    "union_by_name_reorders": lambda spark, F: out(people(spark).select("id", "name").limit(1).unionByName(
        people(spark).select("name", "id").filter("id = 2")), ordered=False),
    "distinct_with_nulls": lambda spark, F: out(spark.createDataFrame(
        [(None, 1), (None, 1), ("a", None), ("a", None)], "s STRING, n INT").distinct(), ordered=False),
    "drop_duplicates_alias": lambda spark, F: people(spark).select("grp").drop_duplicates().count(),
    "duplicate_names_in_row": lambda spark, F: repr(people(spark).filter("id = 1").select("id", "name", "id").first()),
    "row_of_struct_repr": lambda spark, F: repr(people(spark).filter("id = 1").select(
        F.struct("id", "name").alias("s"), F.array(F.lit(1), F.lit(None)).alias("a")).first()),
    "with_columns_renamed_dict": lambda spark, F: people(spark).withColumnsRenamed({"id": "key", "grp": "g"}).columns,
    "to_df_then_select": lambda spark, F: out(people(spark).toDF("a", "b", "c", "d").select("d", "a").orderBy("a")),
    "dtypes_of_all_atomic_types": lambda spark, F: spark.createDataFrame(
        [], "a TINYINT, b SMALLINT, c INT, d BIGINT, e FLOAT, f DOUBLE, g STRING, h BOOLEAN, i DATE, j TIMESTAMP, "
        "k DECIMAL(10,2), l BINARY").dtypes,
})


# -- more edge cases: SQL expression strings, Java regex, literals ---------------------------------


FUNCTIONS.update({
    "expr_sql_forms_and_names": lambda spark, F: out(people(spark).select(
        F.expr("id DIV 2"), F.expr("split(grp, ',')[0]"), F.expr("IF(id > 1, 'a', 'b')"), F.expr("id <=> NULL"),
        F.expr("NOT (id > 1)"), F.expr("CAST(id AS DOUBLE) / 4"), F.expr("nvl(name, 'x')"), F.expr("TRUE AND NULL"))
        .orderBy("id")),
    "lit_date_timestamp_list": lambda spark, F: out(people(spark).limit(1).select(
        F.lit(datetime.date(2016, 3, 11)), F.lit(datetime.datetime(2016, 3, 11, 9, 0, 7)), F.lit([1, 2]))),
    "java_regex_posix_bracket_is_a_char_class": lambda spark, F: out(_one(spark, "s STRING", "a:b").select(
        F.regexp_replace("s", "[[:alpha:]]", "X").alias("r"))),
    "java_regex_digit_is_ascii": lambda spark, F: out(_one(spark, "s STRING", "a\u0663" + "1").select(
        F.regexp_replace("s", "\\d", "#").alias("r"), F.col("s").rlike("^a\\d").alias("m"))),
    "java_regex_unicode_letters": lambda spark, F: out(_one(spark, "s STRING", "héllo wörld 42").select(
        F.regexp_extract("s", "(\\p{L}+) (\\p{L}+)", 2).alias("w"), F.split("s", "\\s+").alias("parts"))),
    "trim_keeps_non_breaking_space": lambda spark, F: out(_one(spark, "s STRING", "\u00a0x\u00a0 ").select(
        F.length(F.trim("s")).alias("n"))),
    "length_and_substring_of_emoji": lambda spark, F: out(_one(spark, "s STRING", "a\U0001F600b").select(
        F.length("s"), F.substring("s", 2, 1).alias("e"), F.upper("s").alias("u"))),
    "split_limit_larger_than_parts": lambda spark, F: out(_one(spark, "s STRING", "a,b").select(F.split("s", ",", 5))),
    "isin_empty_list": lambda spark, F: out(people(spark).select("id", F.col("grp").isin([]).alias("e")).orderBy("id")),
    "null_literal_arithmetic": lambda spark, F: out(people(spark).limit(1).select(F.col("id") + F.lit(None))),
    "unix_timestamp_before_epoch": lambda spark, F: out(_one(spark, "s STRING", "1969-12-31 23:59:59").select(
        F.unix_timestamp("s"))),
})


AGGREGATE.update({
    "aggregate_expression_names": lambda spark, F: out(people(spark).groupBy(F.col("grp").alias("g")).agg(
        F.sum("id") / F.count("*"), F.expr("count(distinct name)"), (F.max("id") - F.min("id")).alias("span")),
        ordered=False),
    # an estimate: Spark's HyperLogLog++ says 1026; the contract is the default 5 % relative error
    "approx_count_distinct_large": lambda spark, F: out(spark.range(1000).select(
        (F.abs(F.approx_count_distinct("id") - 1000) <= 50).alias("within_rsd"))),
    "sum_of_floats_and_decimals": lambda spark, F: out(spark.createDataFrame(
        [(0.5, 1.25), (0.25, 2.5)], "f FLOAT, d DOUBLE").select(
        F.sum("f"), F.avg("f"), F.sum(F.col("d").cast("decimal(5,2)")), F.avg(F.col("d").cast("decimal(5,2)")))),
})


DATAFRAME.update({
    "select_expr_star_and_extra": lambda spark, F: out(people(spark).selectExpr("*", "id + 1 AS x").orderBy("id")),
    "order_by_expressions": lambda spark, F: out(people(spark).orderBy(F.col("id") % 2, F.length("name").desc_nulls_last(),
                                                                           "id").select("id")),
    "sort_strings_code_points": lambda spark, F: out(_one(spark, "s STRING", "b", "B", "", "a", "é", "Z", "10", "9")
                                                     .orderBy("s")),
})


WINDOW.update({
    "window_slide_longer_than_duration_is_an_error": lambda spark, F: _error_of(
        lambda: events(spark).select(F.window("ts", "5 seconds", "10 seconds")).collect()),
})


def _error_of(run):
    """``[condition, first line]`` of the error ``run`` raises (or the result when it does not)."""
    try:
        return plain(run())
    except Exception as exc:  # noqa: BLE001 - the error is the value under test
        return [exc.getCondition(), str(exc).strip().split("\n")[0].split(" SQLSTATE")[0]]


GROUPS = {
    "functions": FUNCTIONS,
    "columns": COLUMNS,
    "aggregate": AGGREGATE,
    "join": JOIN,
    "window": WINDOW,
    "dataframe": DATAFRAME,
}
