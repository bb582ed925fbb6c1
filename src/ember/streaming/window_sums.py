"""Integer slide sums kept as the batches come, so the batch that ends a slide has little left to do.

For ``reduceByKeyAndWindow(add, ...)`` over slides of whole batches with ``int`` values, a window is
the sum of its slides' sums, and a slide's sum is its batches added in time order (see
``window.WindowReduceRDD``): each key's value is the same ``int`` whatever the grouping, and the keys
come in first-seen order, batch after batch. :class:`SlideSums` keeps each slide's running sums, one
dict per partition. The window itself is summed from its slides only when it is read in full (the
checkpoint writer pickling it, off the job thread): ``pprint`` reads its first pairs only.

Each batch is read in its own batch (its count, on the worker processes, is waited for there: reading
it later only moves the wait to the batch ending the slide), and its pairs are added once its output
is done (:meth:`SlideSums.settle`, when the stream's old batches are cleared; else early in the next
batch); the batch ending a slide joins it at once, its counts kept as dicts of their own (a copy, not
a sum: the window is summed later, off the job thread).

Anything out of the ordinary (a restart in the middle of a slide, a value that is not an ``int``) leaves
the slide's sums unused: its windows are then summed from its batches, as before.
"""

from __future__ import annotations

import itertools
import operator

_INT = frozenset((int,))
_first, _second = operator.itemgetter(0), operator.itemgetter(1)


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
        #: slide end ms -> [next batch ms expected, per partition its running sums and then (once the
        #: slide is over) its last batch's counts, or None once unusable]
        self.running: dict[int, list] = {}
        #: the last batch added, whose pairs are added in the next call: (ms, segments)
        self.pending: tuple | None = None

    def slide_end(self, t: int) -> int:
        """The end of the slide that batch ``t`` belongs to."""
        zero, slide = self.zero_ms, self.slide_ms
        return zero + -(-(t - zero) // slide) * slide

    def slide(self, end: int) -> list[list[dict]] | None:
        """The sums of the slide ending at ``end`` when every one of its batches was added, in order:
        per partition, dicts whose sum, in order, is the slide (the running sums, then the counts of
        its last batch, kept apart: adding them up is left to whoever sums the window)."""
        entry = self.running.get(end)
        if entry is None or entry[1] is None or entry[0] <= end:
            return None
        return entry[1]

    def add_batch(self, t: int, rdd) -> None:
        """Add batch ``t`` (its RDD, or None when the batch has none) to its slide.

        A batch computed elsewhere (``rdd.prefetch``: counted on the worker processes) is started
        first; while it runs, the previous batch is added to its slide. This batch's own pairs wait
        for the next batch, except at the end of a slide, where the window needs them now.
        """
        prefetch = getattr(rdd, "prefetch", None)
        if prefetch is not None:
            prefetch()
        self._finish_pending()
        end, step = self.slide_end(t), self.step_ms
        for s in [s for s in self.running if s <= t - self.window_ms]:
            del self.running[s]  # no window needs it any more
        if t == end - self.slide_ms + step:
            self.running[end] = [t, [[{}] for _ in range(self.n)]]
        entry = self.running.get(end)
        if entry is None or entry[1] is None or entry[0] != t:
            self._drop(entry)
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
                    self._drop(entry)
                    return
        if t == end:
            # the window ending here reads the slide now: the batch's counts join it as dicts of their
            # own (distinct keys in a segment: a copy, in C) rather than being added to its sums
            for p, segs in enumerate(segments):
                for keys, values in segs:
                    d = dict(zip(keys, values))
                    if len(d) != len(keys):  # a key twice: summed, as the fold does
                        d = {}
                        add_ints(d, keys, values)
                    if d:
                        entry[1][p].append(d)
            entry[0] = t + step
        else:
            self.pending = (t, segments)

    def settle(self) -> None:
        """Add the batch kept from the last call to its slide now (the stream's batch is over)."""
        self._finish_pending()

    def _finish_pending(self) -> None:
        """Add the batch kept from the last call to its slide."""
        pending, self.pending = self.pending, None
        if pending is None:
            return
        t, segments = pending
        entry = self.running.get(self.slide_end(t))
        if entry is None or entry[1] is None or entry[0] != t:
            self._drop(entry)
            return
        for p, segs in enumerate(segments):
            d = entry[1][p][0]
            for keys, values in segs:
                add_ints(d, keys, values)  # ints: checked when kept
        entry[0] = t + self.step_ms

    @staticmethod
    def _drop(entry: list | None) -> None:
        """Leave a slide (and the windows it is in) to be summed from its batches."""
        if entry is not None:
            entry[1] = None
