"""Incremental execution: one micro-batch of a streaming plan at a time.

The plan is cut in up to three parts once, when the query starts:

* the **stateless part** below the stateful operator (select, filter, explode, stream-static joins)
  runs on each batch's rows in Polars, through the DataFrame engine's ``execution``;
* the **stateful operator** (a streaming aggregation or a deduplication) keeps its state as one
  Polars frame in a versioned :class:`~ember.sql.streaming.state.StateStore`; an aggregation is
  computed as partial aggregates of the batch merged into the state by key (count -> sum, avg ->
  sum and count, ...), so the state holds one row per key and never the rows themselves;
* the **rest** above it (``orderBy`` in complete mode, a projection) runs on the operator's result.

Cut points are stand-in leaves (:class:`StreamSource` below) that the engine reads from bindings:
at a ``withWatermark`` node (to measure event times), at the operator, and at the sources.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql.streaming import checker
from ember.sql.streaming.state import StateStore


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


def _name_tail(name: str) -> str:
    return name.split(".")[-1].strip("`").lower()


def _ms_to_iso(ms: int) -> str:
    dt = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def _wm_literal(ms: int) -> pl.Expr:
    return pl.lit(ms * 1000, dtype=pl.Int64).cast(pl.Datetime("us"))


@dataclass
class BatchResult:
    frame: pl.DataFrame
    event_time: dict
    operators: list
    next_watermark_ms: int
    observed: dict = field(default_factory=dict)


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
        self.sources = [leaf for leaf in P.leaves(plan) if type(leaf) is P.StreamSource]
        checker.check_plan(plan)
        nodes = list(checker.streaming_nodes(plan))
        self.watermark_nodes = [n for n in nodes if isinstance(n, P.Watermark)]
        stateful = checker.stateful_nodes(plan)
        op_node = stateful[0] if stateful else None
        if op_node is None and mode == "append":
            # a limit on a stream without aggregation counts rows across batches (Spark's global limit)
            limits = [n for n in nodes if isinstance(n, P.Limit)]
            op_node = limits[0] if limits else None
        repl: dict[int, P.Plan] = {}
        # watermark cuts, bottom-up so that a lower cut is in place before a higher one is planned
        self.wm_steps: list[tuple[P.Watermark, P.Plan, StreamSource, str]] = []
        for w in reversed(self.watermark_nodes):
            below = substitute(w.child, repl)
            c = cut(w)
            col = _event_column(w)
            self.wm_steps.append((w, below, c, col))
            repl[id(w)] = c
        self.operator: _Operator | None = None
        if isinstance(op_node, P.Aggregate):
            self.operator = _Aggregation(op_node, substitute(op_node.child, repl), self)
        elif isinstance(op_node, P.Limit):
            self.operator = _StreamingLimit(op_node, substitute(op_node.child, repl), self)
        elif op_node is not None:
            self.operator = _Dedup(op_node, substitute(op_node.child, repl), self)
        checker.check_mode(plan, mode, getattr(self.operator, "wm_key", None))
        if self.operator is not None:
            self.op_cut = cut(op_node)
            repl[id(op_node)] = self.op_cut
        self.final_plan = substitute(plan, repl)
        # ``observe`` nodes: their aggregates over the rows reaching them, once per batch
        self.observers = [(n.name, P.Aggregate(substitute(n.child, repl), (), n.exprs))
                          for n in nodes if isinstance(n, P.Observe)]
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

    def wants_no_data_batch(self, batch_wm_ms: int, next_wm_ms: int) -> bool:
        """Spark runs a batch without data when the watermark moved and the operator may evict."""
        if self.operator is None or next_wm_ms <= batch_wm_ms:
            return False
        return self.operator.evicts

    def run(self, frames: dict[int, pl.DataFrame], batch_wm_ms: int, batch_id: int) -> BatchResult:
        """One batch: ``frames`` maps ``id(source node)`` to the batch's rows."""
        from ember.sql import execution

        bindings: dict[int, Any] = dict(frames)
        event_time: dict = {}
        next_wm = batch_wm_ms
        wm_candidates = []
        for w, below, c, col in self.wm_steps:
            frame = execution.internal_lazy(below, bindings).collect()
            bindings[id(c)] = frame
            delay_ms = _delay_ms(w)
            ts = frame.get_column(frame.columns[col]) if frame.height else None
            if ts is not None and ts.null_count() < len(ts):
                us = ts.dt.epoch("us")
                mx, mn, avg = int(us.max()) // 1000, int(us.min()) // 1000, float(us.mean()) / 1000
                event_time.update(avg=_ms_to_iso(int(avg)), max=_ms_to_iso(mx), min=_ms_to_iso(mn))
                wm_candidates.append(mx - delay_ms)
        if self.watermark_nodes:
            event_time["watermark"] = _ms_to_iso(batch_wm_ms)
            if wm_candidates:
                next_wm = max(batch_wm_ms, min(wm_candidates))
        operators = []
        if self.operator is not None:
            assert self.store is not None
            result, metrics = self.operator.step(bindings, batch_wm_ms, batch_id)
            bindings[id(self.op_cut)] = result
            operators.append(metrics)
        if self.operator is not None and self.final_plan is self.op_cut:
            # nothing above the operator: its result, named as the plan names its columns
            out = bindings[id(self.op_cut)]
            out = out.collect() if isinstance(out, pl.LazyFrame) else out
            out.columns = [a.name for a in self.plan.output]
        else:
            out = execution.to_lazy(self.final_plan, bindings).collect()
        return BatchResult(out, event_time, operators, next_wm, self._observe(bindings))

    def _observe(self, bindings: dict) -> dict:
        """``observedMetrics``: each ``observe`` name to a Row of its metrics for this batch."""
        from ember.sql import execution
        from ember.sql.types import Row

        out = {}
        for name, agg in self.observers:
            frame = execution.to_lazy(agg, bindings).collect()
            out[name] = Row(*frame.columns)(*frame.row(0))
        return out


def _event_column(w: P.Watermark) -> int:
    from ember.sql import types as T

    for i, a in enumerate(w.output):
        if a.name.lower() == _name_tail(w.event_time):
            if not isinstance(a.dtype, (T.TimestampType, T.TimestampNTZType)):
                kind = a.dtype.simpleString().upper()
                raise AnalysisException(
                    errorClass="EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE",
                    messageParameters={"eventName": f"`{a.name}`", "eventType": kind},
                    message=f"The event time `{a.name}` has the invalid type \"{kind}\", but expected "
                            "\"TIMESTAMP\". SQLSTATE: 42K09")
            return i
    raise AnalysisException(f"Cannot resolve the event time column {w.event_time}")


def _delay_ms(w: P.Watermark) -> int:
    if w.delay_us:
        return w.delay_us // 1000
    from ember.sql.durations import parse_duration

    return parse_duration(w.delay) // 1000


class _Operator:
    evicts = False
    wm_key: Any = None

    def step(self, bindings: dict, wm_ms: int, batch_id: int) -> tuple[pl.DataFrame, dict]:
        raise NotImplementedError


def _metrics(name: str, store: StateStore, updated: int, removed: int, dropped: int, update_ms: float,
             remove_ms: float, commit_ms: float, partitions: int) -> dict:
    return {"operatorName": name, "numRowsTotal": store.rows(), "numRowsUpdated": updated,
            "allUpdatesTimeMs": int(update_ms), "numRowsRemoved": removed,
            "allRemovalsTimeMs": int(remove_ms),
            "commitTimeMs": int(commit_ms), "memoryUsedBytes": store.memory_bytes(),
            "numRowsDroppedByWatermark": dropped, "numShufflePartitions": partitions,
            "numStateStoreInstances": partitions, "customMetrics": {}}


def _watermark_key(keys, watermark_nodes, child: P.Plan) -> tuple[int, bool] | None:
    """Which grouping key carries the event time: (index, is_window) or None."""
    below = {id(n) for n in _all_nodes(child)}
    names = {_name_tail(w.event_time) for w in watermark_nodes if id(w) in below}
    if not names:
        return None
    for i, k in enumerate(keys):
        inner = E.strip_alias(k)
        if isinstance(inner, E.ColumnRef) and _name_tail(inner.name) in names:
            return i, False
        if (isinstance(inner, E.Func) and inner.name in ("window", "session_window") and inner.args
                and isinstance(inner.args[0], E.ColumnRef) and _name_tail(inner.args[0].name) in names):
            return i, True
    return None


def _all_nodes(plan: P.Plan):
    yield plan
    for c in plan.children:
        yield from _all_nodes(c)


# -- aggregation ----------------------------------------------------------------------------------

def _null_sum(c: str) -> pl.Expr:
    return pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).otherwise(None).alias(c)


_MERGE = {
    "count": lambda c: pl.col(c).sum().alias(c),
    "sum": _null_sum,
    "min": lambda c: pl.col(c).min().alias(c),
    "max": lambda c: pl.col(c).max().alias(c),
    "first": lambda c: pl.col(c).drop_nulls().first().alias(c),
    "any_value": lambda c: pl.col(c).drop_nulls().first().alias(c),
    "last": lambda c: pl.col(c).drop_nulls().last().alias(c),
    "collect_list": lambda c: pl.col(c).explode().drop_nulls().alias(c),
    "collect_set": lambda c: pl.col(c).explode().drop_nulls().unique(maintain_order=True).alias(c),
}


def _flags(value: bool, n: int) -> pl.Series:
    # extend_constant works on the Series directly; pl.repeat(eager=True) would run a whole query
    return pl.Series("__u", [], dtype=pl.Boolean).extend_constant(value, n)


class _Aggregation(_Operator):
    """A streaming ``groupBy().agg()``: partial aggregates per batch merged into a keyed state."""

    def __init__(self, node: P.Aggregate, child: P.Plan, owner: IncrementalExecution) -> None:
        from ember.sql.dtypes import to_polars

        self.node = node
        self.owner = owner
        nk = len(node.keys)
        self.keys = [f"k{i}" for i in range(nk)]
        partial_aggs: list[E.Expr] = []
        self.merge: list[pl.Expr] = []
        self.finals: list[pl.Expr] = []
        out_attrs = node.output[nk:]
        self.wrapped: list[tuple[int, E.Expr, dict]] = []  # aggregates inside expressions
        for i, (agg, attr) in enumerate(zip(node.aggs, out_attrs)):
            inner = E.strip_alias(agg)
            target = to_polars(attr.dtype)
            funcs = [x for x in E.walk(inner) if isinstance(x, E.AggFunc)]
            if isinstance(inner, E.AggFunc):
                funcs = [inner]
            if not funcs:
                raise AnalysisException(f"ember streams only aggregate expressions, not {agg!r}")
            finals = {}
            for j, f in enumerate(funcs):
                name = f"p{i}_{j}"
                if f.name in ("avg", "mean"):
                    s, n = f"{name}s", f"{name}n"
                    partial_aggs += [E.Alias(E.AggFunc("sum", f.args), s),
                                     E.Alias(E.AggFunc("count", f.args), n)]
                    self.merge += [_null_sum(s), pl.col(n).sum().alias(n)]
                    finals[id(f)] = pl.col(s).cast(pl.Float64) / pl.col(n)
                elif f.name in _MERGE and not f.distinct:
                    partial_aggs.append(E.Alias(f, name))
                    self.merge.append(_MERGE[f.name](name))
                    finals[id(f)] = pl.col(name)
                else:
                    raise AnalysisException(f"ember cannot aggregate {f.name}() incrementally in a "
                                            "streaming query")
            if isinstance(inner, E.AggFunc):
                self.finals.append(finals[id(inner)].cast(target).alias(f"a{i}"))
            else:
                self.wrapped.append((i, inner, finals))
                self.finals.append(pl.lit(None).cast(target).alias(f"a{i}"))  # replaced below
        if self.wrapped:
            self._translate_wrapped(node)
        from ember.sql.types import IntegerType

        partial_aggs.append(E.Alias(E.AggFunc("count", (E.Literal(1, IntegerType()),)), "__n"))
        self.merge.append(pl.col("__n").sum().alias("__n"))
        self.partial_plan = P.Aggregate(child, node.keys, tuple(partial_aggs))
        self.partial_names = self.keys + [a.name for a in self.partial_plan.output[nk:]]
        self.key_types = [to_polars(a.dtype) for a in node.output[:nk]]
        self.window_key = None
        for i, k in enumerate(node.keys):
            inner = E.strip_alias(k)
            if isinstance(inner, E.Func) and inner.name == "window" and len(inner.params) == 3:
                self.window_key = (i, inner)
                break
        found = _watermark_key(node.keys, owner.watermark_nodes, node.child)
        self.wm_key = found
        self.evicts = found is not None and owner.mode in ("append", "update")

    def _translate_wrapped(self, node: P.Aggregate) -> None:
        """``sort_array(collect_list(x))`` and the like: the expression over the merged aggregates."""
        from ember.sql.dtypes import to_polars
        from ember.sql.exec_expr import Ctx, translate
        from ember.sql.session import current_time_zone

        nk = len(node.keys)
        for i, inner, finals in self.wrapped:
            ctx = Ctx(tuple(node.child.output), current_time_zone(), False)
            ctx.subst.update(finals)
            target = to_polars(node.output[nk + i].dtype)
            self.finals[i] = translate(inner, ctx).cast(target).alias(f"a{i}")

    def _fast_partial(self, bindings: dict) -> pl.LazyFrame | None:
        """The partial aggregate of a window key: windows expanded as integer starts, grouped as
        integers and made structs only once per group (much cheaper than structs per row)."""
        from ember.sql import execution
        from ember.sql.exec_expr import Ctx, translate
        from ember.sql.exec_funcs import expand_window_starts
        from ember.sql.session import current_time_zone

        idx, e = self.window_key
        w, s, start = e.params
        child = self.partial_plan.child
        ctx = Ctx(tuple(child.output), current_time_zone(), True)
        try:
            t = translate(e.args[0], ctx).cast(pl.Int64)
            keys = [pl.col("__ws").alias(k) if i == idx else translate(kx, ctx).alias(k)
                    for i, (k, kx) in enumerate(zip(self.keys, self.node.keys))]
            names = self.partial_names[len(self.keys):]
            aggs = [translate(a, ctx).alias(n) for a, n in zip(self.partial_plan.aggs, names)]
        except Exception:  # anything the shortcut does not know: the engine's own path
            return None
        if ctx.checks:
            return None
        lf = expand_window_starts(execution.internal_lazy(child, bindings), t, e.params, "__ws")
        key = self.keys[idx]
        window = pl.struct(pl.col(key).cast(pl.Datetime("us")).alias("start"),
                           (pl.col(key) + w).cast(pl.Datetime("us")).alias("end"))
        return lf.group_by(keys, maintain_order=True).agg(aggs).with_columns(window.alias(key))

    def _late(self, wm_ms: int) -> pl.Expr:
        assert self.wm_key is not None
        idx, is_window = self.wm_key
        col = pl.col(self.keys[idx])
        when = col.struct.field("end") if is_window else col
        return when <= _wm_literal(wm_ms)

    def step(self, bindings: dict, wm_ms: int, batch_id: int) -> tuple[Any, dict]:
        from ember.sql import execution
        from ember.sql.exec_expr import cname

        store = self.owner.store
        assert store is not None
        t0 = time.perf_counter()
        # everything up to the merged state is one Polars query: few collects keep a batch cheap
        lf = self._fast_partial(bindings) if self.window_key is not None else None
        if lf is None:
            lf = execution.internal_lazy(self.partial_plan, bindings)
            pairs = zip(self.partial_plan.output, self.partial_names)
            lf = lf.select([pl.col(cname(a)).alias(n) for a, n in pairs])
        mode = self.owner.mode
        dropped = 0
        if self.wm_key is not None and mode != "complete":
            partial = lf.with_columns(self._late(wm_ms).fill_null(False).alias("__late")).collect()
            late = partial.get_column("__late")
            dropped = int(late.sum())
            partial = partial.filter(~late) if dropped else partial
            lf = partial.drop("__late").lazy()
        # eager from here: on small frames Polars' eager calls cost far less than a lazy union
        partial = lf.collect()
        partial.hstack([_flags(True, partial.height)], in_place=True)
        aggs = self.merge + [pl.col("__u").any()]
        state = store.frame
        if state is None or state.height == 0:
            merged = partial if self.keys else partial.select(aggs)
        else:
            # the state has no "__u": its rows count as not updated
            try:  # same columns and types (the state keeps a "__u" of False): a plain, cheap concat
                both = pl.concat([state, partial], how="vertical")
            except (pl.exceptions.SchemaError, pl.exceptions.ShapeError):
                both = pl.concat([state, partial], how="diagonal_relaxed")
            if self.keys:
                merged = both.group_by(self.keys, maintain_order=True).agg(aggs)
            else:
                merged = both.select(aggs)
        if not self.keys:
            merged = merged.with_columns(pl.col("__u").fill_null(False) & (pl.col("__n") > 0))
        flags = merged.get_column("__u")
        updated = int(flags.sum()) if merged.height else 0
        t1 = time.perf_counter()
        removed = 0
        out_lf = merged.lazy()
        if self.evicts:
            gone = merged.select(self._late(wm_ms).fill_null(False)).to_series() if merged.height else None
            removed = 0 if gone is None else int(gone.sum())
            if mode == "append":
                out_lf = out_lf.filter(self._late(wm_ms).fill_null(False))
            else:
                out_lf = out_lf.filter(pl.col("__u"))
            if removed:
                merged = merged.filter(~gone)
        elif mode == "update":
            out_lf = out_lf.filter(pl.col("__u"))
        merged = merged.clone()
        merged.drop_in_place("__u")
        merged.hstack([_flags(False, merged.height)], in_place=True)
        t2 = time.perf_counter()
        store.commit(batch_id + 1, merged)
        t3 = time.perf_counter()
        result = out_lf.select([pl.col(k).cast(t).alias(k) for k, t in zip(self.keys, self.key_types)]
                               + self.finals)
        metrics = _metrics("stateStoreSave", store, updated, removed, dropped, (t1 - t0) * 1000,
                           (t2 - t1) * 1000, (t3 - t2) * 1000, self.owner.shuffle_partitions)
        return result, metrics


# -- deduplication --------------------------------------------------------------------------------

class _Dedup(_Operator):
    """``dropDuplicates(subset)`` (and ``dropDuplicatesWithinWatermark``) on a stream: seen keys as state."""

    def __init__(self, node: P.Plan, child: P.Plan, owner: IncrementalExecution) -> None:
        from ember.sql.analyzer import resolve_ref

        self.node = node
        self.owner = owner
        self.child = child
        attrs = node.child.output
        subset = getattr(node, "subset", None)
        names = [a.name for a in attrs] if subset is None else list(subset)
        self.key_idx = []
        for n in names:
            found = resolve_ref(E.ColumnRef(n), attrs)
            if found is None:
                raise AnalysisException(f"Cannot resolve column name \"{n}\" among "
                                        f"({', '.join(a.name for a in attrs)}).")
            self.key_idx.append(list(attrs).index(found[0]))
        self.keys = [f"k{i}" for i in range(len(self.key_idx))]
        self.within = checker.is_within_watermark(node)
        below = {id(n) for n in _all_nodes(node.child)}
        wms = [w for w in owner.watermark_nodes if id(w) in below]
        self.event_idx = None
        self.delay_ms = 0
        if wms:
            col = _name_tail(wms[0].event_time)
            for i, a in enumerate(attrs):
                if a.name.lower() == col:
                    self.event_idx = i
            self.delay_ms = _delay_ms(wms[0])
        if self.within and self.event_idx is None:
            from ember.sql.streaming.checker import _plain

            raise _plain("dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets "
                         "without watermark", node)
        # state is evictable when the event time is part of the key, or always for "within watermark"
        self.evicts = self.event_idx is not None and (self.within or self.event_idx in self.key_idx)
        self.wm_key = None

    def step(self, bindings: dict, wm_ms: int, batch_id: int) -> tuple[pl.DataFrame, dict]:
        from ember.sql import execution

        store = self.owner.store
        assert store is not None
        t0 = time.perf_counter()
        rows = execution.internal_lazy(self.child, bindings).collect()
        cols = rows.columns
        rows = rows.with_columns([pl.col(cols[i]).alias(k) for i, k in zip(self.key_idx, self.keys)])
        dropped = 0
        wm = _wm_literal(wm_ms)
        if self.evicts and rows.height:
            ev = pl.col(cols[self.event_idx])
            late = rows.select((ev <= wm).fill_null(False)).to_series() if not self.within else \
                rows.select((ev < wm).fill_null(False)).to_series()
            dropped = int(late.sum())
            if dropped:
                rows = rows.filter(~late)
        rows = rows.unique(subset=self.keys, keep="first", maintain_order=True)
        state = store.frame
        if state is not None and state.height and rows.height:
            rows = rows.join(state.select(self.keys), on=self.keys, how="anti", nulls_equal=True,
                             maintain_order="left")
        if self.evicts:
            ev = pl.col(cols[self.event_idx])
            expiry = (ev.dt.epoch("us") + self.delay_ms * 1000) if self.within else ev.dt.epoch("us")
            new_keys = rows.select(self.keys + [expiry.alias("__exp")])
        else:
            new_keys = rows.select(self.keys)
        t1 = time.perf_counter()
        merged = new_keys if state is None else pl.concat([state, new_keys], how="vertical_relaxed")
        removed = 0
        if self.evicts:
            gone = merged.get_column("__exp") <= wm_ms * 1000
            removed = int(gone.sum())
            if removed:
                merged = merged.filter(~gone)
        t2 = time.perf_counter()
        store.commit(batch_id + 1, merged)
        t3 = time.perf_counter()
        result = rows.select(cols)
        metrics = _metrics("dedupe" if not self.within else "dedupeWithinWatermark", store, new_keys.height,
                           removed, dropped, (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000,
                           self.owner.shuffle_partitions)
        return result, metrics


# -- limit ----------------------------------------------------------------------------------------

class _StreamingLimit(_Operator):
    """``limit(n)`` on a stream in append mode: the first ``n`` rows over all batches, then none."""

    def __init__(self, node: P.Limit, child: P.Plan, owner: IncrementalExecution) -> None:
        self.node = node
        self.child = child
        self.owner = owner

    def step(self, bindings: dict, wm_ms: int, batch_id: int) -> tuple[Any, dict]:
        from ember.sql import execution

        store = self.owner.store
        assert store is not None
        emitted = 0 if store.frame is None else int(store.frame.item(0, 0))
        left = max(0, self.node.n - emitted)
        rows = execution.internal_lazy(self.child, bindings).head(left).collect()
        store.commit(batch_id + 1, pl.DataFrame({"emitted": [emitted + rows.height]}))
        metrics = _metrics("globalLimit", store, 1 if rows.height else 0, 0, 0, 0, 0, 0,
                           self.owner.shuffle_partitions)
        return rows, metrics
