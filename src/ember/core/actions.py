"""The actions of RDD: the operations that run a job and bring results to the driver.

Each action runs one job through the scheduler (``scheduler.run_job``) with a per-partition function,
then combines the partitions' results in the driver in partition order, as PySpark's actions do.
"""

from __future__ import annotations

import itertools
import operator
from collections import defaultdict
from functools import reduce

from ember.core import callsite, scheduler
from ember.core.serialization import deep_copy
from ember.core.statcounter import StatCounter

TYPE_CHECKING = False  # typing costs milliseconds to import; annotations are strings here
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Iterator

    from ember.core.rdd import RDD


class ActionsMixin:
    """The actions of :class:`~ember.RDD` (``collect``, ``count``, ``take``, ``reduce``, ...)."""


    @callsite.public("collect")
    def collect(self) -> list:
        """All elements, in partition order."""
        parts = scheduler.run_job(self, _as_list)
        out: list = []
        for i, part in enumerate(parts):
            parts[i] = None  # each partition's list goes as soon as it is copied
            out += part
        return out

    def toLocalIterator(self, prefetchPartitions: bool = False) -> Iterator:
        """Iterate over all elements, one partition at a time."""
        for split in range(self.getNumPartitions()):
            yield from scheduler.run_job(self, _as_list, [split])[0]

    @callsite.public("count")
    def count(self) -> int:
        """The number of elements."""
        return sum(scheduler.run_job(self, _count_iter))

    @callsite.public("take")
    def take(self, num: int) -> list:
        """The first ``num`` elements, scanning partitions as Spark does (1, then more)."""
        items: list = []
        total = self.getNumPartitions()
        scanned = 0
        while len(items) < num and scanned < total:
            # Spark's scale-up rule: try one partition, then estimate how many more are needed.
            n_try = 1
            if scanned > 0:
                if not items:
                    n_try = scanned * 4
                else:
                    n_try = int(1.5 * num * scanned / len(items)) - scanned
                    n_try = min(max(n_try, 1), scanned * 4)
            left = num - len(items)
            splits = list(range(scanned, min(scanned + n_try, total)))
            for part in scheduler.run_job(self, lambda it, n=left: list(itertools.islice(it, n)), splits):
                items.extend(part)
            scanned += n_try
        return items[:num]

    @callsite.public("first")
    def first(self) -> Any:
        """The first element; ``ValueError("RDD is empty")`` when there is none."""
        rs = self.take(1)
        if rs:
            return rs[0]
        raise ValueError("RDD is empty")

    @callsite.public("isEmpty")
    def isEmpty(self) -> bool:
        """Whether the RDD has no element."""
        return self.getNumPartitions() == 0 or len(self.take(1)) == 0

    @callsite.public("reduce")
    def reduce(self, f: Callable) -> Any:
        """Reduce the elements with a commutative, associative ``f``."""

        def per_partition(it):
            it = iter(it)
            for first in it:
                return [reduce(f, it, first)]
            return []

        vals = list(itertools.chain.from_iterable(scheduler.run_job(self, per_partition)))
        if vals:
            return reduce(f, vals)
        raise ValueError("Can not reduce() empty RDD")

    def treeReduce(self, f: Callable, depth: int = 2) -> Any:
        """Same answer as ``reduce`` (ember has no executors to spread the tree over)."""
        if depth < 1:
            raise ValueError("Depth cannot be smaller than 1 but got %d." % depth)
        return self.reduce(f)

    @callsite.public("fold")
    def fold(self, zeroValue: Any, op: Callable) -> Any:
        """Fold each partition from ``zeroValue``, then fold the results."""

        def per_partition(it):
            acc = deep_copy(zeroValue)
            for x in it:
                acc = op(acc, x)
            return acc

        return reduce(op, scheduler.run_job(self, per_partition), zeroValue)

    @callsite.public("aggregate")
    def aggregate(self, zeroValue: Any, seqOp: Callable, combOp: Callable) -> Any:
        """Aggregate each partition with ``seqOp`` from ``zeroValue``, then combine with ``combOp``."""

        def per_partition(it):
            acc = deep_copy(zeroValue)
            for x in it:
                acc = seqOp(acc, x)
            return acc

        return reduce(combOp, scheduler.run_job(self, per_partition), zeroValue)

    def treeAggregate(self, zeroValue: Any, seqOp: Callable, combOp: Callable, depth: int = 2) -> Any:
        """Same answer as ``aggregate``."""
        if depth < 1:
            raise ValueError("Depth cannot be smaller than 1 but got %d." % depth)
        return self.aggregate(zeroValue, seqOp, combOp)

    @callsite.public("sum")
    def sum(self) -> Any:  # noqa: A003
        """The sum of the elements."""
        return reduce(operator.add, scheduler.run_job(self, sum), 0)

    @callsite.public("max")
    def max(self, key: Callable | None = None) -> Any:  # noqa: A003
        """The largest element."""
        if key is None:
            return self.reduce(max)
        return self.reduce(lambda a, b: max(a, b, key=key))

    @callsite.public("min")
    def min(self, key: Callable | None = None) -> Any:  # noqa: A003
        """The smallest element."""
        if key is None:
            return self.reduce(min)
        return self.reduce(lambda a, b: min(a, b, key=key))

    @callsite.public("stats")
    def stats(self) -> StatCounter:
        """Count, mean, variance, min and max in one pass."""
        return self.mapPartitions(lambda it: [StatCounter(it)]).reduce(lambda a, b: a.mergeStats(b))

    def mean(self) -> float:
        """The mean of the elements."""
        return self.stats().mean()

    def variance(self) -> float:
        return self.stats().variance()

    def stdev(self) -> float:
        return self.stats().stdev()

    def sampleStdev(self) -> float:
        return self.stats().sampleStdev()

    def sampleVariance(self) -> float:
        return self.stats().sampleVariance()

    @callsite.public("countByValue")
    def countByValue(self) -> dict:
        """A dict from each distinct element to its count."""

        def per_partition(it):
            counts: defaultdict = defaultdict(int)
            for x in it:
                counts[x] += 1
            return counts

        def merge(a, b):
            for k, v in b.items():
                a[k] += v
            return a

        parts = scheduler.run_job(self, per_partition)
        if not parts:
            raise ValueError("Can not reduce() empty RDD")
        return reduce(merge, parts)

    @callsite.public("top")
    def top(self, num: int, key: Callable | None = None) -> list:
        """The ``num`` largest elements, largest first."""
        import heapq  # here, not at module level: most programs never ask for it at start-up

        parts = scheduler.run_job(self, lambda it: heapq.nlargest(num, it, key=key))
        if not parts:
            raise ValueError("Can not reduce() empty RDD")
        return reduce(lambda a, b: heapq.nlargest(num, a + b, key=key), parts)

    @callsite.public("takeOrdered")
    def takeOrdered(self, num: int, key: Callable | None = None) -> list:
        """The ``num`` smallest elements, smallest first."""
        if num < 0:
            raise ValueError("top N cannot be negative.")
        import heapq

        parts = scheduler.run_job(self, lambda it: heapq.nsmallest(num, it, key=key))
        if not parts:
            raise ValueError("Can not reduce() empty RDD")
        return reduce(lambda a, b: heapq.nsmallest(num, a + b, key=key), parts)

    @callsite.public("foreach")
    def foreach(self, f: Callable[[Any], None]) -> None:
        """Call ``f`` on every element (for its side effects)."""

        def per_partition(it):
            for x in it:
                f(x)

        scheduler.run_job(self, per_partition)

    @callsite.public("foreachPartition")
    def foreachPartition(self, f: Callable[[Iterator], Any]) -> None:
        """Call ``f`` on each partition's iterator."""

        def per_partition(it):
            r = f(it)
            if r is not None:
                try:
                    for _ in r:
                        pass
                except TypeError:
                    pass

        scheduler.run_job(self, per_partition)

    @callsite.public("saveAsTextFile")
    def saveAsTextFile(self, path: str, compressionCodecClass: str | None = None) -> None:
        """Write each partition as ``part-NNNNN`` (one ``str(x)`` per line) plus ``_SUCCESS``."""
        from ember.core.files import save_as_text_file

        save_as_text_file(self, path, compressionCodecClass)

    @callsite.public("saveAsPickleFile")
    def saveAsPickleFile(self, path: str, batchSize: int = 10) -> None:
        """Write each partition pickled; read back with ``sc.pickleFile``."""
        from ember.core.files import save_as_pickle_file

        save_as_pickle_file(self, path)

    def toDebugString(self) -> bytes:
        """The lineage, one RDD per line, indented at each shuffle (bytes, as PySpark returns)."""
        lines: list[str] = []

        def walk(r: RDD, depth: int, shuffle: bool) -> None:
            pad = "" if depth == 0 else " |  " * (depth - 1) + ("+-" if shuffle else " |  ")
            cached = " [Memory Serialized 1x Replicated]" if r.is_cached else ""
            lines.append(f"{pad}({r.getNumPartitions()}) {r!r} []{cached}")
            shuffled = {p._id for p in r._shuffle_parents()}
            for p in r._parents():
                walk(p, depth + 1 if (depth == 0 or p._id in shuffled) else depth,
                     p._id in shuffled)

        walk(self, 0, False)
        return "\n".join(lines).encode("utf-8")


def _as_list(it: Iterable) -> list:
    return it if type(it) is list else list(it)


def _count_iter(it: Iterable) -> int:
    if type(it) is list:
        return len(it)
    return sum(1 for _ in it)
