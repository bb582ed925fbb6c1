"""``updateStateByKey``: a running state per key, carried from batch to batch.

The state at time t is built from the state at t - slide and the batch at t, exactly as PySpark builds
it: the first time from the batch alone (or the initial RDD), then a ``cogroup`` of old state and new
values, so every key in the state is offered ``updateFunc([], old)`` even in batches without its data.
A batch with no RDD at all carries the state over without calling ``updateFunc``. Each state RDD is
kept serialized, so a function that mutates its state in place never changes earlier results.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

from ember.core.hashing import partitioner_for
from ember.core.rdd import RDD
from ember.core.serialization import dumps, loads
from ember.storagelevel import StorageLevel
from ember.streaming.dstream import DStream
from ember.streaming.kept import KeptRDD
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


#: state values that cannot be changed in place, so they need no private copy per read
_IMMUTABLE = frozenset((int, float, complex, str, bytes, bool, type(None)))


class StateUpdateRDD(KeptRDD):
    """One batch's new state, computed in one pass with dicts instead of a generic cogroup.

    PySpark computes ``a.cogroup(b.partitionBy(n), n)`` (or ``b.groupByKey(n)`` the first time),
    calls ``updateFunc`` on every key and drops the Nones. The result, partition for partition and in
    order, is: the old state's keys that hash to the partition, in their old order, then the keys new
    in this batch in the order they first appear. This RDD builds exactly that, reading the previous
    state in place when it was made here too (its keys are already in the right partitions).

    Once computed it forgets its parents, so a long-running state does not keep a growing chain of
    batches alive. Values that could be mutated (lists, dicts, objects) are kept pickled and every
    read gets a private copy, as Spark's serialized state would give; plain numbers and strings are
    kept as they are.
    """

    _kind = "StateRDD"
    # pickled, the lists still stay until the next batch has read them (:meth:`_compact`): unpickling
    # them again would cost that batch more than the copy it makes of the lists
    _keep_lists = True

    def __init__(self, ctx, old: RDD | None, batch: RDD, num_partitions: int, update: Callable) -> None:
        super().__init__(ctx, num_partitions)
        self._old, self._batch, self._update = old, batch, update

    @classmethod
    def restored(cls, ctx, parts: list[list], update: Callable) -> StateUpdateRDD:
        """A state read back from a checkpoint (already computed)."""
        rdd = cls(ctx, None, None, len(parts), update)  # type: ignore[arg-type]
        rdd._keep(parts)
        return rdd

    def _parents(self) -> list[RDD]:
        return [r for r in (self._old, self._batch) if r is not None]

    def _compute(self, split: int):
        self._materialize()
        return self._read(split)

    def _drop_lineage(self) -> None:
        self._old = self._batch = None

    def _compact(self) -> None:
        """Keep an older state pickled only: millions of live objects would slow every GC pass."""
        if self._parts is not None:
            self._pickled_parts()  # no work when the checkpoint writer pickled it already
            self._parts = None

    def _old_items(self) -> list[list]:
        """The previous state, as ``(key, state)`` lists per partition of this RDD."""
        old, n = self._old, self._n
        if old is None:
            return [[] for _ in range(n)]
        if isinstance(old, StateUpdateRDD) and old._n == n:
            # made here (or restored), so its keys are already in this RDD's partitions: no hashing,
            # also once RDD.checkpoint has saved it
            items = [list(old._iterator(p)) for p in range(n)]
            old._compact()
            return items
        part_of = partitioner_for(n)
        firsts: list[dict] = [{} for _ in range(n)]
        for s in range(old.getNumPartitions()):
            for k, st in old._iterator(s):
                d = firsts[part_of(k)]
                if k not in d:  # cogroup keeps the first state of a key
                    d[k] = st
        return [list(d.items()) for d in firsts]

    def _materialize(self) -> None:
        if self._parts is not None or self._blobs is not None:
            return
        n, update = self._n, self._update
        part_of = partitioner_for(n)
        # group the batch's values by key in one dict (first-seen order), then split the distinct
        # keys by partition: hashing each key once instead of once per record
        grouped = _grouped_ones(self._batch)
        if grouped is None:
            grouped = {}
            get = grouped.get
            batch = self._batch
            for s in range(batch.getNumPartitions()):  # type: ignore[union-attr]
                for k, v in batch._iterator(s):  # type: ignore[union-attr]
                    vs = get(k)
                    if vs is None:
                        grouped[k] = [v]
                    else:
                        vs.append(v)
        new: list[dict] = [{} for _ in range(n)]
        if n == 1:
            new[0] = grouped
        else:
            for k, vs in grouped.items():
                new[part_of(k)][k] = vs
        parts: list[list] = []
        for p, olds in enumerate(self._old_items()):
            fresh, out = new[p], []
            pop, append = fresh.pop, out.append
            for k, st in olds:
                vs = pop(k, None)
                r = update(vs if vs is not None else [], st)
                if r is not None:
                    append((k, r))
            for k, vs in fresh.items():
                r = update(vs, None)
                if r is not None:
                    append((k, r))
            parts.append(out)
        self._keep(parts)
        self._drop_lineage()

    def _keep(self, parts: list[list]) -> None:
        kinds = set()
        for part in parts:
            kinds.update(map(type, map(_second, part)))
        if kinds <= _IMMUTABLE:
            self._parts = parts
        else:
            self._blobs = [dumps(part) for part in parts]


_second = operator.itemgetter(1)


def _grouped_ones(batch: RDD | None) -> dict | None:
    """The values of ``rdd.map(lambda w: (w, 1))`` grouped by key, from a C count of the words; or None.

    Each key's list is ``[1, 1, ...]``, as many as the key's records, keys in first-seen order: what
    grouping the pairs one by one gives, without making a tuple per word (the word-count idiom of
    ``core/idioms.py``).
    """
    from collections import _count_elements  # type: ignore[attr-defined]  # Counter's C loop
    from itertools import chain

    from ember.core import idioms

    mapped = getattr(batch, "_map_of", None)
    if mapped is None or not idioms.is_pair_with_one(mapped[1]) or not batch._pipelinable():  # type: ignore
        return None
    words = mapped[0]
    counts: dict = {}
    _count_elements(counts, chain.from_iterable(words._iterator(s) for s in range(words.getNumPartitions())))
    return {k: [1] * c for k, c in counts.items()}
