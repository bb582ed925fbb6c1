"""Hash shuffles: the reduce side reads the buckets the map side wrote.

A shuffle's map side (``combine.bucket_by_key``) splits each parent partition into one bucket per
reduce partition and keeps the buckets pickled (as Spark keeps shuffle files): a second job over
the same RDD reuses them, and reduce-side code that mutates its values never changes what a later
read sees. Within a reduce partition records arrive map partition by map partition, each in its own
order; the dict-based combiners then keep keys in first-seen order, which is the order PySpark shows.
"""

from __future__ import annotations

import itertools
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ember.core.combine import bucket_by_key
from ember.core.rdd import RDD
from ember.core.serialization import loads

if TYPE_CHECKING:
    from ember.core.partitioner import Partitioner


def read_block(block: bytes | list) -> Iterable[Any]:
    """A shuffle block's records: a pickled list, or a list of atoms' tuples shared as it is."""
    return iter(block) if type(block) is list else loads(block)


class ShuffledRDD(RDD):
    """The reduce side of a hash shuffle of a pair RDD by a partitioner."""

    _kind = "ShuffledRDD"

    def __init__(self, prev: RDD, partitioner: Partitioner,
                 map_task: Callable[[int, Iterable], list[bytes | None]] | None = None,
                 map_stage: Callable[[], list[list[bytes | None]]] | None = None) -> None:
        super().__init__(prev.ctx)
        self.prev = prev
        self.partitioner = partitioner
        self._map_task = map_task or (lambda split, it: bucket_by_key(it, partitioner))
        # a whole map stage computed at once (``combine.count_stage``), in place of one task per split
        self._map_stage = map_stage
        self._outputs: list[list[bytes | None]] | None = None
        self._lock = threading.Lock()

    def getNumPartitions(self) -> int:
        return self.partitioner.numPartitions

    def _map_outputs(self) -> list[list[bytes | None]]:
        outputs = self._outputs
        if outputs is None:
            with self._lock:
                if self._outputs is None:
                    from ember.core import scheduler

                    if self._map_stage is not None:
                        self._outputs = self._map_stage()
                    else:
                        self._outputs = scheduler.run_map_stage(self.prev, self._map_task)
                outputs = self._outputs
        return outputs

    def _compute(self, split: int) -> Iterable[Any]:
        blocks = [out[split] for out in self._map_outputs() if out[split] is not None]
        if len(blocks) == 1:
            return read_block(blocks[0])
        return itertools.chain.from_iterable(map(read_block, blocks))

    def _ship_compute(self, split: int):
        from ember.core.shipping import ShuffleBlocksSource

        blobs = [out[split] for out in self._map_outputs() if out[split] is not None]
        return ShuffleBlocksSource(split, blobs)

    def _parents(self) -> list[RDD]:
        return [self.prev] if self.prev is not None else []

    def _shuffle_parents(self) -> list[RDD]:
        return self._parents()

    def _drop_lineage(self) -> None:
        self.prev = None  # type: ignore[assignment]
        self._outputs = None
        self._map_stage = None
