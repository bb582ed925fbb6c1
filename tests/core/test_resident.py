"""Work pinned to a worker process, and the data it keeps there between calls."""

import os
import signal
import threading

import pytest

from ember.core.pool import WorkerLost, WorkerPool
from ember.core.resident import call_on


def _put(store, key, value):
    store[key] = value
    return os.getpid()


def _get(store, key):
    return store[key], os.getpid()


def _fail(store):
    raise ValueError("bad state")


@pytest.fixture
def pool():
    p = WorkerPool(2)
    yield p
    p.shutdown()


def test_calls_reach_the_worker_that_keeps_the_data(pool):
    a, b = pool.serials()
    pids = call_on(pool, [(a, _put, ("k", 1)), (b, _put, ("k", 2))])
    assert pids[0] != pids[1]
    assert call_on(pool, [(b, _get, ("k",)), (a, _get, ("k",)), (a, _get, ("k",))]) == [
        (2, pids[1]), (1, pids[0]), (1, pids[0])]


def test_errors_come_back_as_themselves(pool):
    a, _ = pool.serials()
    with pytest.raises(ValueError, match="bad state") as info:
        call_on(pool, [(a, _fail, ())])
    assert "Traceback in the worker process" in "".join(getattr(info.value, "__notes__", []))


def test_map_from_another_thread_meanwhile(pool):
    a, b = pool.serials()
    call_on(pool, [(a, _put, ("k", "A"))])
    import cloudpickle

    from ember.core.shipping import ListSource

    payloads = [(cloudpickle.dumps((ListSource(i, [i], False, 1), lambda s, it: sum(it) * 10)), [])
                for i in range(8)]
    out: list = []
    t = threading.Thread(target=lambda: out.append(pool.map(payloads, lambda i, r: r[1])))
    t.start()
    got = [call_on(pool, [(a, _get, ("k",))])[0][0] for _ in range(20)]
    t.join()
    assert got == ["A"] * 20 and out == [[i * 10 for i in range(8)]]


def test_a_dead_worker_is_lost_for_pinned_calls(pool):
    a, b = pool.serials()
    pid = call_on(pool, [(a, _put, ("k", 1))])[0]
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(WorkerLost):
        call_on(pool, [(a, _get, ("k",))])
    with pytest.raises(WorkerLost, match="is gone"):
        call_on(pool, [(a, _get, ("k",))])  # replaced by a new worker with another number
    assert a not in pool.serials() and b in pool.serials()
