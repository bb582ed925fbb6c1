"""Partitioner: which partition a key lands in, and when two RDDs are partitioned alike."""

from __future__ import annotations

from ember.core.hashing import portable_hash

TYPE_CHECKING = False  # typing costs milliseconds to import; annotations are strings here
if TYPE_CHECKING:
    from typing import Any, Callable


class Partitioner:
    """``partitionFunc(key) % numPartitions``; equal partitioners let shuffles be skipped.

    Examples
    --------
    >>> Partitioner(2, portable_hash)("hello")
    0
    """

    def __init__(self, numPartitions: int, partitionFunc: Callable[[Any], int] = portable_hash) -> None:
        self.numPartitions = numPartitions
        self.partitionFunc = partitionFunc

    def __eq__(self, other) -> bool:
        return (isinstance(other, Partitioner) and self.numPartitions == other.numPartitions
                and self.partitionFunc == other.partitionFunc)

    def __hash__(self) -> int:
        return hash((self.numPartitions, id(self.partitionFunc)))

    def __call__(self, k: Any) -> int:
        return self.partitionFunc(k) % self.numPartitions

    def __repr__(self) -> str:
        name = getattr(self.partitionFunc, "__name__", self.partitionFunc)
        return f"Partitioner({self.numPartitions}, {name})"
