"""``updateStateByKey``: a running state per key, carried from batch to batch.

The state at time t is built from the state at t - slide and the batch at t, exactly as PySpark builds
it: the first time from the batch alone (or the initial RDD), then a ``cogroup`` of old state and new
values, so every key in the state is offered ``updateFunc([], old)`` even in batches without its data.
A batch with no RDD at all carries the state over without calling ``updateFunc``. Each state RDD is
kept serialized, so a function that mutates its state in place never changes earlier results.
"""

from __future__ import annotations

from typing import Any, Callable

from ember.core.rdd import RDD
from ember.storagelevel import StorageLevel
from ember.streaming.dstream import DStream
from ember.streaming.transformed import call_transform


class StateDStream(DStream):
    """PySpark's PythonStateDStream."""

    _must_checkpoint = True

    def __init__(self, parent: DStream, reduce_func: Callable, initial: RDD | None,
                 update_func: Callable) -> None:
        super().__init__(parent._ssc, [parent])
        self._reduce = reduce_func
        self._initial = initial
        self._update = update_func
        self._storage = StorageLevel.MEMORY_ONLY

    def _compute(self, t: int) -> RDD | None:
        last = self._get_or_compute(t - self._slide_ms)
        rdd = self._parents[0]._get_or_compute(t)
        if rdd is None:
            return last
        if last is None:
            last = self._initial
        return call_transform(self._reduce, t, last, rdd)

    def _user_functions(self) -> list[Callable]:
        return [self._update]


def update_state_by_key(stream: DStream, updateFunc: Callable, numPartitions: int | None,
                        initialRDD: Any) -> DStream:
    """``DStream.updateStateByKey``: see the module docstring."""
    n = stream._default_partitions(numPartitions)
    if not isinstance(initialRDD, RDD):
        # PySpark tests truthiness: an empty list means no initial state at all
        initialRDD = stream._sc.parallelize(initialRDD) if initialRDD else None
    if isinstance(initialRDD, RDD) and initialRDD.partitioner is not None:
        initialRDD = initialRDD.mapPartitions(iter)  # handed over bare, as PySpark hands the JVM its RDD

    def reduce_func(t, a: RDD | None, b: RDD) -> RDD:
        if a is None:
            g = b.groupByKey(n).mapValues(lambda vs: (list(vs), None))
        else:
            g = a.cogroup(b.partitionBy(n), n)
            g = g.mapValues(lambda ab: (list(ab[1]), list(ab[0])[0] if len(ab[0]) else None))
        state = g.mapValues(lambda vs_s: updateFunc(vs_s[0], vs_s[1]))
        return state.filter(lambda kv: kv[1] is not None)

    return StateDStream(stream, reduce_func, initialRDD, updateFunc)
