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


_BOUNDS = {pl.Int8: 7, pl.Int16: 15, pl.Int32: 31, pl.Int64: 63}


def _try_exact(op: str):
    """``a op b``, null where an integral result overflows its type (and where ANSI would fail)."""

    def f(e: E.Func, ctx: Ctx) -> pl.Expr:
        from ember.sql.analyzer import analyze
        from ember.sql.dtypes import to_polars

        pt = to_polars(analyze(e, ctx.attrs).dtype)
        if pt not in _BOUNDS:
            return _try(op)(e, ctx)
        a, b = (translate(x, ctx).cast(pl.Int128) for x in e.args)
        exact = a + b if op == "+" else a - b if op == "-" else a * b
        bits = _BOUNDS[pt]
        return pl.when(exact.is_between(-(2**bits), 2**bits - 1)).then(exact.cast(pt))

    return f


def _try_to_date(e, ctx):
    from ember.sql.exec_funcs import FUNCS as BUILTINS

    return BUILTINS["to_date"](E.Func("to_date", e.args, e.params), ctx)


def _bits(method: str):
    def f(e, ctx):
        x = translate(e.args[0], ctx)
        return pl.when(x.count() > 0).then(getattr(x.drop_nulls(), method)())

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
    "try_add": _try_exact("+"),
    "try_subtract": _try_exact("-"),
    "try_multiply": _try_exact("*"),
    "try_to_date": _try_to_date,
    "bit_count": lambda e, ctx: translate(e.args[0], ctx).cast(pl.Int64).bitwise_count_ones().cast(pl.Int32),
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
    "bit_and": _bits("bitwise_and"),
    "bit_or": _bits("bitwise_or"),
    "bit_xor": _bits("bitwise_xor"),
}
