"""Counting the words of split text, in C: the kernel of every word-count idiom.

A word count splits lines at a one-character separator and counts the words, keys in first-seen
order. Lines joined by that separator split into exactly the words of the lines one after another
(a single character cannot form across a join), so a run of lines is one text and its words are one
``split``. :class:`SplitCounter` takes such texts as they come and counts them:

- a little text (most streaming batches) with ``collections``' C counting loop: the words of a few
  KiB at a time, so they are counted while still in the CPU's cache;
- a lot of text on Polars (a dependency of ember anyway, for ``ember.sql``): split and grouped in
  Rust, keys in first-seen order (``maintain_order``), for 0.5-0.8x the CPU per word of the C loop,
  whose cost is a fresh ``str`` object and two dict look-ups per word. Polars takes the text 1 MiB at
  a time and the partial counts are added up as they come, so memory stays bounded.

Both give the same keys, in the same order, with the same counts (``int``). Without Polars (or for
``split()`` with no separator, whose notion of blank Polars does not share) the C loop does it all.

Examples
--------
>>> counter = SplitCounter(" ")
>>> counter.add("to be or not to be")
>>> counter.result()
(['to', 'be', 'or', 'not'], [2, 2, 1, 1])
"""

from __future__ import annotations

from collections import _count_elements  # type: ignore[attr-defined]  # Counter's C loop
from typing import Any

#: below this many characters in all, the C loop counts (Polars' fixed cost is ~0.3 ms a call)
COLUMNAR_MIN_CHARS = 256 << 10
#: the characters handed to Polars at once: more costs memory (Polars' allocator keeps what a call
#: used: 4 MiB at a time held ~35 MiB more at 500k lines/s) and buys little time
COLUMNAR_CHUNK_CHARS = 1 << 20
#: partial counts merged into one once there are this many: a merge's working memory grows with
#: them (socket word count at 600k lines/s: 16 -> 8 lowered the peak RSS by ~10 MiB, 4 by ~16 MiB
#: more but for ~12 % more CPU per line)
_MERGE_PARTIALS = 8
#: the text split into words at a time by the C loop: the words stay in the CPU's cache
_PIECE_CHARS = 4096

_polars: Any = None


def _columnar() -> Any:
    """Polars, imported on first use (None when it cannot be)."""
    global _polars
    if _polars is None:
        try:
            from ember._page_cache import shed_polars_pages

            shed_polars_pages()
            import polars
        except ImportError:  # the C loop does it all
            polars = False
        _polars = polars
    return _polars or None


def columnar_pays(sep: str | None, chars: int) -> bool:
    """Whether Polars would count ``chars`` characters split at ``sep`` (else the C loop does)."""
    return sep is not None and chars >= COLUMNAR_MIN_CHARS and _columnar() is not None


def _merged(partials: list) -> Any:
    """Partial counts (frames ``w``, ``n``, in text order) added up, keys in first-seen order."""
    if len(partials) == 1:
        return partials[0]
    pl = _columnar()
    return pl.concat(partials).group_by("w", maintain_order=True).agg(pl.col("n").sum())


class SplitCounter:
    """The words of texts split at ``sep`` (None: ``split()``), counted in first-seen order.

    Parameters
    ----------
    sep : str or None
        The one-character separator, or None for ``str.split()``'s runs of blanks.
    columnar : bool
        Whether Polars may count big inputs (tests compare both ways).

    Examples
    --------
    >>> counter = SplitCounter(",")
    >>> counter.add("a,b")
    >>> counter.add("b,,a")
    >>> counter.result()
    (['a', 'b', ''], [2, 2, 1])
    """

    __slots__ = ("sep", "_pending", "_chars", "_partials", "_counts", "_columnar")

    def __init__(self, sep: str | None, columnar: bool = True) -> None:
        self.sep = sep
        self._pending: list[str] = []  # texts not yet counted
        self._chars = 0
        self._partials: list = []  # Polars frames of counts, in text order
        self._counts: dict | None = None  # the C loop's counts (only when Polars is not used)
        self._columnar = columnar and sep is not None

    def add(self, text: str) -> None:
        """Count the words of ``text`` (whole lines, joined by the separator) after those added before."""
        if self._counts is not None:
            self._count_in_loop(text)
            return
        self._pending.append(text)
        self._chars += len(text)
        if self._chars >= COLUMNAR_CHUNK_CHARS:
            self._flush()

    def result(self) -> tuple[list[str], list[int]]:
        """The distinct words in first-seen order and their counts."""
        if self._counts is None and not self._partials and self._chars < COLUMNAR_MIN_CHARS:
            self._to_loop()
        if self._counts is not None:
            return list(self._counts), list(self._counts.values())
        self._flush()
        if self._counts is not None:  # Polars could not take the last texts
            return list(self._counts), list(self._counts.values())
        if not self._partials:
            return [], []
        frame = _merged(self._partials)
        self._partials = []
        return frame["w"].to_list(), frame["n"].to_list()

    def _flush(self) -> None:
        texts, self._pending, self._chars = self._pending, [], 0
        if not texts:
            return
        pl = _columnar() if self._columnar else None
        if pl is not None:
            try:
                words = pl.Series("w", texts, pl.String).str.split(self.sep).explode()
            except UnicodeError:  # a lone surrogate (never from decoded bytes): Polars holds UTF-8 only
                words = None
            if words is not None:
                frame = words.to_frame().group_by("w", maintain_order=True).len("n")
                self._partials.append(frame)
                if len(self._partials) >= _MERGE_PARTIALS:
                    self._partials = [_merged(self._partials)]
                return
        self._to_loop()
        for text in texts:
            self._count_in_loop(text)

    def _to_loop(self) -> None:
        """From now on the C loop counts, starting from what Polars counted so far."""
        counts: dict = {}
        for frame in self._partials:
            for word, n in zip(frame["w"].to_list(), frame["n"].to_list()):
                counts[word] = counts.get(word, 0) + n
        self._partials = []
        self._counts = counts
        texts, self._pending, self._chars = self._pending, [], 0
        for text in texts:
            self._count_in_loop(text)

    def _count_in_loop(self, text: str) -> None:
        counts, sep = self._counts, self.sep
        if len(text) <= 2 * _PIECE_CHARS:
            _count_elements(counts, text.split(sep))
            return
        cut = "\n" if sep is None else sep  # split() takes a line end for the blank it is
        start = 0
        while True:  # cut at a separator, so no word is cut in two
            end = text.find(cut, start + _PIECE_CHARS)
            if end < 0:
                _count_elements(counts, text[start:].split(sep))
                return
            _count_elements(counts, text[start:end].split(sep))
            start = end + 1
