"""The dict-based combiners of a shuffle, and its map-side bucketing.

Dicts keep keys in first-seen order, which is the order PySpark's combiners produce with one
partition; records reach a reduce partition map partition by map partition.
"""

from __future__ import annotations

import itertools
import operator

from ember.core.hashing import _NATIVE_SEED_ZERO, partitioner_for, portable_hash, str_partitions
from ember.core.serialization import ATOMS, dumps, dumps_flat

TYPE_CHECKING = False  # typing costs milliseconds to import; annotations are strings here
if TYPE_CHECKING:
    from typing import Callable, Iterable, Iterator

    from ember.core.partitioner import Partitioner


def combine_values(it: Iterable, create: Callable | None, merge: Callable) -> Iterator:
    """Combine ``(k, v)`` pairs per key in first-seen order; ``create=None`` means identity."""
    d: dict = {}
    if create is None:
        for k, v in it:
            if k in d:
                d[k] = merge(d[k], v)
            else:
                d[k] = v
    else:
        for k, v in it:
            if k in d:
                d[k] = merge(d[k], v)
            else:
                d[k] = create(v)
    return iter(d.items())


def merge_combiners(it: Iterable, merge: Callable) -> Iterator:
    """Merge ``(k, combiner)`` pairs per key in first-seen order."""
    return combine_values(it, None, merge)


def group_values(it: Iterable) -> Iterator:
    """Collect each key's values into a list, keys in first-seen order."""
    d: dict = {}
    for k, v in it:
        group = d.get(k)
        if group is None:
            d[k] = [v]
        else:
            group.append(v)
    return iter(d.items())


def merge_groups(it: Iterable) -> Iterator:
    """Concatenate each key's lists of values, keys in first-seen order."""
    d: dict = {}
    for k, vs in it:
        group = d.get(k)
        if group is None:
            d[k] = vs
        else:
            group.extend(vs)
    return iter(d.items())


_VECTOR_MAX = 8  # up to this many reduce partitions, one C pass per partition beats a Python loop
_first = operator.itemgetter(0)
_second = operator.itemgetter(1)


def _partitions_of(keys: list, n: int) -> list[int] | None:
    """``portable_hash(key) % n`` of every key when the keys allow a C-speed pass, else None."""
    kinds = set(map(type, keys))
    if kinds <= {int} or (kinds <= {str, int} and _NATIVE_SEED_ZERO):
        # int hashes are not seeded; str ones are seed 0 in this process
        return list(map(operator.mod, map(hash, keys), itertools.repeat(n)))
    if kinds <= {str}:
        return str_partitions(keys, n)
    return None


def key_partitions(keys: list, n: int) -> list[int]:
    """``portable_hash(key) % n`` of every key, in one C-speed pass where the keys allow it."""
    if n == 1:
        return [0] * len(keys)
    at = _partitions_of(keys, n)
    return at if at is not None else list(map(partitioner_for(n), keys))


def split_by_partition(keys: list, values: list, at: list[int], n: int) -> list[tuple[list, list]]:
    """``(keys, values)`` of each of ``n`` partitions, ``at[i]`` being key ``i``'s; order kept, in C."""
    out = []
    for p in range(n):
        mine = list(map(operator.eq, at, itertools.repeat(p)))
        out.append((list(itertools.compress(keys, mine)), list(itertools.compress(values, mine))))
    return out


def _dump_bucket(records: list, flat: bool) -> bytes | None:
    """A bucket pickled; ``flat`` records (tuples of atoms) skip pickle's memo, which only costs here."""
    if not records:
        return None
    return dumps_flat(records) if flat else dumps(records)


def bucket_by_key(it: Iterable, partitioner: Partitioner) -> list[bytes | None]:
    """The map side of a shuffle: one pickled bucket per reduce partition (None when empty)."""
    n = partitioner.numPartitions
    if n == 1:
        records = list(it)
        return [dumps(records) if records else None]
    if n <= _VECTOR_MAX and partitioner.partitionFunc is portable_hash:
        records = it if isinstance(it, list) else list(it)
        idx = _partitions_of(list(map(_first, records)), n) \
            if set(map(type, records)) <= {tuple} else None
        if idx is not None:
            flat = set(map(len, records)) <= {2} and set(map(type, map(_second, records))) <= ATOMS
            picks = (map(operator.eq, idx, itertools.repeat(p)) for p in range(n))
            return [_dump_bucket(list(itertools.compress(records, pick)), flat) for pick in picks]
        it = records
    partition_of = partitioner_for(n, partitioner.partitionFunc)
    buckets: list[list] = [[] for _ in range(n)]
    appends = [b.append for b in buckets]
    for kv in it:
        appends[partition_of(kv[0])](kv)
    return [dumps(b) if b else None for b in buckets]


def bucket_counts(counts: dict, partitioner: Partitioner) -> list:
    """``bucket_by_key(counts.items())`` for a dict, one reduce partition's tuples at a time; buckets of
    atoms stay lists (a shuffle block is a pickled list or, when it holds only atoms, the list)."""
    n = partitioner.numPartitions
    vector = 1 < n <= _VECTOR_MAX and partitioner.partitionFunc is portable_hash
    idx = _partitions_of(list(counts), n) if vector else None
    if idx is None:
        return bucket_by_key(list(counts.items()), partitioner)
    flat = set(map(type, counts.values())) <= ATOMS
    out: list = []
    for p in range(n):
        bucket = list(itertools.compress(counts.items(), map(operator.eq, idx, itertools.repeat(p))))
        # Pairs of atoms are kept as they are: nothing can change them, and they are the reduce
        # side's result as they stand (count_stage), so a pickled copy would only add a second one.
        out.append((bucket or None) if flat else _dump_bucket(bucket, False))
    return out


def count_stage(flat, partitioner: Partitioner) -> list[list]:
    """A word count's map stage as one output: ``flat``'s elements counted, bucketed by ``partitioner``.

    Counting every partition into one dict, in partition order, gives each key its first-seen place
    and its total exactly as the reduce side's merge of per-partition counts would (a count is the
    same int whichever way its ones are added), so each reduce partition reads one block whose keys
    are distinct, and each distinct key is hashed once.
    """
    from collections import _count_elements  # type: ignore[attr-defined]  # Counter's C loop

    from ember.core.scheduler import _annotate

    total: dict = {}
    for split in range(flat.getNumPartitions()):
        try:
            _count_elements(total, flat._iterator(split))
        except Exception as e:
            _annotate(e, flat, split)
            raise
    return [bucket_counts(total, partitioner)]
