"""Aggregate functions added by family (``count_if``, ``max_by``, ``median``, ``percentile_approx``,
``corr``, ...) as Polars aggregations; they work per group, over a whole frame and over windows.
"""

from __future__ import annotations

import polars as pl

from ember.sql import expressions as E
from ember.sql.exec_expr import Ctx, translate


def _x(e: E.AggFunc, ctx: Ctx, i: int = 0) -> pl.Expr:
    return translate(e.args[i], ctx)


def _count_if(e, ctx):
    return (_x(e, ctx) == True).sum().cast(pl.Int64)  # noqa: E712 - a null is not counted


def _bool(method: str):
    def f(e, ctx):
        x = _x(e, ctx).drop_nulls()
        return pl.when(x.count() > 0).then(getattr(x, method)())

    return f


def _by(largest: bool):
    def f(e, ctx):
        x, o = _x(e, ctx), _x(e, ctx, 1)
        # the first row holding the extreme (Spark replaces only on a strictly larger value)
        return x.filter(o == (o.max() if largest else o.min())).first()

    return f


def _product(e, ctx):
    x = _x(e, ctx).cast(pl.Float64)
    return pl.when(x.count() > 0).then(x.drop_nulls().product())


def _quantile(x: pl.Expr, p: float) -> pl.Expr:
    return x.cast(pl.Float64).quantile(p, interpolation="linear")


def _pair(e, ctx) -> tuple[pl.Expr, pl.Expr]:
    """Both columns as doubles, on the rows where neither is null."""
    a, b = _x(e, ctx).cast(pl.Float64), _x(e, ctx, 1).cast(pl.Float64)
    both = a.is_not_null() & b.is_not_null()
    return a.filter(both), b.filter(both)


def _covar(ddof: int):
    def f(e, ctx):
        a, b = _pair(e, ctx)
        n = a.count()
        out = ((a - a.mean()) * (b - b.mean())).sum() / (n - ddof)
        return pl.when(n > ddof).then(out)

    return f


def _corr(e, ctx):
    a, b = _pair(e, ctx)
    da, db = a - a.mean(), b - b.mean()
    sxx, syy = (da * da).sum(), (db * db).sum()
    out = (da * db).sum() / (sxx * syy).sqrt()
    # Spark: null for fewer than two pairs; NaN when a column does not vary
    return pl.when(a.count() > 1).then(pl.when((sxx == 0) | (syy == 0)).then(float("nan")).otherwise(out))


def _moments(e, ctx):
    x = _x(e, ctx).cast(pl.Float64).drop_nulls()
    n = x.count().cast(pl.Float64)
    d = x - x.mean()
    return x, n, (d**2).sum() / n, (d**3).sum() / n, (d**4).sum() / n


def _skewness(e, ctx):
    x, n, m2, m3, _ = _moments(e, ctx)
    return pl.when((n > 0) & (m2 != 0)).then(m3 / m2.pow(1.5))


def _kurtosis(e, ctx):
    x, n, m2, _, m4 = _moments(e, ctx)
    return pl.when((n > 0) & (m2 != 0)).then(m4 / (m2 * m2) - 3.0)


def _percentages(e: E.AggFunc) -> tuple[list[float], bool]:
    p = e.args[1]
    if isinstance(p, E.Func) and p.name == "array":
        return [_constant(a) for a in p.args], True
    return [_constant(p)], False


def _constant(x: E.Expr) -> float:
    """A literal percentage (SQL's ``0.5`` is a decimal literal, maybe under a cast)."""
    while isinstance(x, (E.Cast, E.Alias)):
        x = x.child
    if not isinstance(x, E.Literal) or x.value is None:
        from ember.errors import AnalysisException

        raise AnalysisException("ember's percentile functions need literal percentages")
    return float(x.value)


def _percentile_approx(e, ctx):
    """The smallest value with at least ``p`` of the rows at or below it (Spark's sketch is exact on
    fewer rows than its accuracy)."""
    x = _x(e, ctx).drop_nulls().sort()
    n = x.count()
    ps, many = _percentages(e)
    picks = [x.head((pl.lit(p) * n).ceil().cast(pl.Int64).clip(1, None)).last() for p in ps]
    if not many:
        return pl.when(n > 0).then(picks[0])
    return pl.when(n > 0).then(pl.concat_list(picks))


def _percentile(e, ctx):
    x = _x(e, ctx).drop_nulls()
    ps, many = _percentages(e)
    picks = [_quantile(x, p) for p in ps]
    if not many:
        return picks[0]
    return pl.when(x.count() > 0).then(pl.concat_list(picks))


def _std(e, ctx):
    from ember.sql.exec_funcs import _variance

    return _variance(_x(e, ctx), 1, True)


def _first_last(name: str):
    def f(e, ctx):
        x = _x(e, ctx)
        y = x.drop_nulls() if (e.params and e.params[0]) else x
        return y.last() if name == "last" else y.first()

    return f


AGGS = {
    "count_if": _count_if,
    "bool_and": _bool("all"),
    "every": _bool("all"),
    "bool_or": _bool("any"),
    "some": _bool("any"),
    "max_by": _by(True),
    "min_by": _by(False),
    "product": _product,
    "median": lambda e, ctx: _quantile(_x(e, ctx).drop_nulls(), 0.5),
    "skewness": _skewness,
    "kurtosis": _kurtosis,
    "corr": _corr,
    "covar_pop": _covar(0),
    "covar_samp": _covar(1),
    "std": _std,
    "first_value": _first_last("first"),
    "last_value": _first_last("last"),
    "percentile_approx": _percentile_approx,
    "percentile": _percentile,
}
