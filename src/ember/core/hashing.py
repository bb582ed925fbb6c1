"""Spark-compatible key hashing.

PySpark assigns a key to a partition with ``portable_hash(key) % numPartitions`` and runs its Python
workers with ``PYTHONHASHSEED=0``. The order of every shuffled result (what ``collect`` and ``pprint``
show) therefore follows Python's string hash *with seed 0*. ember reproduces that hash whatever seed
its own process runs with: SipHash-1-3 under a zero key over the string's PEP 393 storage.
"""

from __future__ import annotations

import itertools
import operator
import os
import sys

TYPE_CHECKING = False  # typing costs milliseconds to import; annotations are strings here
if TYPE_CHECKING:
    from typing import Any

_ZERO_KEY = b"\0" * 16
_SIPHASH13 = None  # siphash24's class, imported at the first hash (a seed-0 process may never need it)


def _siphash13():
    global _SIPHASH13
    if _SIPHASH13 is None:
        from siphash24 import siphash13

        _SIPHASH13 = siphash13
    return _SIPHASH13
_MASK = sys.maxsize

# When this process already hashes with seed 0 the built-in hash is the answer, and a fast one.
_NATIVE_SEED_ZERO = os.environ.get("PYTHONHASHSEED") == "0"


def _str_hash(s: str) -> int:
    if not s:
        return 0
    # CPython stores a str as Latin-1, UCS-2 or UCS-4 depending on its widest code point, and hashes
    # those bytes; pick the same layout.
    try:
        data = s.encode("latin-1")
    except UnicodeEncodeError:
        widest = max(map(ord, s))
        data = s.encode("utf-16-le" if widest < 0x10000 else "utf-32-le", "surrogatepass")
    h = (_SIPHASH13 or _siphash13())(data, key=_ZERO_KEY).intdigest()
    return -2 if h == -1 else h


def _str_hashes(keys: list[str]) -> list[int]:
    """``_str_hash`` of every key, in one pass when all of them are Latin-1 (most text is)."""
    try:
        data = list(map(str.encode, keys, itertools.repeat("latin-1")))
    except UnicodeEncodeError:
        return list(map(_str_hash, keys))
    sip, zero = _SIPHASH13 or _siphash13(), _ZERO_KEY
    hashes = [sip(d, key=zero).intdigest() for d in data]
    if b"" in data:  # the empty string hashes to 0, not to SipHash's value for no bytes
        for i in itertools.compress(range(len(data)), map(operator.not_, data)):
            hashes[i] = 0
    if -1 in hashes:  # -1 is CPython's error value: a hash that comes out -1 is -2
        hashes = [-2 if h == -1 else h for h in hashes]
    return hashes


def _bytes_hash(b: bytes) -> int:
    if not b:
        return 0
    h = (_SIPHASH13 or _siphash13())(bytes(b), key=_ZERO_KEY).intdigest()
    return -2 if h == -1 else h


def seed_zero_hash(x: Any) -> int:
    """``hash(x)`` as a Python process started with ``PYTHONHASHSEED=0`` computes it.

    Exact for str, bytes and the types whose hash is not seeded (int, float, bool, None, ...);
    other objects fall back to this process's own ``hash``.

    Examples
    --------
    >>> seed_zero_hash("hello")
    -2096571579003691106
    """
    if _NATIVE_SEED_ZERO:
        return hash(x)
    t = type(x)
    if t is str:
        return _str_hash(x)
    if t is bytes or t is bytearray:
        return _bytes_hash(x)
    return hash(x)


def portable_hash(x: Any) -> int:
    """PySpark's partitioning hash: stable across processes, tuples hashed item by item.

    Examples
    --------
    >>> portable_hash(None), portable_hash(1)
    (0, 1)
    >>> portable_hash(("hello", 1))
    691311254099385435
    """
    if x is None:
        return 0
    if isinstance(x, tuple):
        h = 0x345678
        for item in x:
            h ^= portable_hash(item)
            h *= 1000003
            h &= _MASK
        h ^= len(x)
        if h == -1:
            h = -2
        return int(h)
    return seed_zero_hash(x)


# Seed-0 hashes of keys seen so far, shared by every shuffle of the process: a streaming job sees
# the same words batch after batch, so its frequent keys are hashed once per program, not per task.
# The cache keeps its keys alive, so it is small and keeps the keys it saw first (the frequent ones,
# mostly): a job over many distinct keys must not hold a second copy of them once it has finished.
_CACHE: dict = {}
_CACHE_LIMIT = 1 << 13
_HASH_CHUNK = 4096


#: the most keys a long-running job may ask the cache to keep (``retain_hashes``): ~130 bytes each
_RETAIN_MAX = 1 << 18


def retain_hashes(keys: int) -> None:
    """Let the cache keep up to ``keys`` keys (never fewer than it keeps already).

    A streaming window meets the same tens of thousands of words batch after batch, for as long as
    it runs: hashing them again every batch costs more than keeping them (a word and its hash take
    ~130 bytes). Batch jobs keep the small default.

    Examples
    --------
    >>> retain_hashes(1 << 10)  # below the default: no change
    """
    global _CACHE_LIMIT
    _CACHE_LIMIT = max(_CACHE_LIMIT, min(int(keys), _RETAIN_MAX))


def cached_portable_hash(key: Any) -> int:
    """``portable_hash`` through a process-wide cache (equal keys always hash alike)."""
    h = _CACHE.get(key)
    if h is None:
        h = portable_hash(key)
        if len(_CACHE) < _CACHE_LIMIT:
            _CACHE[key] = h
    return h


def str_partitions(keys: list[str], n: int) -> list[int]:
    """``portable_hash(key) % n`` for every key of a list of str: cache hits in C, misses hashed.

    Examples
    --------
    >>> str_partitions(["hello", ""], 2)
    [0, 0]
    """
    if _NATIVE_SEED_ZERO:
        return list(map(operator.mod, map(hash, keys), itertools.repeat(n)))
    hashes = list(map(_CACHE.get, keys))  # a hit is the cache's own int: nothing new is held
    if None in hashes:
        for start in range(0, len(keys), _HASH_CHUNK):  # chunks: the transient bytes and ints stay small
            end = start + _HASH_CHUNK
            if None not in hashes[start:end]:
                continue
            chunk = keys[start:end]
            fresh = _str_hashes(chunk)
            room = _CACHE_LIMIT - len(_CACHE)
            if room > 0:
                _CACHE.update(zip(chunk[:room], fresh))
            hashes[start:end] = map(operator.mod, fresh, itertools.repeat(n))
    return list(map(operator.mod, hashes, itertools.repeat(n)))


def partitioner_for(num_partitions: int, partition_func=portable_hash):
    """A function key -> partition index, hashing each distinct key once.

    Examples
    --------
    >>> partitioner_for(2)("hello")
    0
    """
    if num_partitions == 1:
        return lambda key: 0
    if partition_func is portable_hash:
        get = _CACHE.get

        def by_portable_hash(key: Any) -> int:
            try:
                h = get(key)
            except TypeError:  # unhashable key: PySpark would fail to hash it as well
                return portable_hash(key) % num_partitions
            if h is None:
                h = cached_portable_hash(key)
            return h % num_partitions

        return by_portable_hash
    return lambda key: partition_func(key) % num_partitions
