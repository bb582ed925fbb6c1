"""The whole map stage of a word count over received blocks, merged per reduce partition.

``flatMap(split).map(lambda w: (w, 1)).reduceByKey(add, n)`` over a batch's blocks (see
:mod:`ember.core.idioms`) runs as tasks that each count a run of consecutive blocks into one dict
(:func:`~ember.streaming.sources.blocks.count_pairs`) and hand back, per reduce partition, its words
joined by ``\\n`` in one str and their counts as one array of machine integers: a word never holds a
``\\n`` (lines end there), so the driver gets the words back with one ``split`` and no pickled tuple
per word. The task buckets words by PySpark's partitioning hash where it runs: worker processes hash
with seed 0 natively (see :mod:`ember.core.hashing`).

The tasks' buckets of each reduce partition are merged in task order (which is line order) with
C-level dict calls: the keys keep their first-seen place and each count is the sum of its tasks'
counts, which is exactly what the reduce side's merge of the per-partition counts gives. Each reduce
partition is then one list of distinct ``(word, n)`` pairs: the merged result itself. The merge runs
when the partition is read (its shuffle block is the pickled call that merges): ``pprint`` reads the
first partition only, and a remembered batch keeps its compact buckets, not a tuple per word.

Tasks are not the BlockRDD's partitions (which users see): a batch is cut into one run of consecutive
blocks per core. A task reads the blocks the receiver kept on disk one at a time
(:mod:`ember.streaming.sources.spill`); blocks held in memory travel to the worker with the task, so
such runs hold at most :data:`TASK_BYTES` and a worker never holds a whole big batch at once. A
task's freed memory goes back to the system when it ends (``malloc_trim``): idle workers stay small.
"""

from __future__ import annotations

import itertools
import operator
from array import array
from typing import TYPE_CHECKING, Iterable

from ember.core.rdd import RDD
from ember.core.shipping import Source
from ember.streaming.sources.blocks import Block, count_pairs
from ember.streaming.sources.spill import FileBlock

if TYPE_CHECKING:
    from ember.streaming.sources.blocks import BlockRDD

#: the most bytes of in-memory blocks one task is sent (every task is a fixed cost: each counts and
#: sends back its own distinct words)
TASK_BYTES = 8 << 20
_LINE_BYTES = 50  # about what a line of text weighs, to estimate a task's work in lines


def _size(block: Block) -> int:
    return len(block) if not isinstance(block, list) else sum(map(len, block)) + len(block)


def task_runs(parts: list[list[Block]], min_tasks: int, most: int | None = TASK_BYTES) -> list[list[Block]]:
    """The blocks of every partition, in order, cut into at least ``min_tasks`` runs of about equal bytes,
    each at most ``most`` bytes (None: no bound) as far as whole blocks allow."""
    blocks = [b for p in parts for b in p]
    sizes = list(map(_size, blocks))
    total = sum(sizes)
    n = max(min_tasks, -(-total // most) if most else 1, 1)
    runs: list[list[Block]] = [[]]
    done, bound = 0, total / n
    for block, size in zip(blocks, sizes):
        if runs[-1] and done + size / 2 > bound * len(runs):
            runs.append([])
        runs[-1].append(block)
        done += size
    return runs


class CountTasksRDD(RDD):
    """The tasks of a word count's map stage: each one element, the words of its run of blocks and their
    counts (``count_pairs``)."""

    _kind = "PythonRDD"

    def __init__(self, blocks: BlockRDD, sep: str | None, min_tasks: int, most: int | None,
                 columnar: bool = False) -> None:
        super().__init__(blocks.ctx)
        self.prev, self.sep, self.columnar = blocks, sep, columnar
        self._runs = task_runs(blocks._parts, min_tasks, most)

    def getNumPartitions(self) -> int:
        return len(self._runs)

    def _parents(self) -> list[RDD]:
        return [self.prev]

    def _compute(self, split: int) -> Iterable:
        return [count_pairs(self._runs[split], self.sep, self.columnar)]

    def _ship_compute(self, split: int) -> Source:
        from ember.streaming.sources.blocks import BlocksSource

        run = self._runs[split]
        # lines, estimated as the BlockRDD does (whether the pool pays was decided on its estimate)
        weight = sum(len(b) if isinstance(b, list) else len(b) // _LINE_BYTES + 1 for b in run)
        return CountSource(BlocksSource(split, run, weight), self.sep)


class CountSource(Source):
    """A task's blocks, counted in the worker; each block is let go as soon as it is counted."""

    def __init__(self, blocks: Source, sep: str | None) -> None:
        self.blocks, self.sep = blocks, sep
        self.split, self.weight = blocks.split, blocks.weight

    def read(self) -> Iterable:
        owned, self.blocks.blocks = self.blocks.blocks, []
        owned.reverse()
        return [count_pairs(_popping(owned), self.sep, columnar=False)]


def _popping(blocks: list) -> Iterable:
    """The blocks of a reversed list, first to last, each dropped from the list as it is handed out."""
    while blocks:
        yield blocks.pop()


class BucketCounts:
    """The task: a ``{word: n}`` bucketed by reduce partition, as ``(words joined by \\n, counts)``."""

    __slots__ = ("n", "driver")

    def __init__(self, n: int, driver: int | None = None) -> None:
        import os

        self.n, self.driver = n, os.getpid() if driver is None else driver

    def __reduce__(self):
        return (BucketCounts, (self.n, self.driver))

    def __call__(self, split: int, it: Iterable) -> list:
        from ember.core.hashing import str_partitions

        keys, values = next(iter(it))  # the distinct words in first-seen order, their counts
        if self.n == 1:
            out = [_bucket(keys, values)]
        else:
            idx = str_partitions(keys, self.n)
            if self.n == 2:  # partition 1 where the index is 1 (true), 0 where it is not
                picks = [list(map(operator.not_, idx)), idx]
            else:
                picks = [list(map(operator.eq, idx, itertools.repeat(p))) for p in range(self.n)]
            out = [_bucket(list(itertools.compress(keys, pick)), itertools.compress(values, pick))
                   for pick in picks]
        del keys, values
        _trim(self.driver)
        return out


def _bucket(keys: list, values: Iterable[int]) -> tuple | None:
    if not keys:
        return None
    joined = "\n".join(keys)
    if joined.count("\n") != len(keys) - 1:  # a word with a line end in it (never from a socket)
        return keys, array("q", values).tobytes()
    return joined, array("q", values).tobytes()


def merge_partition(buckets: list[tuple]) -> list:
    """One reduce partition's buckets (in task order) merged: its distinct ``(word, n)``, first-seen order.

    Folded from the last task back: a task's words come first, each with its count plus what the
    later tasks counted (taken out of their dict), then the later tasks' other words in their order.
    """
    tasks = []
    for words, raw in buckets:
        counts = array("q")
        counts.frombytes(raw)
        tasks.append((words.split("\n") if type(words) is str else words, counts.tolist()))
    keys, counts = tasks.pop(0)
    if not tasks:
        return list(zip(keys, counts))
    later = dict(zip(*tasks.pop()))
    for k, c in reversed(tasks):
        sums = list(map(operator.add, c, map(later.pop, k, itertools.repeat(0))))
        ahead = dict(zip(k, sums))
        ahead.update(later)  # keys none of these tasks had: after them, in their first-seen order
        later = ahead
    out = list(zip(keys, map(operator.add, counts, map(later.pop, keys, itertools.repeat(0)))))
    out.extend(later.items())
    return out


def merge_buckets(outputs: list[list], n: int) -> list:
    """The tasks' buckets merged per reduce partition (None when a partition is empty)."""
    merged = []
    for p in range(n):
        buckets = [out[p] for out in outputs if out[p] is not None]
        merged.append(merge_partition(buckets) if buckets else None)
    return merged


class _MergeWhenRead:
    """A reduce partition's buckets, pickled as the call that merges them: the shuffle keeps this
    small pickle as the partition's block, and reading the block (unpickling it) merges."""

    __slots__ = ("buckets",)

    def __init__(self, buckets: list[tuple]) -> None:
        self.buckets = buckets

    def __reduce__(self):
        return (merge_partition, (self.buckets,))


def merged_lazily(outputs: list[list], n: int) -> list:
    """Per reduce partition, a shuffle block (a pickle) that gives the merged pairs when it is read, or
    None: a partition no one reads (pprint reads the first) is never merged, and the batch's result
    waits as its compact buckets, not as a tuple per word."""
    import pickle

    blocks = []
    for p in range(n):
        buckets = [out[p] for out in outputs if out[p] is not None]
        blocks.append(pickle.dumps(_MergeWhenRead(buckets), pickle.HIGHEST_PROTOCOL) if buckets else None)
    return blocks


#: ``false``: never count with Polars (the C loop on the workers: ~1.4x the CPU per line, and the
#: driver ~100 MiB smaller, without Polars' library and working memory)
COLUMNAR_CONF = "ember.streaming.wordCount.columnar"


def count_stage(blocks: BlockRDD, sep: str | None, n: int) -> list[list]:
    """The map stage of the word count over ``blocks`` into ``n`` reduce partitions: one merged output.

    A batch of more than a few hundred KiB is counted in the driver by Polars, which splits and groups
    on all cores in Rust (:mod:`ember.core.split_count`) for 0.5-0.8x the CPU the C loop takes per
    word on the worker processes, and without shipping the blocks there. Smaller batches
    are counted by the C loop: on the workers when they are big enough to pay for it, else in the
    driver. Workers never count with Polars: each would pay its ~50 MB on top of the driver's.
    """
    from ember.conf import conf_flag
    from ember.core import scheduler
    from ember.core.pool import POOL_MIN_WEIGHT
    from ember.core.split_count import columnar_pays

    ctx = blocks.ctx
    columnar = conf_flag(ctx.getConf(), COLUMNAR_CONF, True)
    if columnar and columnar_pays(sep, sum(_size(b) for p in blocks._parts for b in p)):
        tasks = CountTasksRDD(blocks, sep, 1, None, columnar=True)
    elif ctx._cores > 1 and ctx._pool_enabled and sum(blocks._weights) >= POOL_MIN_WEIGHT:
        # blocks on disk are read one at a time where they are counted: no bound on a task's bytes then
        on_disk = any(type(b) is FileBlock for p in blocks._parts for b in p)
        tasks = CountTasksRDD(blocks, sep, ctx._cores, None if on_disk else TASK_BYTES)
    else:  # the driver counts: one dict, each distinct word hashed once
        tasks = CountTasksRDD(blocks, sep, 1, None)
    outputs = scheduler.run_tasks(tasks, BucketCounts(n), list(range(tasks.getNumPartitions())))
    return [merged_lazily(outputs, n)]


_MALLOC_TRIM = None


def _trim(driver: int) -> None:
    """Give the memory a task freed back to the system (glibc keeps it), in a worker process only."""
    global _MALLOC_TRIM
    import os

    if os.getpid() == driver:
        return
    if _MALLOC_TRIM is None:
        try:
            import ctypes

            _MALLOC_TRIM = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)
