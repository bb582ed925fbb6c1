"""RDDs a stream computes once in the driver and keeps: a window, a state.

They hold their partitions as lists, or pickled (``_blobs``) once the checkpoint writer has pickled
them; a checkpoint saves those pickles instead of computing the partitions again. Reading a
partition takes the lists when they are there and a fresh copy from the pickles otherwise.
"""

from __future__ import annotations

from ember.core.rdd import RDD
from ember.core.serialization import dumps, loads
from ember.storagelevel import StorageLevel


class KeptRDD(RDD):
    """Base of an RDD whose ``n`` partitions are computed in the driver by ``_compute`` and kept.

    Subclasses set ``_parts`` in ``_compute`` and say in ``_keep_lists`` whether the lists stay once
    pickled (the next batch reads them) or go (only the pickles are read again).
    """

    _keep_lists = True

    def __init__(self, ctx, num_partitions: int) -> None:
        super().__init__(ctx)
        self._n = num_partitions
        self._parts: list[list] | None = None
        self._blobs: list[bytes] | None = None

    def getNumPartitions(self) -> int:
        return self._n

    def _ship(self, split: int):
        return None  # computed and kept in the driver

    def _iterator(self, split: int):
        if self._checkpoint_parts is not None:
            return loads(self._checkpoint_parts[split])
        return self._compute(split)

    def _read(self, split: int):
        parts = self._parts  # the checkpoint writer may swap the lists for their pickles: _blobs first
        if parts is not None:
            return iter(parts[split])
        return loads(self._blobs[split])  # type: ignore[index]

    def _materialized(self) -> bool:
        return self._parts is not None or self._blobs is not None or self._checkpoint_parts is not None

    def _pickled_parts(self) -> list[bytes]:
        """The partitions pickled, made once (what checkpoints save)."""
        if self._checkpoint_parts is not None:
            return [self._checkpoint_parts[p] for p in range(self._n)]
        blobs = self._blobs
        if blobs is None:
            parts = self._parts
            if parts is None:  # pickled meanwhile by the other thread
                return self._blobs  # type: ignore[return-value]
            blobs = [dumps(part) for part in parts]
            self._blobs = blobs
            if not self._keep_lists:
                self._parts = None
        return blobs

    def persist(self, storageLevel: StorageLevel = StorageLevel.MEMORY_ONLY) -> RDD:
        self._storage = storageLevel  # already kept: the data is this RDD
        return self

    def unpersist(self, blocking: bool = False) -> RDD:
        self._storage = None
        return self

    def _write_checkpoint(self) -> None:
        # RDD.checkpoint saves the pickled partitions it finds in the cache: hand it the ones the
        # context's checkpoints use, pickled once
        self._cache = dict(enumerate(self._pickled_parts()))
        try:
            super()._write_checkpoint()
        finally:
            self._cache = {}
            self._parts = None  # read from the checkpoint's pickles from now on
