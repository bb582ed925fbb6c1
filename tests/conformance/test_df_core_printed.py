"""DataFrame core on both engines: functions and methods not covered elsewhere, compared
through ``show()``/``printSchema()`` text captured from PySpark 4.3.0 (the expected strings are
literals from that run)."""

import datetime
import decimal

import pytest


@pytest.fixture
def env(spark, engine):
    F = engine.module("sql.functions")
    df = spark.createDataFrame(
        [("a b c", 1, 2.5), ("b", None, None), ("c  d", 3, -1.5), ("", 4, 1e10)], ["value", "n", "x"]
    )
    ts = spark.createDataFrame(
        [
            (
                datetime.datetime(2016, 3, 11, 9, 0, 7, 120000),
                datetime.date(2016, 3, 11),
                decimal.Decimal("1.50"),
            )
        ],
        ["t", "d", "dec"],
    )
    return spark, F, df, ts


CASES = {
    "show_vertical": (
        lambda spark, F, df, ts: df.show(vertical=True),
        (
            "-RECORD 0-------\n"
            " value | a b c  \n"
            " n     | 1      \n"
            " x     | 2.5    \n"
            "-RECORD 1-------\n"
            " value | b      \n"
            " n     | NULL   \n"
            " x     | NULL   \n"
            "-RECORD 2-------\n"
            " value | c  d   \n"
            " n     | 3      \n"
            " x     | -1.5   \n"
            "-RECORD 3-------\n"
            " value |        \n"
            " n     | 4      \n"
            " x     | 1.0E10 \n"
            "\n"
        ),
    ),
    "show_trunc3": (
        lambda spark, F, df, ts: df.show(truncate=3),
        (
            "+-----+---+---+\n"
            "|value|  n|  x|\n"
            "+-----+---+---+\n"
            "|  a b|  1|2.5|\n"
            "|    b|NUL|NUL|\n"
            "|  c  |  3|-1.|\n"
            "|     |  4|1.0|\n"
            "+-----+---+---+\n"
            "\n"
        ),
    ),
    "show_false": (
        lambda spark, F, df, ts: df.select(
            F.split("value", " ").alias("arr"), F.struct("n", "x").alias("s")
        ).show(truncate=False),
        (
            "+---------+------------+\n"
            "|arr      |s           |\n"
            "+---------+------------+\n"
            "|[a, b, c]|{1, 2.5}    |\n"
            "|[b]      |{NULL, NULL}|\n"
            "|[c, , d] |{3, -1.5}   |\n"
            "|[]       |{4, 1.0E10} |\n"
            "+---------+------------+\n"
            "\n"
        ),
    ),
    "show_ts": (
        lambda spark, F, df, ts: ts.show(),
        (
            "+--------------------+----------+--------------------+\n"
            "|                   t|         d|                 dec|\n"
            "+--------------------+----------+--------------------+\n"
            "|2016-03-11 09:00:...|2016-03-11|1.500000000000000000|\n"
            "+--------------------+----------+--------------------+\n"
            "\n"
        ),
    ),
    "show_map": (
        lambda spark, F, df, ts: spark.createDataFrame([({"a": 1, "b": None},)], ["m"]).show(),
        (
            "+-------------------+\n"
            "|                  m|\n"
            "+-------------------+\n"
            "|{a -> 1, b -> NULL}|\n"
            "+-------------------+\n"
            "\n"
        ),
    ),
    "intersect": (
        lambda spark, F, df, ts: (
            df.select("n").intersect(spark.createDataFrame([(1,), (3,), (7,)], ["n"])).orderBy("n").show()
        ),
        "+---+\n|  n|\n+---+\n|  1|\n|  3|\n+---+\n\n",
    ),
    "subtract": (
        lambda spark, F, df, ts: (
            df.select("n").subtract(spark.createDataFrame([(1,), (3,)], ["n"])).orderBy("n").show()
        ),
        "+----+\n|   n|\n+----+\n|NULL|\n|   4|\n+----+\n\n",
    ),
    "fill": (
        lambda spark, F, df, ts: df.na.fill(0).show(),
        (
            "+-----+---+------+\n"
            "|value|  n|     x|\n"
            "+-----+---+------+\n"
            "|a b c|  1|   2.5|\n"
            "|    b|  0|   0.0|\n"
            "| c  d|  3|  -1.5|\n"
            "|     |  4|1.0E10|\n"
            "+-----+---+------+\n"
            "\n"
        ),
    ),
    "dropna": (
        lambda spark, F, df, ts: df.dropna().show(),
        (
            "+-----+---+------+\n"
            "|value|  n|     x|\n"
            "+-----+---+------+\n"
            "|a b c|  1|   2.5|\n"
            "| c  d|  3|  -1.5|\n"
            "|     |  4|1.0E10|\n"
            "+-----+---+------+\n"
            "\n"
        ),
    ),
    "groupby_multi": (
        lambda spark, F, df, ts: df.groupBy("n", "x").count().orderBy("n").show(),
        (
            "+----+------+-----+\n"
            "|   n|     x|count|\n"
            "+----+------+-----+\n"
            "|NULL|  NULL|    1|\n"
            "|   1|   2.5|    1|\n"
            "|   3|  -1.5|    1|\n"
            "|   4|1.0E10|    1|\n"
            "+----+------+-----+\n"
            "\n"
        ),
    ),
    "agg_alias": (
        lambda spark, F, df, ts: df.groupBy().agg(F.sum("n").alias("s"), F.max("value").alias("m")).show(),
        "+---+----+\n|  s|   m|\n+---+----+\n|  8|c  d|\n+---+----+\n\n",
    ),
    "greatest": (
        lambda spark, F, df, ts: df.select(F.greatest("n", F.lit(2)), F.least("n", F.lit(2))).show(),
        (
            "+--------------+-----------+\n"
            "|greatest(n, 2)|least(n, 2)|\n"
            "+--------------+-----------+\n"
            "|             2|          1|\n"
            "|             2|          2|\n"
            "|             3|          2|\n"
            "|             4|          2|\n"
            "+--------------+-----------+\n"
            "\n"
        ),
    ),
    "concat_arr": (
        lambda spark, F, df, ts: df.select(F.concat(F.split("value", " "), F.array(F.lit("z")))).show(
            truncate=False
        ),
        (
            "+-------------------------------------+\n"
            "|concat(split(value,  , -1), array(z))|\n"
            "+-------------------------------------+\n"
            "|[a, b, c, z]                         |\n"
            "|[b, z]                               |\n"
            "|[c, , d, z]                          |\n"
            "|[, z]                                |\n"
            "+-------------------------------------+\n"
            "\n"
        ),
    ),
    "element_at": (
        lambda spark, F, df, ts: df.select(F.element_at(F.split("value", " "), 1)).show(),
        (
            "+----------------------------------+\n"
            "|element_at(split(value,  , -1), 1)|\n"
            "+----------------------------------+\n"
            "|                                 a|\n"
            "|                                 b|\n"
            "|                                 c|\n"
            "|                                  |\n"
            "+----------------------------------+\n"
            "\n"
        ),
    ),
    "array_join": (
        lambda spark, F, df, ts: df.select(F.array_join(F.split("value", " "), "|")).show(),
        (
            "+----------------------------------+\n"
            "|array_join(split(value,  , -1), |)|\n"
            "+----------------------------------+\n"
            "|                             a|b|c|\n"
            "|                                 b|\n"
            "|                              c||d|\n"
            "|                                  |\n"
            "+----------------------------------+\n"
            "\n"
        ),
    ),
    "sort_array": (
        lambda spark, F, df, ts: df.select(F.sort_array(F.split("value", " "), asc=False)).show(),
        (
            "+--------------------------------------+\n"
            "|sort_array(split(value,  , -1), false)|\n"
            "+--------------------------------------+\n"
            "|                             [c, b, a]|\n"
            "|                                   [b]|\n"
            "|                              [d, c, ]|\n"
            "|                                    []|\n"
            "+--------------------------------------+\n"
            "\n"
        ),
    ),
    "initcap": (
        lambda spark, F, df, ts: df.select(
            F.initcap("value"), F.reverse("value"), F.lpad("value", 6, "*"), F.rpad("value", 2, "*")
        ).show(),
        (
            "+--------------+--------------+-----------------+-----------------+\n"
            "|initcap(value)|reverse(value)|lpad(value, 6, *)|rpad(value, 2, *)|\n"
            "+--------------+--------------+-----------------+-----------------+\n"
            "|         A B C|         c b a|           *a b c|               a |\n"
            "|             B|             b|           *****b|               b*|\n"
            "|          C  D|          d  c|           **c  d|               c |\n"
            "|              |              |           ******|               **|\n"
            "+--------------+--------------+-----------------+-----------------+\n"
            "\n"
        ),
    ),
    "instr": (
        lambda spark, F, df, ts: df.select(F.instr("value", "b"), F.repeat("value", 2)).show(),
        (
            "+---------------+----------------+\n"
            "|instr(value, b)|repeat(value, 2)|\n"
            "+---------------+----------------+\n"
            "|              3|      a b ca b c|\n"
            "|              1|              bb|\n"
            "|              0|        c  dc  d|\n"
            "|              0|                |\n"
            "+---------------+----------------+\n"
            "\n"
        ),
    ),
    "pow": (
        lambda spark, F, df, ts: df.select(
            F.pow("n", 2), F.exp(F.lit(0)), F.floor("x"), F.ceil("x"), F.signum("x")
        ).show(),
        (
            "+-----------+------+-----------+-----------+---------+\n"
            "|POWER(n, 2)|EXP(0)|   FLOOR(x)|    CEIL(x)|SIGNUM(x)|\n"
            "+-----------+------+-----------+-----------+---------+\n"
            "|        1.0|   1.0|          2|          3|      1.0|\n"
            "|       NULL|   1.0|       NULL|       NULL|     NULL|\n"
            "|        9.0|   1.0|         -2|         -1|     -1.0|\n"
            "|       16.0|   1.0|10000000000|10000000000|      1.0|\n"
            "+-----------+------+-----------+-----------+---------+\n"
            "\n"
        ),
    ),
    "date_add": (
        lambda spark, F, df, ts: ts.select(
            F.date_add("d", 3), F.date_sub("d", 1), F.datediff(F.lit("2016-03-20"), "d")
        ).show(),
        (
            "+--------------+--------------+-----------------------+\n"
            "|date_add(d, 3)|date_sub(d, 1)|datediff(2016-03-20, d)|\n"
            "+--------------+--------------+-----------------------+\n"
            "|    2016-03-14|    2016-03-10|                      9|\n"
            "+--------------+--------------+-----------------------+\n"
            "\n"
        ),
    ),
    "to_ts_fmt": (
        lambda spark, F, df, ts: (
            spark.createDataFrame([("11/03/2016 09:01",)], ["s"])
            .select(F.to_timestamp("s", "dd/MM/yyyy HH:mm"), F.to_date("s", "dd/MM/yyyy HH:mm"))
            .show()
        ),
        (
            "+---------------------------------+----------------------------+\n"
            "|to_timestamp(s, dd/MM/yyyy HH:mm)|to_date(s, dd/MM/yyyy HH:mm)|\n"
            "+---------------------------------+----------------------------+\n"
            "|              2016-03-11 09:01:00|                  2016-03-11|\n"
            "+---------------------------------+----------------------------+\n"
            "\n"
        ),
    ),
    "unix_fmt": (
        lambda spark, F, df, ts: (
            spark.createDataFrame([("2016-03-11",)], ["s"]).select(F.unix_timestamp("s", "yyyy-MM-dd")).show()
        ),
        (
            "+-----------------------------+\n"
            "|unix_timestamp(s, yyyy-MM-dd)|\n"
            "+-----------------------------+\n"
            "|                   1457654400|\n"
            "+-----------------------------+\n"
            "\n"
        ),
    ),
    "window_start_time": (
        lambda spark, F, df, ts: (
            ts.groupBy(F.window("t", "10 seconds", "5 seconds", "2 seconds"))
            .count()
            .orderBy("window")
            .show(truncate=False)
        ),
        (
            "+------------------------------------------+-----+\n"
            "|window                                    |count|\n"
            "+------------------------------------------+-----+\n"
            "|{2016-03-11 09:00:02, 2016-03-11 09:00:12}|1    |\n"
            "|{2016-03-11 09:00:07, 2016-03-11 09:00:17}|1    |\n"
            "+------------------------------------------+-----+\n"
            "\n"
        ),
    ),
    "window_time": (
        lambda spark, F, df, ts: (
            ts.groupBy(F.window("t", "10 seconds"))
            .count()
            .select(F.window_time("window"))
            .show(truncate=False)
        ),
        (
            "+--------------------------+\n"
            "|window_time(window)       |\n"
            "+--------------------------+\n"
            "|2016-03-11 09:00:09.999999|\n"
            "+--------------------------+\n"
            "\n"
        ),
    ),
    "isnan": (
        lambda spark, F, df, ts: (
            spark.createDataFrame([(float("nan"),), (1.0,)], ["f"])
            .select(F.isnan("f"), F.col("f").isNaN(), F.nanvl("f", F.lit(0.0)))
            .show()
        ),
        (
            "+--------+--------+-------------+\n"
            "|isnan(f)|isnan(f)|nanvl(f, 0.0)|\n"
            "+--------+--------+-------------+\n"
            "|    true|    true|          0.0|\n"
            "|   false|   false|          1.0|\n"
            "+--------+--------+-------------+\n"
            "\n"
        ),
    ),
    "md5": (
        lambda spark, F, df, ts: df.select(F.md5("value")).show(truncate=False),
        (
            "+--------------------------------+\n"
            "|md5(value)                      |\n"
            "+--------------------------------+\n"
            "|06f0760ec7f18687a7fbc0ddbf1b1722|\n"
            "|92eb5ffee6ae2fec3ad71c777531578f|\n"
            "|01983637933914fc4cbee8d05f10a775|\n"
            "|d41d8cd98f00b204e9800998ecf8427e|\n"
            "+--------------------------------+\n"
            "\n"
        ),
    ),
    "cast_bool": (
        lambda spark, F, df, ts: df.select(
            (F.col("n") > 1).cast("string"),
            F.col("x").cast("string"),
            F.lit(1e-5).cast("string"),
            F.lit(123456789.0).cast("string"),
        ).show(),
        (
            "+-----------------------+------+----------------------+----------------------------+\n"
            "|CAST((n > 1) AS STRING)|     x|CAST(1.0E-5 AS STRING)|CAST(1.23456789E8 AS STRING)|\n"
            "+-----------------------+------+----------------------+----------------------------+\n"
            "|                  false|   2.5|                1.0E-5|                1.23456789E8|\n"
            "|                   NULL|  NULL|                1.0E-5|                1.23456789E8|\n"
            "|                   true|  -1.5|                1.0E-5|                1.23456789E8|\n"
            "|                   true|1.0E10|                1.0E-5|                1.23456789E8|\n"
            "+-----------------------+------+----------------------+----------------------------+\n"
            "\n"
        ),
    ),
    "count_col_expr": (
        lambda spark, F, df, ts: df.select(F.count(F.col("n") > 1)).show(),
        ("+--------------+\n|count((n > 1))|\n+--------------+\n|             3|\n+--------------+\n\n"),
    ),
    "toDF": (
        lambda spark, F, df, ts: df.toDF("a", "b", "c").show(),
        (
            "+-----+----+------+\n"
            "|    a|   b|     c|\n"
            "+-----+----+------+\n"
            "|a b c|   1|   2.5|\n"
            "|    b|NULL|  NULL|\n"
            "| c  d|   3|  -1.5|\n"
            "|     |   4|1.0E10|\n"
            "+-----+----+------+\n"
            "\n"
        ),
    ),
    "renamed": (
        lambda spark, F, df, ts: df.withColumnsRenamed({"n": "N", "x": "X"}).show(),
        (
            "+-----+----+------+\n"
            "|value|   N|     X|\n"
            "+-----+----+------+\n"
            "|a b c|   1|   2.5|\n"
            "|    b|NULL|  NULL|\n"
            "| c  d|   3|  -1.5|\n"
            "|     |   4|1.0E10|\n"
            "+-----+----+------+\n"
            "\n"
        ),
    ),
    "show_ts_exprs": (
        lambda spark, F, df, ts: ts.select(
            F.col("t").cast("string"),
            F.col("d").cast("string"),
            F.col("dec").cast("string"),
            F.col("dec") * 2,
            F.year("d"),
            F.dayofweek("d"),
        ).show(truncate=False),
        (
            "+----------------------+----------+--------------------+------------------+-------+------------+\n"  # noqa: E501
            "|t                     |d         |dec                 |(dec * 2)         |year(d)|dayofweek(d)|\n"  # noqa: E501
            "+----------------------+----------+--------------------+------------------+-------+------------+\n"  # noqa: E501
            "|2016-03-11 09:00:07.12|2016-03-11|1.500000000000000000|3.0000000000000000|2016   |6           |\n"  # noqa: E501
            "+----------------------+----------+--------------------+------------------+-------+------------+\n"  # noqa: E501
            "\n"
        ),
    ),
    "printSchema2": (
        lambda spark, F, df, ts: (
            df.groupBy("value").agg(F.collect_list("n").alias("l"), F.count("*")).printSchema()
        ),
        (
            "root\n"
            " |-- value: string (nullable = true)\n"
            " |-- l: array (nullable = false)\n"
            " |    |-- element: long (containsNull = false)\n"
            " |-- count(1): long (nullable = false)\n"
            "\n"
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_printed(env, capsys, name):
    build, expected = CASES[name]
    capsys.readouterr()
    build(*env)
    assert capsys.readouterr().out == expected
