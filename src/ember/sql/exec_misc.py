"""Misc functions added by family: ``try_divide``/``try_mod``, ``typeof``, ``rand``/``randn``,
``date_add`` with a column of days, and the aggregates ``listagg``/``string_agg`` and ``mode``."""

from __future__ import annotations

import random

import polars as pl

from ember.sql import expressions as E
from ember.sql.exec_expr import Ctx, dtype_of, translate


def _try(op: str):
    """``a op b`` that gives null where Spark's ANSI mode would fail (a zero divisor)."""

    def f(e: E.Func, ctx: Ctx) -> pl.Expr:
        binop = E.BinOp(op, e.args[0], e.args[1])
        # the operands keep their own checks; only the operation itself is tolerant
        for a in e.args:
            ctx.subst[id(a)] = translate(a, ctx)
        ansi, ctx.ansi = ctx.ansi, False
        try:
            return translate(binop, ctx)
        finally:
            ctx.ansi = ansi
            for a in e.args:
                ctx.subst.pop(id(a), None)

    return f


def _typeof(e, ctx):
    return pl.lit(dtype_of(e.args[0], ctx).simpleString(), dtype=pl.String)


def _random(normal: bool):
    def f(e, ctx):
        import numpy as np

        seed = e.params[0]

        def draw(s: pl.Series, *_a, **_k) -> pl.Series:
            # one generator per batch, seeded: the same seed gives the same column
            rng = np.random.default_rng(seed if seed is not None else random.getrandbits(63))
            values = rng.standard_normal(len(s)) if normal else rng.random(len(s))
            return pl.Series(values, dtype=pl.Float64)

        return pl.int_range(pl.len()).map_batches(draw, return_dtype=pl.Float64)

    return f


def _date_add(sign: int):
    def f(e, ctx):
        from ember.sql.exec_dates import date_of

        d = date_of(e, ctx)
        days = pl.lit(e.params[0]) if e.params else translate(e.args[1], ctx)
        days = days.cast(pl.Int64) * sign
        return pl.when(days.is_null()).then(None).otherwise(d + pl.duration(days=days))

    return f


FUNCS = {
    "try_divide": _try("/"),
    "try_mod": _try("%"),
    "typeof": _typeof,
    "rand": _random(False),
    "randn": _random(True),
    "date_add": _date_add(1),
    "dateadd": _date_add(1),
    "date_sub": _date_add(-1),
}


def _listagg(e, ctx):
    x = translate(e.args[0], ctx).cast(pl.String).drop_nulls()
    sep = e.args[1].value if len(e.args) > 1 and isinstance(e.args[1], E.Literal) else None
    return pl.when(x.count() > 0).then(x.str.join(sep or ""))


def _mode(e, ctx):
    x = translate(e.args[0], ctx).drop_nulls()
    return pl.when(x.count() > 0).then(x.mode().sort().first())


AGGS = {
    "listagg": _listagg,
    "string_agg": _listagg,
    "mode": _mode,
}
