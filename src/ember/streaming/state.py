"""``updateStateByKey``: a running state per key, carried from batch to batch.

The state at time t is built from the state at t - slide and the batch at t, exactly as PySpark builds
it: the first time from the batch alone (or the initial RDD), then a ``cogroup`` of old state and new
values, so every key in the state is offered ``updateFunc([], old)`` even in batches without its data.
A batch with no RDD at all carries the state over without calling ``updateFunc``. Each state RDD is
kept serialized, so a function that mutates its state in place never changes earlier results.
"""

from __future__ import annotations

import itertools
import operator
import threading
from typing import Any, Callable

from ember.core.hashing import partitioner_for
from ember.core.rdd import RDD
from ember.core.serialization import dumps, loads
from ember.storagelevel import StorageLevel
from ember.streaming.dstream import DStream
from ember.streaming.kept import KeptRDD
from ember.streaming.state_keys import (
    EMPTY,
    KeySet,
    advance_kinds,
    is_plain,
    lookup,
    partitions,
    pickled_items,
)
from ember.streaming.transformed import call_transform


class StateDStream(DStream):
    """PySpark's PythonStateDStream."""

    _must_checkpoint = True

    def __init__(self, parent: DStream, reduce_func: Callable, initial: RDD | None,
                 update_func: Callable) -> None:
        super().__init__(parent._ssc, [parent])
        self._reduce = reduce_func
        self._initial = initial
        self._update = update_func
        self._storage = StorageLevel.MEMORY_ONLY
        # the state a recovery gives back: pickled partitions (or, from older checkpoints, one pickle)
        self._saved_state: list[bytes] | bytes | None = None
        self._state_key = id(self)  # names this stream's state in a checkpoint

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state["_initial"] = None  # an RDD cannot be pickled; the saved state replaces it
        return state

    def _restore(self, t: int) -> None:
        """Put the state saved in the checkpoint back, as the state of batch ``t``."""
        saved = self._saved_state
        if saved is not None:
            parts = [loads(b) for b in saved] if isinstance(saved, list) else loads(saved)
            self._generated[t] = StateUpdateRDD.restored(self._sc, parts, self._update)
            self._saved_state = None

    def _compute(self, t: int) -> RDD | None:
        last = self._get_or_compute(t - self._slide_ms)
        rdd = self._parents[0]._get_or_compute(t)
        if rdd is None:
            return last
        if last is None:
            last = self._initial
        return call_transform(self._reduce, t, last, rdd)

    def _user_functions(self) -> list[Callable]:
        return [self._update]


def update_state_by_key(stream: DStream, updateFunc: Callable, numPartitions: int | None,
                        initialRDD: Any) -> DStream:
    """``DStream.updateStateByKey``: see the module docstring."""
    n = stream._default_partitions(numPartitions)
    if not isinstance(initialRDD, RDD):
        # PySpark tests truthiness: an empty list means no initial state at all
        initialRDD = stream._sc.parallelize(initialRDD) if initialRDD else None
    if isinstance(initialRDD, RDD) and initialRDD.partitioner is not None:
        initialRDD = initialRDD.mapPartitions(iter)  # handed over bare, as PySpark hands the JVM its RDD

    def reduce_func(t, a: RDD | None, b: RDD) -> RDD:
        return StateUpdateRDD(b.ctx, a, b, n, updateFunc)

    return StateDStream(stream, reduce_func, initialRDD, updateFunc)


class StateUpdateRDD(KeptRDD):
    """One batch's new state, computed in one pass with dicts instead of a generic cogroup.

    PySpark computes ``a.cogroup(b.partitionBy(n), n)`` (or ``b.groupByKey(n)`` the first time),
    calls ``updateFunc`` on every key and drops the Nones. The result, partition for partition and in
    order, is: the old state's keys that hash to the partition, in their old order, then the keys new
    in this batch in the order they first appear. This RDD builds exactly that, reading the previous
    state in place when it was made here too (its keys are already in the right partitions).

    A partition is kept as columns (:mod:`ember.streaming.state_keys`): its keys, shared with the
    previous state while they stay the same, and its values; ``updateFunc`` is mapped over them in C
    (``map``), and only the keys new in a batch are hashed to their partition. A big state lives in the
    worker processes instead, a partition per worker, updated there in parallel
    (:mod:`ember.streaming.state_resident`). Once computed the RDD forgets its parents, so a
    long-running state does not keep a growing chain of batches alive. Values that could be mutated
    (lists, dicts, objects) are kept pickled and every read gets a private copy, as Spark's serialized
    state would give; numbers, strings and tuples of them are kept as they are.
    """

    _kind = "StateRDD"

    def __init__(self, ctx, old: RDD | None, batch: RDD, num_partitions: int, update: Callable) -> None:
        super().__init__(ctx, num_partitions)
        self._old, self._batch, self._update = old, batch, update
        # per partition: its keys and its values in key order (None: kept pickled only, in _blobs)
        self._cols: list[tuple[KeySet, list | None]] | None = None
        # or, for a state kept in the worker processes: the worker holding each partition
        self._home: list[int] | None = None
        self._sizes: list[int] = []  # the length of each resident partition
        self._heads: list[list] = []  # and its first items
        self._ints: list[bool] = []  # and whether its values are all ints
        self._updating = None  # while the workers still update it (see state_resident.advance)
        self._key = next(_KEYS)  # names this state in the workers
        self._lock = threading.Lock()  # the checkpoint writer pickles beside the job thread

    @classmethod
    def restored(cls, ctx, parts: list[list], update: Callable) -> StateUpdateRDD:
        """A state read back from a checkpoint (already computed)."""
        rdd = cls(ctx, None, None, len(parts), update)  # type: ignore[arg-type]
        rdd._set_columns([KeySet(list(map(_first, part))) for part in parts],
                         [list(map(_second, part)) for part in parts])
        return rdd

    def _parents(self) -> list[RDD]:
        return [r for r in (self._old, self._batch) if r is not None]

    def _compute(self, split: int):
        self._materialize()
        return self._read(split)

    def _read(self, split: int):
        if self._home is not None and self._blobs is None:
            from ember.streaming import state_resident

            return state_resident.items(self, split)
        cols = self._cols
        if cols is not None and cols[split][1] is not None:
            keys, values = cols[split]
            return zip(keys.keys, values)
        return iter(loads(self._blobs[split]))  # type: ignore[index]

    def _materialized(self) -> bool:
        return self._cols is not None or self._home is not None or super()._materialized()

    def _pickled_parts(self) -> list[bytes]:
        if self._checkpoint_parts is not None:
            return [self._checkpoint_parts[p] for p in range(self._n)]
        if not self._materialized():
            self._materialize()
        with self._lock:
            blobs = self._blobs
            if blobs is None:
                if self._home is not None:
                    from ember.streaming import state_resident

                    blobs = self._blobs = state_resident.fetch_pickles(self)
                else:
                    blobs = self._blobs = [pickled_items(k, v) for k, v in self._cols]  # type: ignore
            return blobs

    def _drop_lineage(self) -> None:
        self._old = self._batch = None

    def _compact(self) -> None:
        """Keep an older state's values pickled only (the writer has usually pickled them already)."""
        cols = self._cols
        if cols is not None and any(v is not None for _, v in cols):
            self._pickled_parts()
            self._cols = [(k, None) for k, _ in cols]

    def _old_columns(self) -> list[tuple[KeySet, list]]:
        """The previous state as (keys, values) per partition of this RDD; the values are this batch's."""
        old, n = self._old, self._n
        if old is None:
            return [(EMPTY, []) for _ in range(n)]
        if isinstance(old, StateUpdateRDD) and old._n == n:
            # made here (or restored), so its keys are already in this RDD's partitions: no hashing
            if not old._materialized():
                old._materialize()
            if old._cols is None:  # kept in the workers until now: back to the driver
                from ember.streaming import state_resident

                state_resident.bring_back(old)
            cols = []
            for p, (keys, values) in enumerate(old._cols):  # type: ignore[arg-type]
                if values is None:  # mutable values: a private copy for this batch
                    values = list(map(_second, loads(old._pickled_parts()[p])))
                cols.append((keys, values))
            old._compact()
            return cols
        part_of = partitioner_for(n)
        firsts: list[dict] = [{} for _ in range(n)]
        for s in range(old.getNumPartitions()):
            for k, st in old._iterator(s):
                d = firsts[part_of(k)]
                if k not in d:  # cogroup keeps the first state of a key
                    d[k] = st
        return [(KeySet(list(d)), list(d.values())) for d in firsts]

    def _materialize(self) -> None:
        if self._materialized():
            return
        from ember.streaming import state_resident

        if state_resident.advance(self):
            return
        n, update = self._n, self._update
        grouped, counted = _grouped_values(self._batch)
        olds = self._old_columns()
        # each partition looks up the batch's keys the partitions before it did not hold
        rest_keys, rest_values = list(grouped), list(grouped.values())
        columns = []
        for keys, _ in olds:
            column, rest_keys, rest_values = lookup(keys, rest_keys, rest_values, counted)
            columns.append(column)
        fresh: list[tuple[list, list]] = [([], []) for _ in range(n)]
        for k, vs, p in zip(rest_keys, rest_values, partitions(rest_keys, n)):  # keys new to the state
            fresh[p][0].append(k)
            fresh[p][1].append(vs)
        keysets, values, kinds = [], [], []
        for (keys, old_values), column, (new_keys, new_values) in zip(olds, columns, fresh):
            keys, out, types = advance_kinds(keys, old_values, column, new_keys, new_values, update, counted)
            keysets.append(keys)
            values.append(out)
            kinds.append(types)
        self._set_columns(keysets, values, kinds)
        self._drop_lineage()

    def _set_columns(self, keysets: list[KeySet], columns: list[list], kinds: list | None = None) -> None:
        cols: list[tuple[KeySet, list | None]] = []
        blobs: list[bytes | None] = []
        for p, (keys, values) in enumerate(zip(keysets, columns)):
            if is_plain(values, kinds[p] if kinds else None):
                cols.append((keys, values))
                blobs.append(None)
            else:
                cols.append((keys, None))
                blobs.append(dumps(list(zip(keys.keys, values))))
        if any(b is not None for b in blobs):
            self._blobs = [b if b is not None else pickled_items(k, v)  # type: ignore[arg-type]
                           for (k, v), b in zip(cols, blobs)]
        self._cols = cols


_KEYS = itertools.count(1)
_first = operator.itemgetter(0)
_second = operator.itemgetter(1)


def _grouped_values(batch: RDD) -> tuple[dict, bool]:
    """The batch's values by key, keys in first-seen order, and whether they are counts of ``1`` values.

    The lists may be shared: copy before use.
    """
    counts = _word_counts(batch)
    if counts is not None:
        return counts, True
    grouped: dict = {}
    get = grouped.get
    for s in range(batch.getNumPartitions()):
        for k, v in batch._iterator(s):
            vs = get(k)
            if vs is None:
                grouped[k] = [v]
            else:
                vs.append(v)
    return grouped, False


def word_count_source(batch: RDD | None) -> RDD | None:
    """The RDD of words when ``batch`` is ``words.map(lambda w: (w, 1))``, else None."""
    from ember.core import idioms

    mapped = getattr(batch, "_map_of", None)
    if mapped is None or not idioms.is_pair_with_one(mapped[1]) or not batch._pipelinable():  # type: ignore
        return None
    return mapped[0]


def _word_counts(batch: RDD | None) -> dict | None:
    """How often each key occurs in ``rdd.map(lambda w: (w, 1))``, from a C count of the words; or None.

    The values of such a key are ``[1, 1, ...]``, as many as its records: counting the words gives
    them, in first-seen order, without making a tuple per word (the word-count idiom of
    ``core/idioms.py``).
    """
    from collections import _count_elements  # type: ignore[attr-defined]  # Counter's C loop

    words = word_count_source(batch)
    if words is None:
        return None
    counts: dict = {}
    _count_elements(counts, itertools.chain.from_iterable(
        words._iterator(s) for s in range(words.getNumPartitions())))
    return counts
