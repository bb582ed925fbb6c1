"""Higher-order array functions (``transform``, ``filter``, ``exists``, ``forall``) on ``list.eval``.

The Python lambda is called once, on placeholder columns (``lambda_var`` nodes bound to the array);
its body is translated with the placeholders standing for ``pl.element()`` (and the element's index),
so it runs inside Polars on every list at once. A body may use the element and literals only, as
``list.eval`` sees nothing outside the list.
"""

from __future__ import annotations

import polars as pl

from ember.sql import expressions as E
from ember.sql.exec_expr import Ctx, translate


def lambda_body(e: E.Func, ctx: Ctx) -> pl.Expr:
    """The body (argument 1) of the call, with its lambda variables bound inside ``list.eval``."""
    body = e.args[1]
    bound = []
    for var in _variables(body):
        slot, kind = var.params[0], (var.params[1] if len(var.params) > 1 else "array")
        if kind == "map":
            ctx.subst[id(var)] = pl.element().struct.field("key" if slot == 0 else "value")
        else:
            ctx.subst[id(var)] = pl.element() if slot == 0 else pl.int_range(pl.len())
        bound.append(var)
    # ANSI checks of the body would read list elements outside the list: not kept (a lambda's
    # arithmetic does not fail on overflow in ember)
    checks, ctx.checks = ctx.checks, []
    try:
        return translate(body, ctx)
    finally:
        ctx.checks = checks
        for var in bound:
            ctx.subst.pop(id(var), None)


def _variables(expr: E.Expr) -> list[E.Func]:
    found, stack = [], [expr]
    while stack:
        x = stack.pop()
        if isinstance(x, E.Func) and x.name == "lambda_var":
            found.append(x)
            continue
        stack.extend(getattr(x, "children", ()) or ())
    return found


def _flags(e, ctx) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """``(array, any true, any null)`` of the predicate over each array."""
    x = translate(e.args[0], ctx)
    values = x.list.eval(lambda_body(e, ctx))
    some_true = values.list.eval(pl.element().fill_null(False)).list.any()
    some_null = values.list.eval(pl.element().is_null().any()).list.first().fill_null(False)
    return x, some_true, some_null


def _exists(e, ctx):
    x, some_true, some_null = _flags(e, ctx)
    found = pl.when(some_true).then(True).when(some_null).then(None).otherwise(False)
    return pl.when(x.is_null()).then(None).otherwise(found)


def _forall(e, ctx):
    x = translate(e.args[0], ctx)
    values = x.list.eval(lambda_body(e, ctx))
    some_false = values.list.eval((~pl.element()).fill_null(False)).list.any()
    some_null = values.list.eval(pl.element().is_null().any()).list.first().fill_null(False)
    held = pl.when(some_false).then(False).when(some_null).then(None).otherwise(True)
    return pl.when(x.is_null()).then(None).otherwise(held)


FUNCS = {
    "transform": lambda e, ctx: translate(e.args[0], ctx).list.eval(lambda_body(e, ctx)),
    "filter": lambda e, ctx: translate(e.args[0], ctx).list.eval(
        pl.element().filter(lambda_body(e, ctx).fill_null(False))
    ),
    "exists": _exists,
    "forall": _forall,
    "lambda_var": lambda e, ctx: pl.element(),
    "transform_values": lambda e, ctx: translate(e.args[0], ctx).list.eval(
        pl.struct(pl.element().struct.field("key").alias("key"), lambda_body(e, ctx).alias("value"))
    ),
    "transform_keys": lambda e, ctx: translate(e.args[0], ctx).list.eval(
        pl.struct(lambda_body(e, ctx).alias("key"), pl.element().struct.field("value").alias("value"))
    ),
    "map_filter": lambda e, ctx: translate(e.args[0], ctx).list.eval(
        pl.element().filter(lambda_body(e, ctx).fill_null(False))
    ),
}
