"""DataFrame.show(n, truncate, vertical) through DataFrames, byte for byte as Spark 4 prints it.

Cells use Spark's pretty strings (NULL, ``{a, b}`` structs such as the window struct, ``[1, NULL]``
arrays, ``{k -> v}`` maps, Java double formatting); right-aligned when truncating, left-aligned with
``truncate=False``; ``print`` adds the final blank line. The layout of a schema-built table is tested in
test_sql_types_show.py; here every table comes from a query.
"""

import datetime

import pytest
from sql_cases import events, people


def long_strings(spark):
    return spark.createDataFrame([("a" * 25, "short"), ("日本語テキスト", "x\ny\tz")],
                                 "long_string_column STRING, s STRING")


def doubles(spark):
    return spark.createDataFrame(
        [(1.0, 1e10, 1e-5, float("nan")), (0.1, 1234567.0, 12345678.9, float("inf")),
         (-0.0, 100.0, 1e7, float("-inf"))], "a DOUBLE, b DOUBLE, c DOUBLE, d DOUBLE")


def complex_values(spark):
    return spark.createDataFrame(
        [(1, [1, None], {"k": None}, (1, "x"), datetime.date(2016, 3, 11),
          datetime.datetime(2016, 3, 11, 9, 0, 7, 120000), True, None)],
        "i INT, a ARRAY<INT>, m MAP<STRING, INT>, s STRUCT<p: INT, q: STRING>, d DATE, t TIMESTAMP, "
        "b BOOLEAN, n STRING")


def one(spark, ddl, *values):
    return spark.createDataFrame([(v,) for v in values], ddl)


def nested(spark):
    return spark.createDataFrame(
        [([[1, 2], []], [(1, None)], {}, [], {"a": [1]})],
        "aa ARRAY<ARRAY<INT>>, sa ARRAY<STRUCT<p: INT, q: STRING>>, m MAP<STRING,INT>, e ARRAY<STRING>, "
        "ma MAP<STRING, ARRAY<INT>>")


def windowed(spark, F):
    return events(spark).groupBy(F.window("ts", "5 seconds")).agg(F.sum("v")).orderBy("window")


def window_docstring(spark, F):
    df = spark.createDataFrame([(datetime.datetime(2016, 3, 11, 9, 0, 7), 1)]).toDF("date", "val")
    return df.groupBy(F.window("date", "5 seconds")).agg(F.sum("val"))


def word_count(spark, F):
    lines = spark.createDataFrame([("to be or not to be",)], "value STRING")
    words = lines.select(F.explode(F.split("value", " ")).alias("word"))
    return words.groupBy("word").count().orderBy(F.desc("count"), "word")


CASES = {
    "default": (lambda spark, F: people(spark).orderBy("id").show(),
        '+---+-----+-----+----+\n'
        '| id| name|score| grp|\n'
        '+---+-----+-----+----+\n'
        '|  1|Alice| 10.5|   a|\n'
        '|  2|  Bob| NULL|   b|\n'
        '|  3| NULL|  7.0|   a|\n'
        '|  4|  dan|  2.5|NULL|\n'
        '+---+-----+-----+----+\n'
        '\n'),
    "n_2_footer": (lambda spark, F: people(spark).orderBy("id").show(2),
        '+---+-----+-----+---+\n'
        '| id| name|score|grp|\n'
        '+---+-----+-----+---+\n'
        '|  1|Alice| 10.5|  a|\n'
        '|  2|  Bob| NULL|  b|\n'
        '+---+-----+-----+---+\n'
        'only showing top 2 rows\n'),
    "n_1_footer_singular": (lambda spark, F: people(spark).orderBy("id").show(1),
        '+---+-----+-----+---+\n'
        '| id| name|score|grp|\n'
        '+---+-----+-----+---+\n'
        '|  1|Alice| 10.5|  a|\n'
        '+---+-----+-----+---+\n'
        'only showing top 1 row\n'),
    "n_equal_to_rows_no_footer": (lambda spark, F: people(spark).orderBy("id").show(4),
        '+---+-----+-----+----+\n'
        '| id| name|score| grp|\n'
        '+---+-----+-----+----+\n'
        '|  1|Alice| 10.5|   a|\n'
        '|  2|  Bob| NULL|   b|\n'
        '|  3| NULL|  7.0|   a|\n'
        '|  4|  dan|  2.5|NULL|\n'
        '+---+-----+-----+----+\n'
        '\n'),
    "n_0": (lambda spark, F: people(spark).orderBy("id").show(0),
        '+---+----+-----+---+\n'
        '| id|name|score|grp|\n'
        '+---+----+-----+---+\n'
        '+---+----+-----+---+\n'
        'only showing top 0 rows\n'),
    "truncate_false_left_aligned": (lambda spark, F: people(spark).orderBy("id").show(truncate=False),
        '+---+-----+-----+----+\n'
        '|id |name |score|grp |\n'
        '+---+-----+-----+----+\n'
        '|1  |Alice|10.5 |a   |\n'
        '|2  |Bob  |NULL |b   |\n'
        '|3  |NULL |7.0  |a   |\n'
        '|4  |dan  |2.5  |NULL|\n'
        '+---+-----+-----+----+\n'
        '\n'),
    "truncate_3_cuts_without_dots": (lambda spark, F: people(spark).orderBy("id").show(truncate=3),
        '+---+----+-----+---+\n'
        '| id|name|score|grp|\n'
        '+---+----+-----+---+\n'
        '|  1| Ali|  10.|  a|\n'
        '|  2| Bob|  NUL|  b|\n'
        '|  3| NUL|  7.0|  a|\n'
        '|  4| dan|  2.5|NUL|\n'
        '+---+----+-----+---+\n'
        '\n'),
    "truncate_4_adds_dots": (lambda spark, F: people(spark).orderBy("id").show(truncate=4),
        '+---+----+-----+----+\n'
        '| id|name|score| grp|\n'
        '+---+----+-----+----+\n'
        '|  1|A...| 10.5|   a|\n'
        '|  2| Bob| NULL|   b|\n'
        '|  3|NULL|  7.0|   a|\n'
        '|  4| dan|  2.5|NULL|\n'
        '+---+----+-----+----+\n'
        '\n'),
    "vertical": (lambda spark, F: people(spark).orderBy("id").show(vertical=True),
        '-RECORD 0------\n'
        ' id    | 1     \n'
        ' name  | Alice \n'
        ' score | 10.5  \n'
        ' grp   | a     \n'
        '-RECORD 1------\n'
        ' id    | 2     \n'
        ' name  | Bob   \n'
        ' score | NULL  \n'
        ' grp   | b     \n'
        '-RECORD 2------\n'
        ' id    | 3     \n'
        ' name  | NULL  \n'
        ' score | 7.0   \n'
        ' grp   | a     \n'
        '-RECORD 3------\n'
        ' id    | 4     \n'
        ' name  | dan   \n'
        ' score | 2.5   \n'
        ' grp   | NULL  \n'
        '\n'),
    "vertical_n_2": (lambda spark, F: people(spark).orderBy("id").show(2, vertical=True),
        '-RECORD 0------\n'
        ' id    | 1     \n'
        ' name  | Alice \n'
        ' score | 10.5  \n'
        ' grp   | a     \n'
        '-RECORD 1------\n'
        ' id    | 2     \n'
        ' name  | Bob   \n'
        ' score | NULL  \n'
        ' grp   | b     \n'
        'only showing top 2 rows\n'),
    "vertical_truncate_3": (lambda spark, F: people(spark).orderBy("id").show(truncate=3, vertical=True),
        '-RECORD 0----\n'
        ' id    | 1   \n'
        ' name  | Ali \n'
        ' score | 10. \n'
        ' grp   | a   \n'
        '-RECORD 1----\n'
        ' id    | 2   \n'
        ' name  | Bob \n'
        ' score | NUL \n'
        ' grp   | b   \n'
        '-RECORD 2----\n'
        ' id    | 3   \n'
        ' name  | NUL \n'
        ' score | 7.0 \n'
        ' grp   | a   \n'
        '-RECORD 3----\n'
        ' id    | 4   \n'
        ' name  | dan \n'
        ' score | 2.5 \n'
        ' grp   | NUL \n'
        '\n'),
    "empty": (lambda spark, F: people(spark).limit(0).show(),
        '+---+----+-----+---+\n'
        '| id|name|score|grp|\n'
        '+---+----+-----+---+\n'
        '+---+----+-----+---+\n'
        '\n'),
    "empty_vertical": (lambda spark, F: people(spark).limit(0).show(vertical=True),
        '(0 rows)\n'),
    "long_cjk_and_escapes": (lambda spark, F: long_strings(spark).show(),
        '+--------------------+-------+\n'
        '|  long_string_column|      s|\n'
        '+--------------------+-------+\n'
        '|aaaaaaaaaaaaaaaaa...|  short|\n'
        '|      日本語テキスト|x\\ny\\tz|\n'
        '+--------------------+-------+\n'
        '\n'),
    "long_cjk_and_escapes_truncate_false": (lambda spark, F: long_strings(spark).show(truncate=False),
        '+-------------------------+-------+\n'
        '|long_string_column       |s      |\n'
        '+-------------------------+-------+\n'
        '|aaaaaaaaaaaaaaaaaaaaaaaaa|short  |\n'
        '|日本語テキスト           |x\\ny\\tz|\n'
        '+-------------------------+-------+\n'
        '\n'),
    "long_truncate_10": (lambda spark, F: long_strings(spark).show(truncate=10),
        '+------------------+-------+\n'
        '|long_string_column|      s|\n'
        '+------------------+-------+\n'
        '|        aaaaaaa...|  short|\n'
        '|    日本語テキスト|x\\ny\\tz|\n'
        '+------------------+-------+\n'
        '\n'),
    "java_double_formatting": (lambda spark, F: doubles(spark).show(),
        '+----+---------+------------+---------+\n'
        '|   a|        b|           c|        d|\n'
        '+----+---------+------------+---------+\n'
        '| 1.0|   1.0E10|      1.0E-5|      NaN|\n'
        '| 0.1|1234567.0|1.23456789E7| Infinity|\n'
        '|-0.0|    100.0|       1.0E7|-Infinity|\n'
        '+----+---------+------------+---------+\n'
        '\n'),
    "arrays_maps_structs_dates_timestamps": (lambda spark, F: complex_values(spark).show(),
        '+---+---------+-----------+------+----------+--------------------+----+----+\n'
        '|  i|        a|          m|     s|         d|                   t|   b|   n|\n'
        '+---+---------+-----------+------+----------+--------------------+----+----+\n'
        '|  1|[1, NULL]|{k -> NULL}|{1, x}|2016-03-11|2016-03-11 09:00:...|true|NULL|\n'
        '+---+---------+-----------+------+----------+--------------------+----+----+\n'
        '\n'),
    "arrays_maps_structs_dates_timestamps_truncate_false": (
        lambda spark, F: complex_values(spark).show(truncate=False),
        '+---+---------+-----------+------+----------+----------------------+----+----+\n'
        '|i  |a        |m          |s     |d         |t                     |b   |n   |\n'
        '+---+---------+-----------+------+----------+----------------------+----+----+\n'
        '|1  |[1, NULL]|{k -> NULL}|{1, x}|2016-03-11|2016-03-11 09:00:07.12|true|NULL|\n'
        '+---+---------+-----------+------+----------+----------------------+----+----+\n'
        '\n'),
    "window_struct_truncated": (lambda spark, F: windowed(spark, F).show(),
        '+--------------------+------+\n'
        '|              window|sum(v)|\n'
        '+--------------------+------+\n'
        '|{2016-03-11 09:00...|     3|\n'
        '|{2016-03-11 09:00...|     3|\n'
        '|{2016-03-11 09:00...|     4|\n'
        '+--------------------+------+\n'
        '\n'),
    "window_struct_truncate_false": (lambda spark, F: windowed(spark, F).show(truncate=False),
        '+------------------------------------------+------+\n'
        '|window                                    |sum(v)|\n'
        '+------------------------------------------+------+\n'
        '|{2016-03-11 09:00:05, 2016-03-11 09:00:10}|3     |\n'
        '|{2016-03-11 09:00:10, 2016-03-11 09:00:15}|3     |\n'
        '|{2016-03-11 09:00:20, 2016-03-11 09:00:25}|4     |\n'
        '+------------------------------------------+------+\n'
        '\n'),
    "window_struct_vertical": (lambda spark, F: windowed(spark, F).show(vertical=True, truncate=False),
        '-RECORD 0--------------------------------------------\n'
        ' window | {2016-03-11 09:00:05, 2016-03-11 09:00:10} \n'
        ' sum(v) | 3                                          \n'
        '-RECORD 1--------------------------------------------\n'
        ' window | {2016-03-11 09:00:10, 2016-03-11 09:00:15} \n'
        ' sum(v) | 3                                          \n'
        '-RECORD 2--------------------------------------------\n'
        ' window | {2016-03-11 09:00:20, 2016-03-11 09:00:25} \n'
        ' sum(v) | 4                                          \n'
        '\n'),
    "window_docstring_example": (lambda spark, F: window_docstring(spark, F).show(truncate=False),
        '+------------------------------------------+--------+\n'
        '|window                                    |sum(val)|\n'
        '+------------------------------------------+--------+\n'
        '|{2016-03-11 09:00:05, 2016-03-11 09:00:10}|1       |\n'
        '+------------------------------------------+--------+\n'
        '\n'),
    "word_count": (lambda spark, F: word_count(spark, F).show(),
        '+----+-----+\n'
        '|word|count|\n'
        '+----+-----+\n'
        '|  be|    2|\n'
        '|  to|    2|\n'
        '| not|    1|\n'
        '|  or|    1|\n'
        '+----+-----+\n'
        '\n'),
    "default_20_rows_footer": (lambda spark, F: spark.range(25).show(),
        '+---+\n'
        '| id|\n'
        '+---+\n'
        '|  0|\n'
        '|  1|\n'
        '|  2|\n'
        '|  3|\n'
        '|  4|\n'
        '|  5|\n'
        '|  6|\n'
        '|  7|\n'
        '|  8|\n'
        '|  9|\n'
        '| 10|\n'
        '| 11|\n'
        '| 12|\n'
        '| 13|\n'
        '| 14|\n'
        '| 15|\n'
        '| 16|\n'
        '| 17|\n'
        '| 18|\n'
        '| 19|\n'
        '+---+\n'
        'only showing top 20 rows\n'),
    "null_literal_column": (
        lambda spark, F: people(spark).select(F.lit(None).alias("nothing"), "id").orderBy("id").show(2),
        '+-------+---+\n'
        '|nothing| id|\n'
        '+-------+---+\n'
        '|   NULL|  1|\n'
        '|   NULL|  2|\n'
        '+-------+---+\n'
        'only showing top 2 rows\n'),
    "float_java_format": (
        lambda spark, F: one(spark, "x DOUBLE", 0.1, 2.5, 1e10, 1.0 / 3).select(
            F.col("x").cast("float")).show(),
        '+----------+\n'
        '|         x|\n'
        '+----------+\n'
        '|       0.1|\n'
        '|       2.5|\n'
        '|    1.0E10|\n'
        '|0.33333334|\n'
        '+----------+\n'
        '\n'),
    "double_java_format_not_shortest": (
        lambda spark, F: one(spark, "x DOUBLE", 2.0**-44, 1e23, 1e-3, 1e-4, 1e6, 123456789.123, 4.35, 2e-323,
                                   1.7976931348623157e308).show(),
        '+--------------------+\n'
        '|                   x|\n'
        '+--------------------+\n'
        '|5.684341886080801...|\n'
        '|9.999999999999999E22|\n'
        '|               0.001|\n'
        '|              1.0E-4|\n'
        '|           1000000.0|\n'
        '|     1.23456789123E8|\n'
        '|                4.35|\n'
        '|            2.0E-323|\n'
        '|1.797693134862315...|\n'
        '+--------------------+\n'
        '\n'),
    "nested_arrays_structs_maps_empty": (
        lambda spark, F: nested(spark).show(truncate=False),
        '+------------+-----------+---+---+----------+\n'
        '|aa          |sa         |m  |e  |ma        |\n'
        '+------------+-----------+---+---+----------+\n'
        '|[[1, 2], []]|[{1, NULL}]|{} |[] |{a -> [1]}|\n'
        '+------------+-----------+---+---+----------+\n'
        '\n'),
    "exactly_20_chars_not_truncated": (
        lambda spark, F: one(spark, "s STRING", "a" * 20, "b" * 21, "").show(),
        '+--------------------+\n'
        '|                   s|\n'
        '+--------------------+\n'
        '|aaaaaaaaaaaaaaaaaaaa|\n'
        '|bbbbbbbbbbbbbbbbb...|\n'
        '|                    |\n'
        '+--------------------+\n'
        '\n'),
    "negative_and_long_numbers": (
        lambda spark, F: spark.createDataFrame([(-1, -2.5, 10**15)], "a INT, b DOUBLE, c BIGINT").show(),
        '+---+----+----------------+\n'
        '|  a|   b|               c|\n'
        '+---+----+----------------+\n'
        '| -1|-2.5|1000000000000000|\n'
        '+---+----+----------------+\n'
        '\n'),
    "microsecond_timestamp_year_1_date_null_boolean": (
        lambda spark, F: spark.createDataFrame(
            [(datetime.datetime(2016, 3, 11, 9, 0, 7, 1), datetime.date(1, 1, 1), None)],
            "t TIMESTAMP, d DATE, b BOOLEAN").show(),
        '+--------------------+----------+----+\n'
        '|                   t|         d|   b|\n'
        '+--------------------+----------+----+\n'
        '|2016-03-11 09:00:...|0001-01-01|NULL|\n'
        '+--------------------+----------+----+\n'
        '\n'),
    "header_wider_than_truncate": (
        lambda spark, F: spark.range(1).select(
            F.lit(1).alias("a_very_long_header_name_beyond_twenty")).show(),
        '+-------------------------------------+\n'
        '|a_very_long_header_name_beyond_twenty|\n'
        '+-------------------------------------+\n'
        '|                                    1|\n'
        '+-------------------------------------+\n'
        '\n'),
    "vertical_wide_name_and_null": (
        lambda spark, F: spark.range(1).select(F.lit("v").alias("a_very_long_header_name_beyond_twenty"),
                                               F.lit(None).alias("n")).show(vertical=True),
        '-RECORD 0-------------------------------------\n'
        ' a_very_long_header_name_beyond_twenty | v    \n'
        ' n                                     | NULL \n'
        '\n'),
    "decimal_keeps_scale": (
        lambda spark, F: one(spark, "x DOUBLE", 2.5, 10.0).select(F.col("x").cast("decimal(5,2)")).show(),
        '+-----+\n'
        '|    x|\n'
        '+-----+\n'
        '| 2.50|\n'
        '|10.00|\n'
        '+-----+\n'
        '\n'),
    "binary_as_hex": (
        lambda spark, F: spark.createDataFrame([(bytearray(b"abc"),)], "b BINARY").show(),
        '+----------+\n'
        '|         b|\n'
        '+----------+\n'
        '|[61 62 63]|\n'
        '+----------+\n'
        '\n'),
    "double_java_format_full_digits": (
        lambda spark, F: one(spark, "x DOUBLE", 2.0**-44, 1e23, 1e-3, 1e-4, 1e6, 123456789.123, 2e-323,
                             1.7976931348623157e308).show(truncate=False),
        '+----------------------+\n'
        '|x                     |\n'
        '+----------------------+\n'
        '|5.6843418860808015E-14|\n'
        '|9.999999999999999E22  |\n'
        '|0.001                 |\n'
        '|1.0E-4                |\n'
        '|1000000.0             |\n'
        '|1.23456789123E8       |\n'
        '|2.0E-323              |\n'
        '|1.7976931348623157E308|\n'
        '+----------------------+\n'
        '\n'),
}


@pytest.mark.parametrize("name", list(CASES))
def test_show(spark, engine, capsys, name):
    run, expected = CASES[name]
    run(spark, engine.module("sql.functions"))
    assert capsys.readouterr().out == expected


def test_show_returns_none(spark, capsys):
    assert people(spark).show() is None
    capsys.readouterr()
