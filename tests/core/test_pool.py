"""Big stages on the worker pool: same answers, errors and accumulators as inline."""

import threading

import pytest

from ember import SparkContext
from ember.core import pool as pool_module

N = 120_000  # above the pool threshold


@pytest.fixture(scope="module")
def sc():
    with SparkContext("local[2]", "test-pool") as sc:
        yield sc


@pytest.fixture
def pool_calls(monkeypatch):
    calls = []
    real = pool_module.WorkerPool.map

    def counting(self, payloads, on_reply):
        calls.append(len(payloads))
        return real(self, payloads, on_reply)

    monkeypatch.setattr(pool_module.WorkerPool, "map", counting)
    return calls


def _weighted_word_count(sc, data):
    # (w, 2), not (w, 1): the word-count idiom's C-level count stays in the driver (next test)
    return sc.parallelize(data).flatMap(str.split).map(lambda w: (w, 2)) \
        .reduceByKey(lambda a, b: a + b).collect()


def test_same_answers_as_inline(sc, pool_calls):
    data = [f"w{i % 997} w{i % 13}" for i in range(N)]
    pooled = _weighted_word_count(sc, data)
    assert pool_calls == [2], "the map stage of a big job on local[2] runs on the worker pool"
    sc._pool_enabled = False
    try:
        inline = _weighted_word_count(sc, data)
    finally:
        sc._pool_enabled = True
    assert pooled == inline


def test_the_counted_word_count_stays_inline(sc, pool_calls):
    data = [f"w{i % 997} w{i % 13}" for i in range(N)]
    counts = sc.parallelize(data).flatMap(str.split).map(lambda w: (w, 1)) \
        .reduceByKey(lambda a, b: a + b).collectAsMap()
    assert pool_calls == [], "a C-level count is not worth shipping its input to the workers"
    assert counts["w0"] == len(range(0, N, 997)) + len(range(0, N, 13))
    assert sum(counts.values()) == 2 * N


def test_small_jobs_stay_inline(sc, pool_calls):
    assert sc.parallelize([1, 2, 3]).map(lambda x: x + 1).collect() == [2, 3, 4]
    assert pool_calls == []


def test_accumulators_come_back_from_workers(sc, pool_calls):
    acc = sc.accumulator(0)

    def count(x):
        acc.add(1)
        return x

    assert sc.parallelize(range(N), 2).map(count).count() == N
    assert pool_calls == [2]
    assert acc.value == N


def test_user_error_keeps_its_type_and_worker_traceback(sc):
    with pytest.raises(ZeroDivisionError) as info:
        sc.parallelize(list(range(N))).map(lambda x: 1 // (x - 100_000)).count()
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "Traceback in the worker process" in notes
    assert "partition 1 of PythonRDD" in notes


def test_unpicklable_function_is_named(sc):
    lock = threading.Lock()
    with pytest.raises(Exception, match=r"could not send the function of map at test_pool.py:\d+ .*lock"):
        sc.parallelize(list(range(N))).map(lambda x: (lock, x)[1]).count()


def test_local_1_never_uses_the_pool(pool_calls):
    active = SparkContext._active_spark_context
    if active is not None:
        active.stop()
    with SparkContext("local[1]", "one-core") as sc1:
        assert sc1.parallelize(range(N)).map(lambda x: x * 2).sum() == N * (N - 1)
    assert pool_calls == []
