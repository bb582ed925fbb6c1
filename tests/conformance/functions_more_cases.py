"""Cases for the functions added to ``functions`` by family (strings, conditional, math, dates,
collections, aggregates): each is a function of (spark, F) returning ``[schema.simpleString(), rows]``,
or ``["error", condition, message]`` for a case Spark rejects.

Expected values live in ``functions_more_expected.py``, captured from real PySpark by
``functions_more_capture.py`` (literals, never computed by ember).
"""

from __future__ import annotations

import datetime as dt
import re

from sql_cases import plain, types_of


def out(df) -> list:
    return [df.schema.simpleString(), [plain(r) for r in df.collect()]]


def approx(df) -> list:
    """As ``out``, doubles to 12 significant digits: Java's and the C library's transcendental functions
    may differ in the last bit (Math.sin(2.5) is 0.5984721441039564 on the JVM, ...565 in glibc)."""

    def r(v):
        if isinstance(v, float) and v == v and v not in (float("inf"), float("-inf")):
            return float(f"{v:.12g}")
        if isinstance(v, (tuple, list)):
            return type(v)(r(x) for x in v)
        return v

    return [df.schema.simpleString(), [r(plain(row)) for row in df.collect()]]


def err(fn) -> list:
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the case records what was raised
        line = str(exc).strip().split("\n")[0]
        found = re.match(r"(.*?SQLSTATE: [0-9A-Z]{5})", line)
        cond = getattr(exc, "getCondition", lambda: None)()
        return ["error", cond, found.group(1) if found else line]
    return ["no error"]


def strs(spark):
    return spark.createDataFrame(
        [
            (1, "hello world", "o", 3),
            (2, "Spark,SQL,,Streaming", ",", -2),
            (3, "", "x", 0),
            (4, None, None, None),
            (5, "  padded  ", " ", 10),
            (6, "héllo wörld 日本", "ö", 2),
            (7, "GET /index.html 200 1234", " ", 1),
        ],
        "id int, s string, t string, n int",
    )


def nums(spark):
    return spark.createDataFrame(
        [
            (1, 2.5, 7, 10),
            (2, -1.5, -7, -3),
            (3, 0.0, 0, 0),
            (4, None, None, None),
            (5, 100.0, 20, 21),
            (6, 0.5, 3, 1),
        ],
        "id int, x double, i int, l bigint",
    )


def times(spark):
    D, T = dt.date, dt.datetime
    return spark.createDataFrame(
        [
            (1, T(2024, 1, 31, 13, 45, 30, 123456), D(2024, 1, 31)),
            (2, T(2024, 2, 29, 0, 0, 0), D(2024, 2, 29)),
            (3, T(2023, 12, 31, 23, 59, 59, 999999), D(2023, 12, 31)),
            (4, None, None),
            (5, T(1969, 12, 31, 23, 59, 59, 500000), D(1969, 12, 31)),
            (6, T(2024, 7, 4, 6, 7, 8), D(2024, 7, 6)),
        ],
        "id int, ts timestamp, d date",
    )


def arrs(spark):
    return spark.createDataFrame(
        [
            (1, [3, 1, 2, 1], [2, 5], {"a": 1, "b": 2}),
            (2, [None, 4, None], [4], {"x": None}),
            (3, [], [], {}),
            (4, None, None, None),
            (5, [7], [None, 7], {"k": 3}),
        ],
        "id int, a array<int>, b array<int>, m map<string,int>",
    )


def groups(spark):
    return spark.createDataFrame(
        [
            ("a", 1, 10.0, True, "x"),
            ("a", 3, 30.0, False, "y"),
            ("a", 2, None, True, "z"),
            ("b", 5, 1.0, True, "p"),
            ("b", None, 4.0, None, "q"),
            ("c", None, None, None, None),
            ("d", 4, 2.0, True, "u"),
            ("d", 4, 8.0, True, "v"),
            ("d", 9, 5.0, False, "w"),
        ],
        "g string, v int, w double, b boolean, s string",
    )


def _lit(F):
    return F.lit


# -- conditional ---------------------------------------------------------------------------------
def _cond(spark, F):
    df = nums(spark)
    return out(df.select("id", F.ifnull("x", F.lit(9.0)), F.nvl("i", "l"), F.nvl2("x", "i", "l"),
                         F.nullif("i", F.lit(0)), F.equal_null("x", F.lit(None).cast("double")),
                         F.nullifzero("i"), F.zeroifnull("x")))


def _cond_mixed_types(spark, F):
    df = nums(spark)
    return out(df.select(F.ifnull("i", "x"), F.nvl2("i", F.lit("yes"), F.lit("no")), F.nullif("x", "i")))


# -- strings ---------------------------------------------------------------------------------------
def _str_predicates(spark, F):
    df = strs(spark)
    return out(df.select("id", F.contains("s", "t"), F.startswith("s", F.lit("he")), F.endswith("s", "t"),
                         F.like("s", F.lit("%o_l%")), F.ilike("s", F.lit("HE%")),
                         F.rlike("s", F.lit(r"\d+$")), F.regexp_like("s", F.lit("^[A-Z]")),
                         F.regexp("s", F.lit("o"))))


def _str_case_length(spark, F):
    df = strs(spark)
    return out(df.select(F.lcase("s"), F.ucase("s"), F.char_length("s"), F.character_length("s"),
                         F.octet_length("s"), F.bit_length("s")))


def _str_left_right_substr(spark, F):
    df = strs(spark)
    return out(df.select(F.left("s", F.lit(3)), F.right("s", F.lit(3)), F.left("s", "n"), F.right("s", "n"),
                         F.substr("s", F.lit(2), F.lit(3)), F.substr("s", F.lit(-3)),
                         F.substr("s", "n", F.lit(2))))


def _str_trim_locate(spark, F):
    df = strs(spark)
    return out(df.select(F.btrim("s"), F.btrim("s", F.lit("hd ")), F.locate("o", "s"), F.locate("o", "s", 6),
                         F.locate("", "s", 0), F.position(F.lit("l"), "s"), F.position("t", "s", F.lit(3))))


def _str_split_part_index(spark, F):
    df = strs(spark)
    return out(df.select(F.split_part("s", F.lit(","), F.lit(2)), F.split_part("s", F.lit(" "), F.lit(-1)),
                         F.split_part("s", F.lit(","), F.lit(5)), F.split_part("s", "t", F.lit(1)),
                         F.substring_index("s", ",", 2), F.substring_index("s", " ", -2),
                         F.substring_index("s", "o", 0)))


def _str_split_part_zero(spark, F):
    return err(lambda: strs(spark).select(F.split_part("s", F.lit(","), F.lit(0))).collect())


def _str_replace(spark, F):
    df = strs(spark)
    return out(df.select(F.replace("s", F.lit("l"), F.lit("L")), F.replace("s", F.lit("o")),
                         F.replace("s", "t", F.lit("_")), F.replace("s", F.lit(""), F.lit("!"))))


def _str_regexp(spark, F):
    df = strs(spark)
    return out(df.select(F.regexp_count("s", F.lit("[a-z]+")), F.regexp_substr("s", F.lit(r"\d+")),
                         F.regexp_extract_all("s", F.lit(r"(\w)(\w*)")),
                         F.regexp_extract_all("s", F.lit(r"(\w)(\w*)"), 2),
                         F.regexp_extract_all("s", F.lit(r"\d+"), 0)))


def _str_numbers_as_text(spark, F):
    df = nums(spark)
    return out(df.select(F.lcase("i"), F.char_length("x"), F.left("l", F.lit(1))))


# -- math ------------------------------------------------------------------------------------------
def _math_logs(spark, F):
    df = nums(spark)
    return approx(df.select("id", F.ln("x"), F.log10("l"), F.log2("i"), F.log1p("x"), F.log(10.0, "l"),
                         F.log(2.0, F.col("x")), F.expm1("i"), F.cbrt("l")))


def _math_trig(spark, F):
    df = nums(spark)
    return approx(df.select(F.sin("x"), F.cos("x"), F.tan("i"), F.asin("x"), F.acos("x"), F.atan("x"),
                         F.atan2("x", "i"), F.sinh("x"), F.cosh("x"), F.tanh("x"), F.degrees("x"),
                         F.radians("l"), F.toDegrees("i"), F.toRadians("x")))


def _math_trig_more(spark, F):
    df = nums(spark)
    return approx(df.select(F.cot("x"), F.sec("x"), F.csc("i"), F.asinh("x"), F.acosh("l"), F.atanh("x"),
                         F.hypot("x", "i"), F.hypot(3.0, F.col("l"))))


def _math_misc(spark, F):
    df = nums(spark)
    return out(df.select(F.pi(), F.e(), F.power("x", F.lit(2)), F.ceiling("x"), F.sign("x"), F.sign("i"),
                         F.rint("x"), F.negative("i"), F.negate("x"), F.positive("l"), F.factorial("i")))


def _math_pmod(spark, F):
    df = nums(spark)
    return out(df.select(F.pmod("i", F.lit(3)), F.pmod("l", F.lit(-4)), F.pmod("x", F.lit(1.0)),
                         F.pmod(F.lit(-7), "id")))


def _math_pmod_zero(spark, F):
    return err(lambda: nums(spark).select(F.pmod("i", F.lit(0))).collect())


# -- dates -----------------------------------------------------------------------------------------
def _dt_fields(spark, F):
    df = times(spark)
    return out(df.select("id", F.weekofyear("d"), F.quarter("ts"), F.day("d"), F.weekday("ts"),
                         F.dayname("d"), F.monthname("ts"), F.last_day("d"), F.last_day("ts")))


def _dt_trunc(spark, F):
    df = times(spark)
    return out(df.select(*[F.date_trunc(u, "ts") for u in
                           ("year", "quarter", "month", "week", "day", "hour", "minute", "second",
                            "millisecond", "microsecond", "yy", "mon", "dd", "bogus")]))


def _dt_trunc_dates(spark, F):
    df = times(spark)
    return out(df.select(*[F.trunc("d", u) for u in ("year", "yyyy", "quarter", "month", "mm", "week",
                                                     "day", "bogus")], F.trunc("ts", "month")))


def _dt_next_add_months(spark, F):
    df = times(spark)
    return out(df.select(F.next_day("d", "Mon"), F.next_day("d", "friday"), F.next_day("ts", "Sun"),
                         F.add_months("d", 1), F.add_months("d", -13), F.add_months("ts", F.col("id"))))


def _dt_next_day_bad(spark, F):
    return err(lambda: times(spark).select(F.next_day("d", "xx")).collect())


def _dt_months_between(spark, F):
    df = times(spark)
    ref = F.lit(dt.datetime(2024, 2, 29, 12, 0))
    return out(df.select(F.months_between("ts", ref), F.months_between("d", F.lit(dt.date(2023, 11, 30))),
                         F.months_between(ref, "ts", False), F.months_between("d", "ts")))


def _dt_epoch(spark, F):
    df = times(spark)
    return out(df.select(F.unix_date("d"), F.unix_seconds("ts"), F.unix_millis("ts"), F.unix_micros("ts"),
                         F.date_from_unix_date(F.col("id") * 1000), F.timestamp_seconds(F.col("id") * 86400),
                         F.timestamp_millis(F.lit(-1500)), F.timestamp_micros(F.lit(1700000000123456))))


def _dt_make_date_diff(spark, F):
    df = times(spark)
    return out(df.select(F.make_date(F.lit(2024), F.col("id"), F.lit(15)),
                         F.date_diff("d", F.lit(dt.date(2024, 1, 1))), F.current_timezone()))


def _dt_make_date_bad_month(spark, F):
    return err(lambda: times(spark).select(F.make_date(F.lit(2024), F.lit(13), F.lit(1))).collect())


def _dt_make_date_not_leap(spark, F):
    return err(lambda: times(spark).select(F.make_date(F.lit(2023), F.lit(2), F.lit(29))).collect())


def _dt_make_date_bad(spark, F):
    return err(lambda: times(spark).select(F.make_date(F.lit(2024), F.lit(2), F.lit(30))).collect())


def _dt_try_to_timestamp(spark, F):
    df = spark.createDataFrame([("2024-05-06 07:08:09",), ("06/05/2024",), ("junk",), (None,)], "s string")
    return out(df.select(F.try_to_timestamp("s"), F.try_to_timestamp("s", F.lit("dd/MM/yyyy"))))


# -- collections -----------------------------------------------------------------------------------
def _arr_basic(spark, F):
    df = arrs(spark)
    return out(df.select("id", F.array_size("a"), F.cardinality("a"), F.array_max("a"), F.array_min("a"),
                         F.array_position("a", 1), F.array_remove("a", 1), F.array_compact("a")))


def _arr_sets(spark, F):
    df = arrs(spark)
    return out(df.select(F.array_union("a", "b"), F.array_intersect("a", "b"), F.array_except("a", "b"),
                         F.arrays_overlap("a", "b")))


def _arr_build(spark, F):
    df = arrs(spark)
    return out(df.select(F.array_append("a", 9), F.array_prepend("a", 0), F.array_repeat("id", 2),
                         F.array_sort("a"), F.slice("a", 2, 2), F.slice("a", -2, 5),
                         F.flatten(F.array("a", "b")), F.get("a", 1), F.try_element_at("a", F.lit(-1))))


def _arr_sequence(spark, F):
    df = nums(spark)
    return out(df.select(F.sequence(F.lit(1), "i"), F.sequence(F.abs("i"), F.lit(0), F.lit(-3))))


def _arr_sequence_bad(spark, F):
    return err(lambda: nums(spark).select(F.sequence("i", F.lit(0), F.lit(-3))).collect())


def _arr_maps(spark, F):
    df = arrs(spark)
    return out(df.select(F.map_keys("m"), F.map_values("m"), F.map_entries("m"), F.map_contains_key("m", "a"),
                         F.map_from_arrays(F.array(F.lit("p"), F.lit("q")), F.array(F.lit(1), F.lit(2)))))


def _arr_named_struct(spark, F):
    df = nums(spark)
    return out(df.select(F.named_struct(F.lit("a"), "i", F.lit("b"), F.col("x") * 2)))


# -- aggregates ------------------------------------------------------------------------------------
def _agg_bools(spark, F):
    df = groups(spark)
    return out(df.groupBy("g").agg(F.count_if(F.col("v") > 2), F.bool_and("b"), F.bool_or("b"), F.every("b"),
                                   F.some("b")).orderBy("g"))


def _agg_by(spark, F):
    df = groups(spark)
    return out(df.groupBy("g").agg(F.max_by("s", "w"), F.min_by("s", "w"), F.max_by("w", "v"))
               .orderBy("g"))


def _agg_stats(spark, F):
    df = groups(spark)
    return approx(df.groupBy("g").agg(F.product("v"), F.median("w"), F.std("w"), F.skewness("w"),
                                      F.kurtosis("w"), F.corr("v", "w"), F.covar_pop("v", "w"),
                                      F.covar_samp("v", "w"))
               .orderBy("g"))


def _agg_percentiles(spark, F):
    df = groups(spark)
    return out(df.groupBy("g").agg(F.percentile_approx("v", 0.5), F.percentile_approx("w", [0.25, 0.9], 100),
                                   F.percentile("w", 0.5), F.percentile("v", [0.1, 1.0])).orderBy("g"))


def _agg_whole(spark, F):
    df = groups(spark)
    return approx(df.select(F.count_if("b"), F.product("w"), F.median("v"), F.percentile_approx("v", 0.95),
                         F.max_by("g", "v"), F.corr("v", "w"), F.first_value("s"), F.last_value("s", True),
                         F.sort_array(F.array_agg("v"))))


def _arr_overlap_nulls(spark, F):
    df = spark.createDataFrame([([1, None], [2]), ([1, None], [1]), ([], [None]), ([None], [None])],
                               "a array<int>, b array<int>")
    return out(df.select(F.arrays_overlap("a", "b"), F.array_position("a", F.lit(None).cast("int")),
                         F.array_intersect("a", "b"), F.array_except("b", "a")))


def _arr_slice_zero(spark, F):
    return err(lambda: arrs(spark).select(F.slice("a", 0, 1)).collect())


def _arr_slice_negative_length(spark, F):
    return err(lambda: arrs(spark).select(F.slice("a", 1, -1)).collect())


def _agg_over_window(spark, F):
    from importlib import import_module

    Window = import_module(F.__name__.rsplit(".", 1)[0] + ".window").Window
    w = Window.partitionBy("g")
    df = groups(spark)
    return out(df.select("g", "s", F.max_by("s", "v").over(w).alias("top"),
                         F.count_if("b").over(w).alias("n"), F.median("w").over(w).alias("med"))
               .orderBy("g", "s"))


def _sql_forms(spark, F):
    df = strs(spark)
    return approx(df.selectExpr("lcase(s)", "split_part(s, ',', 2)", "left(s, 2)", "nvl(s, 'x')",
                                "regexp_count(s, 'o')", "substring_index(s, ' ', 1)", "locate('o', s)",
                                "btrim(s)", "char_length(s)", "ifnull(n, 0)", "log10(n)", "pmod(n, 3)"))


def _sql_forms_dates(spark, F):
    df = times(spark)
    return out(df.selectExpr("date_trunc('HOUR', ts)", "trunc(d, 'MM')", "to_utc_timestamp(ts, 'Asia/Tokyo')",
                             "from_utc_timestamp(ts, '+05:30')", "add_months(d, 2)", "weekofyear(d)",
                             "last_day(d)", "unix_seconds(ts)", "months_between(d, DATE'2024-01-01')"))


def _sql_forms_aggs(spark, F):
    df = groups(spark)
    return out(df.groupBy("g").agg(F.expr("median(v)"), F.expr("max_by(s, v)"),
                                   F.expr("count_if(b)"), F.expr("bool_or(b)")).orderBy("g"))


def jsons(spark):
    return spark.createDataFrame(
        [('{"a": 1, "b": "x", "c": 2.5, "d": true}',), ('{"a": "7", "b": 5, "c": null}',), ('{bad',), ('',),
         (None,), ('{"A": 3, "b": "y\\"q", "e": [1,2]}',), ('[{"a": 1}]',), ('{"a": 2147483648}',),
         ('  {"a": 4}  ',), ('{"a": 1, "a": 2}',), ('{"ts": "2024-01-02 03:04:05", "b": {"n": 1}}',)],
        "s string",
    )


def _json_from_ddl(spark, F):
    return out(jsons(spark).select(F.from_json("s", "a INT, b STRING, c DOUBLE, d BOOLEAN")))


def _json_from_struct_type(spark, F):
    T = types_of(F)
    schema = T.StructType([T.StructField("a", T.LongType()), T.StructField("ts", T.TimestampType()),
                           T.StructField("b", T.StringType())])
    return out(jsons(spark).select(F.from_json("s", schema).alias("j")).select("j.*", F.col("j").isNull()))


def _json_from_nested(spark, F):
    df = spark.createDataFrame([('{"user": {"id": 7, "tags": ["a", "b"]}, "n": 2}',), ('{"n": 3}',)],
                               "s string")
    return out(df.select(F.from_json("s", "user STRUCT<id: INT, tags: ARRAY<STRING>>, n LONG").alias("j"))
               .select("j.user.id", "j.user.tags", "j.n"))


def _json_get_object(spark, F):
    df = jsons(spark).where(~F.col("s").contains('"a": 1, "a"'))
    return out(df.select(F.get_json_object("s", "$.a"), F.get_json_object("s", "$.b"),
                         F.get_json_object("s", "$.e"), F.get_json_object("s", "$.e[1]"),
                         F.get_json_object("s", "$"), F.get_json_object("s", "$.b.n"),
                         F.get_json_object("s", "$.c")))


def _json_to_json(spark, F):
    df = spark.createDataFrame(
        [(1, 'x"y\n', 2.5, True, dt.datetime(2024, 1, 2, 3, 4, 5, 123000), dt.date(2024, 1, 2), [1, None],
          {"k": 1}, None, 1e20, float("nan")),
         (2, "", -0.0, False, dt.datetime(2024, 1, 2, 3, 4, 5), None, [], {}, "z", 1e-5, float("inf"))],
        "i int, s string, d double, b boolean, t timestamp, dt date, a array<int>, m map<string,int>, "
        "n string, big double, nan double")
    return out(df.select(F.to_json(F.struct("i", "s", "d", "b", "t", "dt", "a", "m", "n", "big", "nan")),
                         F.to_json(F.struct(F.col("i"), F.struct("s", "n").alias("inner"))), F.to_json("a"),
                         F.to_json("m")))


def _json_to_json_zone(spark, F):
    spark.conf.set("spark.sql.session.timeZone", "America/New_York")
    try:
        rows = [(dt.datetime(2024, 7, 1, 12, 0),), (dt.datetime(2024, 1, 1, 12, 0, 0, 5000),)]
        df = spark.createDataFrame(rows, "t timestamp")
        return out(df.select(F.to_json(F.struct("t"))))
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")


def _json_to_json_not_struct(spark, F):
    return err(lambda: nums(spark).select(F.to_json("i")))


def _json_round_trip(spark, F):
    df = strs(spark).select("id", F.struct("s", "n").alias("r"))
    back = df.select("id", F.from_json(F.to_json("r"), "s STRING, n INT").alias("j"))
    return out(back.select("id", "j.s", "j.n"))


def _misc_try_arith(spark, F):
    df = nums(spark)
    return out(df.select(F.try_divide("i", "l"), F.try_divide("x", F.lit(0)), F.try_divide(F.lit(7), "i"),
                         F.try_mod("i", F.lit(0)), F.try_mod("l", "i"), F.try_divide("l", F.lit(2))))


def _misc_typeof(spark, F):
    df = arrs(spark).join(nums(spark), "id").join(times(spark), "id")
    return out(df.select(F.typeof("id"), F.typeof("a"), F.typeof("m"), F.typeof("x"), F.typeof("l"),
                         F.typeof("ts"), F.typeof("d"), F.typeof(F.lit("s")), F.typeof(F.struct("i", "x")))
               .limit(1))


def _misc_call_function(spark, F):
    df = strs(spark)
    return out(df.select(F.call_function("upper", "s"), F.call_function("LEFT", "s", F.lit(2))))


def _misc_rand(spark, F):
    df = spark.range(50)
    got = df.select(F.rand(42), F.randn(7))
    rows = got.collect()
    same = [tuple(r) for r in df.select(F.rand(42)).collect()] == [(r[0],) for r in rows]
    return [got.schema.simpleString(), [f.nullable for f in got.schema.fields],
            all(0.0 <= r[0] < 1.0 for r in rows), any(r[1] < 0 for r in rows), same]


def _misc_date_add_columns(spark, F):
    df = times(spark)
    return out(df.select(F.date_add("d", F.col("id")), F.date_sub("d", F.col("id")), F.dateadd("d", 3),
                         F.date_add("ts", F.lit(2)), F.date_add("d", 1)))


def _agg_listagg(spark, F):
    df = spark.createDataFrame([("a",), ("b",), (None,), ("c",)], "s string").coalesce(1)
    return out(df.select(F.listagg("s", ","), F.string_agg("s"), F.listagg(F.col("s"), "-")))


def _agg_mode(spark, F):
    df = groups(spark).where(F.col("g").isin("c", "d", "b"))
    return out(df.groupBy("g").agg(F.mode("v"), F.mode("b")).orderBy("g"))


def _hof_transform_filter(spark, F):
    df = arrs(spark)
    return out(df.select("id", F.transform("a", lambda x: x * 2), F.transform("a", lambda x, i: x + i),
                         F.filter("a", lambda x: x > 1), F.filter("a", lambda x: x.isNotNull()),
                         F.exists("a", lambda x: x > 2), F.forall("a", lambda x: x > 0)))


def _hof_strings(spark, F):
    df = spark.createDataFrame([(["Apple", "bob", None],), ([],), (None,)], "w array<string>")
    return out(df.select(F.transform("w", lambda x: F.upper(x)), F.filter("w", lambda x: x.startswith("b")),
                         F.exists("w", lambda x: F.length(x) > 4)))


def _misc_try_add(spark, F):
    df = spark.createDataFrame([(2147483647, 1, 9223372036854775807), (5, -3, 1), (None, 1, 2)],
                               "a int, b int, c bigint")
    return out(df.select(F.try_add("a", "b"), F.try_subtract("b", "a"), F.try_multiply("a", "b"),
                         F.try_add("c", F.lit(1)), F.try_multiply("c", F.lit(2)), F.try_add("a", F.lit(0.5))))


def _misc_try_to_date(spark, F):
    df = spark.createDataFrame([("2024-05-06",), ("06/05/2024",), ("junk",), (None,)], "s string")
    return out(df.select(F.try_to_date("s"), F.try_to_date("s", "dd/MM/yyyy")))


def _agg_bits(spark, F):
    df = spark.createDataFrame([("a", 12), ("a", 10), ("b", 7), ("b", None), ("c", None)], "g string, v int")
    return out(df.groupBy("g").agg(F.bit_and("v"), F.bit_or("v"), F.bit_xor("v")).orderBy("g"))


def _misc_bit_count(spark, F):
    return out(nums(spark).select(F.bit_count("i"), F.bit_count("l")))


def _str_translate_trim(spark, F):
    df = strs(spark)
    return out(df.select(F.translate("s", "lo", "01"), F.translate("s", "abcl", "ba"),
                         F.trim("s", F.lit("hd ")),
                         F.ltrim("s", F.lit(" pS")), F.rtrim("s", F.lit("d ")), F.trim("s")))


def _dt_extract(spark, F):
    df = times(spark)
    return out(df.select(*[F.extract(F.lit(u), "ts") for u in ("YEAR", "month", "DAY", "hour", "MINUTE",
                                                                 "SECOND", "DAYOFWEEK", "DOY", "WEEK",
                                                                 "QUARTER")],
                         F.date_part(F.lit("hour"), "ts"), F.datepart(F.lit("year"), "d")))


def _misc_session_names(spark, F):
    df = spark.range(1)
    got = df.select(F.current_database(), F.current_schema(), F.current_catalog())
    users = df.select(F.current_user(), F.user(), F.session_user())
    return [out(got), users.schema.simpleString()]


def _hof_maps(spark, F):
    df = arrs(spark)
    return out(df.select(F.transform_values("m", lambda k, v: v * 10),
                         F.transform_keys("m", lambda k, v: F.upper(k)),
                         F.map_filter("m", lambda k, v: v > 1)))


def _misc_assert_true(spark, F):
    df = nums(spark).where(F.col("i").isNotNull())
    ok = out(df.select(F.assert_true(F.col("l") > -10)))
    return [ok, err(lambda: df.select(F.assert_true(F.col("i") > 0)).collect()),
            err(lambda: df.select(F.assert_true(F.col("i") > 0, "i must be positive")).collect())]


def _str_format_number(spark, F):
    df = spark.createDataFrame(
        [(1234567.891, 1234567), (-1234.5, -5), (0.125, 0), (2.5, 999), (None, None), (-0.001, 1000),
         (1e15, 123456789012)], "x double, n bigint")
    return out(df.select(F.format_number("x", 2), F.format_number("x", 0), F.format_number("n", 1),
                         F.format_number("x", 4), F.format_number("n", 0)))


GROUPS = {
    "conditional": {n[1:]: f for n, f in dict(globals()).items() if n.startswith("_cond")},
    "strings": {n[1:]: f for n, f in dict(globals()).items() if n.startswith("_str")},
    "math": {n[1:]: f for n, f in dict(globals()).items() if n.startswith("_math")},
    "datetime": {n[1:]: f for n, f in dict(globals()).items() if n.startswith("_dt")},
    "collections": {n[1:]: f for n, f in dict(globals()).items() if n.startswith("_arr")},
    "aggregates": {n[1:]: f for n, f in dict(globals()).items() if n.startswith("_agg")},
    "sql": {n[1:]: f for n, f in dict(globals()).items() if n.startswith("_sql")},
    "json": {n[1:]: f for n, f in dict(globals()).items() if n.startswith("_json")},
    "misc": {n[1:]: f for n, f in dict(globals()).items() if n.startswith("_misc")},
    "higher_order": {n[1:]: f for n, f in dict(globals()).items() if n.startswith("_hof")},
}
CASES = {name: f for cases in GROUPS.values() for name, f in cases.items()}
