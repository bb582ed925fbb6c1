"""The dict-based combiners of a shuffle, and its map-side bucketing.

Dicts keep keys in first-seen order, which is the order PySpark's combiners produce with one
partition; records reach a reduce partition map partition by map partition.
"""

from __future__ import annotations

import itertools
import operator
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ember.core.hashing import _NATIVE_SEED_ZERO, partitioner_for, portable_hash, str_hashes
from ember.core.serialization import dumps

if TYPE_CHECKING:
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


def _key_hashes(records: list) -> list[int] | None:
    """portable_hash of every record's key when the keys allow a C-speed pass, else None."""
    if not set(map(type, records)) <= {tuple}:
        return None
    keys = list(map(_first, records))
    kinds = set(map(type, keys))
    if kinds <= {int} or (kinds <= {str, int} and _NATIVE_SEED_ZERO):
        return list(map(hash, keys))  # int hashes are not seeded; str ones are seed 0 here
    if kinds <= {str}:
        return str_hashes(keys)
    return None


def bucket_by_key(it: Iterable, partitioner: Partitioner) -> list[bytes | None]:
    """The map side of a shuffle: one pickled bucket per reduce partition (None when empty)."""
    n = partitioner.numPartitions
    if n == 1:
        records = list(it)
        return [dumps(records) if records else None]
    if n <= _VECTOR_MAX and partitioner.partitionFunc is portable_hash:
        records = it if isinstance(it, list) else list(it)
        hashes = _key_hashes(records)
        if hashes is not None:
            idx = list(map(operator.mod, hashes, itertools.repeat(n)))
            del hashes
            return [dumps(b) if b else None for b in
                    (list(itertools.compress(records, map(operator.eq, idx, itertools.repeat(p))))
                     for p in range(n))]
        it = records
    partition_of = partitioner_for(n, partitioner.partitionFunc)
    buckets: list[list] = [[] for _ in range(n)]
    appends = [b.append for b in buckets]
    for kv in it:
        appends[partition_of(kv[0])](kv)
    return [dumps(b) if b else None for b in buckets]
