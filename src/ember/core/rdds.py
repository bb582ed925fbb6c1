"""The kinds of RDD that hold or combine partitions: sources, unions, products, coalescing."""

from __future__ import annotations

import itertools
import pickle
from typing import TYPE_CHECKING, Iterable, Iterator

from ember.core.rdd import RDD
from ember.core.serialization import all_immutable, dumps, loads

if TYPE_CHECKING:
    from ember.core.context import SparkContext

_PICKLE_BATCH_TARGET = 1 << 16  # PySpark's adaptive batches grow until they pickle to 64 KiB


def slice_for_parallelize(data: list, num_slices: int) -> tuple[list[tuple[int, int]], int]:
    """Element ranges of each partition, as PySpark's parallelize cuts a list, and its batch size.

    PySpark pickles the list in batches of ``max(1, min(len // n, 1024))`` elements and Spark then
    splits the *batches* evenly over the partitions, so partitions hold whole batches.

    Examples
    --------
    >>> slice_for_parallelize(list(range(3000)), 2)
    ([(0, 1024), (1024, 3000)], 1024)
    """
    size = len(data)
    batch = max(1, min(size // num_slices, 1024))
    n_batches = -(-size // batch)
    ranges = []
    for i in range(num_slices):
        lo = (i * n_batches) // num_slices
        hi = ((i + 1) * n_batches) // num_slices
        ranges.append((min(lo * batch, size), min(hi * batch, size)))
    return ranges, batch


class ParallelCollectionRDD(RDD):
    """A driver-side list cut into partitions; kept pickled unless its elements are immutable."""

    _kind = "ParallelCollectionRDD"

    def __init__(self, ctx: SparkContext, data: list, num_slices: int) -> None:
        super().__init__(ctx)
        self._ranges, self._batch = slice_for_parallelize(data, num_slices)
        # Immutable elements can be shared between jobs, so the (private) list is kept once and read
        # by index ranges; anything else is snapshotted now, as PySpark's parallelize pickles the list
        # at once, and each read unpickles fresh objects (reference section 2.4.3).
        self._shared = all_immutable(data)
        if self._shared:
            self._data: list | None = data
            self._slices: list[bytes] = []
        else:
            self._data = None
            self._slices = [dumps(data[lo:hi]) for lo, hi in self._ranges]

    def getNumPartitions(self) -> int:
        return len(self._ranges)

    def _compute(self, split: int) -> Iterable:
        if self._data is None:
            return loads(self._slices[split])
        lo, hi = self._ranges[split]
        return map(self._data.__getitem__, range(lo, hi))

    def _batch_size(self) -> int:
        return self._batch

    def _ship_compute(self, split: int):
        from ember.core.shipping import ListSource

        if self._data is None:
            blob = self._slices[split]
            return ListSource(split, blob, True, len(blob) // 16)
        lo, hi = self._ranges[split]
        return ListSource(split, self._data[lo:hi], False, hi - lo)


class RangeRDD(RDD):
    """``parallelize(range(...))``: each partition is a sub-range, computed lazily."""

    _kind = "PythonRDD"

    def __init__(self, ctx: SparkContext, r: range, num_slices: int) -> None:
        super().__init__(ctx)
        self._range = r
        self._n = num_slices

    def getNumPartitions(self) -> int:
        return self._n

    def _sub_range(self, split: int) -> range:
        r, n = self._range, self._n
        size = len(r)
        if size == 0:
            return range(0)
        step = r[1] - r[0] if size > 1 else 1

        def start(i: int) -> int:
            return r[0] + int(i * size / n) * step

        return range(start(split), start(split + 1), step)

    def _compute(self, split: int) -> Iterable:
        return iter(self._sub_range(split))

    def _ship_compute(self, split: int):
        from ember.core.shipping import RangeSource

        return RangeSource(split, self._sub_range(split))


class EmptyRDD(RDD):
    """An RDD with no partitions."""

    _kind = "EmptyRDD"

    def getNumPartitions(self) -> int:
        return 0

    def _compute(self, split: int) -> Iterable:
        return iter(())


class UnionRDD(RDD):
    """Partitions of several RDDs one after the other."""

    _kind = "UnionRDD"

    @staticmethod
    def of(ctx: SparkContext, rdds: list[RDD], keep_partitioner: bool = True) -> RDD:
        """The union Spark would build: partition-wise when all inputs share a partitioner."""
        first = rdds[0].partitioner
        if first is not None and all(r.partitioner == first for r in rdds[1:]):
            u = PartitionerAwareUnionRDD(ctx, rdds)
            if keep_partitioner:
                u.partitioner = first
            return u
        return UnionRDD(ctx, rdds)

    def __init__(self, ctx: SparkContext, rdds: list[RDD]) -> None:
        super().__init__(ctx)
        self._rdds = list(rdds)
        self._index = [(r, s) for r in self._rdds for s in range(r.getNumPartitions())]

    def getNumPartitions(self) -> int:
        return len(self._index)

    def _compute(self, split: int) -> Iterable:
        r, s = self._index[split]
        return r._iterator(s)

    def _ship_compute(self, split: int):
        r, s = self._index[split]
        return r._ship(s)

    def _parents(self) -> list[RDD]:
        return list(self._rdds)

    def _drop_lineage(self) -> None:
        self._rdds, self._index = [], []


class PartitionerAwareUnionRDD(UnionRDD):
    """Union of RDDs partitioned alike: partition i holds partition i of each input."""

    def __init__(self, ctx: SparkContext, rdds: list[RDD]) -> None:
        RDD.__init__(self, ctx)
        self._rdds = list(rdds)
        self._n = rdds[0].getNumPartitions()

    def getNumPartitions(self) -> int:
        return self._n

    def _compute(self, split: int) -> Iterable:
        return itertools.chain.from_iterable(r._iterator(split) for r in self._rdds)

    def _ship_compute(self, split: int):
        return None

    def _drop_lineage(self) -> None:
        self._rdds = []


def pickled_batches(rdd: RDD, items: list) -> list[list]:
    """The batches PySpark would pickle this partition in (they decide cartesian's pair order)."""
    size = rdd._batch_size()
    if size > 0:
        return [items[i:i + size] for i in range(0, len(items), size)] or []
    if size < 0:
        return [items] if items else []
    batches, i, n = [], 0, 1
    while i < len(items):
        batch = items[i:i + n]
        batches.append(batch)
        i += n
        nbytes = len(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
        if nbytes < _PICKLE_BATCH_TARGET:
            n *= 2
        elif nbytes > _PICKLE_BATCH_TARGET * 10 and n > 1:
            n //= 2
    return batches


class CartesianRDD(RDD):
    """Every pair of elements; partition ``i * n2 + j`` pairs partition i with partition j."""

    _kind = "CartesianRDD"

    def __init__(self, left: RDD, right: RDD) -> None:
        super().__init__(left.ctx)
        self.left, self.right = left, right
        self._n2 = right.getNumPartitions()
        self._n = left.getNumPartitions() * self._n2

    def getNumPartitions(self) -> int:
        return self._n

    def _compute(self, split: int) -> Iterator:
        i, j = divmod(split, self._n2)
        left = pickled_batches(self.left, list(self.left._iterator(i)))
        right = pickled_batches(self.right, list(self.right._iterator(j)))
        for lb in left:
            for rb in right:
                yield from itertools.product(lb, rb)

    def _parents(self) -> list[RDD]:
        return [self.left, self.right]


class ZippedRDD(RDD):
    """Pairs of the i-th elements of two RDDs with equal partition sizes."""

    _kind = "ZippedPartitionsRDD2"

    def __init__(self, left: RDD, right: RDD) -> None:
        super().__init__(left.ctx)
        self.left, self.right = left, right

    def getNumPartitions(self) -> int:
        return self.left.getNumPartitions()

    def _compute(self, split: int) -> Iterable:
        a = list(self.left._iterator(split))
        b = list(self.right._iterator(split))
        if len(a) != len(b):
            raise ValueError("Can only zip RDDs with same number of elements in each partition")
        return zip(a, b)

    def _parents(self) -> list[RDD]:
        return [self.left, self.right]


class CoalescedRDD(RDD):
    """Fewer partitions without a shuffle: neighbouring parent partitions grouped evenly."""

    _kind = "CoalescedRDD"

    def __init__(self, prev: RDD, n: int) -> None:
        super().__init__(prev.ctx)
        self.prev = prev
        total = prev.getNumPartitions()
        if n >= total:
            self._groups = [[i] for i in range(total)]
        else:
            self._groups = [list(range((i * total) // n, ((i + 1) * total) // n)) for i in range(n)]

    def getNumPartitions(self) -> int:
        return len(self._groups)

    def _compute(self, split: int) -> Iterable:
        return itertools.chain.from_iterable(self.prev._iterator(s) for s in self._groups[split])

    def _parents(self) -> list[RDD]:
        return [self.prev]


def _repartition_map_task(num_partitions: int):
    from ember.core.jvm_random import shuffle_start_position

    def task(split: int, it: Iterable) -> list[bytes | None]:
        # PySpark re-batches elements in tens; Spark then deals the batches round-robin from a
        # pseudo-random start that depends only on the input partition's index.
        items = list(it)
        buckets: list[list] = [[] for _ in range(num_partitions)]
        position = shuffle_start_position(split, num_partitions)
        for i in range(0, len(items), 10):
            position += 1
            buckets[position % num_partitions].extend(items[i:i + 10])
        return [dumps(b) if b else None for b in buckets]

    return task


class RepartitionedRDD(RDD):
    """``repartition`` / ``coalesce(shuffle=True)``: elements dealt out as Spark deals them."""

    _kind = "CoalescedRDD"

    def __init__(self, prev: RDD, n: int) -> None:
        from ember.core.partitioner import Partitioner
        from ember.core.shuffle import ShuffledRDD

        super().__init__(prev.ctx)
        self._shuffled = ShuffledRDD(prev, Partitioner(n), _repartition_map_task(n))
        self._n = n

    def getNumPartitions(self) -> int:
        return self._n

    def _compute(self, split: int) -> Iterable:
        return self._shuffled._iterator(split)

    def _batch_size(self) -> int:
        return 10

    def _ship_compute(self, split: int):
        return self._shuffled._ship(split)

    def _parents(self) -> list[RDD]:
        return [self._shuffled]
