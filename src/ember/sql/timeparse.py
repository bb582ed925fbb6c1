"""Spark's lenient string -> date/timestamp casts (``2016-3-1``, ``2016-03-11T09:00:07Z``, ``.5`` seconds)
as Polars expressions: the parts are pulled out with one regex, then assembled.

Spark also takes a ``+`` before the year and a point with no digits after the seconds (``00:00:00.``,
``00:00:00.Z``); fraction digits past the sixth (up to nine) are dropped."""

from __future__ import annotations

import polars as pl

_TS = (
    r"^\s*\+?(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})"
    r"(?:[ T](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,9}))?)?)?)?)?)?"
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


# Shapes chrono reads exactly as Spark's cast does: fields of fixed width (a four-digit year, no sign),
# seconds below 60 (chrono takes a leap second ``:60`` as the next minute, Spark refuses it) and 1-9
# fraction digits; an impossible date or hour gives null on both sides. (shape, format, text is UTC)
_NATIVE = (
    (r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:[0-5]\d(?:\.\d{1,9})?$", "%Y-%m-%d %H:%M:%S%.f", False),
    (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:[0-5]\d(?:\.\d{1,9})?$", "%Y-%m-%dT%H:%M:%S%.f", False),
    (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:[0-5]\d(?:\.\d{1,9})?Z$", "%Y-%m-%dT%H:%M:%S%.fZ", True),
)


def parse_timestamps(values: pl.Series, tz: str) -> pl.Series:
    """Spark's string-to-timestamp cast of a whole column, as UTC instants (naive, microseconds).

    Values of a common ISO shape are parsed by Polars' native parser; only the other rows go through
    :func:`parse_timestamp` (Spark's full rules, a few regex passes per row), so one odd value no
    longer sends the whole column down the slow path.

    Examples
    --------
    >>> parse_timestamps(pl.Series(["2024-01-01 00:00:00.5", "2024-1-1"]), "UTC").to_list()
    [datetime.datetime(2024, 1, 1, 0, 0, 0, 500000), datetime.datetime(2024, 1, 1, 0, 0)]
    """
    from ember.sql.exec_expr import to_utc

    def native(text: pl.Series, fmt: str, is_utc: bool) -> pl.Series:
        parsed = text.str.to_datetime(fmt, time_unit="us", strict=False)
        return parsed if is_utc else parsed.to_frame().select(to_utc(pl.first(), tz)).to_series()

    out = pl.Series(values.name, [None] * len(values), pl.Datetime("us"))
    rest, where = values, None  # the values not parsed yet, and their rows (None: every row)
    for shape, fmt, is_utc in _NATIVE:
        if rest.len() == 0:
            return out
        hit = rest.str.contains(shape).fill_null(True)  # a null stays null
        if not hit.any():
            continue
        if hit.all():  # the common case: one shape throughout
            part = native(rest, fmt, is_utc)
            return part.alias(values.name) if where is None else out.scatter(where, part)
        rows = hit.arg_true() if where is None else where.filter(hit)
        out.scatter(rows, native(rest.filter(hit), fmt, is_utc))
        miss = ~hit
        rest, where = rest.filter(miss), (miss.arg_true() if where is None else where.filter(miss))
    part = pl.select(parse_timestamp(pl.lit(rest), tz)).to_series()
    return part.alias(values.name) if where is None else out.scatter(where, part)
