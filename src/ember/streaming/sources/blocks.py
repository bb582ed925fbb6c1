"""Received data as blocks of raw bytes, decoded where the batch's work runs.

The socket receiver keeps what it reads as blocks: ``bytes`` that hold whole lines joined by ``\\n``
(``\\r\\n`` and ``\\r`` already turned into ``\\n``), not yet decoded. A block costs its bytes in memory
(a decoded line costs about 57 bytes more), moves to a worker process as it is, and is decoded and
split there in two C calls. Blocks that came back from the write-ahead log are lists of lines already.
Past the first MiB of a batch the receiver keeps blocks on disk, as ``FileBlock``
(:mod:`ember.streaming.sources.spill`); whoever reads them reads them back one at a time.

A batch's blocks make a :class:`BlockRDD` (Spark's name for the RDD of a receiver's blocks): its
partitions are consecutive runs of lines, so the elements keep the order in which they arrived.

A word count over the lines (``flatMap`` of a line split, then ``(w, 1)`` added up: see
:mod:`ember.core.idioms`) runs fused on the blocks: a block's text is split into words and counted
without a Python call per line (:func:`count_words`, on :mod:`ember.core.split_count`: Polars for big
batches, Counter's C loop for small ones), with the words, counts and first-seen order the
line-by-line path gives. When it feeds ``reduceByKey`` the whole map stage runs as in
:mod:`ember.streaming.sources.wordcount` (tasks bucket their counts, merged lazily).

Decoding is Java's (Spark's receiver decodes with it): invalid UTF-8 becomes U+FFFD, with Java's
reading of encoded surrogates, see :mod:`ember.javautf8`.
"""

from __future__ import annotations

import functools
import itertools
import pickle
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Union

from ember.core.rdd import RDD
from ember.core.shipping import Source
from ember.core.split_count import SplitCounter
from ember.javautf8 import JAVA_REPLACE
from ember.streaming.sources.spill import FileBlock, contents

if TYPE_CHECKING:
    from ember.core.context import SparkContext
    from ember.core.partitioner import Partitioner

#: a block: undecoded bytes of whole lines joined by ``\n``, those bytes in a spill file, or decoded lines
Block = Union[bytes, FileBlock, list]

def normalize(data: bytes) -> bytes:
    """Line ends ``\\r\\n`` and ``\\r`` made ``\\n``, as Java's ``readLine`` ends lines at any of them.

    Done on the bytes: ``\\r`` and ``\\n`` never occur inside a UTF-8 sequence, and an invalid sequence
    ends before either of them whatever it is, so decoding after this gives what decoding first and
    replacing after would.
    """
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


def lines_in(block: Block) -> int:
    """The number of lines a block holds."""
    if type(block) is FileBlock:
        block = block.read()
    return len(block) if isinstance(block, list) else block.count(b"\n") + 1


def decode(block: Block) -> list[str]:
    """A block's lines as text."""
    if isinstance(block, list):
        return block
    if type(block) is FileBlock:
        block = block.read()
    return str(block, "utf-8", JAVA_REPLACE).split("\n")


def decode_all(blocks: Iterable[Block]) -> Iterator[str]:
    """The lines of ``blocks``, in order, one block read and decoded at a time."""
    return itertools.chain.from_iterable(map(decode, contents(blocks)))


def lines_of(blocks: Iterable[Block]) -> list[str]:
    """Every line of ``blocks``, in order (tests and small batches)."""
    return list(decode_all(blocks))


def count_words(blocks: Iterable[Block], sep: str | None, columnar: bool = True) -> Iterator[tuple[str, int]]:
    """``(word, n)`` for the words of every line split by ``sep`` (None: ``split()``), first-seen order.

    The same words as ``line.split(sep)`` line after line: with the ``\\n`` between a block's lines
    made ``sep`` (a single character, so no separator can form across a join) a block splits exactly
    where its lines do; ``split()`` treats ``\\n`` as the blank it already splits at. The words are
    counted by :class:`~ember.core.split_count.SplitCounter` (``columnar``: Polars may count).
    """
    return zip(*count_pairs(blocks, sep, columnar))


def count_pairs(blocks: Iterable[Block], sep: str | None, columnar: bool = True) -> tuple[list, list]:
    """:func:`count_words` as two lists: the distinct words in first-seen order, and their counts."""
    counter = SplitCounter(sep, columnar)
    join = "\n" if sep is None else sep
    for block in contents(blocks):
        if isinstance(block, list):
            counter.add(join.join(block))
            continue
        text = str(block, "utf-8", JAVA_REPLACE)
        counter.add(text if join == "\n" else text.replace("\n", join))
    return counter.result()


def _cut(block: Block, at: int) -> tuple[Block, Block, int]:
    """Split a block near line ``at``: (head, tail, lines in head); both parts keep whole lines."""
    if isinstance(block, list):
        return block[:at], block[at:], at
    if type(block) is FileBlock:  # the two parts stay in memory: at most one block per partition
        block = block.read()
    pos = block.find(b"\n", len(block) * at // max(1, lines_in(block)))
    if pos < 0:
        return block, b"", lines_in(block)
    head = block[:pos]
    return head, block[pos + 1:], head.count(b"\n") + 1


def partition(blocks: list[Block], counts: list[int], n: int) -> list[list[Block]]:
    """Deal consecutive runs of lines to ``n`` partitions, about equal in lines, order kept."""
    total = sum(counts)
    bounds = [(i + 1) * total // n for i in range(n - 1)]  # lines before partition i + 1 begins
    parts: list[list[Block]] = [[] for _ in range(n)]
    i = done = 0
    for block, count in zip(blocks, counts):
        while i < n - 1 and done + count > bounds[i]:
            want = bounds[i] - done
            if want > 0:
                head, tail, took = _cut(block, want)
                if took < count:
                    parts[i].append(head)
                    block, count, done = tail, count - took, done + took
            i += 1
        parts[i].append(block)
        done += count
    return parts


class BlocksSource(Source):
    """A partition of blocks, read by a worker process: decoded there, one block at a time."""

    def __init__(self, split: int, blocks: list[Block], weight: int) -> None:
        self.split, self.blocks, self.weight = split, blocks, weight

    def read(self) -> Iterable:
        return decode_all(self.blocks)

    def __reduce_ex__(self, protocol: int):
        # out of band with protocol 5: the pool writes the bytes to the worker without copying them
        if protocol >= 5:
            blocks = [pickle.PickleBuffer(b) if isinstance(b, bytes) else b for b in self.blocks]
            return (_source, (self.split, blocks, self.weight))
        return (_source, (self.split, self.blocks, self.weight))


def _source(split: int, blocks: list, weight: int) -> BlocksSource:
    return BlocksSource(split, blocks, weight)


class WordCountSource(BlocksSource):
    """A partition of blocks whose split lines a worker counts (:func:`count_words`)."""

    def __init__(self, split: int, blocks: list[Block], weight: int, sep: str | None) -> None:
        super().__init__(split, blocks, weight)
        self.sep = sep

    def read(self) -> Iterable:
        return count_words(self.blocks, self.sep)

    def __reduce_ex__(self, protocol: int):
        fn, (split, blocks, weight) = super().__reduce_ex__(protocol)
        return (WordCountSource, (split, blocks, weight, self.sep))


class BlockRDD(RDD):
    """The lines of a batch's received blocks, in partitions of consecutive lines."""

    _kind = "BlockRDD"

    def __init__(self, ctx: SparkContext, blocks: list[Block], counts: list[int], n: int) -> None:
        super().__init__(ctx)
        parts = partition(blocks, counts, n) if blocks else [[]]
        # a partition's lines, near enough to decide whether a worker pays (blocks cut hold about half)
        self._weights = [sum(len(b) if isinstance(b, list) else len(b) // 50 + 1 for b in p) for p in parts]
        self._parts = parts

    def getNumPartitions(self) -> int:
        return len(self._parts)

    def _compute(self, split: int) -> Iterable:
        return decode_all(self._parts[split])

    def _ship_compute(self, split: int):
        return BlocksSource(split, self._parts[split], self._weights[split])

    def line_counts(self) -> RDD:
        """One element per partition: its number of lines, counted on the raw blocks in the driver."""
        return LineCountRDD(self)

    def count_words(self, sep: str | None) -> RDD | None:
        """Per partition, ``(word, n)`` of its lines split by ``sep``: what ``flatMap(lambda l: l.split(sep))
        .map(lambda w: (w, 1))`` then a combine by add gives, fused (None: this RDD must be read itself)."""
        if self._storage is not None or self._checkpoint_wanted or self._checkpoint_parts is not None:
            return None  # cached or checkpointed: the saved lines are the input
        return WordCountRDD(self, sep)


class LineCountRDD(RDD):
    """Each partition's number of lines of a :class:`BlockRDD`: line ends counted, nothing decoded."""

    _kind = "PythonRDD"  # the kind of the narrow step it stands for

    def __init__(self, blocks: BlockRDD) -> None:
        super().__init__(blocks.ctx)
        self.prev = blocks

    def getNumPartitions(self) -> int:
        return self.prev.getNumPartitions()

    def _parents(self) -> list[RDD]:
        return [self.prev] if self.prev is not None else []

    def _compute(self, split: int) -> Iterable:
        return [sum(map(lines_in, self.prev._parts[split]))]

    def _drop_lineage(self) -> None:
        self.prev = None  # type: ignore[assignment]


class WordCountRDD(RDD):
    """The map side of the word count over a :class:`BlockRDD`: each partition's ``(word, n)`` pairs."""

    _kind = "PythonRDD"  # the kind of the narrow steps it stands for

    def __init__(self, blocks: BlockRDD, sep: str | None) -> None:
        super().__init__(blocks.ctx)
        self.prev, self.sep = blocks, sep

    def getNumPartitions(self) -> int:
        return self.prev.getNumPartitions()

    def _parents(self) -> list[RDD]:
        return [self.prev] if self.prev is not None else []

    def _compute(self, split: int) -> Iterable:
        return count_words(self.prev._parts[split], self.sep)

    def _ship_compute(self, split: int):
        return WordCountSource(split, self.prev._parts[split], self.prev._weights[split], self.sep)

    def merged_count_stage(self, partitioner: Partitioner) -> Callable[[], list[list]] | None:
        """The shuffle's whole map stage by ``partitioner``, merged per reduce partition (see
        :mod:`ember.streaming.sources.wordcount`); None when ``partitioner`` is not PySpark's hash."""
        from ember.core.hashing import portable_hash
        from ember.streaming.sources.wordcount import count_stage

        if partitioner.partitionFunc is not portable_hash or self.prev is None:
            return None
        return functools.partial(count_stage, self.prev, self.sep, partitioner.numPartitions)

    def _drop_lineage(self) -> None:
        self.prev = None  # type: ignore[assignment]
