"""Date, time and window functions as Polars expressions (the execution layer of ``exec_funcs``)."""

from __future__ import annotations

import datetime

import polars as pl

from ember.sql import expressions as E
from ember.sql import types as T
from ember.sql.exec_expr import Ctx, dtype_of, to_utc, to_wall, translate
from ember.sql.timefmt import java_to_strftime


def _a(e: E.Func, ctx: Ctx, i: int = 0) -> pl.Expr:
    return translate(e.args[i], ctx)


def _now_utc() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _current_timestamp(e, ctx):
    return pl.lit(_now_utc(), dtype=pl.Datetime("us"))


def _current_date(e, ctx):
    return to_wall(pl.lit(_now_utc(), dtype=pl.Datetime("us")), ctx.tz).dt.date()


def _parse_ts(x: pl.Expr, fmt: str | None, tz: str) -> pl.Expr:
    if fmt is None:
        from ember.sql.timeparse import parse_timestamp

        return parse_timestamp(x, tz)
    else:
        parsed = x.str.to_datetime(java_to_strftime(fmt), time_unit="us", strict=False)
    return to_utc(parsed, tz)


def _to_timestamp(e, ctx):
    t = dtype_of(e.args[0], ctx)
    x = _a(e, ctx)
    if isinstance(t, T.StringType):
        from ember.errors import DateTimeException
        from ember.sql.ansi import invalid_cast

        out = _parse_ts(x, e.params[0] if e.params else None, ctx.tz)
        ctx.check(x.is_not_null() & out.is_null(), x, invalid_cast("TIMESTAMP", DateTimeException))
        return out
    from ember.sql.exec_expr import cast

    return cast(x, t, T.TimestampType(), ctx.tz)


def _to_date(e, ctx):
    t = dtype_of(e.args[0], ctx)
    x = _a(e, ctx)
    if isinstance(t, T.StringType):
        if e.params:
            return x.str.to_date(java_to_strftime(e.params[0]), strict=False)
        return x.str.strip_chars().str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    if isinstance(t, T.DateType):
        return x
    return to_wall(x, ctx.tz).dt.date()


def _wall(e, ctx, i=0):
    t = dtype_of(e.args[i], ctx)
    x = _a(e, ctx, i)
    if isinstance(t, T.StringType):
        x = _parse_ts(x, None, ctx.tz)
        t = T.TimestampType()
    if isinstance(t, T.DateType):
        return x.cast(pl.Datetime("us"))
    return to_wall(x, ctx.tz)


def _date_format(e, ctx):
    return _wall(e, ctx).dt.strftime(java_to_strftime(e.params[0]))


def _unix_timestamp(e, ctx):
    t = dtype_of(e.args[0], ctx)
    x = _a(e, ctx)
    if isinstance(t, T.StringType):
        x = _parse_ts(x, e.params[0], ctx.tz)
    elif isinstance(t, T.DateType):
        x = to_utc(x.cast(pl.Datetime("us")), ctx.tz)
    return x.dt.epoch("s")


def _from_unixtime(e, ctx):
    x = _a(e, ctx)
    ts = (x.cast(pl.Int64) * 1_000_000).cast(pl.Datetime("us"))
    return to_wall(ts, ctx.tz).dt.strftime(java_to_strftime(e.params[0]))


def _field(method, cast=pl.Int32):
    def f(e, ctx):
        return getattr(_wall(e, ctx).dt, method)().cast(cast)

    return f


def _dayofweek(e, ctx):
    return (_wall(e, ctx).dt.weekday() % 7 + 1).cast(pl.Int32)


def _window(e, ctx):
    """Tumbling window of each row (sliding windows are expanded by the executor first)."""
    w, s, start = e.params
    t = _time_arg(e, ctx)
    lo = t - (t - start) % s
    return window_struct(lo, w)


def _time_arg(e, ctx) -> pl.Expr:
    """The window's time column as epoch microseconds (a string column is cast first, as Spark does)."""
    t = dtype_of(e.args[0], ctx)
    x = _a(e, ctx)
    if isinstance(t, T.StringType):
        from ember.errors import DateTimeException
        from ember.sql.ansi import invalid_cast
        from ember.sql.timeparse import parse_timestamp

        raw, x = x, parse_timestamp(x, ctx.tz)
        ctx.check(raw.is_not_null() & x.is_null(), raw, invalid_cast("TIMESTAMP", DateTimeException))
    elif isinstance(t, T.DateType):
        x = to_utc(x.cast(pl.Datetime("us")), ctx.tz)
    return x.cast(pl.Int64)


def window_struct(lo: pl.Expr, w: int) -> pl.Expr:
    return pl.struct(lo.cast(pl.Datetime("us")).alias("start"), (lo + w).cast(pl.Datetime("us")).alias("end"))


def expand_window_starts(lf: pl.LazyFrame, t: pl.Expr, params, out: str) -> pl.LazyFrame:
    """One row per window each row's time ``t`` (epoch microseconds) falls in, its start in ``out``.

    Windows come latest start last (Spark's order of generation); rows without a time are dropped.
    Starts stay integers so callers build the ``{start, end}`` struct once, late (per group, or
    after the explode), which is much cheaper than a list of structs per row.
    """
    w, s, start = params
    n = -(-w // s)
    lf = lf.filter(t.is_not_null())
    lo = t - (t - start) % s
    if n == 1:
        return lf.with_columns(lo.alias(out))
    k = f"{out}_k"
    return (
        lf.with_columns(pl.int_ranges(n - 1, -1, -1, dtype=pl.Int64).alias(k))
        .explode(k)
        .with_columns((lo - pl.col(k) * s).alias(out))
        .drop(k)
        .filter(pl.col(out) + w > t)
    )


def sliding_windows(lf: pl.LazyFrame, e, ctx, out: str) -> pl.LazyFrame:
    """``lf`` with one row per sliding window of ``e`` (a ``window`` call), the window struct in ``out``."""
    lf = expand_window_starts(lf, _time_arg(e, ctx), e.params, out)
    return lf.with_columns(window_struct(pl.col(out), e.params[0]).alias(out))


def _window_time(e, ctx):
    return _a(e, ctx).struct.field("end") - pl.duration(microseconds=1)


def _date_add(sign):
    def f(e, ctx):
        x = _a(e, ctx)
        t = dtype_of(e.args[0], ctx)
        if not isinstance(t, T.DateType):
            x = _to_date(E.Func("to_date", e.args), ctx)
        return x + pl.duration(days=sign * e.params[0])

    return f


def _datediff(e, ctx):
    a = _to_date(E.Func("to_date", (e.args[0],)), ctx)
    b = _to_date(E.Func("to_date", (e.args[1],)), ctx)
    return (a - b).dt.total_days().cast(pl.Int32)
