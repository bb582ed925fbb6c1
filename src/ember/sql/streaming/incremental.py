"""Incremental execution: one micro-batch of a streaming plan at a time.

The plan is cut in up to three parts once, when the query starts:

* the **stateless part** below the stateful operator (select, filter, explode, stream-static joins)
  runs on each batch's rows in Polars, through the DataFrame engine's ``execution``;
* the **stateful operator** (a streaming aggregation or a deduplication) keeps its state as one
  Polars frame in a versioned :class:`~ember.sql.streaming.statestore.StateStore`; an aggregation is
  computed as partial aggregates of the batch merged into the state by key (count -> sum, avg ->
  sum and count, ...), so the state holds one row per key and never the rows themselves (each
  operator lives in its own module under :mod:`ember.sql.streaming.operators`);
* the **rest** above it (``orderBy`` in complete mode, a projection) runs on the operator's result.

Cut points are stand-in leaves (:class:`StreamSource` below) that the engine reads from bindings:
at a ``withWatermark`` node (to measure event times), at the operator, and at the sources.
"""

from __future__ import annotations

import datetime
import json
import pathlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

from ember.errors import AnalysisException
from ember.sql import plan as P
from ember.sql.streaming import checker
from ember.sql.streaming.operators.aggregate import Aggregation
from ember.sql.streaming.operators.base import Operator, engine_for, name_tail, watermark_delay_ms
from ember.sql.streaming.operators.dedup import Dedup
from ember.sql.streaming.operators.join import StreamJoin, join_operator_node
from ember.sql.streaming.operators.limit import StreamingLimit
from ember.sql.streaming.operators.session import SessionAggregation, session_key
from ember.sql.streaming.statestore import StateStore


@dataclass(frozen=True, eq=False)
class StreamSource(P.StreamSource):
    """A cut: the result of ``original`` computed elsewhere, bound per batch like a source.

    It carries the class name of the engine's stream leaf so that execution reads it from the
    bindings, and it answers with ``original``'s columns so that the plan above still resolves.
    """

    original: Any = None

    @cached_property
    def output(self):
        return self.original.output


def cut(node: P.Plan) -> StreamSource:
    return StreamSource(None, node.schema, node)


def substitute(plan: P.Plan, repl: dict[int, P.Plan]) -> P.Plan:
    """``plan`` with the nodes whose ids are in ``repl`` replaced (ancestors rebuilt, others shared)."""
    if id(plan) in repl:
        return repl[id(plan)]
    kids = plan.children
    if not kids:
        return plan
    new = tuple(substitute(c, repl) for c in kids)
    if all(a is b for a, b in zip(new, kids)):
        return plan
    return plan.with_children(*new)


def _ms_to_iso(ms: int) -> str:
    dt = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


@dataclass
class BatchResult:
    frame: pl.DataFrame
    event_time: dict
    operators: list
    next_watermark_ms: int
    observed: dict = field(default_factory=dict)
    #: the batch's output rows when ``frame`` holds only the first of them (see ``run``'s ``limit``)
    rows: int | None = None


class IncrementalExecution:
    """Runs micro-batches of ``plan`` in output ``mode`` with state under ``state_root``.

    Parameters
    ----------
    plan : Plan
        The streaming DataFrame's logical plan.
    mode : str
        ``append``, ``update`` or ``complete``.
    state_root : str or None
        ``<checkpoint>/state``; None keeps the state in memory only.
    shuffle_partitions : int
        Reported in progress (``numShufflePartitions``) as Spark reports it.
    """

    def __init__(self, plan: P.Plan, mode: str, state_root: str | None,
                 shuffle_partitions: int = 200) -> None:
        self.plan = plan
        self.mode = mode
        self.shuffle_partitions = shuffle_partitions
        # one source per leaf even when a stream is read twice (both sides of a self-join), as in Spark
        leaves = [leaf for leaf in P.leaves(plan) if type(leaf) is P.StreamSource]
        self.sources = list({id(leaf): leaf for leaf in leaves}.values())
        checker.check_plan(plan)
        nodes = list(checker.streaming_nodes(plan))
        self.watermark_nodes = [n for n in nodes if isinstance(n, P.Watermark)]
        stateful = checker.stateful_nodes(plan)
        op_node = stateful[0] if stateful else None
        if op_node is None and mode == "append":
            # a limit on a stream without aggregation counts rows across batches (Spark's global limit)
            limits = [n for n in nodes if isinstance(n, P.Limit)]
            op_node = limits[0] if limits else None
        op_node = join_operator_node(nodes, stateful, mode) or op_node  # a join of two streams
        repl: dict[int, P.Plan] = {}
        # watermark cuts, bottom-up so that a lower cut is in place before a higher one is planned
        self.wm_steps: list[tuple[P.Watermark, P.Plan, StreamSource, str]] = []
        for w in reversed(self.watermark_nodes):
            below = substitute(w.child, repl)
            c = cut(w)
            col = _event_column(w)
            self.wm_steps.append((w, below, c, col))
            repl[id(w)] = c
        self.operator: Operator | None = None
        if isinstance(op_node, P.Aggregate) and session_key(op_node) is not None:
            self.operator = SessionAggregation(op_node, substitute(op_node.child, repl), self)
        elif isinstance(op_node, P.Aggregate):
            self.operator = Aggregation(op_node, substitute(op_node.child, repl), self)
        elif isinstance(op_node, P.Limit):
            self.operator = StreamingLimit(op_node, substitute(op_node.child, repl), self)
        elif isinstance(op_node, P.Join):
            sides = substitute(op_node.left, repl), substitute(op_node.right, repl)
            self.operator = StreamJoin(op_node, *sides, self)
        elif checker.is_pandas_state(op_node):
            from ember.sql.streaming.operators.pandas_state import PandasGroupState

            self.operator = PandasGroupState(op_node, substitute(op_node.child, repl), self)
        elif op_node is not None:
            self.operator = Dedup(op_node, substitute(op_node.child, repl), self)
        checker.check_mode(plan, mode, getattr(self.operator, "wm_key", None))
        if self.operator is not None:
            self.op_cut = cut(op_node)
            repl[id(op_node)] = self.op_cut
        self.final_plan = substitute(plan, repl)
        # ``observe`` nodes: their aggregates over the rows reaching them, once per batch
        self.observers = [(n.name, P.Aggregate(substitute(n.child, repl), (), n.exprs))
                          for n in nodes if isinstance(n, P.Observe)]
        self._wm_seen: dict[int, int] = {}
        # Spark drops late rows by the previous batch's watermark (its "watermark for late events")
        self.late_wm_ms = 0
        self._offsets_dir = None if state_root is None else pathlib.Path(state_root).parent / "offsets"
        self.store: StateStore | None = None
        if self.operator is not None:
            self.store = StateStore(state_root, 0)

    @property
    def has_watermark(self) -> bool:
        return bool(self.watermark_nodes)

    def restore(self, version: int) -> None:
        """Load the state as of ``version`` (the number of committed batches)."""
        if self.store is not None:
            self.store.load(version)
        self.late_wm_ms = self._batch_watermark(version - 1)

    def _batch_watermark(self, batch_id: int) -> int:
        """The watermark batch ``batch_id`` ran with, from the offset log (0 when unknown)."""
        path = None if self._offsets_dir is None else self._offsets_dir / str(batch_id)
        if batch_id < 0 or path is None or not path.exists():
            return 0
        lines = path.read_text(encoding="utf-8").split("\n")
        return int(json.loads(lines[1]).get("batchWatermarkMs", 0)) if len(lines) > 1 else 0

    def wants_no_data_batch(self, batch_wm_ms: int, next_wm_ms: int) -> bool:
        """Spark runs a batch without data when the watermark moved and the operator may evict."""
        if getattr(self.operator, "always_runs", False):
            return True  # applyInPandasWithState with processing time timeouts: every trigger
        if self.operator is None or next_wm_ms <= batch_wm_ms:
            return False
        return self.operator.evicts

    def run(self, frames: dict[int, pl.DataFrame], batch_wm_ms: int, batch_id: int,
            limit: int | None = None) -> BatchResult:
        """One batch: ``frames`` maps ``id(source node)`` to the batch's rows.

        ``limit``: the sink looks at the first ``limit`` rows only (the console); when the plan above
        the operator keeps its rows (a sort, projections), only those are computed (a sort's top rows,
        not the whole state sorted every batch) and ``rows`` counts them all.
        """
        from ember.sql import execution

        bindings: dict[int, Any] = dict(frames)
        engine = engine_for(bindings)
        event_time: dict = {}
        next_wm = batch_wm_ms
        for w, below, c, col in self.wm_steps:
            frame = execution.internal_lazy(below, bindings).collect(engine=engine)
            bindings[id(c)] = frame
            delay_ms = watermark_delay_ms(w)
            ts = frame.get_column(frame.columns[col]) if frame.height else None
            if ts is not None and ts.null_count() < len(ts):
                us = ts.dt.epoch("us")
                mx, mn, avg = int(us.max()) // 1000, int(us.min()) // 1000, float(us.mean()) / 1000
                event_time.update(avg=_ms_to_iso(int(avg)), max=_ms_to_iso(mx), min=_ms_to_iso(mn))
                # Spark keeps each withWatermark's highest value since the query (re)started and
                # takes the smallest (multipleWatermarkPolicy=min)
                seen = self._wm_seen.get(id(w))
                self._wm_seen[id(w)] = mx - delay_ms if seen is None else max(seen, mx - delay_ms)
            else:
                # one that has seen no data yet counts as 0 (so it holds the others back, as in Spark)
                self._wm_seen.setdefault(id(w), 0)
        if self.watermark_nodes:
            event_time["watermark"] = _ms_to_iso(batch_wm_ms)
            if self._wm_seen:
                next_wm = max(batch_wm_ms, min(self._wm_seen.values()))
        operators = []
        if self.operator is not None:
            assert self.store is not None
            result, metrics = self.operator.step(bindings, batch_wm_ms, batch_id)
            self.late_wm_ms = batch_wm_ms
            bindings[id(self.op_cut)] = result
            operators.append(metrics)
        if self.operator is not None and self.final_plan is self.op_cut:
            # nothing above the operator: its result, named as the plan names its columns
            out = bindings[id(self.op_cut)]
            out = out.collect(engine=engine) if isinstance(out, pl.LazyFrame) else out
            out.columns = [a.name for a in self.plan.output]
        elif self._window_sorted:
            # ``orderBy(window)`` over the windows' frames: the frames in window order (a stable sort by
            # window keeps each window's rows in their order, and a window's rows are together)
            assert isinstance(self.operator, Aggregation)
            out = self.operator.output_by_window()
            total = out.height
            out = out.head(limit) if limit is not None else out
            out.columns = [a.name for a in self.plan.output]
            return BatchResult(out, event_time, operators, next_wm, self._observe(bindings, engine), total)
        elif limit is not None and self._keeps_rows:
            done = bindings[id(self.op_cut)]
            done = done.collect(engine=engine) if isinstance(done, pl.LazyFrame) else done
            bindings[id(self.op_cut)] = done
            out = execution.to_lazy(self.final_plan, bindings).head(limit).collect(engine=engine)
            return BatchResult(out, event_time, operators, next_wm, self._observe(bindings, engine),
                               done.height)
        else:
            out = execution.to_lazy(self.final_plan, bindings).collect(engine=engine)
        return BatchResult(out, event_time, operators, next_wm, self._observe(bindings, engine))

    @cached_property
    def _window_sorted(self) -> bool:
        """Whether the plan above the operator is ``orderBy(window)`` (ascending, nulls first) of a
        complete-mode aggregate that keeps a frame per window and outputs them all."""
        from ember.sql import expressions as E
        from ember.sql.analyzer import resolve_ref

        op = self.operator
        node = self.final_plan
        if (not isinstance(op, Aggregation) or self.mode != "complete" or op.evicts or not op._by_window
                or not isinstance(node, P.Sort) or node.child is not self.op_cut or len(node.orders) != 1):
            return False
        order = node.orders[0]
        if not order.ascending or order.nulls_first is False or not isinstance(order.child, E.ColumnRef):
            return False
        found = resolve_ref(order.child, self.op_cut.output)
        assert op.window_key is not None
        return (found is not None and not found[1]
                and found[0].id == self.op_cut.output[op.window_key[0]].id
                and list(node.output) == list(self.op_cut.output))

    @cached_property
    def _keeps_rows(self) -> bool:
        """Whether the plan above the operator keeps its rows, one for one: sorts and projections
        without generators (then the output's row count is the operator's)."""
        if self.operator is None:
            return False
        node = self.final_plan
        while node is not self.op_cut:
            if isinstance(node, P.Project) and not any(kind == "gen" for kind, _, _ in node.items):
                node = node.child
            elif isinstance(node, (P.Sort, P.SubqueryAlias)):
                node = node.child
            else:
                return False
        return True

    def _observe(self, bindings: dict, engine: str) -> dict:
        """``observedMetrics``: each ``observe`` name to a Row of its metrics for this batch."""
        from ember.sql import execution
        from ember.sql.types import Row

        out = {}
        for name, agg in self.observers:
            frame = execution.to_lazy(agg, bindings).collect(engine=engine)
            out[name] = Row(*frame.columns)(*frame.row(0))
        return out


def _event_column(w: P.Watermark) -> int:
    from ember.sql import types as T

    for i, a in enumerate(w.output):
        if a.name.lower() == name_tail(w.event_time):
            if not isinstance(a.dtype, (T.TimestampType, T.TimestampNTZType)):
                kind = a.dtype.simpleString().upper()
                raise AnalysisException(
                    errorClass="EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE",
                    messageParameters={"eventName": f"`{a.name}`", "eventType": kind},
                    message=f"The event time `{a.name}` has the invalid type \"{kind}\", but expected "
                            "\"TIMESTAMP\". SQLSTATE: 42K09")
            return i
    raise AnalysisException(f"Cannot resolve the event time column {w.event_time}")
