"""A big updateStateByKey state kept in the worker processes: the same results as in the driver."""

from __future__ import annotations

import gc
import os
import random
import signal

import pytest
from streaming_helpers import manual_context
from test_recovery import RESULTS, Feed, run_batch, setup_on
from test_state_columns import counting, reference

from ember.core.pool import WorkerLost, WorkerPool
from ember.core.resident import call_on
from ember.core.serialization import loads
from ember.streaming import StreamingContext
from ember.streaming.state_resident import MIN_KEYS_CONF
from ember.testing import BatchDriver

RDDS: list = []


def _keep(rdd) -> None:
    RDDS.append(rdd)


@pytest.fixture
def rsc(tmp_path):
    """A local[2] context whose states move to the workers from 1 key on."""
    ctx = manual_context(app="resident", settings={MIN_KEYS_CONF: "1"})
    ctx.setCheckpointDir(str(tmp_path))
    yield ctx
    ctx.stop()


def run(sc, batches: list, build, n: int = 2, first=None) -> list:
    """Each batch's state collected; ``first``: an output of the state's that runs before."""
    ssc = StreamingContext(sc, 1)
    ssc.checkpoint(sc._checkpoint_dir)
    results: list = []
    RDDS.clear()
    state = build(ssc.queueStream([sc.parallelize(b, 2) for b in batches]))
    if first is not None:
        state.foreachRDD(first)
    state.foreachRDD(lambda rdd: results.append(rdd.collect()))
    state.foreachRDD(_keep)
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(len(batches))
    ssc.stop(stopSparkContext=False)
    return results


def test_same_states_as_the_plain_cogroup(rsc):
    rng = random.Random(11)
    words = [f"w{i}" for i in range(60)] + list(range(20)) + [("t", i) for i in range(5)]
    batches = [[(rng.choice(words[: 10 + 4 * b]), rng.randint(1, 3)) for _ in range(40)] for b in range(14)]
    results = run(rsc, batches, lambda d: d.updateStateByKey(counting, numPartitions=3))
    assert results == reference(batches, counting, 3)
    assert RDDS[-1]._home is not None, "the state lives in the workers"
    assert RDDS[1]._blobs is not None  # an older state came back pickled when the next one replaced it


def test_word_count_grouped_in_the_workers(rsc, monkeypatch):
    maps = []
    real = WorkerPool.map
    monkeypatch.setattr(WorkerPool, "map", lambda self, p, on: maps.append(len(p)) or real(self, p, on))
    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(300)]
    batches = [[" ".join(rng.choice(vocabulary[: 50 + 25 * b]) for _ in range(8)) for _ in range(2000)]
               for b in range(6)]
    results = run(rsc, batches, lambda d: d.flatMap(lambda x: x.split(" ")).map(lambda w: (w, 1))
                  .updateStateByKey(lambda new, old: sum(new) + (old or 0)))
    pairs = [[(w, 1) for line in b for w in line.split(" ")] for b in batches]
    assert results == reference(pairs, lambda new, old: sum(new) + (old or 0), 2)
    assert RDDS[-1]._home is not None and maps == [2] * 5  # batches 2 to 6 counted in 2 tasks
    first = RDDS[-1].take(3)  # the first items alone, then the pickles for the rest
    assert first == results[-1][:3]
    assert [loads(b) for b in RDDS[-1]._pickled_parts()] == RDDS[-1].glom().collect()


def test_states_that_could_change_in_place_come_back_to_the_driver(rsc):
    def extend(new, old):
        old = old if old is not None else []
        old.extend(new)
        return old

    def listed_at_3(new, old):
        return [old] if old == 3 else sum(new) + (old or 0)

    batches = [[("k", 1), ("j", 1)], [("k", 2)], [("k", 3), ("j", 3)]]
    results = run(rsc, batches, lambda d: d.updateStateByKey(listed_at_3))
    assert results == [[("j", 1), ("k", 1)], [("j", 1), ("k", 3)], [("j", 4), ("k", [3])]]
    assert RDDS[-1]._home is None
    results = run(rsc, batches, lambda d: d.updateStateByKey(extend))
    assert results == [[("j", [1]), ("k", [1])], [("j", [1]), ("k", [1, 2])],
                       [("j", [1, 3]), ("k", [1, 2, 3])]]


def test_a_lost_worker_fails_the_batch_with_a_clear_error(rsc):
    ssc = StreamingContext(rsc, 1)
    ssc.checkpoint(rsc._checkpoint_dir)
    RDDS.clear()
    batches = [[("a", 1), ("b", 1)], [("a", 1)], [("b", 1)]]
    state = ssc.queueStream([rsc.parallelize(b, 2) for b in batches]).updateStateByKey(counting)
    state.foreachRDD(_keep)
    state.foreachRDD(lambda rdd: rdd.count())
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(2)
    home = RDDS[-1]._home
    assert home is not None
    holder = next(w for w in rsc._pool._all if w.serial == home[0])
    os.kill(holder.proc.pid, signal.SIGKILL)
    holder.proc.wait()
    driver.advance(1)
    with pytest.raises(WorkerLost, match="updateStateByKey state kept in the worker processes is lost"):
        ssc.awaitTerminationOrTimeout(5)
    ssc.stop(stopSparkContext=False)


def test_a_resident_state_survives_a_restart(rsc, tmp_path):
    RESULTS.clear()
    feed = Feed()
    ckpt = str(tmp_path / "ckpt")
    ssc = StreamingContext.getOrCreate(ckpt, setup_on(feed.port))
    driver = BatchDriver(ssc)
    ssc.start()
    conn = feed.connect()
    run_batch(ssc, driver, conn, "a b a\n", 1)
    run_batch(ssc, driver, conn, "b c\n", 2)
    run_batch(ssc, driver, conn, "c\n", 3)
    ssc.stop(stopSparkContext=False)
    conn.close()
    assert RESULTS[-1] == [("a", 2), ("b", 2), ("c", 2)]

    ssc = StreamingContext.getOrCreate(ckpt, setup_on(feed.port))
    driver = BatchDriver(ssc)
    ssc.start()
    conn = feed.connect()
    run_batch(ssc, driver, conn, "c d\n", 1)
    run_batch(ssc, driver, conn, "d\n", 2)
    ssc.stop(stopSparkContext=False)
    conn.close()
    feed.listener.close()
    assert RESULTS[-2:] == [[("a", 2), ("b", 2), ("c", 3), ("d", 1)],
                            [("a", 2), ("b", 2), ("c", 3), ("d", 2)]]


def _stored(store):
    return sorted(store)


def test_states_no_longer_referenced_leave_the_workers(rsc):
    run(rsc, [[("a", 1)], [("b", 1)], [("a", 1)]], lambda d: d.updateStateByKey(counting))
    RDDS.clear()
    gc.collect()  # the first context's states are garbage: their workers are told with the next update
    run(rsc, [[("c", 1)], [("d", 1)], [("c", 1)]], lambda d: d.updateStateByKey(counting))
    pool = rsc._worker_pool()
    stored = [k for keys in call_on(pool, [(s, _stored, ()) for s in pool.serials()]) for k in keys]
    # the newest state, and the one before it (dropped with the next update)
    assert sorted(stored) == sorted((rdd._key, p) for rdd in RDDS[-2:] for p in range(2))


@pytest.mark.parametrize("records", [30, 3000])  # grouped in the driver; grouped in map tasks
def test_keys_each_process_hashes_its_own_way_are_routed_by_the_driver(rsc, records):
    rng = random.Random(5)
    words = [frozenset({f"w{i}", f"v{i % 3}"}) for i in range(40)] + [("t", frozenset({"x"}))]
    batches = [[(rng.choice(words), 1) for _ in range(records)] for _ in range(5)]
    results = run(rsc, batches, lambda d: d.updateStateByKey(counting))
    assert results == reference(batches, counting, 2)
    assert RDDS[-1]._home is not None


FAILED_ONCE: list = []  # in each worker process: whether "boom" has failed there already


def _fails_once_on_boom(new, old):
    if new and new[0] == "boom" and not FAILED_ONCE:
        FAILED_ONCE.append(True)
        raise ValueError("boom failed")
    return len(new) + (old or 0)


def test_a_failed_batch_is_computed_again_from_the_previous_state(rsc):
    ssc = StreamingContext(rsc, 1)
    ssc.checkpoint(rsc._checkpoint_dir)
    results: list = []
    batches = [[("a", 1), ("b", 1)], [("a", 1), ("b", 1), ("c", "boom")], [("b", 1)]]
    state = ssc.queueStream([rsc.parallelize(b, 2) for b in batches]).updateStateByKey(_fails_once_on_boom)
    state.foreachRDD(lambda rdd: results.append(sorted(rdd.collect())))
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(2)
    with pytest.raises(ValueError, match="boom failed"):
        ssc.awaitTerminationOrTimeout(5)
    driver.advance(1)
    ssc.stop(stopSparkContext=False)
    # batch 2 failed; batch 3 computed it again (the workers still had batch 1's state) and went on
    assert results == [[("a", 1), ("b", 1)], [("a", 2), ("b", 3), ("c", 1)]]


def _running_total(new, old):
    return sum(new) + (old or 0)


def test_running_total_output_comes_before_the_workers_update(rsc, monkeypatch):
    # a state of ints longer than its heads: the batch's first items are the old heads plus their counts,
    # printed while the workers update; whatever reads the state next waits for them
    from ember.streaming import state_resident

    updates = []
    real = state_resident._update_later
    monkeypatch.setattr(state_resident, "_update_later", lambda *a: updates.append(1) or real(*a))
    rng = random.Random(5)
    vocabulary = [f"w{i}" for i in range(400)]
    batches = [[" ".join(rng.choice(vocabulary[: 200 + 40 * b]) for _ in range(6)) for _ in range(300)]
               for b in range(6)]
    heads: list = []
    whole = run(rsc, batches, lambda d: d.flatMap(lambda x: x.split(" ")).map(lambda w: (w, 1))
                .updateStateByKey(_running_total), first=lambda rdd: heads.append(rdd.take(5)))
    pairs = [[(w, 1) for line in b for w in line.split(" ")] for b in batches]
    want = reference(pairs, _running_total, 2)
    assert whole == want and heads == [w[:5] for w in want]
    assert len(updates) == 4  # batch 1 in the driver, batch 2 placed in the workers, then deferred
    assert all(r._updating.done.is_set() for r in RDDS[2:])


def test_a_worker_lost_while_it_updates_fails_the_next_batch(rsc, monkeypatch):
    from ember.streaming import state_resident

    killed = []
    real = state_resident._update

    def lose_a_worker(rdd, old, pool, homes, *rest, **kw):
        if kw.get("keep_heads") and not killed:  # the first update that runs after the output
            holder = next(w for w in pool._all if w.serial == homes[0])
            os.kill(holder.proc.pid, signal.SIGKILL)
            holder.proc.wait()
            killed.append(1)
        return real(rdd, old, pool, homes, *rest, **kw)

    monkeypatch.setattr(state_resident, "_update", lose_a_worker)
    vocabulary = [f"w{i}" for i in range(400)]
    batches = [[" ".join(vocabulary[(b * 7 + i) % 400] for i in range(8)) for _ in range(200)] * 3
               for b in range(5)]
    batches = [[" ".join(vocabulary)] * 3] + batches
    ssc = StreamingContext(rsc, 1)
    ssc.checkpoint(rsc._checkpoint_dir)
    printed: list = []
    ssc.queueStream([rsc.parallelize(b, 2) for b in batches]).flatMap(lambda x: x.split(" ")) \
        .map(lambda w: (w, 1)).updateStateByKey(_running_total) \
        .foreachRDD(lambda rdd: printed.append(rdd.take(2)))
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(4)
    with pytest.raises(WorkerLost, match="updateStateByKey state kept in the worker processes is lost"):
        ssc.awaitTerminationOrTimeout(5)
    ssc.stop(stopSparkContext=False)
    # the batch whose update lost the worker printed; the next one, reading the state, failed
    assert killed == [1] and len(printed) == 3
