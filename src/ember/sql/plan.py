"""The logical plan: one immutable node per DataFrame call.

Contracts other modules rely on (the Structured Streaming engine in particular):

* Every node is a frozen dataclass with ``children`` (a tuple of plans) and ``with_children(*new)``,
  which rebuilds the node over new children (its other fields unchanged).
* ``node.output`` is a tuple of :class:`~ember.sql.attributes.Attribute` (name, type, nullability, a
  unique id) computed without running anything; ``node.schema`` is the same as a ``StructType``.
  Computing them analyses the node's expressions, so a bad column raises ``AnalysisException`` as soon
  as the DataFrame is built.
* Leaves: :class:`LocalRelation` (an in-memory Polars frame, opaque here), :class:`RangeRelation`,
  :class:`FileScan` (batch files) and :class:`StreamSource` (``source`` is opaque to this module; a
  plan is streaming when any leaf is a StreamSource, see :func:`is_streaming`).
* :class:`Watermark` is metadata: batch execution passes its child through unchanged.
* ``ember.sql.execution.to_lazy(plan, bindings)`` turns a plan into a Polars LazyFrame; ``bindings``
  maps a StreamSource node (or ``id(node)``) to the Polars frame of the current micro-batch.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql.attributes import Attribute, make, new_id


@dataclass(frozen=True, eq=False)
class Plan:
    """Base class: subclasses list their child fields in ``_child_fields``."""

    _child_fields: ClassVar[tuple[str, ...]] = ()

    @property
    def children(self) -> tuple[Plan, ...]:
        return tuple(getattr(self, f) for f in self._child_fields)

    def with_children(self, *children: Plan) -> Plan:
        return dataclasses.replace(self, **dict(zip(self._child_fields, children)))

    @cached_property
    def output(self) -> tuple[Attribute, ...]:
        from ember.sql.resolve import output_of

        return tuple(output_of(self))

    @property
    def schema(self):
        from ember.sql.types import StructField, StructType

        return StructType([StructField(a.name, a.dtype, a.nullable) for a in self.output])

    def node_string(self) -> str:
        return type(self).__name__


def _unary(cls):
    cls._child_fields = ("child",)
    return cls


# -- leaves --------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class LocalRelation(Plan):
    """Rows held in memory as a Polars DataFrame whose columns follow ``schema_`` by position."""

    data: Any
    schema_: Any

    @cached_property
    def output(self):
        return tuple(make(f.name, f.dataType, f.nullable) for f in self.schema_.fields)


@dataclass(frozen=True, eq=False)
class RangeRelation(Plan):
    start: int
    end: int
    step: int = 1

    @cached_property
    def output(self):
        from ember.sql.types import LongType

        return (make("id", LongType(), False),)


@dataclass(frozen=True, eq=False)
class FileScan(Plan):
    """Batch files read by ``spark.read``; ``options`` is a tuple of (key, value) pairs."""

    fmt: str
    paths: tuple[str, ...]
    schema_: Any
    options: tuple = ()

    @cached_property
    def output(self):
        return tuple(make(f.name, f.dataType, f.nullable) for f in self.schema_.fields)


@dataclass(frozen=True, eq=False)
class StreamSource(Plan):
    """A streaming source leaf: ``source`` belongs to ember.sql.streaming."""

    source: Any
    schema_: Any

    @cached_property
    def output(self):
        return tuple(make(f.name, f.dataType, f.nullable) for f in self.schema_.fields)


# -- unary nodes ---------------------------------------------------------------------------------
@_unary
@dataclass(frozen=True, eq=False)
class Project(Plan):
    """``select``: expressions may include ``*`` and one generator (explode)."""

    child: Plan
    exprs: tuple[E.Expr, ...]

    @cached_property
    def items(self):
        from ember.sql.resolve import project_items

        return project_items(self.exprs, self.child.output)


@_unary
@dataclass(frozen=True, eq=False)
class Filter(Plan):
    child: Plan
    condition: E.Expr


@_unary
@dataclass(frozen=True, eq=False)
class Aggregate(Plan):
    """``groupBy(keys).agg(aggs)``: output is the keys then the aggregates."""

    child: Plan
    keys: tuple[E.Expr, ...]
    aggs: tuple[E.Expr, ...]


@_unary
@dataclass(frozen=True, eq=False)
class Sort(Plan):
    child: Plan
    orders: tuple[E.SortOrder, ...]


@_unary
@dataclass(frozen=True, eq=False)
class Limit(Plan):
    child: Plan
    n: int
    offset: int = 0


@_unary
@dataclass(frozen=True, eq=False)
class Distinct(Plan):
    """``distinct()`` (subset None) or ``dropDuplicates(subset)``: the first row of each key is kept.

    ``within_watermark`` marks ``dropDuplicatesWithinWatermark``: batch treats it as ``dropDuplicates``,
    streaming keeps each key only until the watermark passes it.
    """

    child: Plan
    subset: tuple[str, ...] | None = None
    within_watermark: bool = False


@_unary
@dataclass(frozen=True, eq=False)
class Watermark(Plan):
    """``withWatermark(event_time, delay)``: metadata for streaming; a no-op in batch."""

    child: Plan
    event_time: str
    delay: str
    delay_us: int = 0


@_unary
@dataclass(frozen=True, eq=False)
class Observe(Plan):
    """``observe(name, *exprs)``: named aggregates of the rows passing by (streaming); rows pass unchanged."""

    child: Plan
    name: str
    exprs: tuple[E.Expr, ...]


@_unary
@dataclass(frozen=True, eq=False)
class SubqueryAlias(Plan):
    """``df.alias("t")``: columns answer to ``t.name``."""

    child: Plan
    alias: str


@_unary
@dataclass(frozen=True, eq=False)
class Sample(Plan):
    child: Plan
    fraction: float
    with_replacement: bool = False
    seed: int | None = None


@_unary
@dataclass(frozen=True, eq=False)
class Fresh(Plan):
    """The child with new attribute ids (the right side of a self-join)."""

    child: Plan

    @cached_property
    def output(self):
        return tuple(a.fresh() for a in self.child.output)


@_unary
@dataclass(frozen=True, eq=False)
class Pivot(Plan):
    """``groupBy(keys).pivot(col, values).agg(aggs)`` over ``child``, an Aggregate whose output is
    the ``n_keys`` keys, the pivot column, then the aggregates (see :mod:`ember.sql.pivot`)."""

    child: Plan
    n_keys: int
    values: tuple

    @cached_property
    def output(self):
        from ember.sql.pivot import output

        return tuple(output(self))


# -- binary nodes --------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Union(Plan):
    left: Plan
    right: Plan
    by_name: bool = False
    allow_missing: bool = False
    _child_fields = ("left", "right")


@dataclass(frozen=True, eq=False)
class Join(Plan):
    """``how`` is one of inner, left, right, full, semi, anti, cross; ``on`` names or ``condition``."""

    left: Plan
    right: Plan
    how: str = "inner"
    on: tuple[str, ...] | None = None
    condition: E.Expr | None = None
    _child_fields = ("left", "right")


@dataclass(frozen=True, eq=False)
class SetOp(Plan):
    """``intersect``/``subtract`` (``all`` False) and ``intersectAll``/``exceptAll``: ``kind`` is
    ``intersect`` or ``except``; rows compare whole, nulls equal (see :mod:`ember.sql.setops`)."""

    left: Plan
    right: Plan
    kind: str = "intersect"
    all: bool = False
    _child_fields = ("left", "right")

    @cached_property
    def output(self):
        from ember.sql.setops import output

        return tuple(output(self))


def leaves(plan: Plan):
    if not plan.children:
        yield plan
    for c in plan.children:
        yield from leaves(c)


def is_streaming(plan: Plan) -> bool:
    return any(isinstance(leaf, StreamSource) for leaf in leaves(plan))


def check(plan: Plan) -> Plan:
    """Analyse ``plan`` now (raises AnalysisException) and return it."""
    plan.output  # noqa: B018 - computing the output is the analysis
    return plan


def fresh_if_overlapping(left: Plan, right: Plan) -> Plan:
    ids = {a.id for a in left.output}
    if any(a.id in ids for a in right.output):
        return Fresh(right)
    return right


STREAMING_BATCH_ERROR = (
    "Queries with streaming sources must be executed with writeStream.start(), or from a streaming table or "
    "flow definition within a Spark Declarative Pipeline."
)


def assert_not_streaming(plan: Plan) -> None:
    """Batch actions refuse a streaming plan, naming its sources as Spark does."""
    sources = [leaf.source for leaf in leaves(plan) if isinstance(leaf, StreamSource)]
    if sources:
        names = ", ".join(_source_name(s) for s in sources)
        raise AnalysisException(f"{STREAMING_BATCH_ERROR};\n{names}", errorClass="_LEGACY_ERROR_TEMP_3102")


def _source_name(source) -> str:
    for attr in ("short_name", "shortName", "format", "name"):
        v = getattr(source, attr, None)
        if isinstance(v, str) and v:
            return v
    return type(source).__name__.lower()


__all__ = [
    "Plan",
    "LocalRelation",
    "RangeRelation",
    "FileScan",
    "StreamSource",
    "Project",
    "Filter",
    "Aggregate",
    "Sort",
    "Limit",
    "Distinct",
    "Watermark",
    "SubqueryAlias",
    "Sample",
    "Fresh",
    "Pivot",
    "Union",
    "Join",
    "SetOp",
    "leaves",
    "is_streaming",
    "check",
    "new_id",
]
