"""The keys of one state partition, shared by the batches that keep them, and the state's pickles.

A running state over many keys mostly keeps the same keys batch after batch: only the values change.
So a state partition is kept as two columns, a :class:`KeySet` (the keys in state order, each key's
position, the keys pickled) and a list of values; a batch that adds no key and removes none shares
its predecessor's KeySet, and one that only adds keys extends it without copying the old keys' pickles.

A partition pickles (:func:`pickled_items`) as the list of ``(key, value)`` pairs that every reader of
a state pickle expects (checkpoints, ``RDD.checkpoint`` files, window batches), built from the keys'
pickles made once and a pickle of the values made per batch.
"""

from __future__ import annotations

import collections
import itertools
import operator
from typing import Callable, Iterable

from ember.core.combine import key_partitions
from ember.core.idioms import is_sum_plus_old
from ember.core.serialization import all_immutable, dumps, dumps_flat, loads

#: past this many pickled chunks of keys (one per batch that added keys), they are pickled as one again
_MAX_CHUNKS = 32


class KeySet:
    """A partition's keys in state order, ``index`` (key -> position) and the keys' pickles by chunk.

    Never changed once made (the chunks' pickles are filled in once, by whichever thread needs them
    first), so batches and the checkpoint writer share it freely.

    Examples
    --------
    >>> ks = KeySet(["a", "b"]).extended(["c"])
    >>> ks.keys, ks.index["c"]
    (['a', 'b', 'c'], 2)
    """

    __slots__ = ("keys", "index", "chunks")

    def __init__(self, keys: list, index: dict | None = None, chunks: list | None = None) -> None:
        self.keys = keys
        self.index = dict(zip(keys, range(len(keys)))) if index is None else index
        # [start, end, pickle of keys[start:end] or None until someone needs it]
        self.chunks = [[0, len(keys), None]] if chunks is None else chunks

    def extended(self, new: list) -> KeySet:
        """These keys followed by ``new`` (keys not among them)."""
        if not new:
            return self
        if not self.keys:
            return KeySet(new)
        n = len(self.keys)
        keys = self.keys + new
        index = self.index.copy()
        index.update(zip(new, range(n, len(keys))))
        chunks = self.chunks + [[n, len(keys), None]]  # the old chunks' lists are shared: pickled once
        return KeySet(keys, index, chunks if len(chunks) <= _MAX_CHUNKS else None)

    def blobs(self) -> list[bytes]:
        """The keys pickled, chunk by chunk (each made once)."""
        out = []
        for chunk in self.chunks:
            blob = chunk[2]
            if blob is None:
                blob = chunk[2] = _dumps_keys(self.keys[chunk[0]:chunk[1]])
            out.append(blob)
        return out


EMPTY = KeySet([])


def _dumps_keys(keys: list) -> bytes:
    return dumps_flat(keys) if all_immutable(keys) else dumps(keys)


class _Items:
    """Pickles as ``list(zip(keys, values))``, from the keys' chunk pickles and the values."""

    __slots__ = ("key_blobs", "values")

    def __init__(self, key_blobs: list[bytes], values: list) -> None:
        self.key_blobs, self.values = key_blobs, values

    def __reduce__(self) -> tuple:
        return (items_from, (self.key_blobs, self.values))


def items_from(key_blobs: list[bytes], values: list) -> list:
    """The ``(key, value)`` pairs of a partition pickled by :func:`pickled_items`."""
    keys: list = []
    for blob in key_blobs:
        keys += loads(blob)
    return list(zip(keys, values))


def pickled_items(keys: KeySet, values: list) -> bytes:
    """``list(zip(keys.keys, values))`` pickled; the values must be immutable (see ``all_immutable``).

    Examples
    --------
    >>> loads(pickled_items(KeySet(["a", "b"]), [1, 2]))
    [('a', 1), ('b', 2)]
    """
    return dumps_flat(_Items(keys.blobs(), values))  # type: ignore[arg-type]


#: state values that cannot be changed in place, so they need no private copy per read
_IMMUTABLE = frozenset((int, float, complex, str, bytes, bool, type(None)))
_NONE = type(None)
INTS = frozenset((int,))  # the kinds of an all-int column
#: the new values of a key without any in the batch: never changed, as every call is handed a copy
NO_VALUES: list = []
_ONE = [1]  # never changed: ``_ONE * count`` is a new list


def is_plain(values: list, kinds: set | None = None) -> bool:
    """Whether ``values`` can be kept as they are (numbers, strings, tuples of them).

    ``kinds``: the types of ``values`` when the caller has them already (see :func:`advance_kinds`).
    """
    if kinds is None:
        kinds = set(map(type, values))
    return kinds <= _IMMUTABLE or (tuple in kinds and all_immutable(values))


#: key types that hash alike in every process (str and bytes through the seed-0 hash)
_PORTABLE = frozenset((str, bytes, int, float, complex, bool, type(None)))


def portable(keys: list) -> bool:
    """Whether ``keys`` go to the same partitions in the driver and in a worker process.

    Other objects (a dataclass with str fields, a frozenset) hash with each process's own seed.
    """
    kinds = set(map(type, keys))
    if kinds <= _PORTABLE:
        return True
    if kinds - _PORTABLE - {tuple}:
        return False
    return all(portable(list(k)) for k in keys if type(k) is tuple)


def partitions(keys: list, n: int) -> Iterable[int]:
    """The partitions ``keys`` hash to (:func:`ember.core.combine.key_partitions`)."""
    return key_partitions(keys, n)


def lookup(keys: KeySet, batch_keys: list, batch_values: list,
           counted: bool = False) -> tuple[list, list, list]:
    """The new values of each of ``keys`` (none: ``NO_VALUES``, or 0 when ``counted``), and the batch's
    other keys and values.

    The batch's keys are looked up in the state's index (not the state's keys in the batch), in C.
    ``counted``: the batch's values are counts, each standing for that many ``1`` values (a word count).
    """
    column = [0 if counted else NO_VALUES] * len(keys.keys)
    if not column or not batch_keys:
        return column, batch_keys, batch_values
    at = list(map(keys.index.get, batch_keys))
    hit = list(map(operator.is_not, at, itertools.repeat(None)))
    found = hit.count(True)
    if found:
        collections.deque(map(column.__setitem__, itertools.compress(at, hit),
                              itertools.compress(batch_values, hit)), 0)
        if found == len(batch_keys):
            return column, [], []
        miss = list(map(operator.not_, hit))
        batch_keys = list(itertools.compress(batch_keys, miss))
        batch_values = list(itertools.compress(batch_values, miss))
    return column, batch_keys, batch_values


def advance(keys: KeySet, values: list, column: list, new_keys: list, new_values: list,
            update: Callable, counted: bool = False) -> tuple[KeySet, list]:
    """One partition's next state: ``update`` on every old key (in C), Nones dropped, then the new keys.

    Every call gets a list of its own (``updateFunc`` may keep or change it); the lists handed in may
    be shared. ``counted``: the values are counts of ``1`` values (see :func:`lookup`).
    """
    return advance_kinds(keys, values, column, new_keys, new_values, update, counted)[:2]


def advance_kinds(keys: KeySet, values: list, column: list, new_keys: list, new_values: list,
                  update: Callable, counted: bool = False) -> tuple[KeySet, list, set]:
    """:func:`advance`, and the types of the new values (for :func:`is_plain`: one pass over them)."""
    if counted and is_sum_plus_old(update) and set(map(type, values)) <= INTS:
        # the running word count: sum([1] * c) + (old or 0) is c + old for an int old (c + 0 for a new
        # key, never None), so no call per key: the same ints, the same order
        out = list(map(operator.add, column, values))
        out.extend(new_values)
        return keys.extended(list(new_keys)), out, ({int} if out else set())
    if not values:
        out = []
    elif counted:
        out = list(map(update, map(operator.mul, itertools.repeat(_ONE), column), values))
    else:
        out = list(map(update, map(list.copy, column), values))
    kinds = set(map(type, out))
    if _NONE in kinds:  # None removes a key
        kept = [i for i, r in enumerate(out) if r is not None]
        keys = KeySet([keys.keys[i] for i in kept])
        out = [out[i] for i in kept]
        kinds.discard(_NONE)
    added = []
    for k, vs in zip(new_keys, new_values):
        r = update(_ONE * vs if counted else vs.copy(), None)
        if r is not None:
            added.append(k)
            out.append(r)
            kinds.add(type(r))
    return keys.extended(added), out, kinds
