"""Spark's rules for JSON lines read with a schema, one line at a time in Python.

This is the path :mod:`ember.sql.jsonscan` takes when Polars' reader could answer differently: a
malformed line, a value of another JSON type than the field's, a key given twice, a parse mode or a
corrupt-record column. Spark's behaviour (PERMISSIVE mode): a line that is not JSON gives a row of
nulls; a value that does not fit its field's type makes that field null and the row "bad" (the
corrupt-record column, when the schema has one, then holds the line's text); text fields keep the
raw text of numbers, booleans and objects; keys match case-sensitively and the last of a repeated
key wins; timestamps parse as the string-to-timestamp cast (a JSON integer is seconds since the
epoch). ``DROPMALFORMED`` drops bad rows and ``FAILFAST`` raises at the first one.

Examples
--------
>>> from ember.sql import types as T
>>> schema = T.StructType([T.StructField("n", T.LongType())])
>>> read_lines(['{"n": 1}', '{"n": "x"}', 'oops'], schema, {}, "UTC")["c0"].to_list()
[1, None, None]
"""

from __future__ import annotations

import json
import re
from typing import Any

import polars as pl

from ember.sql import types as T

_LINE_END = re.compile(r"\r\n|\r|\n")
_INTS = {T.LongType: 63, T.IntegerType: 31, T.ShortType: 15, T.ByteType: 7}
_NON_NUMERIC = {"NaN": float("nan"), "Infinity": float("inf"), "+Infinity": float("inf"),
                "-Infinity": float("-inf"), "INF": float("inf"), "+INF": float("inf"), "-INF": float("-inf")}
_BAD = object()  # a value its field's type refuses


class _Num:
    """A JSON number with the text it was written as (a text field keeps that text)."""

    __slots__ = ("text", "value")

    def __init__(self, text: str, value: Any) -> None:
        self.text, self.value = text, value


def _parse(line: str) -> Any:
    return json.loads(line, parse_int=lambda t: _Num(t, int(t)), parse_float=lambda t: _Num(t, float(t)),
                      parse_constant=lambda t: _Num(t, float(t)))


def _text(value: Any) -> str:
    """A JSON value as the compact text Spark gives a string field."""
    if isinstance(value, _Num):
        return value.text
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        pairs = (json.dumps(k, ensure_ascii=False) + ":" + _text(v) for k, v in value.items())
        return "{" + ",".join(pairs) + "}"
    return "[" + ",".join(_text(v) for v in value) + "]"


def _plain(value: Any) -> Any:
    """Numbers back to Python numbers, for the types this module leaves to the generic converter."""
    if isinstance(value, _Num):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _convert(value: Any, dtype: Any) -> Any:
    """``value`` for a field of ``dtype``: the Python value, None, or ``_BAD``."""
    if value is None:
        return None
    kind = type(dtype)
    if kind is T.StringType:
        return value if isinstance(value, str) else _text(value)
    if kind in _INTS:
        if isinstance(value, _Num) and isinstance(value.value, int):
            bits = _INTS[kind]
            return value.value if -(2**bits) <= value.value < 2**bits else _BAD
        return _BAD
    if kind in (T.DoubleType, T.FloatType):
        if isinstance(value, _Num):
            return float(value.value)
        return _NON_NUMERIC.get(value, _BAD) if isinstance(value, str) else _BAD
    if kind is T.BooleanType:
        return value if isinstance(value, bool) else _BAD
    if kind is T.TimestampType:
        if isinstance(value, str):
            return value  # parsed for the whole column at once, below
        if isinstance(value, _Num) and isinstance(value.value, int):
            return value
        return _BAD
    return _plain(value)


def corrupt_column(schema: Any, options: dict) -> str | None:
    """The name of the schema's corrupt-record field (``columnNameOfCorruptRecord``), if it has one."""
    name = "_corrupt_record"
    for k, v in options.items():
        if k.lower() == "columnnameofcorruptrecord" and v is not None:
            name = str(v)
    for f in schema.fields:
        if f.name == name and isinstance(f.dataType, T.StringType):
            return name
    return None


def split_lines(data: bytes) -> list[str]:
    """The non-blank lines of a JSON-lines file (Hadoop's line ends; invalid UTF-8 as U+FFFD)."""
    from ember.sql.filescan import decode_utf8

    text = decode_utf8(data)
    return [ln for ln in _LINE_END.split(text) if ln.strip()]


def read_lines(lines: list[str], schema: Any, options: dict, tz: str) -> pl.DataFrame:
    """The rows of JSON ``lines`` under ``schema``, columns ``c0, c1, ...`` by position."""
    from ember.sql.convert import rows_to_frame

    mode = next((str(v).upper() for k, v in options.items() if k.lower() == "mode" and v is not None),
                "PERMISSIVE")
    fields = schema.fields
    corrupt = corrupt_column(schema, options)
    rows: list[list[Any]] = []
    texts: list[str] = []  # the line of each row (a line holding an array gives several rows)
    bad: list[bool] = []
    for line in lines:
        try:
            doc = _parse(line)
        except ValueError:
            doc = None
        records = doc if isinstance(doc, list) and doc and all(isinstance(d, dict) for d in doc) else [doc]
        for rec in records:
            if not isinstance(rec, dict):
                rows.append([None] * len(fields))
                bad.append(True)
            else:
                row = [None if f.name == corrupt else _convert(rec.get(f.name), f.dataType) for f in fields]
                bad.append(any(v is _BAD for v in row))
                rows.append([None if v is _BAD else v for v in row])
            texts.append(line)
    ts_cols = [i for i, f in enumerate(fields) if isinstance(f.dataType, T.TimestampType)]
    raw_ts = {i: [r[i] for r in rows] for i in ts_cols}
    for r in rows:
        for i in ts_cols:
            r[i] = None
    frame = rows_to_frame([tuple(r) for r in rows], schema)
    if ts_cols:
        frame, failed = _timestamps(frame, raw_ts, tz)
        bad = [b or f for b, f in zip(bad, failed)]
    if not any(bad):
        return frame
    if mode == "FAILFAST":
        from ember.errors import SparkException

        row = frame.row(bad.index(True))
        shown = ",".join("null" if v is None else str(v) for v in row)
        raise SparkException(
            "[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record "
            f"parsing: [{shown}].\nParse Mode: FAILFAST. To process malformed records as null result, try "
            "setting the option 'mode' as 'PERMISSIVE'.  SQLSTATE: 22023")
    flags = pl.Series(bad, dtype=pl.Boolean)
    if mode == "DROPMALFORMED":
        return frame.filter(~flags)
    if corrupt is not None:
        i = [f.name for f in fields].index(corrupt)
        frame = frame.with_columns(
            pl.when(flags).then(pl.Series(texts, dtype=pl.String)).otherwise(None).alias(f"c{i}"))
    return frame


def _timestamps(frame: pl.DataFrame, raw: dict[int, list], tz: str) -> tuple[pl.DataFrame, list[bool]]:
    """Timestamp columns from their JSON values: text by the cast's rules, integers as epoch seconds."""
    from ember.sql.timeparse import parse_timestamps

    failed = [False] * frame.height
    cols = []
    for i, values in raw.items():
        text = pl.Series([v if isinstance(v, str) else None for v in values], dtype=pl.String)
        secs = pl.Series([v.value if isinstance(v, _Num) else None for v in values], dtype=pl.Int64)
        parsed = pl.DataFrame({"t": parse_timestamps(text, tz), "s": secs}).select(
            pl.coalesce(pl.col("t"), (pl.col("s") * 1_000_000).cast(pl.Datetime("us"))).alias(f"c{i}"))
        miss = (text.is_not_null() & parsed.to_series().is_null()).to_list()
        failed = [a or b for a, b in zip(failed, miss)]
        cols.append(parsed.to_series())
    return frame.with_columns(cols), failed
