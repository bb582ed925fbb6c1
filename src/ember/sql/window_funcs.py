"""Ranking and offset window functions (re-exported by ``ember.sql.functions``).

They only mean something ``over`` a window: used bare they fail analysis as in Spark
(``WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE``).

Examples
--------
>>> from ember.sql import functions as F
>>> from ember.sql.window import Window
>>> F.lag("n", 1, 0).over(Window.orderBy("t"))._expr.func.name
'lag'
"""

from __future__ import annotations

from ember.sql import expressions as E
from ember.sql.column import Column, col_expr, to_expr


def _w(name: str, *args: E.Expr, params: tuple = ()) -> Column:
    return Column(E.WindowFunc(name, tuple(args), params))


def row_number() -> Column:
    """The row's position in its window partition, from 1."""
    return _w("row_number")


def rank() -> Column:
    """The rank with gaps: equal order keys share a rank, the next distinct key skips ahead."""
    return _w("rank")


def dense_rank() -> Column:
    """The rank without gaps."""
    return _w("dense_rank")


def percent_rank() -> Column:
    """``(rank - 1) / (rows in partition - 1)``, 0.0 for a one-row partition."""
    return _w("percent_rank")


def cume_dist() -> Column:
    """The fraction of the partition's rows ordered at or before this row (peers included)."""
    return _w("cume_dist")


def ntile(n: int) -> Column:
    """The bucket number (1 to ``n``) of the row when the partition is split into ``n`` ordered groups."""
    return _w("ntile", params=(int(n),))


def lag(col, offset: int = 1, default=None) -> Column:
    """The value ``offset`` rows before the current one in the partition, else ``default``."""
    return _w("lag", col_expr(col), to_expr(default), params=(int(offset),))


def lead(col, offset: int = 1, default=None) -> Column:
    """The value ``offset`` rows after the current one in the partition, else ``default``."""
    return _w("lead", col_expr(col), to_expr(default), params=(int(offset),))


def nth_value(col, offset: int, ignoreNulls: bool | None = False) -> Column:
    """The ``offset``-th value (from 1) of the window frame, NULL when the frame is shorter."""
    return _w("nth_value", col_expr(col), params=(int(offset), bool(ignoreNulls)))


__all__ = [
    "row_number",
    "rank",
    "dense_rank",
    "percent_rank",
    "cume_dist",
    "ntile",
    "lag",
    "lead",
    "nth_value",
]
