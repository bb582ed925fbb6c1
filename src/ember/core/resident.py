"""Data kept in a worker process from one job to the next, and calls that work on it there.

Most work ships its input with every task. A running state that each batch only updates would then
travel twice per batch; instead a worker keeps it in :data:`STORE` (a dict private to that process)
and the driver sends calls ``fn(STORE, *args)`` to that very worker (``WorkerPool.run_on``). ``fn`` is
a function of ember's own (pickled by reference); the arguments are plain data, or cloudpickles the
function unpickles itself. A worker that dies loses what it held: the call raises ``WorkerLost``.
"""

from __future__ import annotations

import pickle
from typing import Any, Callable

from ember.core.shipping import Source

#: in a worker process: what the driver left here, by key
STORE: dict = {}


class _NoInput(Source):
    """The input of a call: none (its data is in its arguments and in the store)."""

    def read(self) -> tuple:
        return ()


class _Call:
    """A task that runs ``fn(STORE, *args)`` in the worker."""

    __slots__ = ("fn", "args")

    def __init__(self, fn: Callable, args: tuple) -> None:
        self.fn, self.args = fn, args

    def __call__(self, split: int, it: Any) -> Any:
        return self.fn(STORE, *self.args)

    def __reduce__(self) -> tuple:
        return (_Call, (self.fn, self.args))


def call_on(pool: Any, calls: list[tuple[int, Callable, tuple]], ctx: Any = None) -> list:
    """``fn(STORE, *args)`` on worker ``serial`` for each ``(serial, fn, args)``, all at once.

    The results come back in order; a failure in a worker is raised here as its own exception, with
    the worker's traceback as a note; accumulator updates are merged into ``ctx``.
    """
    jobs = []
    for serial, fn, args in calls:
        buffers: list = []
        data = pickle.dumps((_NoInput(), _Call(fn, args)), 5, buffer_callback=buffers.append)
        jobs.append((serial, (data, buffers)))
    from ember.core.scheduler import reply_value

    return [reply_value(reply, ctx) for reply in pool.run_on(jobs)]
