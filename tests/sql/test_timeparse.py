"""Spark's string-to-timestamp cast on a whole column: the native shapes and the full rules agree.

Spark's answers are pinned in tests/conformance/test_json_read_rules.py (both engines); here ember's own
contract: :func:`parse_timestamps` (Polars' parser for the common ISO shapes, Spark's rules for the rest
of the rows) gives exactly what :func:`parse_timestamp` (Spark's rules on every row) gives.
"""

from __future__ import annotations

import polars as pl
import pytest

from ember.sql.timeparse import parse_timestamp, parse_timestamps

VALUES = [
    "2024-01-01 00:00:59", "2024-01-01 12:34:56.1234567", "2024-13-01 00:00:00", "2024-01-01 00:60:00",
    "2024-01-01 00:00:60", "2024-01-01 23:59:60.5", "2024-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999999Z",
    "2023-02-29T00:00:00Z", "2024-01-01T24:00:00Z", "+2024-01-01 00:00:00", "2024-01-01 00:00:00.",
    "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00-05:30", "2024-01-01T00:00:00.5z", "2024-01-01T12:34:56",
    "2024-03-10 02:30:00", "2024-11-03 01:30:00", " 2024-01-01 00:00:00 ", "2024", None, "x", "",
]


def _slow(values: pl.Series, tz: str) -> list:
    return pl.select(parse_timestamp(pl.lit(values), tz)).to_series().to_list()


@pytest.mark.parametrize("tz", ["UTC", "America/New_York"])
def test_native_shapes_agree_with_spark_rules(tz):
    values = pl.Series("t", VALUES * 3)
    assert parse_timestamps(values, tz).to_list() == _slow(values, tz)


@pytest.mark.parametrize("tz", ["UTC", "Asia/Kolkata"])
@pytest.mark.parametrize("shape", ["2024-0{m}-1{d} 0{h}:00:0{s}.{f}", "2024-0{m}-1{d}T0{h}:00:0{s}",
                                   "2024-0{m}-1{d}T0{h}:00:0{s}.{f}Z"])
def test_one_shape_throughout(tz, shape):
    values = pl.Series("t", [shape.format(m=1 + i % 9, d=i % 10, h=i % 10, s=i % 6, f=i) for i in range(300)]
                       + [None])
    got = parse_timestamps(values, tz)
    assert got.name == "t" and got.dtype == pl.Datetime("us")
    assert got.to_list() == _slow(values, tz)
    assert got.null_count() == 1


def test_empty_and_all_null():
    assert parse_timestamps(pl.Series("t", [], pl.String), "UTC").to_list() == []
    assert parse_timestamps(pl.Series("t", [None, None], pl.String), "UTC").to_list() == [None, None]
