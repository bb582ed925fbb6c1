"""updateStateByKey kept as columns (shared keys, values per batch): same results as the plain cogroup."""

from __future__ import annotations

import random

from ember.core.hashing import portable_hash
from ember.core.serialization import loads
from ember.streaming import StreamingContext
from ember.streaming.state import StateUpdateRDD
from ember.streaming.state_keys import KeySet, pickled_items
from ember.testing import BatchDriver


def reference(batches: list[list], update, n: int) -> list[list]:
    """Spark's result, written plainly: per partition the old keys in order, then new keys as first seen."""
    state: list[list] = [[] for _ in range(n)]
    out = []
    for batch in batches:
        grouped: dict = {}
        for k, v in batch:
            grouped.setdefault(k, []).append(v)
        nxt: list[list] = []
        for p in range(n):
            part, seen = [], set()
            for k, st in state[p]:
                seen.add(k)
                r = update(list(grouped.get(k, [])), st)
                if r is not None:
                    part.append((k, r))
            for k, vs in grouped.items():
                if portable_hash(k) % n == p and k not in seen:
                    r = update(list(vs), None)
                    if r is not None:
                        part.append((k, r))
            nxt.append(part)
        state = nxt
        out.append([item for part in state for item in part])
    return out


RDDS: list = []  # module level: the checkpointed graph pickles the function that fills it by reference


def _keep(rdd) -> None:
    RDDS.append(rdd)


def run(sc, batches: list[list], update, n: int = 2, initial=None) -> tuple[list, list]:
    ssc = StreamingContext(sc, 1)
    ssc.checkpoint(sc._checkpoint_dir)
    results: list = []
    RDDS.clear()
    state = ssc.queueStream([sc.parallelize(b, 2) for b in batches]).updateStateByKey(
        update, numPartitions=n, initialRDD=initial)
    state.foreachRDD(lambda rdd: results.append(rdd.collect()))
    state.foreachRDD(_keep)
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(len(batches))
    ssc.stop(stopSparkContext=False)
    return results, list(RDDS)


def counting(new, old):
    total = sum(new) + (old or 0)
    return None if total % 7 == 0 else total  # some keys go away, and may come back later


def test_matches_the_plain_cogroup_with_new_removed_and_idle_keys(sc, tmp_path):
    sc.setCheckpointDir(str(tmp_path))
    rng = random.Random(7)
    words = [f"w{i}" for i in range(60)] + [i for i in range(20)] + [("t", i) for i in range(5)]
    batches = [[(rng.choice(words[: 10 + 4 * b]), rng.randint(1, 3)) for _ in range(40)] for b in range(18)]
    results, _ = run(sc, batches, counting, n=3)
    assert results == reference(batches, counting, 3)


def test_word_count_idiom_gives_each_call_its_own_list(sc, tmp_path):
    sc.setCheckpointDir(str(tmp_path))
    lines = [["a b a", "c"], ["b b"], [], ["a d"]]
    ssc = StreamingContext(sc, 1)
    ssc.checkpoint(str(tmp_path))

    def grow(new, old):
        new.append(0)  # changes its own list: never another key's, never the next batch's
        return (old or ()) + (len(new),)

    results = []
    pairs = ssc.queueStream([sc.parallelize(b) for b in lines]).flatMap(lambda x: x.split(" "))
    state = pairs.map(lambda w: (w, 1)).updateStateByKey(grow)
    state.foreachRDD(lambda r: results.append(sorted(r.collect())))
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(4)
    ssc.stop(stopSparkContext=False)
    assert results == [
        [("a", (3,)), ("b", (2,)), ("c", (2,))],
        [("a", (3, 1)), ("b", (2, 3)), ("c", (2, 1))],
        [("a", (3, 1, 1)), ("b", (2, 3, 1)), ("c", (2, 1, 1))],  # an empty batch: every key is called
        [("a", (3, 1, 1, 2)), ("b", (2, 3, 1, 1)), ("c", (2, 1, 1, 1)), ("d", (2,))],
    ]


def test_mutable_states_stay_private_to_their_batch(sc, tmp_path):
    sc.setCheckpointDir(str(tmp_path))

    def extend(new, old):
        old = old if old is not None else []
        old.extend(new)  # in place: earlier results must not change
        return old

    batches = [[("k", 1), ("j", 1)], [("k", 2)], [("k", 3), ("j", 3)]]
    results, rdds = run(sc, batches, extend)
    assert results == [[("j", [1]), ("k", [1])], [("j", [1]), ("k", [1, 2])],
                       [("j", [1, 3]), ("k", [1, 2, 3])]]
    assert [rdd.collect() for rdd in rdds] == results  # read again: the same, fresh copies


def test_pickles_are_the_partitions_items(sc, tmp_path):
    sc.setCheckpointDir(str(tmp_path))
    batches = [[(f"k{b}-{i}", 1) for i in range(3)] + [("old", 1)] for b in range(40)]
    results, rdds = run(sc, batches, lambda new, old: sum(new) + (old or 0))
    last = rdds[-1]
    assert last._cols is not None and len(last._cols[0][0].chunks) < 40  # chunks of keys merged again
    for rdd in rdds[-3:]:
        blobs = rdd._pickled_parts()
        assert [loads(b) for b in blobs] == [list(rdd._iterator(p)) for p in range(2)]
    assert dict(results[-1])["old"] == 40 and len(results[-1]) == 121


def test_restored_from_plain_pickled_items(sc):
    parts = [[("a", 1), ("b", [2])], [("c", 3)]]
    rdd = StateUpdateRDD.restored(sc, parts, lambda n, o: o)
    assert rdd.glom().collect() == parts
    assert [loads(b) for b in rdd._pickled_parts()] == parts


def test_key_set_pickles_once_and_extends():
    ks = KeySet(["a", "b"])
    blob = ks.blobs()[0]
    more = ks.extended(["c"]).extended([]).extended(["d", "e"])
    assert more.keys == ["a", "b", "c", "d", "e"] and more.index == {k: i for i, k in enumerate(more.keys)}
    assert more.blobs()[0] is blob  # the old keys' pickle is shared
    assert loads(pickled_items(more, [1, 2, 3, 4, 5])) == list(zip("abcde", [1, 2, 3, 4, 5]))
    assert ks.keys == ["a", "b"] and "c" not in ks.index


def running_total(new_counts, total):
    "the seed's update function: recognised, summed without a call per key"
    return sum(new_counts) + (total or 0)


def test_running_total_idiom_gives_what_the_calls_give(sc, tmp_path):
    from ember.core import idioms

    sc.setCheckpointDir(str(tmp_path))
    assert idioms.is_sum_plus_old(running_total) and idioms.is_sum_plus_old(lambda n, o: sum(n) + (o or 0))
    rng = random.Random(11)
    vocabulary = [f"w{i}" for i in range(300)]
    lines = [[" ".join(rng.choice(vocabulary[: 30 + 20 * b]) for _ in range(rng.randint(0, 8)))
              for _ in range(rng.randint(0, 30))] for b in range(12)]
    batches = [[(w, 1) for line in b for w in line.split(" ")] for b in lines]
    # a float initial state and an int one: the float's partition takes the calls
    for initial in ([("w1", 5), ("w2", 7)], [("w1", 5), ("w2", 2.5)]):
        results = _running_totals(sc, str(tmp_path), lines, initial)
        assert [[kv for part in r for kv in part] for r in results] == _with_initial(initial, batches)


def _running_totals(sc, checkpoint: str, lines: list[list[str]], initial: list) -> list:
    ssc = StreamingContext(sc, 1)
    ssc.checkpoint(checkpoint)
    results: list = []
    stream = ssc.queueStream([sc.parallelize(b, 2) for b in lines]).flatMap(lambda x: x.split(" "))
    stream.map(lambda w: (w, 1)).updateStateByKey(running_total, 3, sc.parallelize(initial)) \
        .foreachRDD(lambda rdd: results.append(rdd.glom().collect()))
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(len(lines))
    ssc.stop(stopSparkContext=False)
    return results


def _with_initial(initial: list, batches: list[list]) -> list[list]:
    """Spark's running totals with an initial state: the initial pairs are the state before batch 1."""
    state: list[list] = [[] for _ in range(3)]
    for k, v in initial:
        state[portable_hash(k) % 3].append((k, v))
    out = []
    for batch in batches:
        grouped: dict = {}
        for k, v in batch:
            grouped.setdefault(k, []).append(v)
        nxt = []
        for p in range(3):
            part = [(k, sum(grouped.get(k, [])) + (st or 0)) for k, st in state[p]]
            seen = {k for k, _ in state[p]}
            part += [(k, sum(vs)) for k, vs in grouped.items() if portable_hash(k) % 3 == p and k not in seen]
            nxt.append(part)
        state = nxt
        out.append([item for part in state for item in part])
    return out


def test_running_total_idiom_is_recognised_only_exactly():
    from ember.core.idioms import is_sum_plus_old

    sum = len  # noqa: A001 - a shadowed built-in: the function would call this one
    for other in (lambda n, o: sum(n) + (o or 0), lambda n, o: max(n) + (o or 0),
                  lambda n, o: __builtins__["sum"](n) + (o or 1) if isinstance(__builtins__, dict) else 0,
                  lambda n, o: (o or 0) + __import__("builtins").sum(n), lambda n, o=0: o, max):
        assert not is_sum_plus_old(other)
