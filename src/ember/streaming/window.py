"""Sliding windows: ``window`` and ``reduceByKeyAndWindow`` (with PySpark's inverse-function rule).

A window at time t covers the parent's batches in ``(t - window, t]`` and exists only at times that are
a whole number of slides after the start. ``reduceByKeyAndWindow`` with an inverse function works
incrementally only when the window is at least five slides long, as PySpark does ("for small window,
reduce once will be better than twice"); keys whose value falls to zero then stay until a
``filterFunc`` removes them.
"""

from __future__ import annotations

from typing import Callable

from ember.core.rdd import RDD
from ember.storagelevel import StorageLevel
from ember.streaming.dstream import DStream
from ember.streaming.transformed import call_transform


def validate_window(parent: DStream, window: float, slide: float | None) -> None:
    """PySpark's check: window and slide must be multiples of the parent's slide."""
    d = parent._slide_ms
    if int(window * 1000) % d != 0:
        raise ValueError("windowDuration must be multiple of the parent dstream's slide (batch) "
                         "duration (%d ms)" % d)
    if slide and int(slide * 1000) % d != 0:
        raise ValueError("slideDuration must be multiple of the parent dstream's slide (batch) "
                         "duration (%d ms)" % d)


class WindowedDStream(DStream):
    """The union of the parent's RDDs in the window; the parent's RDDs are kept (serialized) for reuse."""

    def __init__(self, parent: DStream, window_ms: int, slide_ms: int | None) -> None:
        super().__init__(parent._ssc, [parent], slide_ms if slide_ms is not None else parent._slide_ms)
        self._window_ms = window_ms
        if parent._storage is None:
            parent._storage = StorageLevel.MEMORY_ONLY  # kept pickled: every read is a fresh copy
        parent._ssc._graph.eager.append(parent)

    def _parent_remember_ms(self) -> int | None:
        return None if self._remember_ms is None else self._remember_ms + self._window_ms

    def _compute(self, t: int) -> RDD | None:
        parent = self._parents[0]
        rdds = parent._slice_ms(t - self._window_ms + parent._slide_ms, t)
        if not rdds:
            return self._sc.emptyRDD()
        return self._sc.union(rdds)


class ReducedWindowedDStream(DStream):
    """PySpark's PythonReducedWindowedDStream: window results built from the previous window's."""

    _must_checkpoint = True

    def __init__(self, parent: DStream, reduce_func: Callable, inv_func: Callable, window_ms: int,
                 slide_ms: int) -> None:
        super().__init__(parent._ssc, [parent], slide_ms)
        self._reduce = reduce_func
        self._inverse = inv_func
        self._window_ms = window_ms
        self._storage = StorageLevel.MEMORY_ONLY
        # Spark recomputes the parent's batch for every window it falls in; ember keeps each one
        # (pickled, so reads are fresh copies) and computes it in its own batch
        if parent._storage is None:
            parent._storage = StorageLevel.MEMORY_ONLY
        parent._ssc._graph.eager.append(parent)

    def _parent_remember_ms(self) -> int | None:
        return None if self._remember_ms is None else self._remember_ms + self._window_ms

    def _compute(self, t: int) -> RDD | None:
        parent, window, slide = self._parents[0], self._window_ms, self._slide_ms
        begin, prev_end = t - window, t - slide
        previous = self._get_or_compute(prev_end)
        if previous is not None and window >= 5 * slide:
            old = parent._slice_ms(begin - slide + parent._slide_ms, begin)
            current = call_transform(self._inverse, t, previous, self._sc.union(old)) if old else previous
            new = parent._slice_ms(prev_end + parent._slide_ms, t)
            return call_transform(self._reduce, t, current, self._sc.union(new)) if new else current
        rdds = parent._slice_ms(begin + parent._slide_ms, t)
        return call_transform(self._reduce, t, None, self._sc.union(rdds)) if rdds else None

    def _user_functions(self) -> list[Callable]:
        return [self._reduce, self._inverse]


def reduce_by_key_and_window(stream: DStream, func: Callable, invFunc: Callable | None, windowDuration: float,
                             slideDuration: float | None, numPartitions: int | None,
                             filterFunc: Callable | None) -> DStream:
    """``DStream.reduceByKeyAndWindow``: see the module docstring."""
    validate_window(stream, windowDuration, slideDuration)
    n = stream._default_partitions(numPartitions)
    reduced = stream.reduceByKey(func, n)
    if not invFunc:
        return reduced.window(windowDuration, slideDuration).reduceByKey(func, n)

    def reduce_func(t, a: RDD | None, b: RDD) -> RDD:
        b = b.reduceByKey(func, n)
        r = a.union(b).reduceByKey(func, n) if a is not None else b
        return r.filter(filterFunc) if filterFunc else r

    def inv_reduce_func(t, a: RDD, b: RDD) -> RDD:
        b = b.reduceByKey(func, n)
        joined = a.leftOuterJoin(b, n)
        return joined.mapValues(lambda kv: invFunc(kv[0], kv[1]) if kv[1] is not None else kv[0])

    slide_ms = stream._slide_ms if slideDuration is None else int(slideDuration * 1000)
    return ReducedWindowedDStream(reduced, reduce_func, inv_reduce_func, int(windowDuration * 1000), slide_ms)
