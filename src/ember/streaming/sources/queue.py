"""``queueStream``: batches taken from a list of RDDs, for tests and demos."""

from __future__ import annotations

import threading
from collections import deque

from ember.core.rdd import RDD
from ember.streaming.sources import InputDStream


class QueueInputDStream(InputDStream):
    """One queued RDD per batch (or all of them at once); then ``default``, or an empty RDD.

    The empty RDD has one empty partition, as Spark's ``queueStream`` default (``makeRDD(Seq(), 1)``),
    so ``count()`` of a batch after the queue ran dry is ``[0]``.

    Examples
    --------
    >>> from ember import SparkContext
    >>> from ember.streaming import StreamingContext
    >>> sc = SparkContext("local[2]", "doc")
    >>> ssc = StreamingContext(sc, 1)
    >>> stream = ssc.queueStream([[1, 2], [3]])
    >>> ssc.stop()
    """

    def __init__(self, ssc, rdds: list[RDD], oneAtATime: bool, default: RDD | None) -> None:
        super().__init__(ssc)
        self._queue: deque[RDD] = deque(rdds)
        self._lock = threading.Lock()
        self._one_at_a_time = oneAtATime
        self._default = default if default is not None else ssc._sc.parallelize([], 1)

    def _compute(self, t: int) -> RDD | None:
        with self._lock:
            if self._one_at_a_time and self._queue:
                taken = [self._queue.popleft()]
            else:
                taken = list(self._queue)
                self._queue.clear()
        if taken:
            return taken[0] if self._one_at_a_time else self._sc.union(taken)
        return self._default

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state["_queue"] = None  # RDDs are not saved: Spark does not checkpoint queueStream either
        state["_lock"] = None
        state["_default"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        from ember.errors import SparkException

        raise SparkException("queueStream doesn't support checkpointing. Please don't use queueStream when "
                             "checkpointing is enabled.")
