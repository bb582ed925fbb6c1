"""Conditional and mathematical functions added by family, as Polars expressions.

Spark's math functions work in doubles; the logarithms give null outside their domain, the inverse
trigonometric ones NaN, as ``java.lang.Math`` does.
"""

from __future__ import annotations

import math

import polars as pl

from ember.sql import expressions as E
from ember.sql.dtypes import to_polars
from ember.sql.exec_expr import Ctx, translate


def _args(e: E.Func, ctx: Ctx) -> list[pl.Expr]:
    return [translate(a, ctx) for a in e.args]


def _result(e: E.Func, ctx: Ctx):
    from ember.sql.analyzer import analyze

    return to_polars(analyze(e, ctx.attrs).dtype)


def _as_result(e, ctx, x: pl.Expr) -> pl.Expr:
    return x.cast(_result(e, ctx), strict=False)


# -- conditional -----------------------------------------------------------------------------------
def _coalescing(e, ctx):
    return pl.coalesce([_as_result(e, ctx, x) for x in _args(e, ctx)])


def _nvl2(e, ctx):
    a, b, c = _args(e, ctx)
    return pl.when(a.is_not_null()).then(_as_result(e, ctx, b)).otherwise(_as_result(e, ctx, c))


def _nullif(e, ctx):
    a, b = _args(e, ctx)
    return pl.when(a == b).then(None).otherwise(a)


def _equal_null(e, ctx):
    a, b = _args(e, ctx)
    return a.eq_missing(b)


def _nullifzero(e, ctx):
    (a,) = _args(e, ctx)
    return pl.when(a == 0).then(None).otherwise(a)


def _zeroifnull(e, ctx):
    (a,) = _args(e, ctx)
    return _as_result(e, ctx, a).fill_null(0)


# -- math ------------------------------------------------------------------------------------------
def _double(fn):
    def f(e, ctx):
        return fn(*[x.cast(pl.Float64) for x in _args(e, ctx)])

    return f


def _positive_log(fn, low: float = 0.0):
    # java.lang.Math gives -Infinity / NaN; Spark's logarithms give null at or below the domain's edge
    return _double(lambda x: pl.when(x > low).then(fn(x)))


def _log_base(e, ctx):
    b, x = (a.cast(pl.Float64) for a in _args(e, ctx))
    base = e.args[0].value if isinstance(e.args[0], E.Literal) else None
    # ln(x) / ln(base), as Spark: a literal base goes through Polars' own log(base), since dividing
    # by a constant may be rewritten as a (less exact) product with its reciprocal
    value = x.log(float(base)) if isinstance(base, (int, float)) and base > 0 else x.log() / b.log()
    return pl.when((b > 0) & (x > 0)).then(value)


def _pmod(e, ctx):
    from ember.sql.ansi import remainder_by_zero

    a, n = (_as_result(e, ctx, x) for x in _args(e, ctx))
    floating = _result(e, ctx) in (pl.Float32, pl.Float64)
    ctx.check((n == 0) & a.is_not_null(), None, remainder_by_zero)
    # Java's remainder takes the dividend's sign (Polars' the divisor's): r = a % n, then (r + n) % n
    rem = _java_rem if floating else _java_rem_int
    r = rem(a, n)
    out = pl.when(r < 0).then(rem(r + n, n)).otherwise(r)
    return pl.when(n == 0).then(None).otherwise(out)


def _java_rem(a: pl.Expr, n: pl.Expr) -> pl.Expr:
    return a - n * (a / n).truncate()


def _java_rem_int(a: pl.Expr, n: pl.Expr) -> pl.Expr:
    # integer division truncating toward zero, whatever the signs
    q = (a.abs() // n.abs()) * pl.when((a < 0) ^ (n < 0)).then(-1).otherwise(1)
    return a - n * q


def _factorial(e, ctx):
    (x,) = _args(e, ctx)
    table = [math.factorial(i) for i in range(21)]
    x = x.cast(pl.Int64)
    return pl.when(x.is_between(0, 20)).then(x.replace_strict(list(range(21)), table, default=None))


def _rint(x: pl.Expr) -> pl.Expr:
    return x.round(0, mode="half_to_even")


FUNCS = {
    "ifnull": _coalescing,
    "nvl": _coalescing,
    "nvl2": _nvl2,
    "nullif": _nullif,
    "equal_null": _equal_null,
    "nullifzero": _nullifzero,
    "zeroifnull": _zeroifnull,
    "ln": _positive_log(lambda x: x.log()),
    "log10": _positive_log(lambda x: x.log10()),
    "log2": _positive_log(lambda x: x.log() / math.log(2.0)),
    "log1p": _positive_log(lambda x: x.log1p(), -1.0),
    "log_base": _log_base,
    "expm1": _double(lambda x: x.exp() - 1),
    "cbrt": _double(lambda x: x.cbrt()),
    "sin": _double(lambda x: x.sin()),
    "cos": _double(lambda x: x.cos()),
    "tan": _double(lambda x: x.tan()),
    "cot": _double(lambda x: 1.0 / x.tan()),
    "sec": _double(lambda x: 1.0 / x.cos()),
    "csc": _double(lambda x: 1.0 / x.sin()),
    "asin": _double(lambda x: x.arcsin()),
    "acos": _double(lambda x: x.arccos()),
    "atan": _double(lambda x: x.arctan()),
    "atan2": _double(lambda y, x: pl.arctan2(y, x)),
    "sinh": _double(lambda x: x.sinh()),
    "cosh": _double(lambda x: x.cosh()),
    "tanh": _double(lambda x: x.tanh()),
    "asinh": _double(lambda x: x.arcsinh()),
    "acosh": _double(lambda x: x.arccosh()),
    "atanh": _double(lambda x: x.arctanh()),
    "degrees": _double(lambda x: x.degrees()),
    "radians": _double(lambda x: x.radians()),
    "hypot": _double(lambda a, b: (a * a + b * b).sqrt()),
    "rint": _double(_rint),
    "sign": _double(lambda x: x.sign()),
    "pi": lambda e, ctx: pl.lit(math.pi, dtype=pl.Float64),
    "e": lambda e, ctx: pl.lit(math.e, dtype=pl.Float64),
    "ceiling": _double(lambda x: x.ceil().cast(pl.Int64)),
    "negative": lambda e, ctx: -translate(e.args[0], ctx),
    "positive": lambda e, ctx: translate(e.args[0], ctx),
    "factorial": _factorial,
    "pmod": _pmod,
}
