"""What a worker process needs to compute one partition: its input and the fused functions on it.

An RDD can be shipped when its narrow lineage reaches something a worker can read by itself: a
slice of a parallelized list, a range, a text file split, the pickled buckets of a shuffle, or a
persisted partition. ``weight`` estimates the work in records, to decide whether shipping pays.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterable

from ember.core.serialization import loads


class Source:
    """One partition's input, readable in a worker process."""

    split: int = 0
    weight: int = 0

    def read(self) -> Iterable:
        raise NotImplementedError


class ListSource(Source):
    """Records held by the driver (a list, or a pickled list)."""

    def __init__(self, split: int, data: Any, pickled: bool, weight: int) -> None:
        self.split, self.data, self.pickled, self.weight = split, data, pickled, weight

    def read(self) -> Iterable:
        return loads(self.data) if self.pickled else self.data


class RangeSource(Source):
    """A sub-range of ``parallelize(range(...))``."""

    def __init__(self, split: int, r: range) -> None:
        self.split, self.range, self.weight = split, r, len(r)

    def read(self) -> Iterable:
        return self.range


class FileSplitSource(Source):
    """A Hadoop-style split of a text file, read by the worker itself."""

    def __init__(self, split: int, path: str, start: int, length: int) -> None:
        self.split, self.path, self.start, self.length = split, path, start, length
        self.weight = length // 64

    def read(self) -> Iterable:
        from ember.core.files import read_split

        return read_split(self.path, self.start, self.length)


class ShuffleBlocksSource(Source):
    """The pickled shuffle buckets of one reduce partition."""

    def __init__(self, split: int, blobs: list) -> None:
        self.split, self.blobs = split, blobs
        # a record per 64 pickled bytes; a block kept as a list of atom pairs (~16 bytes pickled each)
        # weighs what its pickle would
        self.weight = sum(len(b) // 4 if type(b) is list else len(b) // 64 for b in blobs)

    def read(self) -> Iterable:
        from ember.core.shuffle import read_block

        if len(self.blobs) == 1:
            return read_block(self.blobs[0])
        return itertools.chain.from_iterable(map(read_block, self.blobs))


class PipedSource(Source):
    """Another source with fused narrow steps ``func(split, iterator)`` applied to it."""

    def __init__(self, parent: Source, func: Callable) -> None:
        self.parent, self.func = parent, func
        self.split, self.weight = parent.split, parent.weight

    def read(self) -> Iterable:
        return self.func(self.split, iter(self.parent.read()))
