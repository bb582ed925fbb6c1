"""``groupBy(session_window(ts, gap), key).agg(...)`` on a stream: open sessions per key as state.

A session is ``[first event, last event + gap)``; an event starting at or before the end of a session
of its key joins it, so sessions that overlap or touch merge, across batches too. The state keeps one
row per open session (key, start and end in microseconds, the partial aggregates of
:mod:`~ember.sql.streaming.operators.aggregate`). Each batch:

* rows whose own session ``[t, t + gap)`` ends at or before the watermark of the previous batch are
  dropped as late (Spark's watermark for late events);
* the batch's rows become sessions (the batch engine's session aggregation), which are merged with
  the stored sessions of their key in time order;
* in append mode, sessions that end at or before the batch's watermark are emitted and leave the
  state; complete mode emits every session and evicts none (update mode is refused, as by Spark).

Progress counts as Spark's session store does: every session of a key the batch touched is
"updated", and a stored session whose start disappeared (merged into an earlier one, or evicted) is
"removed".
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import polars as pl

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql.streaming.operators.aggregate import Aggregation
from ember.sql.streaming.operators.base import engine_for, operator_metrics

if TYPE_CHECKING:
    from ember.sql.streaming.incremental import IncrementalExecution

GLOBAL = "Global aggregation with session window in streaming query is not supported."


def session_key(node: P.Aggregate) -> int | None:
    """The index of the ``session_window`` grouping key of ``node``, if it has one."""
    for i, k in enumerate(node.keys):
        inner = E.strip_alias(k)
        if isinstance(inner, E.Func) and inner.name == "session_window":
            return i
    return None


class SessionAggregation(Aggregation):
    """A streaming aggregation over session windows (see the module docstring)."""

    def __init__(self, node: P.Aggregate, child: P.Plan, owner: IncrementalExecution) -> None:
        from ember.sql.exec_expr import Ctx, translate
        from ember.sql.session import current_time_zone
        from ember.sql.streaming.incremental import cut

        # the partial aggregate reads the batch's rows once the late ones are gone: a cut bound per batch
        self.rows_plan = child
        self.rows_cut = cut(child)
        super().__init__(node, self.rows_cut, owner)
        idx = session_key(node)
        assert idx is not None
        self.sidx = idx
        sw = E.strip_alias(node.keys[idx])
        (self.gap_us,) = sw.params
        ctx = Ctx(tuple(child.output), current_time_zone(), False)
        self.time_us = translate(sw.args[0], ctx).cast(pl.Int64)
        self.group = [k for i, k in enumerate(self.keys) if i != idx]
        self.session_col = self.keys[idx]

    def step(self, bindings: dict, wm_ms: int, batch_id: int) -> tuple[Any, dict]:
        from ember.sql import execution
        from ember.sql.exec_expr import cname

        if not self.group:
            raise AnalysisException(GLOBAL)
        store = self.owner.store
        assert store is not None
        t0 = time.perf_counter()
        rows = execution.internal_lazy(self.rows_plan, bindings)
        engine = engine_for(bindings)
        dropped = 0
        if self.wm_key is not None:
            late_us = self.owner.late_wm_ms * 1000
            late = (self.time_us + self.gap_us <= late_us).fill_null(False)
            frame = rows.with_columns(late.alias("__late")).collect(engine=engine)
            flags = frame.get_column("__late")
            dropped = int(flags.sum())
            frame = frame.filter(~flags) if dropped else frame
            rows = frame.drop("__late")
        bindings[id(self.rows_cut)] = rows
        lf = execution.internal_lazy(self.partial_plan, bindings)
        pairs = zip(self.partial_plan.output, self.partial_names)
        window = pl.col(self.session_col)
        partial = lf.select([pl.col(cname(a)).alias(n) for a, n in pairs]).with_columns(
            window.struct.field("start").dt.epoch("us").alias("__s"),
            window.struct.field("end").dt.epoch("us").alias("__e"),
            pl.lit(True).alias("__u"),
        ).drop(self.session_col).collect(engine=engine)
        merged, updated, removed = self._merge(store.frame, partial)
        t1 = time.perf_counter()
        if self.evicts:
            gone = (merged.get_column("__e") <= wm_ms * 1000) if merged.height else None
            evicted = 0 if gone is None else int(gone.sum())
            out = merged.filter(gone) if evicted else merged.clear()
            if evicted:
                merged = merged.filter(~gone)
                removed += evicted
        else:
            out = merged
        state = merged.with_columns(pl.lit(False).alias("__u"))
        t2 = time.perf_counter()
        store.commit(batch_id + 1, state)
        t3 = time.perf_counter()
        session = pl.struct(pl.col("__s").cast(pl.Datetime("us")).alias("start"),
                            pl.col("__e").cast(pl.Datetime("us")).alias("end"))
        keys = [(session if k == self.session_col else pl.col(k)).cast(t).alias(k)
                for k, t in zip(self.keys, self.key_types)]
        result = out.lazy().select(keys + self.finals)
        metrics = operator_metrics("sessionWindowStateStoreSaveExec", store, updated, removed, dropped,
                                   (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000,
                                   self.owner.shuffle_partitions)
        return result, metrics

    def _merge(self, state: pl.DataFrame | None, partial: pl.DataFrame) -> tuple[pl.DataFrame, int, int]:
        """The stored sessions with the batch's merged in: (sessions, updated, removed)."""
        columns = self.group + ["__s", "__e"] + self.partial_names[len(self.keys):] + ["__u"]
        partial = partial.select(columns)
        if state is None or state.height == 0:
            both = partial
        elif partial.height == 0:
            return state, 0, 0
        else:
            try:
                both = pl.concat([state, partial], how="vertical")
            except (pl.exceptions.SchemaError, pl.exceptions.ShapeError):
                both = pl.concat([state, partial], how="diagonal_relaxed")
        both = both.sort(self.group + ["__s"])
        # a session starts a new group unless it begins at or before the furthest end seen so far
        prev_end = pl.col("__e").cum_max().shift(1).over(self.group)
        sid = (prev_end.is_null() | (pl.col("__s") > prev_end)).cast(pl.Int64).cum_sum().over(self.group)
        old = ~pl.col("__u")
        # a stored session keeps its row when its start stays the merged session's start
        kept = (old & (pl.col("__s") == pl.col("__s").min())).any().cast(pl.Int64)
        merged = both.with_columns(sid.alias("__sid")).group_by(
            self.group + ["__sid"], maintain_order=True).agg(
            [pl.col("__s").min(), pl.col("__e").max()] + self.merge
            + [pl.col("__u").any(), (old.sum() - kept).alias("__gone")])
        touched = pl.col("__u").any().over(self.group)
        counts = merged.select(touched.sum().alias("u"), pl.col("__gone").sum().alias("r"))
        updated, removed = (int(v) for v in counts.row(0))
        return merged.select(columns), updated, removed
