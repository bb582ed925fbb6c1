"""Spark's lenient string -> date/timestamp casts (``2016-3-1``, ``2016-03-11T09:00:07Z``, ``.5`` seconds)
as Polars expressions: the parts are pulled out with one regex, then assembled."""

from __future__ import annotations

import polars as pl

_TS = (
    r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})"
    r"(?:[ T](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?)?)?)?"
    r"\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?\s*$"
)
_DATE = r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[ T].*)?\s*$"


def _part(x: pl.Expr, pattern: str, i: int, default: int | None) -> pl.Expr:
    p = x.str.extract(pattern, i).cast(pl.Int32, strict=False)
    return p.fill_null(default) if default is not None else p


def parse_date(x: pl.Expr) -> pl.Expr:
    year = _part(x, _DATE, 1, None)
    month = _part(x, _DATE, 2, 1)
    day = _part(x, _DATE, 3, 1)
    ok = year.is_not_null() & month.is_between(1, 12) & day.is_between(1, 31)
    text = pl.concat_str(
        [
            year.cast(pl.String).str.zfill(4),
            month.cast(pl.String).str.zfill(2),
            day.cast(pl.String).str.zfill(2),
        ],
        separator="-",
    )
    return pl.when(ok).then(text.str.to_date("%Y-%m-%d", strict=False))


def parse_timestamp(x: pl.Expr, tz: str) -> pl.Expr:
    """A UTC instant from Spark's timestamp text; no zone in the text means the session zone."""
    from ember.sql.exec_expr import to_utc

    year = _part(x, _TS, 1, None)
    month, day = _part(x, _TS, 2, 1), _part(x, _TS, 3, 1)
    hour, minute, second = _part(x, _TS, 4, 0), _part(x, _TS, 5, 0), _part(x, _TS, 6, 0)
    frac = x.str.extract(_TS, 7)
    micros = (frac.str.slice(0, 6).str.pad_end(6, "0")).cast(pl.Int64, strict=False).fill_null(0)
    zone = x.str.extract(_TS, 8)
    ok = (
        year.is_not_null()
        & month.is_between(1, 12)
        & day.is_between(1, 31)
        & hour.is_between(0, 23)
        & minute.is_between(0, 59)
        & second.is_between(0, 59)
    )
    date_text = pl.concat_str(
        [
            year.cast(pl.String).str.zfill(4),
            month.cast(pl.String).str.zfill(2),
            day.cast(pl.String).str.zfill(2),
        ],
        separator="-",
    )
    base = date_text.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us"))
    wall = base + pl.duration(hours=hour, minutes=minute, seconds=second, microseconds=micros)
    local = to_utc(wall, tz)
    sign = pl.when(zone.str.starts_with("-")).then(-1).otherwise(1)
    digits = zone.str.replace_all(r"[^0-9]", "")
    off_h = digits.str.slice(0, 2).cast(pl.Int64, strict=False).fill_null(0)
    off_m = digits.str.slice(2, 2).cast(pl.Int64, strict=False).fill_null(0)
    offset = pl.duration(minutes=sign * (off_h * 60 + off_m))
    utc = pl.when(zone.is_null()).then(local).otherwise(wall - offset)
    return pl.when(ok).then(utc)
