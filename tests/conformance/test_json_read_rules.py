"""``spark.read.schema(...).json``: how each JSON line becomes a row (expected rows from PySpark 4.3).

ember reads well-formed input with Polars' NDJSON reader and everything else line by line with Spark's
rules (ember.sql.jsonscan, ember.sql.jsonrules); these cases pin both paths to Spark's answers:
case-sensitive keys, blank lines skipped, the last of a repeated key, the string-to-timestamp cast for
timestamp text and epoch seconds for integers, raw text for non-string values in string fields, nulls for
values of another type (partial rows), malformed lines and the corrupt-record column. The session time
zone is UTC (conftest).
"""

from __future__ import annotations

import datetime

import pytest

D = datetime.datetime

# well-formed lines of one shape each: the Polars path reads them
WELL_FORMED = """\
{"Value":"A","ts":"2024-01-01 00:00:00"}
{"value":"b","ts":" 2024-01-01 00:00:00 "}
\x20\x20\x20
{"value":"c","ts":"2024-1-1 0:0:0"}
{"value":"d","ts":"2024-01-01T00:00:00.123456789"}
{"value":"e","ts":"2024-01-01 00:00:00+01:00"}
{"value":"f","ts":"2024-01-01 00:00:00 UTC"}
{"value":"g","ts":"2024-01-01 24:00:00"}
{"value":"h","ts":"2024"}
{"value":"i","ts":"2024-01-01 00:00:00.5Z"}
{"value":"j","ts":"2024-02-30 00:00:00"}
{"value":"k","ts":"2024-01-01T00:00"}
{"value":"n","n":"x","ts":null}
{"value": "r" , "ts" : "2024-01-01 00:00:00"}
{"value":"s\\u00e9","ts":"2024-01-01 00:00:00"}
{"value":"t"}\x20\x20\x20
"""
WELL_FORMED_ROWS = [
    (None, D(2024, 1, 1)), ("b", D(2024, 1, 1)), ("c", D(2024, 1, 1)), ("d", D(2024, 1, 1, 0, 0, 0, 123456)),
    ("e", D(2023, 12, 31, 23, 0)), ("f", D(2024, 1, 1)), ("g", None), ("h", D(2024, 1, 1)),
    ("i", D(2024, 1, 1, 0, 0, 0, 500000)), ("j", None), ("k", D(2024, 1, 1)), ("n", None),
    ("r", D(2024, 1, 1)), ("s\u00e9", D(2024, 1, 1)), ("t", None),
]
# the same plus a number where a timestamp is, a repeated key and a nested key of the same name
IRREGULAR = WELL_FORMED + """\
{"value":"l","ts":1.5}
{"value":"o","value":"p"}
{"value":"q","x":{"value":1}}
"""
IRREGULAR_ROWS = WELL_FORMED_ROWS + [("l", None), ("p", None), ("q", None)]

MIXED = """\
{"s":"x","i":1,"t":"2024-01-01 00:00:00.001","d":1.5,"b":true}
{"s":1.0,"i":"2","t":"2024-01-01T00:00:01Z","d":2,"b":"true"}

{"s":true,"i":2.5,"t":1700000000,"d":"NaN","b":1}
{"s":{"a":1},"i":99999999999,"t":"bad","d":null}
{"s":[1,2],"i":null,"t":"2024-01-01","x":1}
"""


def _read(spark, tmp_path, text: str, schema: str, **options):
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    return [tuple(r) for r in spark.read.schema(schema).options(**options).json(str(path)).collect()]


@pytest.mark.parametrize("text, rows", [(WELL_FORMED, WELL_FORMED_ROWS), (IRREGULAR, IRREGULAR_ROWS)],
                         ids=["well-formed", "irregular"])
def test_text_and_timestamps(spark, tmp_path, text, rows):
    assert _read(spark, tmp_path, text, "value STRING, ts TIMESTAMP") == rows


def test_values_of_another_type_are_null(spark, tmp_path):
    nan = float("nan")
    got = _read(spark, tmp_path, MIXED, "s STRING, i INT, t TIMESTAMP, d DOUBLE, b BOOLEAN")
    assert repr(got) == repr([
        ("x", 1, D(2024, 1, 1, 0, 0, 0, 1000), 1.5, True),
        ("1.0", None, D(2024, 1, 1, 0, 0, 1), 2.0, None),
        ("true", None, D(2023, 11, 14, 22, 13, 20), nan, None),
        ('{"a":1}', None, None, None, None),
        ("[1,2]", None, D(2024, 1, 1), None, None),
    ])


def test_corrupt_record_column_holds_bad_lines(spark, tmp_path):
    schema = "s STRING, i LONG, t TIMESTAMP, d DOUBLE, b BOOLEAN, _corrupt_record STRING"
    got = _read(spark, tmp_path, MIXED, schema)
    assert [r[1] for r in got] == [1, None, None, 99999999999, None]
    assert [r[-1] for r in got] == [
        None,
        '{"s":1.0,"i":"2","t":"2024-01-01T00:00:01Z","d":2,"b":"true"}',
        '{"s":true,"i":2.5,"t":1700000000,"d":"NaN","b":1}',
        '{"s":{"a":1},"i":99999999999,"t":"bad","d":null}',
        None,
    ]


def test_every_field_as_text(spark, tmp_path):
    got = _read(spark, tmp_path, MIXED, "t STRING, i STRING, d STRING, b STRING")
    assert got == [
        ("2024-01-01 00:00:00.001", "1", "1.5", "true"),
        ("2024-01-01T00:00:01Z", "2", "2", "true"),
        ("1700000000", "2.5", "NaN", "1"),
        ("bad", "99999999999", None, None),
        ("2024-01-01", None, None, None),
    ]


def test_malformed_lines(spark, tmp_path):
    text = '{"a":"x","n":1}\nnot json\n{"a":"y","n":"2"}\n'
    assert _read(spark, tmp_path, text, "a STRING, n LONG") == [("x", 1), (None, None), ("y", None)]
    assert _read(spark, tmp_path, text, "a STRING, n LONG", mode="DROPMALFORMED") == [("x", 1)]


def test_inference_adds_the_corrupt_record_column(spark, tmp_path):
    path = tmp_path / "in.json"
    path.write_text('{"b":1,"a":"x"}\nnot json\n{"b":2,"Z":true}\n', encoding="utf-8")
    df = spark.read.json(str(path))
    assert df.schema.simpleString() == "struct<Z:boolean,_corrupt_record:string,a:string,b:bigint>"
    assert [tuple(r) for r in df.collect()] == [
        (None, None, "x", 1), (None, "not json", None, None), (True, None, None, 2)]


# Timestamp text as Spark's cast reads it: ember parses the common ISO shapes natively and sends only the
# other rows through Spark's full rules. Each group is one file (one shape throughout, or a mix).
_TS_GROUPS = {
    # the space-separated shape: chrono refuses what Spark refuses (month 13, minute 60); past six
    # fraction digits are dropped
    "space": [("2024-01-01 00:00:59", D(2024, 1, 1, 0, 0, 59)),
              ("2024-01-01 12:34:56.1234567", D(2024, 1, 1, 12, 34, 56, 123456)),
              ("2024-01-01 00:00:00.000000001", D(2024, 1, 1)),
              ("2024-13-01 00:00:00", None), ("2024-01-01 00:60:00", None)],
    # a leap second: chrono would read :60 as the next minute, Spark gives null
    "leap": [("2024-01-01 00:00:60", None), ("2024-01-01 23:59:60.5", None),
             ("2024-01-01 00:00:59", D(2024, 1, 1, 0, 0, 59))],
    # ISO with T and Z, as Spark's own JSON writer prints timestamps
    "zulu": [("2024-01-01T00:00:00.000Z", D(2024, 1, 1)),
             ("2024-01-01T00:00:00.123456Z", D(2024, 1, 1, 0, 0, 0, 123456)),
             ("2024-02-29T23:59:59.999999Z", D(2024, 2, 29, 23, 59, 59, 999999)),
             ("2023-02-29T00:00:00Z", None), ("2024-01-01T24:00:00Z", None), ("2024-01-01T00:00:60Z", None),
             ("2024-01-01T01:02:03.4Z", D(2024, 1, 1, 1, 2, 3, 400000))],
    # shapes only Spark's full rules read: a + before the year, a point without digits, zones
    "other": [("+2024-01-01 00:00:00", D(2024, 1, 1)), ("2024-01-01 00:00:00.", D(2024, 1, 1)),
              ("2024-01-01T00:00:00.Z", D(2024, 1, 1)), ("2024-01-01T00:00:00-05:30", D(2024, 1, 1, 5, 30)),
              ("2024-01-01 00:00:00Z", D(2024, 1, 1)), ("2024-01-01T00:00:00 Z", D(2024, 1, 1)),
              ("2024-01-01T00:00:00.5z", None), ("2024-01-01T12:34:56", D(2024, 1, 1, 12, 34, 56)),
              ("2024-01-01T12:34:56.789+01:00", D(2024, 1, 1, 11, 34, 56, 789000))],
}


@pytest.mark.parametrize("group", sorted(_TS_GROUPS))
def test_timestamp_text_by_shape(spark, tmp_path, group):
    pairs = _TS_GROUPS[group]
    text = "".join('{"value":"%d","ts":"%s"}\n' % (i, v) for i, (v, _) in enumerate(pairs))
    assert _read(spark, tmp_path, text, "value STRING, ts TIMESTAMP") == [
        (str(i), want) for i, (_, want) in enumerate(pairs)]


def test_timestamp_text_mixed_with_the_common_shape(spark, tmp_path):
    # every odd value among many of the common shape: each row is read by its own rules
    odd = [p for g in sorted(_TS_GROUPS) for p in _TS_GROUPS[g]]
    rows, want = [], []
    for i in range(200):
        if i % 7 == 3 and odd:
            value, ts = odd.pop(0)
        else:
            value, ts = f"2024-03-01 10:{i % 60:02d}:{(i * 7) % 60:02d}.{i:03d}", None
            ts = D(2024, 3, 1, 10, i % 60, (i * 7) % 60, i * 1000)
        rows.append('{"value":"%d","ts":"%s"}\n' % (i, value))
        want.append((str(i), ts))
    assert not odd
    assert _read(spark, tmp_path, "".join(rows), "value STRING, ts TIMESTAMP") == want
