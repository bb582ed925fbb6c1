"""Integer window sums kept as the batches come, so the batch that ends a slide has little left to do.

For ``reduceByKeyAndWindow(add, ...)`` over slides of whole batches with ``int`` values, a window is
the sum of its slides' sums, and a slide's sum is its batches added in time order (see
``window.WindowReduceRDD``): each key's value is the same ``int`` whatever the grouping, and the keys
come in first-seen order, batch after batch. :class:`SlideSums` keeps

- each slide's running sums, one dict per partition;
- the next window's sums: a copy of its first slide, its other earlier slides, then the batches of
  its last slide as they come, added a share at a time (work queued in order, a chunk of keys per
  step), so that the batch ending the slide adds only the one before it and itself.

Each batch is read in its own batch (its count, on the worker processes, is waited for there: reading
it later only moves the wait to the batch ending the slide), and its pairs are added in the next
batch, while that one is counted; the batch ending a slide adds itself to its window at once.

Anything out of the ordinary (a restart in the middle of a slide, a value that is not an ``int``, a
window computed before its batches were added) leaves the sums unused: the window is then summed
from its batches, as before.
"""

from __future__ import annotations

import itertools
import operator
from collections import deque

_INT = frozenset((int,))
_first, _second = operator.itemgetter(0), operator.itemgetter(1)
#: keys added per queued step: a step holds the GIL, and the worker threads need it now and then
_CHUNK = 8192


def int_values(d: dict) -> bool:
    return set(map(type, d.values())) <= _INT


def add_ints(d: dict, keys: list, values: list) -> bool:
    """``d[k] = d[k] + v`` (or ``v`` for a new key), pair by pair, in C; False (nothing done) unless ints.

    For ``int`` values ``0 + v`` is ``v`` itself, so looking a missing key up as 0 gives exactly what
    the fold gives; ``dict.update`` sets each pair before the next is looked up, so a key twice in
    ``keys`` adds up as in the loop, and new keys are appended in order.
    """
    if not set(map(type, values)) <= _INT:
        return False
    d.update(zip(keys, map(operator.add, map(d.get, keys, itertools.repeat(0)), values)))
    return True


class SlideSums:
    """The running sums of one ``reduceByKeyAndWindow`` stream (see the module docstring)."""

    def __init__(self, n: int, window_ms: int, slide_ms: int, step_ms: int, zero_ms: int) -> None:
        self.n, self.window_ms, self.slide_ms, self.step_ms, self.zero_ms = \
            n, window_ms, slide_ms, step_ms, zero_ms
        #: slide end ms -> [next batch ms expected, one dict per partition, or None once unusable]
        self.running: dict[int, list] = {}
        self.next: _NextWindow | None = None
        #: the last batch added, whose pairs are added in the next call: (ms, segments, to the window too)
        self.pending: tuple | None = None
        self.batch_pairs = 0  # pairs in the last batch: the guess for the batches to come

    def slide_end(self, t: int) -> int:
        """The end of the slide that batch ``t`` belongs to."""
        zero, slide = self.zero_ms, self.slide_ms
        return zero + -(-(t - zero) // slide) * slide

    def slide(self, end: int) -> list[dict] | None:
        """The sums of the slide ending at ``end`` when every one of its batches was added, in order."""
        entry = self.running.get(end)
        if entry is None or entry[1] is None or entry[0] <= end:
            return None
        return entry[1]

    def window(self, end: int) -> list[dict] | None:
        """The sums of the window ending at ``end`` when they are complete, else None."""
        nxt = self.next
        if nxt is None or nxt.end != end or nxt.parts is None or nxt.todo or nxt.added != end:
            return None
        return nxt.parts

    def add_batch(self, t: int, rdd) -> None:
        """Add batch ``t`` (its RDD, or None when the batch has none) to its slide and the next window.

        A batch computed elsewhere (``rdd.prefetch``: counted on the worker processes) is started
        first; while it runs, the previous batch is added to its slide and the next window, and a
        share of the next window's earlier slides. This batch's own pairs wait for the next batch,
        except at the end of a slide, where the window needs them now.
        """
        prefetch = getattr(rdd, "prefetch", None)
        if prefetch is not None:
            prefetch()
        self._finish_pending()
        end, step = self.slide_end(t), self.step_ms
        for s in [s for s in self.running if s <= t - self.window_ms]:
            del self.running[s]  # no window needs it any more
        if t == end - self.slide_ms + step:
            self.running[end] = [t, [{} for _ in range(self.n)]]
            self.next = self._start_window(end, t)
        entry = self.running.get(end)
        nxt = self.next if self.next is not None and self.next.end == end else None
        left = (end - t) // step + 1  # batches of this slide still to come, this one included
        if nxt is not None and nxt.parts is not None:
            # the same share every batch: what is queued, and the pairs of the batches still to be
            # queued before this slide's last one (about as many as the last batch's), over the
            # batches left; the last batch then adds only the one before it (while it is counted)
            coming = (left - 1) * self.batch_pairs
            nxt.work(-(-(nxt.queued() + coming) // left) if left > 1 else None)
        if entry is None or entry[1] is None or entry[0] != t:
            self._drop(entry, nxt)
            return
        segments: list = [[] for _ in range(self.n)]
        if rdd is not None:
            split = getattr(rdd, "segments", None)
            for p in range(self.n):
                if split is not None:
                    segments[p] = split(p)
                else:
                    items = rdd._iterator(p)
                    items = items if isinstance(items, list) else list(items)
                    segments[p] = [(list(map(_first, items)), list(map(_second, items)))]
                if not all(set(map(type, values)) <= _INT for _, values in segments[p]):
                    self._drop(entry, nxt)
                    return
        self.batch_pairs = sum(len(keys) for segs in segments for keys, _ in segs)
        if left == 1 and nxt is not None and nxt.parts is not None and nxt.added == t - step:
            for p, segs in enumerate(segments):
                for keys, values in segs:
                    nxt.push(p, keys, values)
            nxt.added = t
            nxt.work(None)  # the window is due now
            self.pending = (t, segments, False)
        else:
            self.pending = (t, segments, True)

    def _finish_pending(self) -> None:
        """Add the batch kept from the last call to its slide (and to the next window, when it waits)."""
        pending, self.pending = self.pending, None
        if pending is None:
            return
        t, segments, to_window = pending
        end, step = self.slide_end(t), self.step_ms
        entry = self.running.get(end)
        nxt = self.next if self.next is not None and self.next.end == end else None
        if entry is None or entry[1] is None or entry[0] != t:
            self._drop(entry, nxt)
            return
        for p, segs in enumerate(segments):
            d = entry[1][p]
            for keys, values in segs:
                add_ints(d, keys, values)  # ints: checked when kept
        entry[0] = t + step
        if to_window and nxt is not None and nxt.parts is not None:
            if nxt.added != t - step:
                nxt.parts = None
                return
            for p, segs in enumerate(segments):
                for keys, values in segs:
                    nxt.push(p, keys, values)
            nxt.added = t

    @staticmethod
    def _drop(entry: list | None, nxt: _NextWindow | None) -> None:
        """Leave a slide (and the window it ends) to be summed from its batches."""
        if entry is not None:
            entry[1] = None
        if nxt is not None:
            nxt.parts = None

    def _start_window(self, end: int, t: int) -> _NextWindow:
        """The window ending at ``end``, its earlier slides queued (all complete by now, or unusable)."""
        nxt = _NextWindow(end, self.n)
        for s in range(end - self.window_ms + self.slide_ms, end, self.slide_ms):
            if s <= self.zero_ms:
                continue  # before the stream began: an empty slide
            sums = self.slide(s)
            if sums is None:
                nxt.parts = None
                return nxt
            for p, d in enumerate(sums):
                if not nxt.todo and not nxt.parts[p]:
                    nxt.parts[p] = dict(d)  # the window's first slide: a copy (in C), not a sum
                else:
                    nxt.push(p, list(d), list(d.values()))
        nxt.added = t - self.step_ms
        return nxt


class _NextWindow:
    """A window's sums in the making: one dict per partition, and the pairs still to add, in order."""

    def __init__(self, end: int, n: int) -> None:
        self.end = end
        self.parts: list[dict] | None = [{} for _ in range(n)]
        self.todo: deque = deque()  # [partition, keys, values, position]
        self.added = 0  # the last batch queued

    def push(self, p: int, keys: list, values: list) -> None:
        if keys:
            self.todo.append([p, keys, values, 0])

    def queued(self) -> int:
        return sum(len(item[1]) - item[3] for item in self.todo)

    def work(self, budget: int | None) -> None:
        """Add up to ``budget`` queued pairs (all of them for None), in queue order."""
        todo, parts = self.todo, self.parts
        while todo and parts is not None and (budget is None or budget > 0):
            item = todo[0]
            p, keys, values, pos = item
            stop = len(keys) if budget is None else min(len(keys), pos + budget)
            stop = min(stop, pos + _CHUNK)
            add_ints(parts[p], keys[pos:stop], values[pos:stop])  # ints: checked when queued
            if budget is not None:
                budget -= stop - pos
            item[3] = stop
            if stop == len(keys):
                todo.popleft()
