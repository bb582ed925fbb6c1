"""DStream: a stream of RDDs, one per batch time, with PySpark's operations.

Each DStream is a node of the stream graph. At a batch time the job thread asks every output stream
for its RDD; a stream computes it from its parents' RDDs for the same time (memoised, so a shared
parent is computed once), keeps it as long as its windows need it, and forgets it afterwards.

As in Spark, an RDD that crosses from one DStream to the next keeps its data and partitions but not
its Python partitioner (PySpark hands the JVM a bare RDD and wraps it again), which decides whether a
later join or reduce shuffles, and therefore the order of the results.
"""

from __future__ import annotations

import operator
from types import GenericAlias
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ember.core import callsite
from ember.core.hashing import portable_hash
from ember.core.idioms import identity
from ember.core.rdd import RDD
from ember.errors import SparkException, UnsupportedOperationException
from ember.resultiterable import ResultIterable
from ember.storagelevel import StorageLevel
from ember.streaming.util import rddToFileName, to_millis, with_time

if TYPE_CHECKING:
    from ember.streaming.context import StreamingContext

__all__ = ["DStream"]

_CHECKPOINT_AUTO_MS = 10_000


class DStream:
    """A discretized stream: an RDD per batch interval, transformed lazily.

    DStreams come from a :class:`~ember.streaming.StreamingContext` (``queueStream``,
    ``socketTextStream``, ...) and from transforming other DStreams; output operations (``pprint``,
    ``foreachRDD``, ``saveAsTextFiles``) make them run once the context starts.

    Examples
    --------
    >>> from ember import SparkContext
    >>> from ember.streaming import StreamingContext
    >>> sc = SparkContext("local[2]", "doc")
    >>> ssc = StreamingContext(sc, 1)
    >>> counts = ssc.queueStream([["a b", "b"]]).flatMap(str.split).countByValue()
    >>> counts.pprint()
    >>> ssc.stop()
    """

    # ``DStream[T]`` in annotations, as PySpark's programs write them (its DStream is Generic)
    __class_getitem__ = classmethod(GenericAlias)

    #: streams whose state must be saved, so they need ``ssc.checkpoint(dir)`` (Spark's mustCheckpoint)
    _must_checkpoint = False

    def __init__(self, ssc: StreamingContext, parents: list[DStream] | None = None,
                 slide_ms: int | None = None) -> None:
        ssc._check_can_add()
        self._ssc = ssc
        self._sc = ssc._sc
        self._parents: list[DStream] = list(parents or [])
        self._own_slide_ms = slide_ms
        self._generated: dict[int, RDD] = {}
        self._zero_ms: int | None = None
        self._remember_ms: int | None = None
        self._storage: StorageLevel | None = None
        self._checkpoint_ms: int | None = None
        self.is_cached = False
        self.is_checkpointed = False
        self._site = callsite.user_callsite()

    # -- what each kind of stream defines -----------------------------------------------------

    def _compute(self, t: int) -> RDD | None:
        raise NotImplementedError

    def _user_functions(self) -> list[Callable]:
        """The user's functions this stream calls (checked for pickling when checkpointing)."""
        return []

    @property
    def _slide_ms(self) -> int:
        if self._own_slide_ms is not None:
            return self._own_slide_ms
        return self._parents[0]._slide_ms

    @property
    def _slideDuration(self) -> float:
        """The slide duration in seconds (PySpark's private property, used by user code too)."""
        return self._slide_ms / 1000.0

    def _parent_remember_ms(self) -> int | None:
        return self._remember_ms

    # -- graph life cycle (Spark's initialize / remember / validateAtStart / clearMetadata) ----

    def _initialize(self, zero_ms: int) -> None:
        if self._zero_ms is not None and self._zero_ms != zero_ms:
            raise SparkException(f"ZeroTime is already initialized to {self._zero_ms} ms, "
                                 f"cannot initialize it again to {zero_ms} ms")
        self._zero_ms = zero_ms
        slide = self._slide_ms
        if self._must_checkpoint and self._checkpoint_ms is None:
            self._checkpoint_ms = slide * -(-_CHECKPOINT_AUTO_MS // slide)
        least = slide
        if self._checkpoint_ms is not None and least <= self._checkpoint_ms:
            least = self._checkpoint_ms * 2
        if self._remember_ms is None or self._remember_ms < least:
            self._remember_ms = least
        for p in self._parents:
            p._initialize(zero_ms)

    def _remember(self, ms: int | None) -> None:
        if ms is not None and (self._remember_ms is None or ms > self._remember_ms):
            self._remember_ms = ms
        for p in self._parents:
            p._remember(self._parent_remember_ms())

    def _validate_at_start(self) -> None:
        from ember.errors import IllegalArgumentException

        name, ck, slide = type(self).__name__, self._checkpoint_ms, self._slide_ms
        if ck is not None and self._sc._checkpoint_dir is None:
            raise IllegalArgumentException(
                "requirement failed: The checkpoint directory has not been set. Please set it by "
                "StreamingContext.checkpoint().")
        if ck is not None and ck < slide:
            raise IllegalArgumentException(
                f"requirement failed: The checkpoint interval for {name} has been set to {ck} ms which "
                f"is lower than its slide time ({slide} ms). Please set it to at least {slide} ms.")
        if ck is not None and ck % slide:
            raise IllegalArgumentException(
                f"requirement failed: The checkpoint interval for {name} has been set to {ck} ms which "
                f"not a multiple of its slide time ({slide} ms). Please set it to a multiple of "
                f"{slide} ms.")
        for p in self._parents:
            p._validate_at_start()

    def _is_time_valid(self, t: int) -> bool:
        if self._zero_ms is None:
            raise SparkException(f"{self} has not been initialized")
        return t > self._zero_ms and (t - self._zero_ms) % self._slide_ms == 0

    def _get_or_compute(self, t: int) -> RDD | None:
        rdd = self._generated.get(t)
        if rdd is not None or not self._is_time_valid(t):
            return rdd
        resume = self._ssc._graph.resume_ms
        if resume is not None and t < resume:
            return None  # a batch from before a restart that the checkpoint did not keep
        with callsite.stream_site(self._site):
            rdd = self._compute(t)
        if rdd is None:
            return None
        if rdd.partitioner is not None:
            rdd = rdd.mapPartitions(_same)  # what the JVM keeps: the data, not the Python partitioner
        if self._storage is not None:
            rdd.persist(self._storage)
        if self._checkpoint_ms is not None and (t - self._zero_ms) % self._checkpoint_ms == 0:
            rdd.checkpoint()
        self._generated[t] = rdd
        return rdd

    def _clear_metadata(self, t: int) -> None:
        if self._remember_ms is not None:
            old = [k for k in self._generated if k <= t - self._remember_ms]
            if old:
                kept = {id(r) for k, r in self._generated.items() if k > t - self._remember_ms}
                for k in old:
                    rdd = self._generated.pop(k)
                    if id(rdd) not in kept:
                        _release(rdd)
        for p in self._parents:
            p._clear_metadata(t)

    def _slice_ms(self, from_ms: int, to_ms: int) -> list[RDD]:
        if self._zero_ms is None:
            raise SparkException(f"{self} has not been initialized")
        zero, slide = self._zero_ms, self._slide_ms
        if (to_ms - zero) % slide:
            to_ms = zero + (to_ms - zero) // slide * slide
        if (from_ms - zero) % slide:
            from_ms = zero + (from_ms - zero) // slide * slide
        out = []
        for t in range(from_ms, to_ms + 1, slide):
            rdd = self._get_or_compute(t) if t >= zero else None
            if rdd is not None:
                out.append(rdd)
        return out

    # -- checkpointing: what is pickled with the graph, and what is rebuilt on recovery ------------

    _RUNTIME = ("_ssc", "_sc", "_generated", "_zero_ms", "_remember_ms")

    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k not in self._RUNTIME}
        if self._must_checkpoint and self._checkpoint_ms is not None and not self.is_checkpointed:
            state["_checkpoint_ms"] = None  # set again from the slide when the graph starts
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._generated = {}
        self._zero_ms = None
        self._remember_ms = None

    def _attach(self, ssc: StreamingContext) -> None:
        """Bind a recovered stream to the context that recovered it."""
        self._ssc = ssc
        self._sc = ssc._sc

    def _all_streams(self) -> list[DStream]:
        seen: dict[int, DStream] = {}
        stack: list[DStream] = [self]
        while stack:
            d = stack.pop()
            if id(d) not in seen:
                seen[id(d)] = d
                stack.extend(d._parents)
        return list(seen.values())

    def __repr__(self) -> str:
        return f"{type(self).__name__}@{id(self):x}"

    # -- public API: plumbing -----------------------------------------------------------------

    def context(self) -> StreamingContext:
        """The StreamingContext this stream belongs to (a method, as in PySpark)."""
        return self._ssc

    def cache(self) -> DStream:
        """Keep each batch's RDD in memory (``MEMORY_ONLY``)."""
        return self.persist(StorageLevel.MEMORY_ONLY)

    def persist(self, storageLevel: StorageLevel) -> DStream:
        """Keep each batch's RDD at ``storageLevel``."""
        if self._zero_ms is not None:
            raise UnsupportedOperationException(
                "Cannot change storage level of a DStream after streaming context has started")
        self.is_cached = True
        self._storage = storageLevel
        return self

    def checkpoint(self, interval: float) -> DStream:
        """Save this stream's RDDs every ``interval`` seconds (to the context's checkpoint directory)."""
        if self._zero_ms is not None:
            raise UnsupportedOperationException(
                "Cannot change checkpoint interval of a DStream after streaming context has started")
        self.is_checkpointed = True
        if self._storage is None:
            self._storage = StorageLevel.MEMORY_ONLY
        self._checkpoint_ms = int(interval * 1000)
        return self

    def slice(self, begin: Any, end: Any) -> list[RDD]:
        """The RDDs of the batches from ``begin`` to ``end`` (both included; datetimes or unix seconds).

        Only batches still remembered are returned: see :meth:`StreamingContext.remember`.
        """
        with self._ssc._graph_lock:
            return self._slice_ms(to_millis(begin), to_millis(end))

    # -- public API: per-batch transformations ------------------------------------------------

    def transform(self, func: Callable) -> DStream:
        """Apply ``func(rdd)`` or ``func(time, rdd)`` to each batch's RDD; it must return an RDD."""
        from ember.streaming.transformed import TransformedDStream

        return TransformedDStream(self, with_time(func, 1, "func should take one or two arguments"))

    def transformWith(self, func: Callable, other: DStream, keepSerializer: bool = False) -> DStream:
        """Apply ``func(rdd_a, rdd_b)`` or ``func(time, rdd_a, rdd_b)`` to the two streams' RDDs."""
        from ember.streaming.transformed import Transformed2DStream

        return Transformed2DStream(self, other, with_time(func, 2, "func should take two or three arguments"))

    def mapPartitionsWithIndex(self, f: Callable[[int, Iterable], Iterable],
                               preservesPartitioning: bool = False) -> DStream:
        """``f(partition_index, iterator)`` on every partition of every batch."""
        return self.transform(lambda rdd: rdd.mapPartitionsWithIndex(f, preservesPartitioning))

    def mapPartitions(self, f: Callable[[Iterable], Iterable],
                      preservesPartitioning: bool = False) -> DStream:
        """``f(iterator)`` on every partition of every batch."""
        return self.mapPartitionsWithIndex(lambda _, it: f(it), preservesPartitioning)

    def map(self, f: Callable, preservesPartitioning: bool = False) -> DStream:  # noqa: A003
        """Apply ``f`` to every element."""
        return self.transform(lambda rdd: rdd.map(f, preservesPartitioning))

    def flatMap(self, f: Callable, preservesPartitioning: bool = False) -> DStream:
        """Apply ``f`` to every element and flatten the results."""
        from itertools import chain

        def func(_: int, it: Iterable) -> Iterable:
            return chain.from_iterable(map(f, it))

        func.flat_map_of = f  # type: ignore[attr-defined]  # a word count can fuse with it (core/idioms.py)
        return self.mapPartitionsWithIndex(func, preservesPartitioning)

    def filter(self, f: Callable) -> DStream:  # noqa: A003
        """Keep the elements for which ``f`` is true."""
        return self.mapPartitions(lambda it: filter(f, it), True)

    def glom(self) -> DStream:
        """One list per partition."""
        return self.mapPartitions(_glom)

    def mapValues(self, f: Callable) -> DStream:
        """Apply ``f`` to the value of every ``(key, value)`` pair."""
        return self.map(lambda kv: (kv[0], f(kv[1])), preservesPartitioning=True)

    def flatMapValues(self, f: Callable) -> DStream:
        """Apply ``f`` to every value and pair each of its results with the key."""
        return self.flatMap(lambda kv: ((kv[0], x) for x in f(kv[1])), preservesPartitioning=True)

    def count(self) -> DStream:
        """One element per batch: the number of elements (none for a batch with no partitions)."""
        return self.transform(_partition_sizes).reduce(operator.add)

    def reduce(self, func: Callable) -> DStream:
        """One element per batch: the elements combined with ``func`` (nothing for an empty batch)."""
        return self.map(lambda x: (None, x)).reduceByKey(func, 1).map(operator.itemgetter(1))

    def countByValue(self) -> DStream:
        """``(value, count)`` pairs of each batch."""
        return self.map(lambda x: (x, 1)).reduceByKey(operator.add)

    def combineByKey(self, createCombiner: Callable, mergeValue: Callable, mergeCombiners: Callable,
                     numPartitions: int | None = None) -> DStream:
        """``RDD.combineByKey`` on every batch."""
        n = self._default_partitions(numPartitions)
        return self.transform(lambda rdd: rdd.combineByKey(createCombiner, mergeValue, mergeCombiners, n))

    def reduceByKey(self, func: Callable, numPartitions: int | None = None) -> DStream:
        """Combine the values of each key with ``func``, per batch."""
        return self.combineByKey(_identity, func, func, self._default_partitions(numPartitions))

    def groupByKey(self, numPartitions: int | None = None) -> DStream:
        """``(key, ResultIterable of values)`` per batch."""
        n = self._default_partitions(numPartitions)
        return self.transform(lambda rdd: rdd.groupByKey(n))

    def partitionBy(self, numPartitions: int, partitionFunc: Callable = portable_hash) -> DStream:
        """Hash-partition every batch into ``numPartitions``."""
        return self.transform(lambda rdd: rdd.partitionBy(numPartitions, partitionFunc))

    def repartition(self, numPartitions: int) -> DStream:
        """Reshuffle every batch into ``numPartitions`` partitions."""
        return self.transform(lambda rdd: rdd.repartition(numPartitions))

    def union(self, other: DStream) -> DStream:
        """This stream's elements, then ``other``'s, batch by batch."""
        if self._slideDuration != other._slideDuration:
            raise ValueError("the two DStream should have same slide duration")
        return self.transformWith(lambda a, b: a.union(b), other, True)

    def cogroup(self, other: DStream, numPartitions: int | None = None) -> DStream:
        """``(key, (values here, values there))`` per batch."""
        n = self._default_partitions(numPartitions)
        return self.transformWith(lambda a, b: a.cogroup(b, n), other)

    def join(self, other: DStream, numPartitions: int | None = None) -> DStream:
        """Inner join of each batch's pairs."""
        n = self._default_partitions(numPartitions)
        return self.transformWith(lambda a, b: a.join(b, n), other)

    def leftOuterJoin(self, other: DStream, numPartitions: int | None = None) -> DStream:
        """Left outer join of each batch's pairs (``None`` where ``other`` has no value)."""
        n = self._default_partitions(numPartitions)
        return self.transformWith(lambda a, b: a.leftOuterJoin(b, n), other)

    def rightOuterJoin(self, other: DStream, numPartitions: int | None = None) -> DStream:
        """Right outer join of each batch's pairs."""
        n = self._default_partitions(numPartitions)
        return self.transformWith(lambda a, b: a.rightOuterJoin(b, n), other)

    def fullOuterJoin(self, other: DStream, numPartitions: int | None = None) -> DStream:
        """Full outer join of each batch's pairs."""
        n = self._default_partitions(numPartitions)
        return self.transformWith(lambda a, b: a.fullOuterJoin(b, n), other)

    def _default_partitions(self, n: int | None) -> int:
        return self._sc.defaultParallelism if n is None else n

    # -- public API: windows and state (see window.py and state.py) -----------------------------

    def window(self, windowDuration: float, slideDuration: float | None = None) -> DStream:
        """All elements of the batches in the last ``windowDuration`` seconds, every ``slideDuration``."""
        from ember.streaming.window import WindowedDStream, validate_window

        validate_window(self, windowDuration, slideDuration)
        return WindowedDStream(self, int(windowDuration * 1000),
                               None if slideDuration is None else int(slideDuration * 1000))

    def reduceByKeyAndWindow(self, func: Callable, invFunc: Callable | None, windowDuration: float,
                             slideDuration: float | None = None, numPartitions: int | None = None,
                             filterFunc: Callable | None = None) -> DStream:
        """``reduceByKey`` over a sliding window; with ``invFunc``, incrementally (see the docs)."""
        from ember.streaming.window import reduce_by_key_and_window

        return reduce_by_key_and_window(self, func, invFunc, windowDuration, slideDuration,
                                        numPartitions, filterFunc)

    def reduceByWindow(self, reduceFunc: Callable, invReduceFunc: Callable | None, windowDuration: float,
                       slideDuration: float) -> DStream:
        """One element per window: its elements combined with ``reduceFunc``."""
        keyed = self.map(lambda x: (1, x))
        reduced = keyed.reduceByKeyAndWindow(reduceFunc, invReduceFunc, windowDuration, slideDuration, 1)
        return reduced.map(operator.itemgetter(1))

    def countByWindow(self, windowDuration: float, slideDuration: float) -> DStream:
        """One element per window: how many elements it holds."""
        return self.map(lambda x: 1).reduceByWindow(operator.add, operator.sub, windowDuration, slideDuration)

    def countByValueAndWindow(self, windowDuration: float, slideDuration: float,
                              numPartitions: int | None = None) -> DStream:
        """``(value, count)`` over a sliding window."""
        keyed = self.map(lambda x: (x, 1))
        counted = keyed.reduceByKeyAndWindow(operator.add, operator.sub, windowDuration, slideDuration,
                                             numPartitions)
        return counted.filter(lambda kv: kv[1] > 0)

    def groupByKeyAndWindow(self, windowDuration: float, slideDuration: float,
                            numPartitions: int | None = None) -> DStream:
        """``(key, ResultIterable of values)`` over a sliding window."""
        lists = self.mapValues(lambda x: [x])
        grouped = lists.reduceByKeyAndWindow(_extend, _drop_front, windowDuration, slideDuration,
                                             numPartitions)
        return grouped.mapValues(ResultIterable)

    def updateStateByKey(self, updateFunc: Callable, numPartitions: int | None = None,
                         initialRDD: Any = None) -> DStream:
        """A running state per key: ``updateFunc(new_values, old_state)``; returning None drops the key."""
        from ember.streaming.state import update_state_by_key

        return update_state_by_key(self, updateFunc, numPartitions, initialRDD)

    # -- public API: output operations --------------------------------------------------------

    def foreachRDD(self, func: Callable) -> None:
        """Call ``func(rdd)`` or ``func(time, rdd)`` for every batch (an output operation)."""
        from ember.streaming.transformed import ForEachDStream

        ForEachDStream(self, with_time(func, 1, "func should take one or two arguments"), "foreachRDD")

    def pprint(self, num: int = 10) -> None:
        """Print the first ``num`` elements of every batch under a ``Time:`` header, as PySpark does."""
        from ember.streaming.transformed import ForEachDStream

        ForEachDStream(self, _printer(num), "pprint")

    def saveAsTextFiles(self, prefix: str, suffix: str | None = None) -> None:
        """Write every batch as text to the directory ``prefix-<batch ms>[.suffix]``."""
        from ember.streaming.transformed import ForEachDStream

        def save(t, rdd: RDD) -> None:
            path = rddToFileName(prefix, suffix, t)
            try:
                rdd.saveAsTextFile(path)
            except FileExistsError:
                pass  # a batch replayed after recovery: Spark ignores FileAlreadyExistsException too

        ForEachDStream(self, save, "saveAsTextFiles")


def _printer(num: int) -> Callable:
    import sys

    def take_and_print(t, rdd: RDD) -> None:
        taken = rdd.take(num + 1)
        lines = ["-------------------------------------------", f"Time: {t}",
                 "-------------------------------------------"]
        lines.extend(str(record) for record in taken[:num])
        if len(taken) > num:
            lines.append("...")
        lines.append("")
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()  # a pipe sees each batch at once, not at exit (Spark's rough edge #9)

    return take_and_print


def _same(it: Iterable) -> Iterable:
    return it


_identity = identity  # reduceByKey's createCombiner: the word-count idiom is recognised with it


def _glom(it: Iterable) -> Iterable:
    yield list(it)


def _extend(a: list, b: list) -> list:
    a.extend(b)
    return a


def _drop_front(a: list, b: list) -> list:
    return a[len(b):]


def _release(rdd: RDD) -> None:
    """Forget a batch's RDD: its cached data and any checkpoint files written for it."""
    import shutil

    rdd.unpersist()
    path = rdd.getCheckpointFile()
    if path:
        shutil.rmtree(path.removeprefix("file:"), ignore_errors=True)


def _partition_size(it: Iterable) -> list[int]:
    return [sum(1 for _ in it)]


def _partition_sizes(rdd: RDD) -> RDD:
    """One element per partition of ``rdd``: its number of elements (``count``'s map side). A
    receiver's blocks know how many lines they hold without decoding them (``line_counts``)."""
    sizes = getattr(rdd, "line_counts", None)
    return sizes() if sizes is not None else rdd.mapPartitions(_partition_size)
