"""``limit(n)`` on a stream in append mode: a count of the rows emitted so far as state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from ember.sql import plan as P
from ember.sql.streaming.operators.base import Operator, engine_for, operator_metrics

if TYPE_CHECKING:
    from ember.sql.streaming.incremental import IncrementalExecution


class StreamingLimit(Operator):
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
        rows = execution.internal_lazy(self.child, bindings).head(left).collect(engine=engine_for(bindings))
        store.commit(batch_id + 1, pl.DataFrame({"emitted": [emitted + rows.height]}))
        metrics = operator_metrics("globalLimit", store, 1 if rows.height else 0, 0, 0, 0, 0, 0,
                                   self.owner.shuffle_partitions)
        return rows, metrics
