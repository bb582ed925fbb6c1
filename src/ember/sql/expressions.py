"""Expression nodes: the immutable tree a :class:`~ember.sql.column.Column` wraps.

Nodes are frozen dataclasses compared by identity (``eq=False``) so that ``==`` stays free for
:class:`Column` to build comparisons. They hold no Polars objects: ``analyzer`` gives each node its
Spark name and type against an input schema, and ``exec_expr`` turns it into a Polars expression.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, eq=False)
class Expr:
    """Base of all expression nodes."""

    @property
    def children(self) -> tuple[Expr, ...]:
        return ()


@dataclass(frozen=True, eq=False)
class ColumnRef(Expr):
    """A column by name (``"a"``, ``"t.a"``, ``"s.field"``), optionally pinned to an attribute id."""

    name: str
    attr_id: int | None = None


@dataclass(frozen=True, eq=False)
class Star(Expr):
    """``*`` or ``t.*``."""

    target: str | None = None


@dataclass(frozen=True, eq=False)
class Literal(Expr):
    value: Any
    dtype: Any  # a DataType


@dataclass(frozen=True, eq=False)
class Alias(Expr):
    child: Expr
    name: str
    names: tuple[str, ...] = ()  # alias("pos", "val") of a generator with several outputs

    @property
    def children(self):
        return (self.child,)


@dataclass(frozen=True, eq=False)
class Cast(Expr):
    child: Expr
    to: Any  # a DataType
    try_: bool = False  # try_cast: NULL instead of an ANSI error

    @property
    def children(self):
        return (self.child,)


@dataclass(frozen=True, eq=False)
class BinOp(Expr):
    """``op`` is Spark's symbol: + - * / % = != < <= > >= AND OR <=>."""

    op: str
    left: Expr
    right: Expr

    @property
    def children(self):
        return (self.left, self.right)


@dataclass(frozen=True, eq=False)
class Unary(Expr):
    """``op`` in NOT, NEG, ISNULL, ISNOTNULL."""

    op: str
    child: Expr

    @property
    def children(self):
        return (self.child,)


@dataclass(frozen=True, eq=False)
class CaseWhen(Expr):
    branches: tuple[tuple[Expr, Expr], ...]
    otherwise: Expr | None = None

    @property
    def children(self):
        out = [e for b in self.branches for e in b]
        return tuple(out + ([self.otherwise] if self.otherwise is not None else []))


@dataclass(frozen=True, eq=False)
class Func(Expr):
    """A built-in scalar function: ``name`` keys the registries in ``analyzer`` and ``exec_expr``.

    ``params`` holds plain Python arguments that are not columns (a regex, a limit, a format).
    """

    name: str
    args: tuple[Expr, ...] = ()
    params: tuple = ()

    @property
    def children(self):
        return self.args


@dataclass(frozen=True, eq=False)
class AggFunc(Expr):
    """An aggregate function (count, sum, ...)."""

    name: str
    args: tuple[Expr, ...] = ()
    distinct: bool = False
    params: tuple = ()

    @property
    def children(self):
        return self.args


@dataclass(frozen=True, eq=False)
class Generator(Expr):
    """explode / explode_outer / posexplode / posexplode_outer of an array (or map) child."""

    kind: str
    child: Expr

    @property
    def children(self):
        return (self.child,)


@dataclass(frozen=True, eq=False)
class SortOrder(Expr):
    child: Expr
    ascending: bool = True
    nulls_first: bool | None = None  # None: Spark's default (first when ascending)

    @property
    def children(self):
        return (self.child,)


@dataclass(frozen=True, eq=False)
class GetField(Expr):
    child: Expr
    field_name: str

    @property
    def children(self):
        return (self.child,)


@dataclass(frozen=True, eq=False)
class GetItem(Expr):
    child: Expr
    key: Expr

    @property
    def children(self):
        return (self.child, self.key)


@dataclass(frozen=True, eq=False)
class UdfCall(Expr):
    func: Any
    return_type: Any
    args: tuple[Expr, ...]
    fname: str = "<lambda>"
    kwargs: dict = field(default_factory=dict)

    @property
    def children(self):
        return self.args


@dataclass(frozen=True, eq=False)
class In(Expr):
    child: Expr
    values: tuple[Expr, ...]

    @property
    def children(self):
        return (self.child, *self.values)


@dataclass(frozen=True, eq=False)
class WindowFunc(Expr):
    """A function that only runs over a window: row_number, rank, ntile, lag, lead, nth_value, ..."""

    name: str
    args: tuple[Expr, ...] = ()
    params: tuple = ()

    @property
    def children(self):
        return self.args


@dataclass(frozen=True, eq=False)
class WindowExpr(Expr):
    """``func OVER (PARTITION BY ... ORDER BY ... frame)``.

    ``frame`` is None (Spark's default frame) or ``(kind, lower, upper)`` with kind ``rows`` or
    ``range`` and bounds as ints, None standing for UNBOUNDED PRECEDING / FOLLOWING.
    """

    func: Expr
    partition: tuple[Expr, ...] = ()
    order: tuple[SortOrder, ...] = ()
    frame: tuple | None = None

    @property
    def children(self):
        return (self.func, *self.partition, *self.order)


def walk(expr: Expr):
    """Every node of ``expr``, parents before children."""
    stack = [expr]
    while stack:
        e = stack.pop()
        yield e
        stack.extend(reversed(e.children))


def contains_agg(expr: Expr) -> bool:
    """Whether ``expr`` aggregates rows (an aggregate under OVER is a window function, not this)."""
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, AggFunc):
            return True
        if not isinstance(e, WindowExpr):
            stack.extend(e.children)
    return False


def contains_window(expr: Expr) -> bool:
    return any(isinstance(e, (WindowExpr, WindowFunc)) for e in walk(expr))


def strip_alias(expr: Expr) -> Expr:
    while isinstance(expr, Alias):
        expr = expr.child
    return expr
