"""A big ``updateStateByKey`` state kept in the worker processes and updated there in parallel.

Spark calls ``updateFunc`` for every key of the state in every batch. With a state of many keys that
is most of a batch's work, so on ``local[N]`` (N > 1) a state past :data:`RESIDENT_MIN_KEYS` keys
moves into the worker pool: partition p lives in one worker (:mod:`ember.core.resident`), which keeps
it from batch to batch as the driver would (:mod:`ember.streaming.state_keys`' columns). A batch then

1. groups its values by key in the workers, one task per input partition, each bucketing its keys by
   the partition they hash to (workers hash with seed 0 natively); the driver forwards the pickled
   buckets without reading them (a batch whose input cannot be shipped is grouped in the driver and
   sent whole: each worker keeps its own keys);
2. updates every partition in its worker, all at once; the worker keeps the new state beside the
   previous one until the next update (a failed batch can be computed again), handing the previous
   one back pickled when the driver has no pickle of it yet;
3. reads a partition only when something asks: the first items for ``take`` (``pprint``) come with
   the update's reply, the whole partition pickled for a checkpoint or ``collect``.

For the running total ``sum(new) + (old or 0)`` of counted words over a state of ints, step 2 waits
for no one: the first items are the previous first items plus their counts in the batch (the map
tasks of step 1 count those keys too; new keys come after them), so the batch's output is done
before the workers' update, which runs meanwhile and which whatever reads the state next waits for
(:func:`settled`); an update that fails raises there.

The results are the same as in the driver, key for key and in the same order. A worker that dies
takes its partition with it: the batch fails with an error saying so (as a failed batch does).
A state with values that could be mutated comes back to the driver (it is pickled per batch there).
"""

from __future__ import annotations

import _thread
import itertools
import operator
import os
import threading
import weakref
from typing import Any

from ember.core.combine import key_partitions, split_by_partition
from ember.core.resident import call_on
from ember.core.serialization import dumps, loads
from ember.streaming import state_keys as sk

#: a state smaller than this stays in the driver: updating it costs less than the round trips
RESIDENT_MIN_KEYS = 20_000
#: how a context changes it (tests use a small value)
MIN_KEYS_CONF = "ember.streaming.state.residentMinKeys"
#: the first items of a partition fetched for a read (``take`` needs only a few)
HEAD = 64
_first, _second = operator.itemgetter(0), operator.itemgetter(1)
#: a batch of fewer records (about) is grouped in the driver: its tasks would cost more than they save
SHIP_MIN_WEIGHT = 1000


def _min_keys(ctx: Any) -> int:
    value = ctx.getConf().get(MIN_KEYS_CONF)
    return RESIDENT_MIN_KEYS if value is None else int(value)


def advance(rdd: Any) -> bool:
    """Compute state ``rdd`` in the workers when its previous state is (or should be) there."""
    from ember.streaming.state import StateUpdateRDD

    old, n, ctx = rdd._old, rdd._n, rdd.ctx
    if not isinstance(old, StateUpdateRDD) or old._n != n or rdd._batch is None:
        return False
    if not old._materialized():
        old._materialize()
    settled(old)
    resident = old._home is not None
    if not resident:
        cols = old._cols
        if ctx._cores < 2 or not ctx._pool_enabled or cols is None or any(v is None for _, v in cols):
            return False
        if sum(len(k.keys) for k, _ in cols) < max(_min_keys(ctx), 1):
            return False
    try:
        import cloudpickle

        fn_blob = cloudpickle.dumps(rdd._update)
    except Exception:
        if resident:
            bring_back(old)
        return False
    pool = ctx._worker_pool()
    if resident:
        homes = old._home
    else:
        serials = pool.serials()
        homes = [serials[p % len(serials)] for p in range(n)]
        blobs = old._pickled_parts()
        _on(ctx, pool, homes, [(_w_place, (old._key, p, blobs[p])) for p in range(n)])
    watch = _watched_heads(rdd, old) if resident else None
    buckets, words, watched = _map_side(rdd, n, watch)
    if watch is not None and words and watched is not None:
        # the running total over ints: the heads are the old heads plus their counts, so the batch's
        # output needs no update; the workers update meanwhile, awaited by whatever reads them next
        heads, at = [], 0
        for head in old._heads:
            heads.append(list(zip(map(_first, head), map(operator.add, map(_second, head),
                                                          watched[at:at + len(head)]))))
            at += len(head)
        rdd._home, rdd._heads, rdd._sizes = homes, heads, []
        rdd._updating = _Updating()
        _thread.start_new_thread(_update_later, (rdd, old, pool, homes, buckets, words, fn_blob))
        return True
    _update(rdd, old, pool, homes, buckets, words, fn_blob)
    return True


def _watched_heads(rdd: Any, old: Any) -> list | None:
    """The keys of ``old``'s heads when the batch's output can be had from their counts alone: a
    running total (``sum(new) + (old or 0)``) of counted words over a state of ints whose every
    partition is longer than its head (new keys come after it). None otherwise."""
    from ember.core.idioms import is_sum_plus_old
    from ember.streaming.state import word_count_source

    if not is_sum_plus_old(rdd._update) or word_count_source(rdd._batch) is None:
        return None
    if not old._ints or not all(old._ints) or len(old._heads) != rdd._n \
            or any(len(head) != HEAD or size <= HEAD for head, size in zip(old._heads, old._sizes)):
        return None
    return [k for head in old._heads for k, _ in head]


class _Updating:
    """A resident state's update still running in the workers: done, and how it ended."""

    __slots__ = ("done", "error")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None


def settled(rdd: Any) -> None:
    """Wait until the workers have finished updating resident state ``rdd`` (see ``advance``);
    an update that failed raises its error here, to whoever reads the state."""
    updating = getattr(rdd, "_updating", None)
    if updating is None:
        return
    updating.done.wait()
    if updating.error is not None:
        raise updating.error


def _update_later(rdd: Any, old: Any, pool: Any, homes: list[int], buckets: list, words: bool,
                  fn_blob: bytes) -> None:
    updating = rdd._updating
    try:
        _update(rdd, old, pool, homes, buckets, words, fn_blob, keep_heads=True)
    except BaseException as e:  # raised again to whoever reads the state (the next batch first)
        updating.error = e
    finally:
        updating.done.set()


def _update(rdd: Any, old: Any, pool: Any, homes: list[int], buckets: list, words: bool, fn_blob: bytes,
            keep_heads: bool = False) -> None:
    """Update every partition in its worker (all at once) into state ``rdd``."""
    ctx, n = rdd.ctx, rdd._n
    drops = _forgotten(homes)
    with old._lock:  # the checkpoint writer must not ask the workers for the old state meanwhile
        want_old = old._blobs is None
        replies = _on(ctx, pool, homes, [
            (_w_update, (old._key, rdd._key, p, n, buckets[p], words, fn_blob, want_old, drops[p]))
            for p in range(n)])
        if want_old:
            old._blobs = [r[2] for r in replies]
    # the workers drop the old state with the next update: had one of them failed here, the batch
    # could be computed again from it
    _forget(homes, old._key)
    rdd._home, rdd._sizes, rdd._ints = homes, [r[0] for r in replies], [r[4] for r in replies]
    if not keep_heads:
        rdd._heads = [r[3] for r in replies]
    mutable = [r[1] for r in replies]
    if any(b is not None for b in mutable):  # values that could change in place: kept in the driver
        blobs = [b if b is not None else _fetch_one(rdd, p) for p, b in enumerate(mutable)]
        rdd._home = None
        _keep_in_driver(rdd, blobs)
        _drop(ctx, pool, homes, rdd._key)
        _drop(ctx, pool, homes, old._key)
    else:
        weakref.finalize(rdd, _forget, homes, rdd._key)
    rdd._drop_lineage()


#: (worker, state, partition) of states gone from the driver, still to be dropped by their workers
_FORGOTTEN: list = []


def _forget(homes: list[int], key: int) -> None:
    """A resident state's RDD is gone: its workers drop it with their next update (a no-op when its
    successor replaced it already). Called by the garbage collector: it only takes a note."""
    _FORGOTTEN.extend((serial, key, p) for p, serial in enumerate(homes))


def _forgotten(homes: list[int]) -> list[list]:
    """Per partition of ``homes``, the forgotten states its worker should drop (each worker once)."""
    taken = []
    while _FORGOTTEN:
        taken.append(_FORGOTTEN.pop())
    out: list[list] = [[] for _ in homes]
    first = {}
    for p, serial in enumerate(homes):
        first.setdefault(serial, p)
    for serial, key, p in taken:
        if serial in first:  # others are in workers that are gone, or not used by this state
            out[first[serial]].append((key, p))
    return out


def _on(ctx: Any, pool: Any, homes: list[int], calls: list[tuple]) -> list:
    from ember.core.pool import WorkerLost

    try:
        return call_on(pool, [(homes[p], fn, args) for p, (fn, args) in enumerate(calls)], ctx)
    except WorkerLost as e:
        raise WorkerLost(f"the updateStateByKey state kept in the worker processes is lost: {e}") from None


def _map_side(rdd: Any, n: int, watch: list | None = None) -> tuple[list, bool, list | None]:
    """Per partition of the state, what its worker needs of the batch: pickled buckets, in batch order;
    whether the values are counts; and, for a word count, the batch's count of each key of ``watch``."""
    from ember.streaming.state import _grouped_values, word_count_source

    batch = rdd._batch
    words = word_count_source(batch)
    source_rdd = words if words is not None else batch
    splits = list(range(source_rdd.getNumPartitions()))
    shipped = None
    if len(splits) > 1:
        shipped = _ship(source_rdd, _Group(n, words is not None, watch if words is not None else None),
                        splits)
    if shipped is not None:
        per_partition: list[list] = [[] for _ in range(n)]
        watched = [0] * len(watch) if watch is not None and words is not None else None
        for task in shipped:
            if type(task) is tuple and task[0] == "watched":  # the buckets, and the watched keys' counts
                _, task, counts = task
                if watched is not None:
                    watched = list(map(operator.add, watched, counts))
            if type(task) is list:
                for p in range(n):
                    per_partition[p].append(("part", task[p]))
            else:  # keys a worker cannot hash as the driver does: routed here
                watched = None
                grouped = loads(task[1])
                for p, blob in enumerate(_split_here(grouped, n)):
                    per_partition[p].append(("mine", blob))
        return per_partition, words is not None, watched
    # grouped here: sent whole when every worker can pick its own keys, else split here
    grouped, counted = _grouped_values(batch)
    watched = [grouped.get(k, 0) for k in watch] if watch is not None and counted else None
    if sk.portable(list(grouped)):
        blob = dumps((list(grouped), list(grouped.values())))
        return [[("all", blob)] for _ in range(n)], counted, watched
    return [[("mine", blob)] for blob in _split_here(grouped, n)], counted, watched


def _split_here(grouped: dict, n: int) -> list[bytes]:
    """``grouped`` split by partition with the driver's hashing, pickled per partition."""
    keys = list(grouped)
    return [dumps(b) for b in split_by_partition(keys, list(grouped.values()), key_partitions(keys, n), n)]


def _ship(rdd: Any, task: Any, splits: list[int]) -> list | None:
    """``task`` on each partition of ``rdd`` in the worker pool, or None when they cannot go there."""
    from ember.core.scheduler import _annotate, reply_value, ship_sources, task_payload

    sources = ship_sources(rdd, splits)
    if sources is None or sum(s.weight for s in sources) < SHIP_MIN_WEIGHT:
        return None
    try:
        payloads = [task_payload(src, task) for src in sources]
    except Exception:  # functions that cannot travel: the batch is grouped in the driver
        return None

    def on_reply(i: int, reply: tuple) -> Any:
        payloads[i] = None  # type: ignore[call-overload]
        try:
            return reply_value(reply, rdd.ctx)
        except Exception as e:
            _annotate(e, rdd, splits[i])
            raise

    return rdd.ctx._worker_pool().map(payloads, on_reply)


class _Group:
    """A map task: the partition's values grouped by key (counted for a word count), in buckets;
    with ``watch`` (a word count), also how often each of those keys occurs."""

    def __init__(self, n: int, words: bool, watch: list | None = None) -> None:
        self.n, self.words, self.watch = n, words, watch

    def __call__(self, split: int, it: Any) -> list[bytes] | tuple:
        grouped = self._grouped(it)
        buckets = self._buckets(grouped)
        if self.watch is None:
            return buckets
        return ("watched", buckets, list(map(grouped.get, self.watch, itertools.repeat(0))))

    def _grouped(self, it: Any) -> dict:
        grouped: dict = {}
        if self.words:
            from collections import _count_elements  # type: ignore[attr-defined]

            _count_elements(grouped, it)
        else:
            get = grouped.get
            for k, v in it:
                vs = get(k)
                if vs is None:
                    grouped[k] = [v]
                else:
                    vs.append(v)
        return grouped

    def _buckets(self, grouped: dict) -> list[bytes] | tuple[str, bytes]:
        keys, values = list(grouped), list(grouped.values())
        if self.n == 1:
            return [dumps(grouped)]
        if not sk.portable(keys):  # hashed otherwise here than in the driver: the driver routes them
            return ("whole", dumps(grouped))
        at = key_partitions(keys, self.n)
        return [dumps(dict(zip(ks, vs))) for ks, vs in split_by_partition(keys, values, at, self.n)]

    def __reduce__(self) -> tuple:
        return (_Group, (self.n, self.words, self.watch))


def items(rdd: Any, split: int):
    """A resident partition's items: its first ones (from the update's reply), the rest only if read."""
    head = rdd._heads[split] if rdd._heads else _on(rdd.ctx, rdd.ctx._worker_pool(), [rdd._home[split]],
                                                     [(_w_head, (rdd._key, split, HEAD))])[0]
    yield from head
    settled(rdd)
    if len(head) < rdd._sizes[split]:
        yield from itertools.islice(loads(rdd._pickled_parts()[split]), len(head), None)


def fetch_pickles(rdd: Any) -> list[bytes]:
    """Every partition of a resident state, pickled by its worker (the pickles a checkpoint saves)."""
    settled(rdd)
    pool = rdd.ctx._worker_pool()
    return _on(rdd.ctx, pool, rdd._home, [(_w_pickle, (rdd._key, p)) for p in range(len(rdd._home))])


def fetch_one(rdd: Any, p: int) -> bytes:
    settled(rdd)
    return _fetch_one(rdd, p)


def _fetch_one(rdd: Any, p: int) -> bytes:
    return _on(rdd.ctx, rdd.ctx._worker_pool(), [rdd._home[p]], [(_w_pickle, (rdd._key, p))])[0]


def bring_back(rdd: Any) -> None:
    """Keep a resident state in the driver again (its next batch is computed there)."""
    settled(rdd)
    homes = rdd._home
    _keep_in_driver(rdd, rdd._pickled_parts())
    rdd._home = None
    try:
        _drop(rdd.ctx, rdd.ctx._worker_pool(), homes, rdd._key)
    except Exception:  # noqa: S110 - a worker that is gone holds nothing any more
        pass


def _keep_in_driver(rdd: Any, blobs: list[bytes]) -> None:
    parts = [loads(b) for b in blobs]
    rdd._set_columns([sk.KeySet([k for k, _ in part]) for part in parts],
                     [[v for _, v in part] for part in parts])


def _drop(ctx: Any, pool: Any, homes: list[int], key: int) -> None:
    _on(ctx, pool, homes, [(_w_drop, (key, p)) for p in range(len(homes))])


# -- in the worker processes ----------------------------------------------------------------------

def _w_place(store: dict, key: int, p: int, blob: bytes) -> None:
    part = loads(blob)
    store[key, p] = (sk.KeySet([k for k, _ in part]), [v for _, v in part])


def _w_update(store: dict, old_key: int, key: int, p: int, n: int, buckets: list, words: bool,
              fn_blob: bytes, want_old: bool, drops: list) -> tuple:
    import pickle

    for gone in drops:
        store.pop(gone, None)

    update = pickle.loads(fn_blob)
    if (old_key, p) not in store:
        raise RuntimeError(f"the previous updateStateByKey state (#{old_key}) is not in worker process "
                           f"{os.getpid()}")
    keys, values = store[old_key, p]
    grouped = _merged(buckets, p, n, words)
    column, new_keys, new_values = sk.lookup(keys, list(grouped), list(grouped.values()), words)
    new, out, kinds = sk.advance_kinds(keys, values, column, new_keys, new_values, update, words)
    old_blob = sk.pickled_items(keys, values) if want_old else None
    if not sk.is_plain(out, kinds):
        return len(out), dumps(list(zip(new.keys, out))), old_blob, None, False
    store[key, p] = (new, out)
    # what take reads first; whether every value is an int (the next batch may then skip waiting)
    return len(out), None, old_blob, list(zip(new.keys[:HEAD], out[:HEAD])), kinds <= sk.INTS


def _merged(buckets: list, p: int, n: int, words: bool) -> dict:
    """This partition's keys of the batch with their values, in first-seen order."""
    grouped: dict = {}
    for kind, blob in buckets:
        if kind == "all":  # the whole batch, grouped by the driver: this worker picks its keys
            keys, values = loads(blob)
            part = dict(zip(*split_by_partition(keys, values, key_partitions(keys, n), n)[p]))
        elif kind == "mine":  # this partition's keys, split by the driver
            part = dict(zip(*loads(blob)))
        else:  # this partition's bucket of one map task
            part = loads(blob)
        if not grouped:
            grouped = part
        elif words:
            get = grouped.get
            for k, c in part.items():
                grouped[k] = get(k, 0) + c
        else:
            for k, vs in part.items():
                have = grouped.get(k)
                if have is None:
                    grouped[k] = vs
                else:
                    have.extend(vs)
    return grouped


def _w_head(store: dict, key: int, p: int, count: int) -> list:
    keys, values = store[key, p]
    return list(zip(keys.keys[:count], values[:count]))


def _w_pickle(store: dict, key: int, p: int) -> bytes:
    return sk.pickled_items(*store[key, p])


def _w_drop(store: dict, key: int, p: int) -> None:
    store.pop((key, p), None)

