"""The JSON reader's two paths: Polars' reader only where it cannot differ from Spark's rules.

Spark's answers themselves are pinned in tests/conformance/test_json_read_rules.py (both engines); here
ember's own contract: which inputs leave the Polars path, and that both paths give the same frame.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from ember.sql import jsonrules, jsonscan
from ember.sql import types as T

SCHEMA = T.StructType([T.StructField("value", T.StringType()), T.StructField("n", T.LongType()),
                       T.StructField("ts", T.TimestampType()), T.StructField("ok", T.BooleanType()),
                       T.StructField("x", T.DoubleType())])


def _lines(n: int) -> list[str]:
    out = []
    for i in range(n):
        rec = {"value": f"line {i} \"q\" caf\u00e9 \\ {i % 7}", "n": i * 1_000_003, "ok": i % 3 == 0,
               "ts": f"2024-0{1 + i % 9}-1{i % 10} 0{i % 10}:00:0{i % 6}.{i % 1000:03d}", "x": i / 7}
        if i % 13 == 1:  # other shapes among the common one: T, Z, an offset, a leap second, a bare year
            rec["ts"] = ["2024-01-01T01:02:03", "2024-01-01T01:02:03.5Z", "2024-01-01 01:02:03+02:00",
                         "2024-01-01 00:00:60", "2024"][i % 5]
        if i % 5 == 0:
            del rec["ts"]
        if i % 11 == 0:
            rec["value"] = None
        out.append(json.dumps(rec, ensure_ascii=i % 2 == 0, separators=(",", ":") if i % 4 else None))
    return out


@pytest.mark.parametrize("tz", ["UTC", "America/New_York"])
def test_both_paths_agree(tz):
    lines = _lines(500)
    fast = jsonscan.read_fast(("\n".join(lines) + "\n").encode(), SCHEMA, tz)
    assert fast is not None
    slow = jsonrules.read_lines(lines, SCHEMA, {}, tz)
    fast.columns = slow.columns
    assert fast.equals(slow)
    assert slow["c2"].null_count() == 107  # 100 rows without a ts, 7 leap seconds


@pytest.mark.parametrize("text", [
    '{"value":1}\n',  # a number where text is declared: Polars would make it "1"
    '{"value":{"a":1}}\n',
    '{"value" : true}\n',
    '{"value":"a","value":"b"}\n',  # Spark keeps the last of a repeated key, Polars the first
    '{"v\\u0061lue":2}\n',  # an escaped key
    '{"value":"a"}\r{"value":"b"}\n',  # a lone \r ends a line for Spark
    '{"value":"\\ud800"}\n',  # an unpaired surrogate
    '{"value":"a"}\nnot json\n',
    '{"n":"1"}\n', '{"n":1.0}\n', '{"ok":"true"}\n', '{"ts":1700000000}\n',
])
def test_inputs_the_polars_path_leaves_to_spark_rules(text):
    assert jsonscan.read_fast(text.encode(), SCHEMA, "UTC") is None


def test_invalid_utf8_leaves_the_polars_path():
    assert jsonscan.read_fast(b'{"value":"\xff"}\n', SCHEMA, "UTC") is None  # Spark's rules decode it


def test_integers_out_of_range_leave_the_polars_path():
    schema = T.StructType([T.StructField("i", T.IntegerType())])
    assert jsonscan.read_fast(b'{"i":2147483648}\n', schema, "UTC") is None
    assert jsonscan.read_fast(b'{"i":2147483647}\n', schema, "UTC").to_series().to_list() == [2147483647]


@pytest.mark.parametrize("options, fast", [
    ({}, True), ({"mode": "permissive", "maxFilesPerTrigger": "1"}, True), ({"mode": "FAILFAST"}, False),
    ({"multiLine": "true"}, False), ({"timestampFormat": "yyyy"}, False), ({"allowComments": "false"}, True),
])
def test_options_that_change_parsing(options, fast):
    assert jsonscan.fast_options(options) is fast


def test_read_json_falls_back_and_keeps_the_schema(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"value":"a","n":1}\n{"value":2,"n":"x"}\n\n', encoding="utf-8")
    frame = jsonscan.read_json([str(path)], SCHEMA, {}, "UTC")
    assert frame.dtypes == [pl.String, pl.Int64, pl.Datetime("us"), pl.Boolean, pl.Float64]
    assert frame.rows() == [("a", 1, None, None, None), ("2", None, None, None, None)]


def test_failfast_raises_on_the_first_bad_line():
    from ember.errors import SparkException

    with pytest.raises(SparkException, match="Parse Mode: FAILFAST"):
        jsonrules.read_lines(['{"n":1}', '{"n":"x"}'], SCHEMA, {"mode": "FAILFAST"}, "UTC")
