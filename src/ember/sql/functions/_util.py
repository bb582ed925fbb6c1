"""Helpers shared by the function modules: arguments to expression nodes."""

from __future__ import annotations

from ember.errors import PySparkTypeError
from ember.sql import expressions as E
from ember.sql.column import Column, col_expr, to_expr


def c(x) -> E.Expr:
    """A column argument (a Column, or a column name) as an expression."""
    return col_expr(x)


def f(name: str, *args, params: tuple = ()) -> Column:
    """The built-in ``name`` of column arguments ``args`` and plain-value ``params``."""
    return Column(E.Func(name, tuple(c(a) for a in args), params))


def v(x) -> E.Expr:
    """A value argument: a Column stays a column, anything else (a ``str`` too) is a literal."""
    return x._expr if isinstance(x, Column) else to_expr(x)


def agg(name: str, col, distinct: bool = False, params: tuple = ()) -> Column:
    return Column(E.AggFunc(name, (c(col),), distinct, params))


def check_str(name: str, value) -> None:
    if value is not None and not isinstance(value, str):
        raise PySparkTypeError(
            f"Argument `{name}` should be a str, got {type(value).__name__}.", errorClass="NOT_STR"
        )
