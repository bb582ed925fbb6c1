"""Mathematical and bitwise functions."""

from __future__ import annotations

from ember.sql import expressions as E
from ember.sql.column import Column, to_expr
from ember.sql.functions._util import c as _c
from ember.sql.functions._util import f as _f


def abs(col) -> Column:  # noqa: A001
    return _f("abs", col)


def round(col, scale: int = 0) -> Column:  # noqa: A001
    return _f("round", col, params=(scale,))


def bround(col, scale: int = 0) -> Column:
    return _f("bround", col, params=(scale,))


def sqrt(col) -> Column:
    return _f("sqrt", col)


def exp(col) -> Column:
    return _f("exp", col)


def log(arg1, arg2=None) -> Column:
    return _f("log", arg1)


def pow(col1, col2) -> Column:  # noqa: A001
    """``col1`` raised to ``col2`` as a double; either may be a number.

    Examples
    --------
    >>> pow("n", 2)
    Column<'power(n, 2)'>
    """
    return Column(
        E.Func(
            "pow",
            (
                _c(col1) if isinstance(col1, (str, Column)) else to_expr(col1),
                _c(col2) if isinstance(col2, (str, Column)) else to_expr(col2),
            ),
        )
    )


def floor(col) -> Column:
    return _f("floor", col)


def ceil(col) -> Column:
    return _f("ceil", col)


def signum(col) -> Column:
    return _f("signum", col)


def bitwise_not(col) -> Column:
    return Column(E.Unary("BITNOT", _c(col)))


bitwiseNOT = bitwise_not
