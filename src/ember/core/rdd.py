"""RDD: a lazy, partitioned collection, with PySpark's operations and PySpark's answers.

An RDD is a lineage of partition functions. Narrow steps (map, filter, ...) are fused into one
pass per partition, as PySpark's PipelinedRDD does; key-based steps shuffle (``pairs.py``,
``shuffle.py``); actions (``actions.py``) run jobs through the scheduler (``scheduler.py``).
Partition layouts and the order of results match PySpark with the same parallelism.
"""

from __future__ import annotations

import itertools
import operator
from types import GenericAlias

from ember.core import callsite
from ember.core.actions import ActionsMixin
from ember.core.pairs import PairRDDMixin
from ember.core.serialization import dumps, loads
from ember.storagelevel import StorageLevel

TYPE_CHECKING = False  # typing costs milliseconds to import; annotations are strings here
if TYPE_CHECKING:
    from typing import Callable, Iterable, Iterator

    from ember.core.context import SparkContext


class RDD(ActionsMixin, PairRDDMixin):
    """A Resilient Distributed Dataset: ember's batch collection, with PySpark's API.

    RDDs are made by a :class:`~ember.SparkContext` (``parallelize``, ``textFile``, ...) and by
    transforming other RDDs; nothing runs until an action such as ``collect`` asks for results.

    Examples
    --------
    >>> from ember import SparkContext
    >>> with SparkContext("local[2]", "doc") as sc:
    ...     sc.parallelize(["a b", "b"]).flatMap(str.split).countByValue()["b"]
    2
    """

    # ``RDD[T]`` in annotations, as PySpark's programs write them (its RDD is Generic)
    __class_getitem__ = classmethod(GenericAlias)

    #: a short kind name, shown by ``toDebugString`` and ``repr``
    _kind = "RDD"
    #: False when this RDD's own stage always runs in the driver (see ``scheduler._ship``)
    _pool_pays = True

    def __init__(self, ctx: SparkContext) -> None:
        self.ctx = ctx
        self._id = ctx._new_rdd_id()
        self._name: str | None = None
        self.partitioner = None
        self.is_cached = False
        self.is_checkpointed = False
        self._storage: StorageLevel | None = None
        self._cache: dict[int, bytes] = {}
        self._checkpoint_wanted = False
        self._checkpoint_parts: dict[int, bytes] | None = None
        self._checkpoint_path: str | None = None
        op, site = callsite.current()
        self._op = op or "rdd"
        self._site = site or callsite.user_callsite()

    # -- what each kind of RDD defines -------------------------------------------------------

    def getNumPartitions(self) -> int:
        """The number of partitions."""
        raise NotImplementedError

    def _compute(self, split: int) -> Iterable:
        raise NotImplementedError

    def _parents(self) -> list[RDD]:
        return []

    def _shuffle_parents(self) -> list[RDD]:
        return []

    def _batch_size(self) -> int:
        """Elements per pickled batch in PySpark (0: adaptive); decides zip/cartesian pairing."""
        return 0

    def _ship(self, split: int):
        """A ``shipping.Source`` a worker process can compute this partition from, or None."""
        from ember.core.shipping import ListSource

        blob = self._cache.get(split)
        if self._checkpoint_parts is not None:
            blob = self._checkpoint_parts[split]
        if blob is not None:
            return ListSource(split, blob, True, len(blob) // 64)
        if self._storage is not None or self._checkpoint_wanted:
            return None  # the driver must see the data to keep it
        return self._ship_compute(split)

    def _ship_compute(self, split: int):
        return None

    # -- reading partitions -------------------------------------------------------------------

    def _iterator(self, split: int) -> Iterable:
        if self._checkpoint_parts is not None:
            return loads(self._checkpoint_parts[split])
        if self._storage is None and not self._checkpoint_wanted:
            return self._compute(split)
        blob = self._cache.get(split)
        if blob is None:
            data = list(self._compute(split))
            blob = self._cache[split] = dumps(data)
            return data
        return loads(blob)

    @property
    def context(self) -> SparkContext:
        """The SparkContext this RDD belongs to."""
        return self.ctx

    def id(self) -> int:  # noqa: A003 - Spark's name
        """A unique id for this RDD within its SparkContext."""
        return self._id

    def name(self) -> str | None:
        """The name set with ``setName``, or None."""
        return self._name

    def setName(self, name: str) -> RDD:
        """Name this RDD (shown by ``toDebugString``)."""
        self._name = name
        return self

    def __repr__(self) -> str:
        return f"{self._name or self._kind}[{self._id}] at {self._op} at {self._site}"

    def __add__(self, other: RDD) -> RDD:
        if not isinstance(other, RDD):
            raise TypeError
        return self.union(other)

    def __reduce__(self):
        from ember.errors import PySparkRuntimeError

        raise PySparkRuntimeError(
            "It appears that you are attempting to broadcast an RDD or reference an RDD from an "
            "action or transformation. RDD transformations and actions can only be invoked by the "
            "driver, not inside of other transformations; for example, rdd1.map(lambda x: "
            "rdd2.values.count() * x) is invalid because the values transformation and count action "
            "cannot be performed inside of the rdd1.map transformation. For more information, see "
            "SPARK-5063.", errorClass="RDD_TRANSFORM_ONLY_VALID_ON_DRIVER")

    # -- persistence --------------------------------------------------------------------------

    def cache(self) -> RDD:
        """Keep computed partitions in memory (``MEMORY_ONLY``)."""
        return self.persist(StorageLevel.MEMORY_ONLY)

    def persist(self, storageLevel: StorageLevel = StorageLevel.MEMORY_ONLY) -> RDD:
        """Keep computed partitions (pickled, so each read yields fresh objects)."""
        if self._storage is not None and self._storage != storageLevel:
            from ember.errors import UnsupportedOperationException

            raise UnsupportedOperationException(
                "Cannot change storage level of an RDD after it was already assigned a level")
        self.is_cached = True
        self._storage = storageLevel
        return self

    def unpersist(self, blocking: bool = False) -> RDD:
        """Drop the kept partitions."""
        self.is_cached = False
        self._storage = None
        self._cache = {}
        return self

    def getStorageLevel(self) -> StorageLevel:
        """The storage level set by ``persist`` (``StorageLevel.NONE`` when not persisted)."""
        return self._storage or StorageLevel.NONE

    def checkpoint(self) -> None:
        """Save this RDD to the checkpoint directory at its next job and forget its lineage."""
        if self.ctx._checkpoint_dir is None:
            from ember.errors import SparkException

            raise SparkException("Checkpoint directory has not been set in the SparkContext")
        self._want_checkpoint()

    def localCheckpoint(self) -> None:
        """Like ``checkpoint`` but kept in memory only."""
        self._want_checkpoint()

    def _want_checkpoint(self) -> None:
        if not self._checkpoint_wanted and not self.is_checkpointed:
            self._checkpoint_wanted = True
            self.ctx._checkpoints_pending += 1

    def isCheckpointed(self) -> bool:
        """Whether the RDD has been checkpointed."""
        return self.is_checkpointed

    def isLocallyCheckpointed(self) -> bool:
        return self.is_checkpointed and self._checkpoint_path is None

    def getCheckpointFile(self) -> str | None:
        """Where the checkpoint was written, as a ``file:`` URI."""
        return self._checkpoint_path

    def _do_checkpoint(self) -> None:
        """After a job: save every RDD of the lineage that asked for a checkpoint."""
        seen: set[int] = set()
        stack: list[RDD] = [self]
        while stack:
            r = stack.pop()
            if r._id in seen:
                continue
            seen.add(r._id)
            if r._checkpoint_wanted and not r.is_checkpointed:
                r._write_checkpoint()
            else:
                stack.extend(r._parents())

    def _write_checkpoint(self) -> None:
        parts = {}
        for s in range(self.getNumPartitions()):
            blob = self._cache.get(s)
            parts[s] = blob if blob is not None else dumps(list(self._compute(s)))
        self._checkpoint_path = self.ctx._write_checkpoint_files(self._id, parts)
        self._checkpoint_parts = parts
        self.is_checkpointed = True
        self._checkpoint_wanted = False
        self.ctx._checkpoints_pending -= 1
        self._drop_lineage()

    def _drop_lineage(self) -> None:
        """Forget parents once the data is saved (each kind knows its own references)."""

    # -- narrow transformations ---------------------------------------------------------------

    def _pipe(self, func: Callable[[int, Iterator], Iterable], preservesPartitioning: bool = False) -> RDD:
        return PipelinedRDD(self, func, preservesPartitioning)

    @callsite.public("map")
    def map(self, f: Callable, preservesPartitioning: bool = False) -> RDD:  # noqa: A003
        """Apply ``f`` to every element."""
        out = self._pipe(lambda _, it: map(f, it), preservesPartitioning)
        out._map_of = (self, f)  # lets a reduce that follows recognise the word-count idiom (idioms.py)
        return out

    @callsite.public("flatMap")
    def flatMap(self, f: Callable, preservesPartitioning: bool = False) -> RDD:
        """Apply ``f`` to every element and flatten the iterables it returns."""
        return self._pipe(lambda _, it: itertools.chain.from_iterable(map(f, it)), preservesPartitioning)

    @callsite.public("filter")
    def filter(self, f: Callable) -> RDD:  # noqa: A003
        """Keep the elements for which ``f`` is true."""
        return self._pipe(lambda _, it: filter(f, it), True)

    @callsite.public("mapPartitions")
    def mapPartitions(self, f: Callable[[Iterator], Iterable], preservesPartitioning: bool = False) -> RDD:
        """Apply ``f`` to each partition's iterator."""
        return self._pipe(lambda _, it: f(it), preservesPartitioning)

    @callsite.public("mapPartitionsWithIndex")
    def mapPartitionsWithIndex(self, f: Callable[[int, Iterator], Iterable],
                               preservesPartitioning: bool = False) -> RDD:
        """Apply ``f(index, iterator)`` to each partition."""
        return self._pipe(f, preservesPartitioning)

    mapPartitionsWithSplit = mapPartitionsWithIndex

    @callsite.public("glom")
    def glom(self) -> RDD:
        """One list per partition."""
        return self._pipe(lambda _, it: [list(it)])

    @callsite.public("keyBy")
    def keyBy(self, f: Callable) -> RDD:
        """Pairs ``(f(x), x)``."""
        return self._pipe(lambda _, it: ((f(x), x) for x in it))

    @callsite.public("distinct")
    def distinct(self, numPartitions: int | None = None) -> RDD:
        """The distinct elements."""
        return (self.map(lambda x: (x, None))
                .reduceByKey(lambda x, _: x, numPartitions)
                .map(operator.itemgetter(0)))

    @callsite.public("union")
    def union(self, other: RDD) -> RDD:
        """This RDD's elements, then the other's (partition-wise when both are partitioned alike)."""
        from ember.core.rdds import UnionRDD

        return UnionRDD.of(self.ctx, [self, other])

    @callsite.public("cartesian")
    def cartesian(self, other: RDD) -> RDD:
        """Every pair ``(a, b)`` of this RDD's and the other's elements."""
        from ember.core.rdds import CartesianRDD

        return CartesianRDD(self, other)

    @callsite.public("zip")
    def zip(self, other: RDD) -> RDD:  # noqa: A003
        """Pair the i-th elements of two RDDs with the same partitions and partition sizes."""
        from ember.core.rdds import ZippedRDD

        if self.getNumPartitions() != other.getNumPartitions():
            raise ValueError("Can only zip with RDD which has the same number of partitions")
        return ZippedRDD(self, other)

    @callsite.public("zipWithIndex")
    def zipWithIndex(self) -> RDD:
        """Pairs ``(x, index)`` with indices in partition order (runs a job to size partitions)."""
        starts = [0]
        if self.getNumPartitions() > 1:
            sizes = self.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
            for n in sizes[:-1]:
                starts.append(starts[-1] + n)
        return self._pipe(lambda k, it: zip(it, itertools.count(starts[k])))

    @callsite.public("zipWithUniqueId")
    def zipWithUniqueId(self) -> RDD:
        """Pairs ``(x, id)`` with ids ``i * numPartitions + partition``."""
        n = self.getNumPartitions()
        return self._pipe(lambda k, it: ((x, i * n + k) for i, x in enumerate(it)))

    @callsite.public("coalesce")
    def coalesce(self, numPartitions: int, shuffle: bool = False) -> RDD:
        """Fewer partitions: neighbouring partitions merged, or a shuffle when ``shuffle=True``."""
        if not numPartitions > 0:
            raise ValueError("Number of partitions must be positive.")
        from ember.core.rdds import CoalescedRDD, RepartitionedRDD

        if shuffle:
            return RepartitionedRDD(self, numPartitions)
        return CoalescedRDD(self, numPartitions)

    @callsite.public("repartition")
    def repartition(self, numPartitions: int) -> RDD:
        """Exactly ``numPartitions`` partitions, by a shuffle (as Spark distributes elements)."""
        return self.coalesce(numPartitions, shuffle=True)

    @callsite.public("sample")
    def sample(self, withReplacement: bool, fraction: float, seed: int | None = None) -> RDD:
        """A random sample, drawn exactly as PySpark draws it for the same seed."""
        from ember.core import sampling

        if fraction < 0:
            raise ValueError("Fraction must be nonnegative.")
        seed = sampling.resolve_seed(seed)
        return self._pipe(lambda split, it: sampling.sample_partition(split, it, withReplacement,
                                                                      fraction, seed), True)

    @callsite.public("randomSplit")
    def randomSplit(self, weights: list[float], seed: int | None = None) -> list[RDD]:
        """Split into RDDs of sizes proportional to ``weights``."""
        from ember.core import sampling

        return sampling.random_split(self, weights, seed)

    @callsite.public("takeSample")
    def takeSample(self, withReplacement: bool, num: int, seed: int | None = None) -> list:
        """A fixed-size random sample, returned to the driver."""
        from ember.core import sampling

        return sampling.take_sample(self, withReplacement, num, seed)

    @callsite.public("sortBy")
    def sortBy(self, keyfunc: Callable, ascending: bool = True, numPartitions: int | None = None) -> RDD:
        """Sort by ``keyfunc(x)``."""
        return self.keyBy(keyfunc).sortByKey(ascending, numPartitions).values()

    @callsite.public("groupBy")
    def groupBy(self, f: Callable, numPartitions: int | None = None, partitionFunc=None) -> RDD:
        """Group the elements by ``f(x)``."""
        from ember.core.hashing import portable_hash

        return self.map(lambda x: (f(x), x)).groupByKey(numPartitions, partitionFunc or portable_hash)

    @callsite.public("pipe")
    def pipe(self, command: str, env: dict | None = None, checkCode: bool = False) -> RDD:
        """Pipe each partition's elements through a shell command, one per line."""
        from ember.core.files import pipe_partition

        return self._pipe(lambda _, it: pipe_partition(it, command, env or {}, checkCode))


class PipelinedRDD(RDD):
    """Narrow steps fused: ``func(split, parent_iterator)`` composed along a chain."""

    _kind = "PythonRDD"

    def __init__(self, prev: RDD, func: Callable[[int, Iterator], Iterable],
                 preservesPartitioning: bool = False) -> None:
        super().__init__(prev.ctx)
        step = (f"{self._op} at {self._site}", func)
        if isinstance(prev, PipelinedRDD) and prev._pipelinable():
            prev_func = prev.func
            self.func = lambda split, it: func(split, prev_func(split, it))
            self.prev = prev.prev
            self._steps = [*prev._steps, step]
        else:
            self.func = func
            self.prev = prev
            self._steps = [step]
        self.partitioner = prev.partitioner if preservesPartitioning else None
        self._num_partitions = prev.getNumPartitions()

    def _pipelinable(self) -> bool:
        return not (self.is_cached or self.is_checkpointed or self._checkpoint_wanted)

    def getNumPartitions(self) -> int:
        return self._num_partitions

    def _compute(self, split: int) -> Iterable:
        return self.func(split, iter(self.prev._iterator(split)))

    def _parents(self) -> list[RDD]:
        return [self.prev] if self.prev is not None else []

    def _ship_compute(self, split: int):
        from ember.core.shipping import PipedSource

        parent = self.prev._ship(split)
        return None if parent is None else PipedSource(parent, self.func)

    def _drop_lineage(self) -> None:
        self.prev = None  # type: ignore[assignment]
        self.__dict__.pop("_map_of", None)  # the idiom's shortcut reaches the lineage too
        self.func = None  # type: ignore[assignment]
