"""Date and timestamp functions added by family (``date_trunc``, ``add_months``, ``months_between``,
``make_date``, epoch conversions, ...) as Polars expressions.

Timestamps are naive UTC instants; functions that read a calendar read it in the session time zone.
"""

from __future__ import annotations

import polars as pl

from ember import errors
from ember.sql import expressions as E
from ember.sql import types as T
from ember.sql.exec_expr import Ctx, dtype_of, to_utc, to_wall, translate
from ember.sql.exec_strings import literal

_US = pl.Datetime("us")
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_MONTH_NAMES = [
    "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER",
    "NOVEMBER", "DECEMBER",
]  # fmt: skip


def instant(e: E.Func, ctx: Ctx, i: int = 0) -> pl.Expr:
    """Argument ``i`` as a UTC instant: a date is its midnight in the session zone, text is parsed."""
    t = dtype_of(e.args[i], ctx)
    x = translate(e.args[i], ctx)
    if isinstance(t, T.StringType):
        from ember.sql.timeparse import parse_timestamp

        return parse_timestamp(x, ctx.tz)
    if isinstance(t, T.DateType):
        return to_utc(x.cast(_US), ctx.tz)
    return x.cast(_US)


def wall(e: E.Func, ctx: Ctx, i: int = 0) -> pl.Expr:
    """Argument ``i`` as a wall-clock time in the session zone."""
    t = dtype_of(e.args[i], ctx)
    if isinstance(t, T.DateType):
        return translate(e.args[i], ctx).cast(_US)
    return to_wall(instant(e, ctx, i), ctx.tz)


def date_of(e: E.Func, ctx: Ctx, i: int = 0) -> pl.Expr:
    """Argument ``i`` as a date (a timestamp's date in the session zone; text's leading date)."""
    t = dtype_of(e.args[i], ctx)
    x = translate(e.args[i], ctx)
    if isinstance(t, T.DateType):
        return x
    if isinstance(t, T.StringType):
        return x.str.strip_chars().str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    return to_wall(x.cast(_US), ctx.tz).dt.date()


def _names(values: list[str], index: pl.Expr) -> pl.Expr:
    return index.replace_strict(list(range(len(values))), values, default=None, return_dtype=pl.String)


_TRUNC_UNITS = {
    **dict.fromkeys(("year", "yyyy", "yy"), "1y"),
    "quarter": "1q",
    **dict.fromkeys(("month", "mon", "mm"), "1mo"),
    "week": "1w",
}
_TS_UNITS = {
    **_TRUNC_UNITS,
    **dict.fromkeys(("day", "dd"), "1d"),
    "hour": "1h",
    "minute": "1m",
    "second": "1s",
    "millisecond": "1ms",
    "microsecond": "",
}


def _date_trunc(e, ctx):
    unit = literal(e, 0)
    step = _TS_UNITS.get(unit.lower()) if isinstance(unit, str) else None
    if step is None:
        return pl.lit(None, dtype=_US)
    if step == "":
        return instant(e, ctx, 1)
    return to_utc(wall(e, ctx, 1).dt.truncate(step), ctx.tz)


def _trunc(e, ctx):
    unit = literal(e, 1)
    step = _TRUNC_UNITS.get(unit.lower()) if isinstance(unit, str) else None
    if step is None:
        return pl.lit(None, dtype=pl.Date)
    return date_of(e, ctx).dt.truncate(step)


_DAY_OF_WEEK = {
    **dict.fromkeys(("MO", "MON", "MONDAY"), 0),
    **dict.fromkeys(("TU", "TUE", "TUESDAY"), 1),
    **dict.fromkeys(("WE", "WED", "WEDNESDAY"), 2),
    **dict.fromkeys(("TH", "THU", "THURSDAY"), 3),
    **dict.fromkeys(("FR", "FRI", "FRIDAY"), 4),
    **dict.fromkeys(("SA", "SAT", "SATURDAY"), 5),
    **dict.fromkeys(("SU", "SUN", "SUNDAY"), 6),
}


def _illegal_day(value) -> Exception:
    return errors.IllegalArgumentException(
        f"Illegal input for day of week: {value}. SQLSTATE: 22009",
        errorClass="ILLEGAL_DAY_OF_WEEK",
        messageParameters={"string": str(value)},
    )


def _next_day(e, ctx):
    d = date_of(e, ctx)
    name = literal(e, 1)
    target = _DAY_OF_WEEK.get(name.upper()) if isinstance(name, str) else None
    if target is None:
        if name is not None:
            ctx.check(d.is_not_null(), pl.lit(str(name)), _illegal_day)
        return pl.lit(None, dtype=pl.Date)
    ahead = (target - (d.dt.weekday() - 1) + 6) % 7 + 1
    return d + pl.duration(days=ahead)


def _add_months(e, ctx):
    d = date_of(e, ctx)
    n = translate(e.args[1], ctx).cast(pl.Int64)
    return pl.when(n.is_null()).then(None).otherwise(d.dt.offset_by(pl.format("{}mo", n)))


def _months_between(e, ctx):
    a, b = wall(e, ctx, 0), wall(e, ctx, 1)
    round_off = literal(e, 2)
    months = (a.dt.year() * 12 + a.dt.month()).cast(pl.Int64) - (b.dt.year() * 12 + b.dt.month())
    day_a, day_b = a.dt.day().cast(pl.Int64), b.dt.day().cast(pl.Int64)
    both_ends = (a.dt.month_end().dt.day() == a.dt.day()) & (b.dt.month_end().dt.day() == b.dt.day())
    micros_a = a - a.dt.truncate("1d")
    micros_b = b - b.dt.truncate("1d")
    diff = (day_a - day_b) * 86_400_000_000 + (micros_a - micros_b).dt.total_microseconds()
    out = months.cast(pl.Float64) + diff.cast(pl.Float64) / (31 * 86_400_000_000)
    if round_off is not False:
        out = out.round(8, mode="half_away_from_zero")
    return pl.when((day_a == day_b) | both_ends).then(months.cast(pl.Float64)).otherwise(out)


def _make_date(e, ctx):
    y, m, d = (translate(a, ctx).cast(pl.Int64) for a in e.args)
    first = pl.date(y, m.clip(1, 12), 1)
    month_days = first.dt.month_end().dt.day().cast(pl.Int64)
    ok = m.is_between(1, 12) & d.is_between(1, month_days)
    present = y.is_not_null() & m.is_not_null() & d.is_not_null()
    month_name = _names(_MONTH_NAMES, m.clip(1, 12) - 1)
    ctx.check(present & ~m.is_between(1, 12), m, _field_out_of_range("MonthOfYear", "1 - 12"))
    month_ok = present & m.is_between(1, 12)
    ctx.check(month_ok & ~d.is_between(1, 31), d, _field_out_of_range("DayOfMonth", "1 - 28/31"))
    leap = present & (m == 2) & (d == 29) & ~ok
    ctx.check(leap, y, _not_leap)
    bad_day = present & m.is_between(1, 12) & d.is_between(1, 31) & ~ok & ~leap
    ctx.check(bad_day, pl.format("{} {}", month_name, d), _invalid_date)
    return pl.when(ok).then(first + pl.duration(days=d - 1))


def _out_of_bounds(message: str) -> Exception:
    return errors.DateTimeException(
        f"{message}.  SQLSTATE: 22023",
        errorClass="DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION",
        messageParameters={"rangeMessage": message},
    )


def _field_out_of_range(field: str, valid: str):
    return lambda v: _out_of_bounds(f"Invalid value for {field} (valid values {valid}): {v}")


def _not_leap(year) -> Exception:
    return _out_of_bounds(f"Invalid date 'February 29' as '{year}' is not a leap year")


def _invalid_date(value) -> Exception:
    return _out_of_bounds(f"Invalid date '{value}'")


def _epoch(divisor: int):
    def f(e, ctx):
        return instant(e, ctx).cast(pl.Int64) // divisor

    return f


def _from_epoch(micros: int):
    def f(e, ctx):
        x = translate(e.args[0], ctx)
        t = dtype_of(e.args[0], ctx)
        if isinstance(t, (T.FloatType, T.DoubleType, T.DecimalType)):
            return (x.cast(pl.Float64) * micros).cast(pl.Int64).cast(_US)
        return (x.cast(pl.Int64) * micros).cast(_US)

    return f


def _date_diff(e, ctx):
    return (date_of(e, ctx, 0) - date_of(e, ctx, 1)).dt.total_days().cast(pl.Int32)


def _try_to_timestamp(e, ctx):
    t = dtype_of(e.args[0], ctx)
    if not isinstance(t, T.StringType):
        return instant(e, ctx)
    x = translate(e.args[0], ctx)
    fmt = literal(e, 1) if len(e.args) > 1 else None
    if fmt is None:
        from ember.sql.timeparse import parse_timestamp

        return parse_timestamp(x, ctx.tz)
    if not isinstance(fmt, str):
        raise errors.AnalysisException("ember's try_to_timestamp needs a literal format")
    from ember.sql.timefmt import java_to_strftime

    return to_utc(x.str.to_datetime(java_to_strftime(fmt), time_unit="us", strict=False), ctx.tz)


def _curdate(e, ctx):
    from ember.sql.exec_time import _now_utc

    return to_wall(pl.lit(_now_utc(), dtype=_US), ctx.tz).dt.date()


FUNCS = {
    "weekofyear": lambda e, ctx: wall(e, ctx).dt.week().cast(pl.Int32),
    "quarter": lambda e, ctx: wall(e, ctx).dt.quarter().cast(pl.Int32),
    "day": lambda e, ctx: wall(e, ctx).dt.day().cast(pl.Int32),
    "weekday": lambda e, ctx: (wall(e, ctx).dt.weekday() - 1).cast(pl.Int32),
    "dayname": lambda e, ctx: _names(_DAYS, wall(e, ctx).dt.weekday().cast(pl.Int64) - 1),
    "monthname": lambda e, ctx: _names(_MONTHS, wall(e, ctx).dt.month().cast(pl.Int64) - 1),
    "last_day": lambda e, ctx: date_of(e, ctx).dt.month_end(),
    "unix_date": lambda e, ctx: date_of(e, ctx).cast(pl.Int32),
    "unix_seconds": _epoch(1_000_000),
    "unix_millis": _epoch(1_000),
    "unix_micros": _epoch(1),
    "timestamp_seconds": _from_epoch(1_000_000),
    "timestamp_millis": _from_epoch(1_000),
    "timestamp_micros": _from_epoch(1),
    "date_from_unix_date": lambda e, ctx: translate(e.args[0], ctx).cast(pl.Int32).cast(pl.Date),
    "date_trunc": _date_trunc,
    "trunc": _trunc,
    "next_day": _next_day,
    "add_months": _add_months,
    "months_between": _months_between,
    "make_date": _make_date,
    "date_diff": _date_diff,
    "current_timezone": lambda e, ctx: pl.lit(ctx.tz, dtype=pl.String),
    "curdate": _curdate,
    "try_to_timestamp": _try_to_timestamp,
}
