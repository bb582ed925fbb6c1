"""What a stream-stream join's condition says about its state, as Spark reads it.

A join between two streams buffers both sides. The condition tells three things:

* the **equi keys** the two sides are hashed on, and the conjuncts that touch one side only (checked
  before a row is buffered) or both sides (checked on each joined pair);
* which column of each side carries a **watermark** (the event time column of a ``withWatermark``
  below it, or a ``window`` struct over it);
* the **state watermark** of a side: from a time-range conjunct such as
  ``clickTime <= impressionTime + interval 1 hour`` and the other side's watermark ``W``, no row of the
  other side still to come can match an impression older than ``W - 1 hour``, so those may leave the
  state (and an outer join emits them with nulls). Spark solves each ``<``/``<=``/``>``/``>=``
  conjunct as a linear sum of times and intervals and keeps the smallest bound.

Examples
--------
>>> from ember.sql.attributes import make
>>> from ember.sql import types as T
>>> imp, clk = make("impTime", T.TimestampType()), make("clkTime", T.TimestampType())
>>> cond = E.BinOp("<=", E.ColumnRef("clkTime", clk.id),
...                E.BinOp("+", E.ColumnRef("impTime", imp.id),
...                         E.Literal(datetime.timedelta(hours=1), T.DayTimeIntervalType(0, 3))))
>>> state_value_watermark([imp], [clk], clk, [cond], 7_200_000)
3599999
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql import types as T
from ember.sql.analyzer import resolve_ref

_SPARK_JOIN_TYPE = {"left": "LeftOuter", "right": "RightOuter", "full": "FullOuter", "semi": "LeftSemi",
                    "anti": "LeftAnti", "inner": "Inner", "cross": "Inner"}


def conjuncts(expr: E.Expr | None) -> list[E.Expr]:
    """The parts of ``a AND b AND ...`` (aliases, as ``expr()`` adds one, looked through)."""
    if expr is None:
        return []
    expr = E.strip_alias(expr)
    if isinstance(expr, E.BinOp) and expr.op == "AND":
        return conjuncts(expr.left) + conjuncts(expr.right)
    return [expr]


def conjoin(parts: Sequence[E.Expr]) -> E.Expr | None:
    out = None
    for p in parts:
        out = p if out is None else E.BinOp("AND", out, p)
    return out


def _find(ref: E.ColumnRef, attrs: Sequence) -> object | None:
    """The attribute of ``attrs`` that ``ref`` names (an id pinned to the other side never matches)."""
    if ref.attr_id is not None:
        for a in attrs:
            if a.id == ref.attr_id:
                return a
        return None
    try:
        found = resolve_ref(ref, tuple(attrs))
    except AnalysisException:
        return None
    return None if found is None or found[1] else found[0]


def sides(expr: E.Expr, left: Sequence, right: Sequence) -> set[str]:
    """Which sides (``"l"``, ``"r"``) the columns of ``expr`` come from."""
    out = set()
    for ref in (e for e in E.walk(expr) if isinstance(e, E.ColumnRef)):
        in_l, in_r = _find(ref, left) is not None, _find(ref, right) is not None
        if in_l and not in_r:
            out.add("l")
        elif in_r and not in_l:
            out.add("r")
        else:
            out.update("lr")
    return out


# -- linear time terms -----------------------------------------------------------------------------

class _NotLinear(Exception):
    pass


def _terms(expr: E.Expr, attrs: Sequence, sign: int, acc: dict, const: list) -> None:
    """Add ``sign * expr`` to ``acc`` (attribute id -> coefficient) and ``const`` (microseconds)."""
    expr = E.strip_alias(expr)
    if isinstance(expr, E.BinOp) and expr.op in ("+", "-"):
        _terms(expr.left, attrs, sign, acc, const)
        _terms(expr.right, attrs, sign if expr.op == "+" else -sign, acc, const)
    elif isinstance(expr, E.Unary) and expr.op == "NEG":
        _terms(expr.child, attrs, -sign, acc, const)
    elif isinstance(expr, E.Literal) and isinstance(expr.value, datetime.timedelta):
        td = expr.value
        const[0] += sign * ((td.days * 86_400 + td.seconds) * 1_000_000 + td.microseconds)
    elif isinstance(expr, E.ColumnRef):
        a = _find(expr, attrs)
        if a is None or not isinstance(a.dtype, (T.TimestampType, T.TimestampNTZType)):
            raise _NotLinear
        acc[a.id] = acc.get(a.id, 0) + sign
    else:
        raise _NotLinear


def _less_than_sides(c: E.Expr) -> tuple[E.Expr, E.Expr, bool] | None:
    """``(small, big, strict)`` for a conjunct meaning ``small < big`` (or ``<=``: not strict)."""
    c = E.strip_alias(c)
    if isinstance(c, E.BinOp):
        if c.op in ("<", "<="):
            return c.left, c.right, c.op == "<"
        if c.op in (">", ">="):
            return c.right, c.left, c.op == ">"
    return None


def state_value_watermark(this: Sequence, other: Sequence, other_wm, condition: Iterable[E.Expr],
                          watermark_ms: int) -> int | None:
    """The event time (ms) below which a buffered row of ``this`` side can match no future row.

    ``other_wm`` is the other side's watermarked attribute (None: no bound can be derived). Each
    range conjunct ``small < big`` is read as ``small - big < 0``; the side's own time must appear
    there negated (``... - thisTime < 0`` means ``thisTime > ...``), the other side's time is replaced
    by the watermark and what remains is the bound (less one millisecond for ``<=``). Rows at or
    below the smallest bound can leave the state.
    """
    if other_wm is None:
        return None
    this_ids = {a.id for a in this}
    other_ids = {a.id for a in other}
    found = []
    for c in condition:
        pair = _less_than_sides(c)
        if pair is None:
            continue
        acc: dict = {}
        const = [0]
        try:
            _terms(pair[0], tuple(this) + tuple(other), 1, acc, const)
            _terms(pair[1], tuple(this) + tuple(other), -1, acc, const)
        except _NotLinear:
            continue
        mine = [(i, k) for i, k in acc.items() if i in this_ids and k]
        theirs = [(i, k) for i, k in acc.items() if i in other_ids and k]
        if len(mine) != 1 or len(theirs) > 1 or mine[0][1] != -1:
            continue
        total = float(const[0])
        if theirs:
            i, k = theirs[0]
            if i != other_wm.id:
                continue  # a time of the other side without a watermark bounds nothing
            total += k * watermark_ms * 1000.0
        # with <= a row exactly at the bound may still match: the bound is one millisecond lower
        found.append(int(total / 1000.0) - (0 if pair[2] else 1))
    return min(found) if found else None


# -- the join as Spark plans it ----------------------------------------------------------------------

@dataclass
class JoinSpec:
    """A stream-stream join's keys, filters and watermarked columns."""

    node: P.Join
    how: str
    left_attrs: tuple
    right_attrs: tuple
    left_keys: list
    right_keys: list
    left_only: E.Expr | None
    right_only: E.Expr | None
    both: E.Expr | None
    other: list  # the conjuncts besides the equi keys, for the time bounds
    left_wm: object | None
    right_wm: object | None
    key_wm: int | None  # ordinal of an equi key that carries a watermark

    def value_watermark(self, side: str, watermark_ms: int) -> int | None:
        if side == "l":
            return state_value_watermark(self.left_attrs, self.right_attrs, self.right_wm, self.other,
                                         watermark_ms)
        return state_value_watermark(self.right_attrs, self.left_attrs, self.left_wm, self.other,
                                     watermark_ms)


def _event_time_origin(plan: P.Plan, attr) -> bool:
    """Whether ``attr`` of ``plan``'s output is a ``withWatermark`` event time, passed up unchanged or
    renamed (Spark follows it by the watermark metadata its column carries)."""
    from ember.sql.streaming.operators.base import name_tail

    while True:
        if isinstance(plan, P.Watermark) and attr.name.lower() == name_tail(plan.event_time):
            return True
        if isinstance(plan, P.Project):
            out = iter(plan.output)
            source = None
            for _kind, e, width in plan.items:
                got = [next(out) for _ in range(width)]
                if any(g.id == attr.id for g in got):
                    inner = E.strip_alias(e)
                    if isinstance(inner, E.ColumnRef):
                        source = _find(inner, plan.child.output)
                    break
            if source is None:
                return False
            plan, attr = plan.child, source
            continue
        if isinstance(plan, P.Fresh):
            ids = [a.id for a in plan.output]
            if attr.id not in ids:
                return False
            plan, attr = plan.child, plan.child.output[ids.index(attr.id)]
            continue
        nxt = [c for c in plan.children if any(a.id == attr.id for a in c.output)]
        if len(nxt) != 1:
            return False
        plan = nxt[0]


def _watermark_attr(side: P.Plan, attrs: Sequence):
    """The attribute of ``attrs`` that is the event time of a ``withWatermark`` below ``side``."""
    for a in attrs:
        if isinstance(a.dtype, (T.TimestampType, T.TimestampNTZType)) and _event_time_origin(side, a):
            return a
    return None


def _is_window_struct(a) -> bool:
    dt = a.dtype
    return (isinstance(dt, T.StructType) and [f.name for f in dt.fields] == ["start", "end"]
            and a.name.lower() == "window")


def _key_with_watermark(keys: Sequence[E.Expr], attrs: Sequence, wm, watermarked: bool) -> int | None:
    """The first key that is the side's event time, or a ``window`` of a side with a watermark."""
    for i, k in enumerate(keys):
        k = E.strip_alias(k)
        if isinstance(k, E.ColumnRef):
            a = _find(k, attrs)
            if a is None:
                continue
            if (wm is not None and a.id == wm.id) or (watermarked and _is_window_struct(a)):
                return i
    return None


def _has_watermark(side: P.Plan) -> bool:
    from ember.sql.streaming.operators.base import all_nodes

    return any(isinstance(n, P.Watermark) for n in all_nodes(side))


def analyse(node: P.Join) -> JoinSpec:
    """Split ``node``'s condition the way Spark's symmetric hash join does."""
    from ember.sql.resolve import join_keys

    left, right = tuple(node.left.output), tuple(node.right.output)
    lkeys: list = []
    rkeys: list = []
    rest: list = []
    if node.on is not None:
        for a, b in join_keys(node):
            lkeys.append(E.ColumnRef(a.name, a.id))
            rkeys.append(E.ColumnRef(b.name, b.id))
    for c in conjuncts(node.condition):
        if isinstance(c, E.BinOp) and c.op == "=":
            sl, sr = sides(c.left, left, right), sides(c.right, left, right)
            if sl == {"l"} and sr == {"r"}:
                lkeys.append(c.left)
                rkeys.append(c.right)
                continue
            if sl == {"r"} and sr == {"l"}:
                lkeys.append(c.right)
                rkeys.append(c.left)
                continue
        rest.append(c)
    lonly, ronly, both = [], [], []
    for c in rest:
        s = sides(c, left, right)
        (lonly if s == {"l"} else ronly if s == {"r"} else both).append(c)
    lwm, rwm = _watermark_attr(node.left, left), _watermark_attr(node.right, right)
    key_wm = _key_with_watermark(lkeys, left, lwm, _has_watermark(node.left))
    if key_wm is None:
        key_wm = _key_with_watermark(rkeys, right, rwm, _has_watermark(node.right))
    return JoinSpec(node, node.how, left, right, lkeys, rkeys, conjoin(lonly), conjoin(ronly), conjoin(both),
                    rest, lwm, rwm, key_wm)


def check(node: P.Join, mode: str) -> None:
    """Spark's start() checks of a join between two streams (UnsupportedOperationChecker)."""
    from ember.sql.streaming.checker import _plain

    # Spark 4.3 runs such a join in update mode too (each row is emitted once, as in append);
    # complete mode is refused earlier, for having no aggregation
    del mode
    how = node.how
    if how in ("inner", "cross"):
        return
    name = _SPARK_JOIN_TYPE[how]
    if how == "anti":
        raise _plain(f"{name} joins with a streaming DataFrame/Dataset on the right are not supported", node)
    spec = analyse(node)
    in_keys = spec.key_wm is not None
    bounds = {"l": spec.value_watermark("l", 1_000_000) is not None,
              "r": spec.value_watermark("r", 1_000_000) is not None}
    ranged = {"left": bounds["l"], "semi": bounds["l"], "right": bounds["r"],
              "full": bounds["l"] and bounds["r"]}[how]
    if not in_keys and not ranged:
        raise _plain(f"Stream-stream {name} join between two streaming DataFrame/Datasets is not supported "
                     "without a watermark in the join keys, or a watermark on the nullable side and an "
                     "appropriate range condition", node)
