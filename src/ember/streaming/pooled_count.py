"""A window's per-batch word count on the worker processes, both cores at once.

``reduceByKeyAndWindow`` reduces every batch by key before windowing it. For the word-count idiom
(``map(lambda w: (w, 1))`` reduced by ``add``, see ``core/idioms.py``) the driver counts a batch at C
speed, but it also hashes every distinct word with seed-0 SipHash (its own seed differs) and does it
all on one core. A big batch is counted here on the worker processes instead, one task per input
partition in parallel: each counts its words in first-seen order and splits the counts by
``portable_hash(word) % n`` (workers run with ``PYTHONHASHSEED=0``, so that is the built-in hash).
The driver adds the tasks' counts up partition by partition, in input-partition order: the same keys,
order and totals as ``combine.count_stage`` (one dict over all input partitions, in order, then
bucketed). Small batches, other functions, inputs a worker cannot read, and ``local[1]`` keep the
ordinary ``reduceByKey``.
"""

from __future__ import annotations

import _thread
import operator
import sys
import threading
from collections import _count_elements  # type: ignore[attr-defined]  # Counter's C loop
from typing import Callable, Iterable

from ember.core.rdd import RDD
from ember.core.serialization import dumps_flat
from ember.streaming.dstream import DStream
from ember.streaming.kept import KeptRDD
from ember.streaming.sources.spill import spill_blobs
from ember.streaming.window_sums import add_ints

#: below this many input records a batch is counted in the driver (a round trip costs ~ms)
POOLED_MIN_RECORDS = 2000
#: a task's counts with this many words or more share their word objects (see ``_shared``): few
#: words cost little memory twice over, and interning them cost a 10,000-line batch ~10 ms
SHARE_MIN_KEYS = 16_384


class PooledCountDStream(DStream):
    """``stream.reduceByKey(func, n)``, with big word-count batches counted on the worker processes."""

    def __init__(self, parent: DStream, func: Callable, num_partitions: int) -> None:
        super().__init__(parent._ssc, [parent])
        self._func = func
        self._n = num_partitions

    def _compute(self, t: int) -> RDD | None:
        rdd = self._parents[0]._get_or_compute(t)
        if rdd is None:
            return None
        reduced = rdd.reduceByKey(self._func, self._n)
        sources = _word_sources(rdd, self._func)
        if sources is None:
            return reduced
        return PooledCountRDD(self._sc, self._n, sources, reduced)

    def _user_functions(self) -> list[Callable]:
        return [self._func]


def _word_sources(rdd: RDD, func: Callable) -> list | None:
    """The worker-readable inputs of ``rdd``'s words when its reduce by ``func`` is a count worth shipping."""
    from ember.core import idioms

    ctx = rdd.ctx
    if ctx._cores < 2 or not ctx._pool_enabled or not idioms.is_add(func):
        return None
    mapped = getattr(rdd, "_map_of", None)
    if mapped is None or not idioms.is_pair_with_one(mapped[1]) or not rdd._pipelinable():
        return None
    words = mapped[0]
    if not _reads_input(words):
        return None
    from ember.core.scheduler import ship_sources

    sources = ship_sources(words, range(words.getNumPartitions()))
    if sources is None or sum(s.weight for s in sources) < POOLED_MIN_RECORDS:
        return None
    return sources


def _reads_input(rdd: RDD) -> bool:
    """Whether ``rdd`` is narrow steps over an input (nothing to compute before its tasks can be shipped:
    a shuffle's map side would run now, while the batch's jobs are being generated)."""
    while True:
        if rdd._shuffle_parents():
            return False
        parents = rdd._parents()
        if not parents:
            return True
        if len(parents) > 1:
            return False
        rdd = parents[0]


class PooledCountRDD(KeptRDD):
    """One batch's word counts in ``n`` partitions, counted by the worker processes.

    The counting starts at :meth:`prefetch` (or the first read) on a thread of its own. Each task's
    counts for partition ``p`` stay as they came, a ``(keys, values)`` segment per input partition:
    :meth:`segments` hands them as they are to the window's running sums, which add them up in
    order, as reading the partition would. Read as pairs (or pickled: by the window once the batch
    is over, or by the checkpoint writer), partition ``p`` is the segments added up: distinct keys in
    first-seen order, the ``reduceByKey`` result. Once pickled, the segments go and reads come from
    the pickles, which wait in a spill file (a 30 s window keeps 40 batches). If the workers cannot
    be used (a function that does not pickle), the ordinary ``reduced`` RDD gives the partitions; a
    function failing in a worker fails the read, with its traceback.
    """

    _kind = "MapPartitionsRDD"
    _keep_lists = False

    def __init__(self, ctx, n: int, sources: list, reduced: RDD) -> None:
        super().__init__(ctx, n)
        self._sources, self._reduced = sources, reduced
        self._lock = threading.Lock()
        self._segments: list[list[tuple[list, list]]] | None = None
        self._counting: threading.Event | None = None  # set once the count started by prefetch is over
        self._error: BaseException | None = None

    def _parents(self) -> list[RDD]:
        return [self._reduced] if self._reduced is not None else []

    def prefetch(self) -> None:
        """Start counting on the workers now; the driver goes on with other work meanwhile."""
        with self._lock:
            if not self._ready() and self._counting is None:
                self._counting = threading.Event()
                # not threading.Thread: its start() waits until the new thread runs, which on a busy
                # machine costs the batch a scheduling round trip
                _thread.start_new_thread(self._count, (self._counting,))

    def _count(self, done: threading.Event) -> None:
        try:
            self._materialize()
        except BaseException as e:  # raised again to whoever reads the batch
            self._error = e
        finally:
            done.set()

    def _wait(self) -> None:
        if self._ready():
            return
        counting = self._counting
        if counting is None:
            with self._lock:
                if not self._ready() and self._counting is None:
                    self._materialize()
            counting = self._counting
        if counting is not None:
            counting.wait()
            if self._error is not None:
                raise self._error

    def _ready(self) -> bool:
        return self._segments is not None or super()._materialized()

    def _materialized(self) -> bool:
        # counting (or counted): a checkpoint takes the pickles later, on the writer's thread, which
        # waits for the count there (the batch's jobs do not)
        return self._counting is not None or self._ready()

    def _materialize(self) -> None:
        segments = _count_on_workers(self.ctx, self._sources, self._n)
        if segments is None:
            self._parts = [list(self._reduced._iterator(p)) for p in range(self._n)]
        else:
            self._segments = segments
        self._sources, self._reduced = [], None

    def segments(self, split: int) -> list[tuple[list, list]]:
        """Partition ``split`` as ``(keys, values)`` segments whose sum, in order, is the partition."""
        self._wait()
        segments = self._segments
        if segments is not None:
            return segments[split]
        pairs = self._compute(split)
        pairs = pairs if isinstance(pairs, list) else list(pairs)
        return [(list(map(_first, pairs)), list(map(_second, pairs)))]

    def _compute(self, split: int) -> Iterable:
        self._wait()
        segments = self._segments
        if segments is not None:
            return iter(_added(segments[split]))
        return self._read(split)

    def _pickled_parts(self) -> list[bytes]:
        if self._checkpoint_parts is not None:
            return [self._checkpoint_parts[p] for p in range(self._n)]
        self._wait()
        segments = self._segments
        if self._blobs is None and segments is not None:
            # str/int pairs: no memo; kept on disk (a window keeps 40 batches)
            self._blobs = spill_blobs([dumps_flat(_added(part)) for part in segments])  # type: ignore[assignment]
            self._segments = None  # readers holding them keep them; the rest read the pickles
        return super()._pickled_parts()


def _added(segments: list[tuple[list, list]]) -> list:
    """Segments of counts added up: distinct keys in first-seen order, as one dict over them gives."""
    if len(segments) <= 1:
        return list(zip(*segments[0])) if segments else []
    d = dict(zip(*segments[0]))  # distinct keys within a segment: the first one is a plain copy
    for keys, values in segments[1:]:
        add_ints(d, keys, values)  # counts are ints
    return list(d.items())


_first, _second = operator.itemgetter(0), operator.itemgetter(1)


def _count_on_workers(ctx, sources: list, n: int) -> list[list] | None:
    """Each source counted on a worker: per partition, its ``(keys, values)`` segments in source order;
    None if the task cannot be pickled (the caller counts in the driver)."""
    from ember.core.scheduler import reply_value, task_payload

    task = _CountTask(n)
    try:
        payloads = [task_payload(src, task) for src in sources]
    except Exception:
        return None

    def on_reply(i: int, reply: tuple):
        payloads[i] = None
        counts = reply_value(reply, ctx)
        if sum(len(keys) for keys, _ in counts) < SHARE_MIN_KEYS:
            return counts
        return [(_shared(keys), values) for keys, values in counts]

    replies = ctx._worker_pool().map(payloads, on_reply)
    return [[reply[p] for reply in replies if reply[p][0]] for p in range(n)]


def _shared(keys: list) -> list:
    """Words as one object each however many batches hold them (``sys.intern``): a window's slide sums
    and outputs keep a word once, not once per slide (at 100k lines/s a 30 s window held 369k word
    objects for ~80k words: its consumer's peak RSS fell from 162 to 129 MiB)."""
    try:
        return list(map(sys.intern, keys))
    except TypeError:  # not all plain str: kept as they are
        return keys


class _CountTask:
    """A worker's task: count the partition's words and split the counts by partition."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n

    def __call__(self, split: int, words: Iterable) -> list[tuple[list, list]]:
        from ember.core.combine import key_partitions, split_by_partition

        counts: dict = {}
        _count_elements(counts, words)
        keys = list(counts)
        return split_by_partition(keys, list(counts.values()), key_partitions(keys, self.n), self.n)

    def __reduce__(self):
        return (_CountTask, (self.n,))
