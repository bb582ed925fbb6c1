"""``dropDuplicates`` and ``dropDuplicatesWithinWatermark`` on a stream: the keys seen so far as state."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import polars as pl

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql.streaming import checker
from ember.sql.streaming.operators.base import (
    Operator,
    all_nodes,
    engine_for,
    name_tail,
    operator_metrics,
    watermark_delay_ms,
    wm_literal,
)

if TYPE_CHECKING:
    from ember.sql.streaming.incremental import IncrementalExecution


class Dedup(Operator):
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
        below = {id(n) for n in all_nodes(node.child)}
        wms = [w for w in owner.watermark_nodes if id(w) in below]
        self.event_idx = None
        self.delay_ms = 0
        if wms:
            col = name_tail(wms[0].event_time)
            for i, a in enumerate(attrs):
                if a.name.lower() == col:
                    self.event_idx = i
            self.delay_ms = watermark_delay_ms(wms[0])
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
        rows = execution.internal_lazy(self.child, bindings).collect(engine=engine_for(bindings))
        cols = rows.columns
        rows = rows.with_columns([pl.col(cols[i]).alias(k) for i, k in zip(self.key_idx, self.keys)])
        dropped = 0
        wm = wm_literal(wm_ms)
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
        name = "dedupe" if not self.within else "dedupeWithinWatermark"
        metrics = operator_metrics(name, store, new_keys.height, removed, dropped, (t1 - t0) * 1000,
                                   (t2 - t1) * 1000, (t3 - t2) * 1000, self.owner.shuffle_partitions)
        return result, metrics
