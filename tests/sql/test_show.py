# ruff: noqa: E501
"""show_string / format_cell against tables captured from PySpark 4 (``df._show_string``).

The tables (tests/conformance/show_cases.py) also run through ``createDataFrame(...).show()`` on both
engines in tests/conformance/test_sql_types_show.py; here they check the formatter on its own.
"""

from __future__ import annotations

import pathlib
import sys
from datetime import datetime as T
from decimal import Decimal

import pytest

from ember.errors import PySparkTypeError
from ember.sql.show import format_cell, java_double_str, java_float_str, show_string
from ember.sql.types import (
    ArrayType,
    BinaryType,
    DoubleType,
    FloatType,
    LongType,
    MapType,
    StringType,
    StructField,
    StructType,
    TimestampType,
    _parse_datatype_string,
)

# the tables live beside the conformance suite, which shows them through DataFrames on both engines
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "conformance"))
from show_cases import SHOW_CASES  # noqa: E402


@pytest.mark.parametrize("name, ddl, kw, rows, expected", SHOW_CASES, ids=[c[0] for c in SHOW_CASES])
def test_show_string_matches_spark(name, ddl, kw, rows, expected):
    schema = _parse_datatype_string(ddl)
    n = kw.get("n", 20)
    got = show_string(schema.names, rows[:n + 1], [f.dataType for f in schema.fields], n,
                      kw.get("truncate", True), kw.get("vertical", False))
    assert got == expected


def test_float_columns_get_float32_values_from_the_engine():
    # An engine holding FloatType as float32 hands over 1.100000023841858 for 1.1.
    assert show_string(["f"], [(1.100000023841858,), (0.10000000149011612,)], [FloatType()]) == (
        "+---+\n|  f|\n+---+\n|1.1|\n|0.1|\n+---+\n")


@pytest.mark.parametrize("value, text", [
    (1.0, "1.0"), (1e10, "1.0E10"), (1e-5, "1.0E-5"), (float("nan"), "NaN"), (-0.0, "-0.0"),
    (0.0, "0.0"), (float("inf"), "Infinity"), (float("-inf"), "-Infinity"), (123456789.123, "1.23456789123E8"),
    (0.001, "0.001"), (9.99e-4, "9.99E-4"), (9999999.0, "9999999.0"), (1e7, "1.0E7"), (-1234.5, "-1234.5"),
    (5e-324, "4.9E-324"), (1.7976931348623157e308, "1.7976931348623157E308"), (100.0, "100.0"),
])
def test_java_double_str(value, text):
    assert java_double_str(value) == text


@pytest.mark.parametrize("value, text", [
    (1.1, "1.1"), (1e10, "1.0E10"), (16777216.0, "1.6777216E7"), (3.4028235e38, "3.4028235E38"),
    (1.4e-45, "1.4E-45"), (123456.79, "123456.79"), (-2.5, "-2.5"), (0.00085, "8.5E-4"),
    (float("nan"), "NaN"), (-0.0, "-0.0"),
])
def test_java_float_str(value, text):
    assert java_float_str(value) == text


# Pairs captured from Spark 4 on JDK 17 (cast to string prints numbers as show() does): integral
# values below 2**63, decimals exactly half an ulp away, powers of two, random bit patterns.
JDK_DOUBLES = [
    (1.27e+22, '1.2700000000000001E22'),
    (1.29e+22, '1.2899999999999999E22'),
    (-3.777051754135808e+19, '-3.7770517541358076E19'),
    (4e+23, '3.9999999999999997E23'),
    (8.41e+21, '8.409999999999999E21'),
    (2e+23, '1.9999999999999998E23'),
    (1e+23, '9.999999999999999E22'),
    (2.82879384806159e+17, '2.82879384806159008E17'),
    (5.684341886080802e-14, '5.6843418860808015E-14'),
    (3.628571428571429e+16, '3.6285714285714288E16'),
    (1.1945774316841202e-299, '1.1945774316841202E-299'),
    (1.5290591125556738e-297, '1.5290591125556738E-297'),
    (1.9571956640712625e-295, '1.9571956640712625E-295'),
    (3.2066693760143564e-291, '3.2066693760143564E-291'),
    (4.1045368012983762e-289, '4.1045368012983762E-289'),
    (5.253807105661922e-287, '5.2538071056619216E-287'),
    (1.4103081061443981e-278, '1.4103081061443981E-278'),
    (1.8051943758648296e-276, '1.8051943758648296E-276'),
    (9142857142857142.0, '9.142857142857142E15'),
    (9285714285714286.0, '9.285714285714286E15'),
    (9428571428571428.0, '9.428571428571428E15'),
    (9571428571428572.0, '9.571428571428572E15'),
    (9.314530788716812e-262, '9.314530788716812E-262'),
    (-0.0005545038844112025, '-5.545038844112025E-4'),
    (1.1751710103624394e+262, '1.1751710103624394E262'),
    (-4.2505498994355214e+214, '-4.2505498994355214E214'),
    (4.484745790875963e-145, '4.484745790875963E-145'),
    (494320000000.0, '4.9432E11'),
    (3.5951e-14, '3.5951E-14'),
    (8.08e-14, '8.08E-14'),
]
JDK_FLOATS = [
    (5274144256.0, '5.2741443E9'),
    (372713536.0, '3.72713536E8'),
    (-8766697242624.0, '-8.7666972E12'),
    (-31804561408.0, '-3.18045614E10'),
    (-44684204.0, '-4.4684204E7'),
    (9139490689908736.0, '9.1394907E15'),
    (1.401298464324817e-45, '1.4E-45'),
    (1.1210387714598537e-44, '1.1E-44'),
    (8.96831017167883e-44, '9.0E-44'),
    (5.739718509874451e-42, '5.74E-42'),
    (4.591774807899561e-41, '4.5918E-41'),
    (-6.807287981214127e-28, '-6.807288E-28'),
    (-418881248165888.0, '-4.18881248E14'),
    (-1.1713995343585055e+27, '-1.1713995E27'),
    (-1.230224991103154e+28, '-1.230225E28'),
    (8.954692592703601e-22, '8.954693E-22'),
    (2.4331183952089613e+25, '2.4331184E25'),
    (9.030286013313876e-16, '9.030286E-16'),
    (-6.883061232088039e-09, '-6.8830612E-9'),
]


@pytest.mark.parametrize("value, text", JDK_DOUBLES)
def test_double_like_spark_on_jdk17(value, text):
    assert java_double_str(value) == text


@pytest.mark.parametrize("value, text", JDK_FLOATS)
def test_float_like_spark_on_jdk17(value, text):
    assert java_float_str(value) == text


def test_format_cell_nested_values():
    window = StructType([StructField("start", TimestampType()), StructField("end", TimestampType())])
    assert format_cell((T(2016, 3, 11, 9, 0, 5), T(2016, 3, 11, 9, 0, 10)), window) == (
        "{2016-03-11 09:00:05, 2016-03-11 09:00:10}")
    # Structs may also arrive as dicts and maps as Arrow-style key/value entries.
    assert format_cell({"end": None, "start": T(2016, 3, 11)}, window) == "{2016-03-11 00:00:00, NULL}"
    m = MapType(StringType(), ArrayType(DoubleType()))
    assert format_cell([{"key": "a", "value": [1.0, None]}], m) == "{a -> [1.0, NULL]}"
    assert format_cell([("a", None)], m) == "{a -> NULL}"
    assert format_cell(bytearray(b"\x00\xab"), BinaryType()) == "[00 AB]"
    assert format_cell(None, LongType()) == "NULL"
    assert format_cell(Decimal("-0.00"), _parse_datatype_string("decimal(5,2)")) == "0.00"


def test_format_cell_does_not_escape_or_truncate():
    assert format_cell("a\nb" * 10, StringType()) == "a\nb" * 10


@pytest.mark.parametrize("kw, message", [
    ({"n": "2"}, "[NOT_EXPECTED_TYPE] Argument `n` should be int, got str."),
    ({"n": True}, "[NOT_EXPECTED_TYPE] Argument `n` should be int, got bool."),
    ({"truncate": "x"}, "[NOT_EXPECTED_TYPE] Argument `truncate` should be bool, got str."),
    ({"vertical": 1}, "[NOT_EXPECTED_TYPE] Argument `vertical` should be bool, got int."),
])
def test_bad_arguments(kw, message):
    with pytest.raises(PySparkTypeError) as e:
        show_string(["n"], [(1,)], [LongType()], **kw)
    assert str(e.value) == message


@pytest.mark.parametrize("kw, expected", [
    ({"n": -1}, "+---+\n|  n|\n+---+\n+---+\nonly showing top 0 rows"),
    ({"truncate": -5}, "+---+\n|n  |\n+---+\n|1  |\n|2  |\n|3  |\n+---+\n"),
    ({"truncate": 0}, "+---+\n|n  |\n+---+\n|1  |\n|2  |\n|3  |\n+---+\n"),
    ({"truncate": "3"}, "+---+\n|  n|\n+---+\n|  1|\n|  2|\n|  3|\n+---+\n"),
    ({"truncate": 2.5}, "+---+\n|  n|\n+---+\n|  1|\n|  2|\n|  3|\n+---+\n"),
])
def test_odd_arguments_as_spark_reads_them(kw, expected):
    # captured from PySpark: df(n BIGINT: 1, 2, 3)._show_string(...)
    n = kw.get("n", 20)
    rows = [(1,), (2,), (3,)][:max(n, 0) + 1]
    assert show_string(["n"], rows, [LongType()], **kw) == expected
