"""``ember.sql.window``: PySpark's ``Window`` and ``WindowSpec`` for window functions (``Column.over``).

A spec is immutable: every method returns a new one. Frame bounds are plain ints as in PySpark:
``Window.unboundedPreceding`` / ``Window.unboundedFollowing`` (Java's long extremes, or anything
beyond ``sys.maxsize``) mean no bound, ``Window.currentRow`` is 0, ``-1`` one row (or one unit of the
order key for a range frame) before the current row.

Examples
--------
>>> from ember.sql import functions as F
>>> from ember.sql.window import Window
>>> w = Window.partitionBy("dept").orderBy(F.desc("salary"))
>>> w.rowsBetween(Window.unboundedPreceding, Window.currentRow)._frame
('rows', None, 0)
"""

from __future__ import annotations

import sys
from typing import Any

from ember.errors import PySparkTypeError
from ember.sql import expressions as E
from ember.sql.column import Column, col_expr

_JAVA_MIN_LONG = -(1 << 63)
_JAVA_MAX_LONG = (1 << 63) - 1


def _flatten(cols: tuple) -> list:
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        return list(cols[0])
    return list(cols)


def _expr(value: Any) -> E.Expr:
    if not isinstance(value, (Column, str)):
        raise PySparkTypeError(
            f"Argument `cols` should be a Column or str, got {type(value).__name__}.",
            errorClass="NOT_COLUMN_OR_STR",
            messageParameters={"arg_name": "cols", "arg_type": type(value).__name__},
        )
    return col_expr(value)


def _order(value: Any) -> E.SortOrder:
    e = _expr(value)
    return e if isinstance(e, E.SortOrder) else E.SortOrder(e, True, True)


def _bound(value: int, preceding: bool) -> int | None:
    if preceding and value <= -sys.maxsize:
        return None
    if not preceding and value >= sys.maxsize:
        return None
    return int(value)


class WindowSpec:
    """Partitioning, ordering and frame of a window; build it with :class:`Window`.

    Examples
    --------
    >>> from ember.sql.window import Window
    >>> Window.partitionBy("k").orderBy("t").rowsBetween(-1, 1)._frame
    ('rows', -1, 1)
    """

    __slots__ = ("_partition", "_order", "_frame")

    def __init__(
        self,
        partition: tuple[E.Expr, ...] = (),
        order: tuple[E.SortOrder, ...] = (),
        frame: tuple | None = None,
    ) -> None:
        self._partition = partition
        self._order = order
        self._frame = frame

    def partitionBy(self, *cols) -> WindowSpec:
        """Rows with equal values of ``cols`` form one partition (replaces earlier partitioning)."""
        return WindowSpec(tuple(_expr(c) for c in _flatten(cols)), self._order, self._frame)

    def orderBy(self, *cols) -> WindowSpec:
        """Order rows within a partition (ascending, NULLs first, unless a column says otherwise)."""
        return WindowSpec(self._partition, tuple(_order(c) for c in _flatten(cols)), self._frame)

    def rowsBetween(self, start: int, end: int) -> WindowSpec:
        """A frame of physical rows: offsets from the current row (``-1``: the row before)."""
        return WindowSpec(self._partition, self._order, ("rows", _bound(start, True), _bound(end, False)))

    def rangeBetween(self, start: int, end: int) -> WindowSpec:
        """A frame of rows whose order key is within ``[key + start, key + end]`` of the current row's."""
        return WindowSpec(self._partition, self._order, ("range", _bound(start, True), _bound(end, False)))

    def __repr__(self) -> str:
        return f"<ember.sql.window.WindowSpec object at {hex(id(self))}>"


class Window:
    """Entry points for :class:`WindowSpec` (``Window.partitionBy(...)``, ``Window.orderBy(...)``).

    Examples
    --------
    >>> from ember.sql import functions as F
    >>> from ember.sql.window import Window
    >>> col = F.row_number().over(Window.partitionBy("k").orderBy("t"))
    """

    _JAVA_MIN_LONG = _JAVA_MIN_LONG
    _JAVA_MAX_LONG = _JAVA_MAX_LONG
    _PRECEDING_THRESHOLD = max(-sys.maxsize, _JAVA_MIN_LONG)
    _FOLLOWING_THRESHOLD = min(sys.maxsize, _JAVA_MAX_LONG)

    unboundedPreceding: int = _JAVA_MIN_LONG
    unboundedFollowing: int = _JAVA_MAX_LONG
    currentRow: int = 0

    @staticmethod
    def partitionBy(*cols) -> WindowSpec:
        return WindowSpec().partitionBy(*cols)

    @staticmethod
    def orderBy(*cols) -> WindowSpec:
        return WindowSpec().orderBy(*cols)

    @staticmethod
    def rowsBetween(start: int, end: int) -> WindowSpec:
        return WindowSpec().rowsBetween(start, end)

    @staticmethod
    def rangeBetween(start: int, end: int) -> WindowSpec:
        return WindowSpec().rangeBetween(start, end)


def over(column: Column, window: WindowSpec) -> Column:
    """``column OVER window`` (what :meth:`Column.over` returns)."""
    if not isinstance(window, WindowSpec):
        raise PySparkTypeError(
            f"Argument `window` should be a WindowSpec, got {type(window).__name__}.",
            errorClass="NOT_WINDOWSPEC",
            messageParameters={"arg_name": "window", "arg_type": type(window).__name__},
        )
    return Column(E.WindowExpr(column._expr, window._partition, window._order, window._frame))


__all__ = ["Window", "WindowSpec"]
