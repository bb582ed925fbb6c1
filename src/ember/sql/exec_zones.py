"""``to_utc_timestamp`` and ``from_utc_timestamp`` as Polars expressions.

Spark's timestamps are instants, so these two shift the instant itself: ``from_utc_timestamp(t, z)``
reads ``t``'s wall clock in UTC as if it were ``z``'s and ``to_utc_timestamp(t, z)`` does the inverse
(a wall time in a spring-forward gap moves forward by the gap, an ambiguous one takes the earlier
offset, as ``java.time`` does). The zone is a literal or a column: a column is converted zone by zone
(one vectorised pass per distinct zone in the batch, never a Python step per row).
"""

from __future__ import annotations

import polars as pl

from ember.sql import expressions as E
from ember.sql import types as T
from ember.sql.exec_expr import Ctx, dtype_of, to_utc, to_wall, translate
from ember.sql.zoneids import zone_of

_TS = pl.Datetime("us")


def shift(x: pl.Expr, zone: int | str, towards_utc: bool) -> pl.Expr:
    """``x`` (naive UTC instants) moved from wall time in ``zone`` to UTC, or from UTC to ``zone``."""
    if isinstance(zone, int):
        offset = pl.duration(seconds=zone)
        return x - offset if towards_utc else x + offset
    return to_utc(x, zone) if towards_utc else to_wall(x, zone)


def timestamp_arg(e: E.Func, ctx: Ctx) -> pl.Expr:
    """The first argument as a timestamp: a string is cast as Spark casts it, a date is its midnight."""
    t = dtype_of(e.args[0], ctx)
    x = translate(e.args[0], ctx)
    if isinstance(t, T.StringType):
        from ember.errors import DateTimeException
        from ember.sql.ansi import invalid_cast
        from ember.sql.timeparse import parse_timestamp

        raw, x = x, parse_timestamp(x, ctx.tz)
        ctx.check(raw.is_not_null() & x.is_null(), raw, invalid_cast("TIMESTAMP", DateTimeException))
        return x
    if isinstance(t, T.DateType):
        return to_utc(x.cast(_TS), ctx.tz)
    return x.cast(_TS)


def _convert(towards_utc: bool):
    def f(e: E.Func, ctx: Ctx) -> pl.Expr:
        x = timestamp_arg(e, ctx)
        tz = e.args[1]
        if isinstance(tz, E.Literal):
            if tz.value is None:
                return pl.lit(None, dtype=_TS)
            text = tz.value if isinstance(tz.value, str) else str(tz.value).lower()
            # Spark resolves a literal zone before it reads any row: a bad one fails even on no rows
            return shift(x, zone_of(text), towards_utc)
        return _by_zone(x, _zone_text(e, ctx), towards_utc)

    return f


def _zone_text(e: E.Func, ctx: Ctx) -> pl.Expr:
    t = dtype_of(e.args[1], ctx)
    z = translate(e.args[1], ctx)
    if isinstance(t, T.StringType):
        return z
    from ember.sql.exec_expr import cast

    return cast(z, t, T.StringType(), ctx.tz)


def _by_zone(x: pl.Expr, zone: pl.Expr, towards_utc: bool) -> pl.Expr:
    def run(s: pl.Series) -> pl.Series:
        frame = s.struct.unnest()
        # a row with a null time never reads its zone (a bad zone there is no error, as in Spark)
        zones = frame.filter(pl.col("t").is_not_null())["z"].drop_nulls().unique(maintain_order=True)
        out = pl.lit(None, dtype=_TS)
        for text in zones.to_list():
            moved = shift(pl.col("t"), zone_of(text), towards_utc)
            out = pl.when(pl.col("z") == text).then(moved).otherwise(out)
        return frame.select(out.alias("r"))["r"]

    return pl.struct(x.alias("t"), zone.alias("z")).map_batches(run, return_dtype=_TS)


FUNCS = {
    "to_utc_timestamp": _convert(True),
    "from_utc_timestamp": _convert(False),
}
