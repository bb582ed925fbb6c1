"""Key-value operations of RDD: combine, group, join, sort; each shuffles as PySpark's does.

Every operation here is built the way PySpark builds it (a local combine, a hash shuffle, a merge;
joins as a union of tagged values grouped by key), because the order of the results follows from
that construction: first-seen key order within each reduce partition, partitions by seed-0 hash.
"""

from __future__ import annotations

import operator
from functools import reduce

from ember.core import callsite, scheduler
from ember.core.combine import combine_values, group_values, merge_combiners, merge_groups
from ember.core.hashing import portable_hash
from ember.core.partitioner import Partitioner
from ember.core.serialization import deep_copy
from ember.resultiterable import ResultIterable

TYPE_CHECKING = False  # typing costs milliseconds to import; annotations are strings here
if TYPE_CHECKING:
    from typing import Any, Callable

    from ember.core.rdd import RDD


def _counted_words(rdd: RDD, create: Callable | None, merge: Callable) -> RDD | None:
    """``rdd.map(lambda x: (x, 1))`` combined by add, as one C-level count per partition (idioms.py)."""
    from ember.core import idioms

    mapped = getattr(rdd, "_map_of", None)
    if mapped is None or create not in (None, idioms.identity) or not idioms.is_add(merge) \
            or not idioms.is_pair_with_one(mapped[1]) or not rdd._pipelinable():
        return None
    counted = idioms.count_words(mapped[0])
    counted.partitioner = rdd.partitioner  # what combining ``rdd`` itself would keep
    from ember.core.rdd import PipelinedRDD

    if isinstance(counted, PipelinedRDD):  # the generic count (a receiver's blocks count on the workers)
        # A C-level count does too little per record to pay for shipping its input to worker processes,
        # and each worker would hold its partition's words a second time (BENCHMARKS.md, rdd_wordcount):
        # the driver counts all partitions into one dict (combine.count_stage).
        counted._pool_pays = False
        counted._words_of = mapped[0]
    return counted


class PairRDDMixin:
    """The operations on RDDs of ``(key, value)`` pairs."""

    def _default_reduce_partitions(self: RDD) -> int:
        # Spark's rule: the configured default parallelism if set, else the parent's partitions.
        if self.ctx._conf.contains("spark.default.parallelism"):
            return self.ctx.defaultParallelism
        return self.getNumPartitions()

    @callsite.public("keys")
    def keys(self: RDD) -> RDD:
        """The keys of a pair RDD."""
        return self.map(operator.itemgetter(0))

    @callsite.public("values")
    def values(self: RDD) -> RDD:
        """The values of a pair RDD."""
        return self.map(operator.itemgetter(1))

    @callsite.public("mapValues")
    def mapValues(self: RDD, f: Callable) -> RDD:
        """Apply ``f`` to each value, keeping keys and partitioning."""
        return self._pipe(lambda _, it: ((kv[0], f(kv[1])) for kv in it), True)

    @callsite.public("flatMapValues")
    def flatMapValues(self: RDD, f: Callable) -> RDD:
        """Apply ``f`` to each value and flatten, keeping keys and partitioning."""
        return self._pipe(lambda _, it: ((kv[0], x) for kv in it for x in f(kv[1])), True)

    @callsite.public("partitionBy")
    def partitionBy(self: RDD, numPartitions: int | None, partitionFunc: Callable = portable_hash) -> RDD:
        """Hash-partition by key into ``numPartitions`` (no shuffle if already partitioned so)."""
        from ember.core.shuffle import ShuffledRDD

        if numPartitions is None:
            numPartitions = self._default_reduce_partitions()
        partitioner = Partitioner(numPartitions, partitionFunc)
        if self.partitioner == partitioner:
            return self
        return ShuffledRDD(self, partitioner)

    @callsite.public("combineByKey")
    def combineByKey(self: RDD, createCombiner: Callable, mergeValue: Callable, mergeCombiners: Callable,
                     numPartitions: int | None = None, partitionFunc: Callable = portable_hash) -> RDD:
        """Combine the values of each key: a local combine per partition, a shuffle, a merge."""
        if numPartitions is None:
            numPartitions = self._default_reduce_partitions()
        counted = _counted_words(self, createCombiner, mergeValue)
        partitioner = Partitioner(numPartitions, partitionFunc)
        flat = getattr(counted, "_words_of", None)
        # a receiver's blocks: the map stage merges its own outputs (streaming/sources/wordcount.py)
        merged = counted.merged_count_stage(partitioner) if hasattr(counted, "merged_count_stage") else None
        if (flat is not None or merged is not None) and counted.partitioner != partitioner:
            from ember.core.combine import count_stage
            from ember.core.shuffle import ShuffledRDD

            # One dict for all map partitions (same keys, order and totals: combine.count_stage), so each
            # reduce partition reads one block whose keys are distinct: it is the merged result already.
            stage = merged or (lambda: count_stage(flat, partitioner))
            shuffled = ShuffledRDD(counted, partitioner, map_stage=stage)
            return shuffled.mapPartitions(iter, True)
        if counted is not None:
            combined = counted
        else:
            combined = self.mapPartitions(lambda it: combine_values(it, createCombiner, mergeValue), True)
        shuffled = combined.partitionBy(numPartitions, partitionFunc)
        return shuffled.mapPartitions(lambda it: merge_combiners(it, mergeCombiners), True)

    @callsite.public("reduceByKey")
    def reduceByKey(self: RDD, func: Callable, numPartitions: int | None = None,
                    partitionFunc: Callable = portable_hash) -> RDD:
        """Merge the values of each key with ``func``."""
        return self.combineByKey(None, func, func, numPartitions, partitionFunc)

    @callsite.public("reduceByKeyLocally")
    def reduceByKeyLocally(self: RDD, func: Callable) -> dict:
        """Merge the values of each key with ``func`` and return a dict to the driver."""

        def merge(a: dict, b: dict) -> dict:
            for k, v in b.items():
                a[k] = func(a[k], v) if k in a else v
            return a

        parts = scheduler.run_job(self, lambda it: dict(combine_values(it, None, func)))
        return reduce(merge, parts, {})

    @callsite.public("aggregateByKey")
    def aggregateByKey(self: RDD, zeroValue: Any, seqFunc: Callable, combFunc: Callable,
                       numPartitions: int | None = None, partitionFunc: Callable = portable_hash) -> RDD:
        """Aggregate each key's values from a fresh copy of ``zeroValue``."""
        return self.combineByKey(lambda v: seqFunc(deep_copy(zeroValue), v), seqFunc, combFunc,
                                 numPartitions, partitionFunc)

    @callsite.public("foldByKey")
    def foldByKey(self: RDD, zeroValue: Any, func: Callable, numPartitions: int | None = None,
                  partitionFunc: Callable = portable_hash) -> RDD:
        """Fold each key's values from a fresh copy of ``zeroValue``."""
        return self.combineByKey(lambda v: func(deep_copy(zeroValue), v), func, func,
                                 numPartitions, partitionFunc)

    @callsite.public("groupByKey")
    def groupByKey(self: RDD, numPartitions: int | None = None,
                   partitionFunc: Callable = portable_hash) -> RDD:
        """Group each key's values into a ResultIterable."""
        if numPartitions is None:
            numPartitions = self._default_reduce_partitions()
        combined = self.mapPartitions(group_values, True)
        shuffled = combined.partitionBy(numPartitions, partitionFunc)
        return shuffled.mapPartitions(merge_groups, True).mapValues(ResultIterable)

    @callsite.public("countByKey")
    def countByKey(self: RDD) -> dict:
        """A dict from each key to its number of pairs."""
        return self.map(operator.itemgetter(0)).countByValue()

    @callsite.public("collectAsMap")
    def collectAsMap(self: RDD) -> dict:
        """The pairs as a dict (later pairs win)."""
        return dict(self.collect())

    @callsite.public("lookup")
    def lookup(self: RDD, key: Any) -> list:
        """All values for ``key`` (only its partition is searched when the RDD is partitioned)."""
        values = self.filter(lambda kv: kv[0] == key).values()
        if self.partitioner is not None:
            return scheduler.run_job(values, list, [self.partitioner(key)])[0]
        return values.collect()

    # -- joins ----------------------------------------------------------------------------

    def _tagged_groups(self: RDD, others: tuple, numPartitions: int | None) -> RDD:
        """Union of every input's values tagged with its index, grouped by key."""
        tagged = [rdd.mapValues(lambda v, i=i: (i, v)) for i, rdd in enumerate((self, *others))]
        return reduce(lambda a, b: a.union(b), tagged).groupByKey(numPartitions)

    def _join(self: RDD, other: RDD, numPartitions: int | None, left_outer: bool,
              right_outer: bool) -> RDD:
        def dispatch(values):
            left, right = [], []
            for tag, v in values:
                (left if tag == 0 else right).append(v)
            if left_outer and not right:
                right.append(None)
            if right_outer and not left:
                left.append(None)
            return [(v, w) for v in left for w in right]

        return self._tagged_groups((other,), numPartitions).flatMapValues(dispatch)

    @callsite.public("join")
    def join(self: RDD, other: RDD, numPartitions: int | None = None) -> RDD:
        """Inner join on key: ``(k, (v, w))``."""
        return self._join(other, numPartitions, False, False)

    @callsite.public("leftOuterJoin")
    def leftOuterJoin(self: RDD, other: RDD, numPartitions: int | None = None) -> RDD:
        """Left outer join: ``(k, (v, w or None))``."""
        return self._join(other, numPartitions, True, False)

    @callsite.public("rightOuterJoin")
    def rightOuterJoin(self: RDD, other: RDD, numPartitions: int | None = None) -> RDD:
        """Right outer join: ``(k, (v or None, w))``."""
        return self._join(other, numPartitions, False, True)

    @callsite.public("fullOuterJoin")
    def fullOuterJoin(self: RDD, other: RDD, numPartitions: int | None = None) -> RDD:
        """Full outer join: ``(k, (v or None, w or None))``."""
        return self._join(other, numPartitions, True, True)

    def _cogroup(self: RDD, others: tuple, numPartitions: int | None) -> RDD:
        n = 1 + len(others)

        def dispatch(values):
            bufs: list[list] = [[] for _ in range(n)]
            for tag, v in values:
                bufs[tag].append(v)
            return tuple(ResultIterable(b) for b in bufs)

        return self._tagged_groups(others, numPartitions).mapValues(dispatch)

    @callsite.public("cogroup")
    def cogroup(self: RDD, other: RDD, numPartitions: int | None = None) -> RDD:
        """For each key, ``(values here, values there)`` as ResultIterables."""
        return self._cogroup((other,), numPartitions)

    @callsite.public("groupWith")
    def groupWith(self: RDD, other: RDD, *others: RDD) -> RDD:
        """``cogroup`` with any number of RDDs."""
        return self._cogroup((other, *others), None)

    @callsite.public("subtractByKey")
    def subtractByKey(self: RDD, other: RDD, numPartitions: int | None = None) -> RDD:
        """Pairs whose key does not appear in ``other``."""
        return (self.cogroup(other, numPartitions)
                .filter(lambda kv: bool(kv[1][0]) and not kv[1][1])
                .flatMapValues(operator.itemgetter(0)))

    @callsite.public("subtract")
    def subtract(self: RDD, other: RDD, numPartitions: int | None = None) -> RDD:
        """Elements that do not appear in ``other``."""
        return (self.map(lambda x: (x, True))
                .subtractByKey(other.map(lambda x: (x, True)), numPartitions).keys())

    @callsite.public("intersection")
    def intersection(self: RDD, other: RDD) -> RDD:
        """Distinct elements present in both RDDs."""
        return (self.map(lambda v: (v, None)).cogroup(other.map(lambda v: (v, None)))
                .filter(lambda kv: all(kv[1])).keys())

    # -- sorting ----------------------------------------------------------------------------

    @callsite.public("sortByKey")
    def sortByKey(self: RDD, ascending: bool = True, numPartitions: int | None = None,
                  keyfunc: Callable = lambda x: x) -> RDD:
        """Sort by key into range partitions whose bounds come from a sample, as Spark picks them."""
        if numPartitions is None:
            numPartitions = self._default_reduce_partitions()

        def sort_partition(it):
            return sorted(it, key=lambda kv: keyfunc(kv[0]), reverse=not ascending)

        if numPartitions == 1:
            rdd = self.coalesce(1) if self.getNumPartitions() > 1 else self
            return rdd.mapPartitions(sort_partition, True)

        # Like Spark, sizing and sampling the input run jobs now, not at the action.
        size = self.count()
        if not size:
            return self
        fraction = min(numPartitions * 20.0 / max(size, 1), 1.0)
        samples = sorted(self.sample(False, fraction, 1).map(operator.itemgetter(0)).collect(),
                         key=keyfunc)
        bounds = [samples[int(len(samples) * (i + 1) / numPartitions)] for i in range(numPartitions - 1)]

        import bisect

        def range_partition(k):
            p = bisect.bisect_left(bounds, keyfunc(k))
            return p if ascending else numPartitions - 1 - p

        return self.partitionBy(numPartitions, range_partition).mapPartitions(sort_partition, True)
