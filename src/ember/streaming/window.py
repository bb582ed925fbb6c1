"""Sliding windows: ``window`` and ``reduceByKeyAndWindow`` (with PySpark's inverse-function rule).

A window at time t covers the parent's batches in ``(t - window, t]`` and exists only at times that are
a whole number of slides after the start. ``reduceByKeyAndWindow`` with an inverse function works
incrementally only when the window is at least five slides long, as PySpark does ("for small window,
reduce once will be better than twice"); keys whose value falls to zero then stay until a
``filterFunc`` removes them.

ember computes the same windows faster where it can, with the same pairs, partitions and order:
windows are computed with dicts (:class:`WindowReduceRDD`); each batch is reduced in its own batch,
big word counts on the worker processes (``pooled_count.py``); integer sums are kept per slide as the
batches come (``window_sums.py``), and a window of them gives its first pairs (``pprint``) from its
slides' sums, summed in full only when read in full (the checkpoint writer, off the job thread).
"""

from __future__ import annotations

import itertools
import operator
import os
import threading
import time
from typing import Callable

from ember.core.hashing import retain_hashes
from ember.core.idioms import is_add
from ember.core.rdd import RDD
from ember.core.serialization import all_immutable, dumps, dumps_flat
from ember.storagelevel import StorageLevel
from ember.streaming.dstream import DStream
from ember.streaming.kept import KeptRDD
from ember.streaming.pooled_count import PooledCountDStream, PooledCountRDD
from ember.streaming.transformed import call_transform
from ember.streaming.window_sums import SlideSums
from ember.streaming.window_sums import add_ints as _add_ints
from ember.streaming.window_sums import int_values as _int_values

#: pairs of a window partition read from its slides' sums before it is summed in full (pprint's 11)
_HEAD = 64
#: keys added between GIL releases when a window is summed in full (a few ms each)
_CHUNK = 4096
#: a window meets the same keys batch after batch: their partitioning hashes are kept this long
_WINDOW_HASHES = 1 << 17


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
        retain_hashes(_WINDOW_HASHES)

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
        # (pickled, so reads are fresh copies) and computes it in its own batch, where integer sums
        # are also added to their slide's running sums (see _BatchAdder)
        if parent._storage is None:
            parent._storage = StorageLevel.MEMORY_ONLY
        parent._ssc._graph.eager.append(_BatchAdder(self))
        retain_hashes(_WINDOW_HASHES)

    def _parent_remember_ms(self) -> int | None:
        return None if self._remember_ms is None else self._remember_ms + self._window_ms

    def _compute(self, t: int) -> RDD | None:
        parent, window, slide = self._parents[0], self._window_ms, self._slide_ms
        begin, prev_end = t - window, t - slide
        previous = self._get_or_compute(prev_end)
        fused = self.__dict__.get("_fused")
        if fused is not None:
            return self._compute_fused(t, previous, fused)
        if previous is not None and window >= 5 * slide:
            old = parent._slice_ms(begin - slide + parent._slide_ms, begin)
            current = call_transform(self._inverse, t, previous, self._sc.union(old)) if old else previous
            new = parent._slice_ms(prev_end + parent._slide_ms, t)
            return call_transform(self._reduce, t, current, self._sc.union(new)) if new else current
        rdds = parent._slice_ms(begin + parent._slide_ms, t)
        return call_transform(self._reduce, t, None, self._sc.union(rdds)) if rdds else None

    def _compute_fused(self, t: int, previous: RDD | None, fused: tuple) -> RDD | None:
        """The same window as :meth:`_compute` builds, computed with dicts (see WindowReduceRDD)."""
        parent, window, slide = self._parents[0], self._window_ms, self._slide_ms
        begin, prev_end, step = t - window, t - slide, parent._slide_ms
        if previous is not None and window >= 5 * slide:
            old = parent._slice_ms(begin - slide + step, begin)
            new = parent._slice_ms(prev_end + step, t)
            return WindowReduceRDD(self._sc, fused, previous, old, new, filtered=bool(new))
        rdds = parent._slice_ms(begin + step, t)
        if not rdds:
            return None
        out = WindowReduceRDD(self._sc, fused, None, [], rdds, filtered=True)
        if self._sums_slides():
            # integer sums do not depend on grouping: the window is the sum of its slides' sums, and
            # each slide is summed once, not once per window it falls in (window / slide times)
            partials = self.__dict__.setdefault("_partials", {})
            for key in [k for k in partials if k[0] <= begin]:
                del partials[key]
            out._blocks = [(s, parent._slice_ms(s - slide + step, s))
                           for s in range(begin + slide, t + 1, slide)]
            out._partials = partials
            out._sums, out._end = self.__dict__.get("_sums"), t
        return out

    def _sums_slides(self) -> bool:
        """Whether windows are built from per-slide sums (``add`` over slides of whole batches)."""
        fused = self.__dict__.get("_fused")
        step = self._parents[0]._slide_ms
        return fused is not None and is_add(fused[0]) and self._window_ms % self._slide_ms == 0 \
            and self._slide_ms % step == 0

    def _add_batch(self, t: int, rdd: RDD | None) -> None:
        """Add the parent's batch ``t`` to the stream's running sums (see window_sums.py)."""
        sums = self.__dict__.get("_sums")
        if sums is None:
            sums = self._sums = SlideSums(self._fused[3], self._window_ms, self._slide_ms,
                                          self._parents[0]._slide_ms, self._zero_ms)
        sums.add_batch(t, rdd)

    def _clear_metadata(self, t: int) -> None:
        sums = self.__dict__.get("_sums")
        if sums is not None:
            # batch t's pairs join their slide now, once its output is done, rather than early in the
            # next batch, where adding them held the GIL while that batch's count came back
            sums.settle()
            # and the batch's counts go to disk now (pickled, as its checkpoint needs them anyway)
            # rather than stay as lists until a checkpoint comes: ~10 MB a batch at 500k lines/s
            # (only counts that came back: a failed count has failed its batch already)
            batch = self._parents[0]._generated.get(t)
            if type(batch) is PooledCountRDD and batch._segments is not None:
                batch._pickled_parts()
        super()._clear_metadata(t)

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_partials", None)  # runtime sums, rebuilt from the batches
        state.pop("_sums", None)
        return state

    def _user_functions(self) -> list[Callable]:
        return [self._reduce, self._inverse]


class WindowReduceRDD(KeptRDD):
    """One window of ``reduceByKeyAndWindow`` with an inverse function, computed in one pass with dicts.

    PySpark builds it from RDD operations: the batches leaving the window reduced by key and
    left-outer-joined to the previous window (``invFunc`` where they match), the batches entering
    reduced by key and unioned with that and reduced again, then ``filterFunc``. Every input holds
    ``n`` partitions already partitioned by the key's hash (each batch and each window is the output
    of a shuffle into ``n`` partitions), so all those shuffles keep partition ``p`` in partition ``p``:
    partition ``p`` of the result is the previous window's partition ``p`` in its order, ``invFunc``
    applied to the keys that leave, ``func`` folding in the keys that enter (new keys after, in the
    order they first appear, batch by batch), the same values and the same order as the RDD
    operations give. The functions are called exactly as there: ``func(acc, value)`` in batch order
    within the leaving and entering batches, ``invFunc(window_value, leaving_value)``, then
    ``func(window_value, entering_value)``.

    Inputs are read as fresh copies (batches are kept pickled), so functions that mutate their first
    argument (``groupByKeyAndWindow``'s list extension) change nothing else; the result is kept as
    lists when its values are immutable, else pickled. Once computed it forgets its inputs, so a long
    run does not hold a chain of windows.
    """

    _kind = "MapPartitionsRDD"
    _keep_lists = False  # a window is read once more at most, by the next window

    def __init__(self, ctx, fused: tuple, previous: RDD | None, old: list[RDD], new: list[RDD],
                 filtered: bool) -> None:
        super().__init__(ctx, fused[3])
        self._fused = fused  # (func, invFunc, filterFunc, n)
        self._previous, self._old, self._new, self._filtered = previous, old, new, filtered
        self._lock = threading.Lock()
        #: for integer sums: the window's slides as (end ms, batches), and the stream's sums per slide
        self._blocks: list[tuple[int, list[RDD]]] | None = None
        self._partials: dict = {}
        #: the stream's running sums (window_sums.SlideSums) and this window's end
        self._sums: SlideSums | None = None
        self._end = 0
        self._files_due = False
        self._files_lock = threading.Lock()
        self._ints = False  # every value an int (the summed windows): read from dicts, pickled flat

    def _parents(self) -> list[RDD]:
        return [*([self._previous] if self._previous is not None else []), *self._old, *self._new]

    def _compute(self, split: int):
        if self._parts is None and self._blobs is None:
            slides = self._slides()
            if slides is not None:
                return self._head_then_rest(split, slides[split])
            self._ensure()
        return self._read(split)

    def _ensure(self) -> None:
        if self._parts is None and self._blobs is None:
            with self._lock:
                if self._parts is None and self._blobs is None:
                    self._materialize()

    def _slides(self) -> list[list[dict]] | None:
        """Per partition, the window's complete slide sums (time order) when it is their sum, else None.

        A slide is one dict or more, in time order (see ``SlideSums.slide``). Taken once, on first
        need (the batch ending the last slide has added itself by then); the dicts are never changed
        afterwards.
        """
        slides = self.__dict__.get("_slide_sums", False)
        if slides is False:
            slides = None
            running, blocks = self._sums, self._blocks
            if running is not None and blocks and self._fused[2] is None:
                slides = [[] for _ in range(self._n)]
                for s, rdds in blocks:
                    sums = running.slide(s)
                    for p in range(self._n):
                        ds = self._partials.get((s, p))
                        if ds is None and sums is not None:
                            ds = sums[p]
                        if ds is None and not rdds:
                            ds = [{}]  # a slide before the stream began
                        if ds is None:
                            slides = None
                            break
                        slides[p].extend(ds)
                    if slides is None:
                        break
            self._slide_sums = slides
        return slides

    def _head_then_rest(self, split: int, sums: list[dict]):
        """Partition ``split`` as read: its first pairs looked up in the slides' sums (``pprint`` reads
        a few), then, if read further, the rest of the window summed in full.

        The window's keys come first-seen, slide by slide: the first slide's keys in its order, then
        the next slide's new keys, and so on; each key's value is its ints added slide by slide, as the
        sum of the slides gives.
        """
        head = 0
        for i, slide in enumerate(sums):
            earlier, later = sums[:i], sums[i + 1:]
            for k, v in slide.items():
                if head == _HEAD:
                    break
                if any(k in d for d in earlier):
                    continue  # placed (and summed) with the slide it first came in
                for d in later:
                    v = v + d.get(k, 0)
                yield (k, v)
                head += 1
            if head == _HEAD:
                break
        self._ensure()
        yield from itertools.islice(self._read(split), head, None)

    def _materialized(self) -> bool:
        # the slides' sums are the window: it is summed in full when read in full (by the checkpoint
        # writer, off the job thread, which pickles it anyway)
        return super()._materialized() or (self._parts is None and self._slides() is not None)

    def _write_checkpoint(self) -> None:
        """Marked checkpointed on the job thread; the files are written with the stream's checkpoint.

        The window is computed and kept, so nothing depends on the files until a restart, and the
        stream's checkpoint writer pickles this window anyway (the same pickles serve both): pickling
        tens of thousands of pairs leaves the batch. Outside a stream checkpoint, as RDD.checkpoint.
        """
        ctx = self.ctx
        if ctx._checkpoint_dir is None or not self._materialized() or self._checkpoint_parts is not None:
            super()._write_checkpoint()
            return
        self._checkpoint_path = "file:" + os.path.join(ctx._checkpoint_dir, f"rdd-{self._id}")
        self.is_checkpointed = True
        self._checkpoint_wanted = False
        ctx._checkpoints_pending -= 1
        self._files_due = True

    def _pickled_parts(self) -> list[bytes]:
        if self._checkpoint_parts is None:
            self._ensure()
        parts = self._parts
        if self._blobs is None and self._checkpoint_parts is None and parts is not None and self._ints:
            # pairs of a key and an int: no pickle memo needed (half the time), made from the dicts
            self._blobs = [dumps_flat(part if type(part) is list else list(part)) for part in parts]
            self._parts = None  # read from the pickles from now on (set first)
        blobs = super()._pickled_parts()
        with self._files_lock:
            if self._files_due:  # the RDD checkpoint marked in its batch (see _write_checkpoint)
                self._files_due = False
                self.ctx._write_checkpoint_files(self._id, dict(enumerate(blobs)))
        return blobs

    def unpersist(self, blocking: bool = False) -> RDD:
        with self._files_lock:  # released (its files deleted): they must not be written afterwards
            self._files_due = False
        return super().unpersist(blocking)

    def _drop_lineage(self) -> None:
        self._previous, self._old, self._new, self._blocks, self._partials = None, [], [], None, {}
        self._sums = None
        self._slide_sums = None

    def _summed_slides(self, p: int) -> dict | None:
        """Partition ``p`` of a window of integer sums as the sum of its slides' sums; None if not ints.

        Every key's value is the same ``int`` as the batch-by-batch fold gives, and keys come in the
        same first-seen order (each slide's sums keep theirs, slides in time order).
        """
        slides = self._slides()
        if slides is not None:
            sums = slides[p]
        else:
            func, partials, running = self._fused[0], self._partials, self._sums
            sums = []
            for s, rdds in self._blocks:
                ds = partials.get((s, p))
                if ds is None:
                    slide = running.slide(s) if running is not None else None
                    if slide is not None:
                        ds = slide[p]  # every batch of the slide added, in order
                    else:
                        d = _fold(func, rdds, p)
                        if not _int_values(d):
                            return None
                        ds = [d]
                    partials[(s, p)] = ds  # never changed afterwards: windows copy them
                sums.extend(ds)
        window = dict(sums[0])
        for d in sums[1:]:
            keys, values = list(d), list(d.values())
            for i in range(0, len(keys), _CHUNK):
                # all ints: checked when each was made; a chunk at a time, letting the other threads
                # (the next batch's) take the GIL in between
                _add_ints(window, keys[i:i + _CHUNK], values[i:i + _CHUNK])
                time.sleep(0)
        return window

    def _materialize(self) -> None:
        func, inv, keep, n = self._fused
        parts, ints = [], True
        for p in range(n):
            summed = None
            if self._previous is not None:
                ints = False
                window = dict(self._previous._iterator(p))
                if self._old:
                    leaving = _fold(func, self._old, p)
                    for k, w in leaving.items():
                        if w is not None and k in window:
                            window[k] = inv(window[k], w)
                entering = _fold(func, self._new, p)
                if not (is_add(func) and _add_ints(window, list(entering), list(entering.values()))):
                    for k, v in entering.items():
                        window[k] = func(window[k], v) if k in window else v
            else:
                window = summed = self._summed_slides(p) if self._blocks else None
                if window is None:
                    window = _fold(func, self._new, p)
                    ints = False
            if keep is not None and self._filtered:
                items = [kv for kv in window.items() if keep(kv)]
            elif summed is not None:
                items = window.items()  # a dict nothing changes any more: its pairs are made as read
            else:
                items = list(window.items())
            parts.append(items)
        if ints or all(all_immutable([kv[1] for kv in part]) for part in parts):
            self._parts = parts
            self._ints = ints
        else:
            self._blobs = [dumps(part) for part in parts]
        self._drop_lineage()


def _fold(func: Callable, rdds: list[RDD], p: int) -> dict:
    """Partition ``p`` of ``union(rdds).reduceByKey(func)``: values folded with ``func`` in batch order."""
    d: dict = {}
    adding = is_add(func)
    for rdd in rdds:
        items = rdd._iterator(p)
        if adding:
            items = items if isinstance(items, list) else list(items)
            if _add_ints(d, list(map(_first, items)), list(map(_second, items))):
                continue
        for k, v in items:
            if k in d:
                d[k] = func(d[k], v)
            else:
                d[k] = v
    return d


_first, _second = operator.itemgetter(0), operator.itemgetter(1)


def reduce_by_key_and_window(stream: DStream, func: Callable, invFunc: Callable | None, windowDuration: float,
                             slideDuration: float | None, numPartitions: int | None,
                             filterFunc: Callable | None) -> DStream:
    """``DStream.reduceByKeyAndWindow``: see the module docstring."""
    validate_window(stream, windowDuration, slideDuration)
    n = stream._default_partitions(numPartitions)
    if not invFunc:
        return stream.reduceByKey(func, n).window(windowDuration, slideDuration).reduceByKey(func, n)
    reduced = PooledCountDStream(stream, func, n)  # stream.reduceByKey(func, n); big counts on both cores

    def reduce_func(t, a: RDD | None, b: RDD) -> RDD:
        b = b.reduceByKey(func, n)
        r = a.union(b).reduceByKey(func, n) if a is not None else b
        return r.filter(filterFunc) if filterFunc else r

    def inv_reduce_func(t, a: RDD, b: RDD) -> RDD:
        b = b.reduceByKey(func, n)
        joined = a.leftOuterJoin(b, n)
        return joined.mapValues(lambda kv: invFunc(kv[0], kv[1]) if kv[1] is not None else kv[0])

    slide_ms = stream._slide_ms if slideDuration is None else int(slideDuration * 1000)
    windowed = ReducedWindowedDStream(reduced, reduce_func, inv_reduce_func, int(windowDuration * 1000),
                                      slide_ms)
    windowed._fused = (func, invFunc, filterFunc, n)  # the same windows, computed with dicts
    return windowed


class _BatchAdder:
    """The graph's eager entry for a ``reduceByKeyAndWindow`` stream: its parent's batch, computed in
    its own batch as before, and added to its slide's running sums there (one batch's keys), so the
    batch that ends a slide does not sum the whole slide."""

    def __init__(self, window: ReducedWindowedDStream) -> None:
        self._window = window

    @property
    def _zero_ms(self) -> int | None:
        return self._window._parents[0]._zero_ms

    def _get_or_compute(self, t: int) -> RDD | None:
        window = self._window
        rdd = window._parents[0]._get_or_compute(t)
        if window._zero_ms is None or not window._sums_slides() or window._window_ms >= 5 * window._slide_ms:
            return rdd  # computed (kept) in its batch, nothing more
        return _AddBatchRDD(window, t, rdd)


class _AddBatchRDD(RDD):
    """One empty partition whose computation adds batch ``t`` to its slide's running sums (so the work
    is timed with the batch's jobs, as computing the batch itself is)."""

    def __init__(self, window: ReducedWindowedDStream, t: int, rdd: RDD | None) -> None:
        super().__init__(window._sc)
        self._window, self._t, self._batch = window, t, rdd

    def getNumPartitions(self) -> int:
        return 1

    def _compute(self, split: int):
        self._window._add_batch(self._t, self._batch)
        return iter(())
