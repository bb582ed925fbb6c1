"""Streams made by user functions over their parents' RDDs, and the output stream that runs jobs."""

from __future__ import annotations

from typing import Callable

from ember.core.rdd import RDD
from ember.errors import SparkException
from ember.streaming.dstream import DStream
from ember.streaming.util import batch_datetime


def call_transform(func: Callable, t: int, *rdds: RDD) -> RDD | None:
    """Run a user's transform function for batch ``t``; None means "no RDD for this batch"."""
    result = func(batch_datetime(t), *rdds)
    if result is None:
        return None
    if not isinstance(result, RDD):
        raise TypeError(f"a transform function must return an RDD, but {func!r} returned "
                        f"{type(result).__name__}")
    return result


class TransformedDStream(DStream):
    """``func(time, rdd)`` applied to each batch of one parent.

    Chained transforms fold into one function (as PySpark does) unless the inner stream is cached or
    checkpointed, so ``map(f).filter(g)`` is a single pass over each partition.
    """

    def __init__(self, prev: DStream, func: Callable) -> None:
        if type(prev) is TransformedDStream and not prev.is_cached and not prev.is_checkpointed:
            inner = prev.func
            self.func: Callable = lambda t, rdd: _then(func, t, inner(t, rdd))
            self.prev = prev.prev
            self._funcs = [*prev._funcs, func]
        else:
            self.func = func
            self.prev = prev
            self._funcs = [func]
        super().__init__(prev._ssc, [self.prev])

    def _compute(self, t: int) -> RDD | None:
        rdd = self.prev._get_or_compute(t)
        return None if rdd is None else call_transform(self.func, t, rdd)

    def _user_functions(self) -> list[Callable]:
        return list(self._funcs)


def _then(func: Callable, t, rdd: RDD | None) -> RDD | None:
    return None if rdd is None else func(t, rdd)


class Transformed2DStream(DStream):
    """``func(time, rdd_a, rdd_b)``; a side with no RDD for the batch is given an empty one."""

    def __init__(self, a: DStream, b: DStream, func: Callable) -> None:
        super().__init__(a._ssc, [a, b])
        self.func = func

    def _compute(self, t: int) -> RDD | None:
        a, b = (p._get_or_compute(t) or self._sc.emptyRDD() for p in self._parents)
        return call_transform(self.func, t, a, b)

    def _user_functions(self) -> list[Callable]:
        return [self.func]


class UnionDStream(DStream):
    """``StreamingContext.union``: every parent's RDD for the batch, one after the other."""

    def _compute(self, t: int) -> RDD | None:
        rdds = _all_parent_rdds(self, t, "Could not generate RDD from a parent for unifying at time")
        return self._sc.union(rdds) if rdds else None


def _all_parent_rdds(stream: DStream, t: int, missing: str) -> list[RDD]:
    """Every parent's RDD for batch ``t``; Spark fails the batch when one of them has none."""
    rdds = []
    for p in stream._parents:
        rdd = p._get_or_compute(t)
        if rdd is None:
            raise SparkException(f"{missing} {t} ms")
        rdds.append(rdd)
    return rdds


class MultiTransformedDStream(DStream):
    """``StreamingContext.transform``: ``func(rdds)`` over the batch's RDDs of several streams."""

    def __init__(self, ssc, parents: list[DStream], func: Callable) -> None:
        super().__init__(ssc, parents)
        self.func = func

    def _compute(self, t: int) -> RDD | None:
        rdds = _all_parent_rdds(self, t, "Couldn't generate RDD from parent at time")
        result = call_transform(lambda _t, *rs: self.func(rs), t, *rdds)
        if result is None:
            raise SparkException("Transform function must not return null. Return SparkContext.emptyRDD() "
                                 "instead to represent no element as the result of transformation.")
        return result

    def _user_functions(self) -> list[Callable]:
        return [self.func]


class ForEachDStream(DStream):
    """An output operation: a job per batch that calls ``func(time, rdd)`` on the parent's RDD."""

    def __init__(self, parent: DStream, func: Callable, op: str) -> None:
        super().__init__(parent._ssc, [parent])
        self.func = func
        self.op = op
        self._ssc._graph.add_output(self)

    def _compute(self, t: int) -> RDD | None:
        return self._parents[0]._get_or_compute(t)

    def _generate_job(self, t: int) -> Callable[[], None] | None:
        rdd = self._parents[0]._get_or_compute(t)
        if rdd is None:
            return None
        func, when = self.func, batch_datetime(t)
        return lambda: func(when, rdd)

    def _user_functions(self) -> list[Callable]:
        return [self.func]

    @property
    def name(self) -> str:
        return f"{self.op} at {self._site}"
