"""Runs partition tasks: inline in the driver, or on the worker pool when the work is big.

Inline is the default: a batch of a few records costs microseconds that way. A stage goes to the
worker processes only when the master has several cores, the stage has several partitions whose
inputs a worker can read by itself (see ``shipping.py``), the input is large, and the stage's work
is not one the driver does at C speed (``RDD._pool_pays``: the word-count idiom's count, whose input
would cost more to pickle and to hold twice than to count).

A failing user function surfaces as its own exception with its own traceback, plus a note naming
the RDD step and partition (never a wrapper that hides the error).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds to import; annotations are strings here
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Sequence

    from ember.core.rdd import RDD


def _note(exc: BaseException, text: str) -> None:
    try:
        exc.add_note(text)  # type: ignore[attr-defined]
    except AttributeError:  # Python 3.10 has no notes; keep the text on the object
        exc.__notes__ = [*getattr(exc, "__notes__", []), text]  # type: ignore[attr-defined]


def _annotate(exc: BaseException, rdd: RDD, split: int) -> None:
    if getattr(exc, "_ember_noted", False):
        return
    _note(exc, f"ember: raised while computing partition {split} of {rdd!r}")
    try:
        exc._ember_noted = True  # type: ignore[attr-defined]
    except AttributeError:
        pass


def _inline(rdd: RDD, task: Callable[[int, Iterable], Any], splits: Sequence[int]) -> list:
    results = []
    for split in splits:
        try:
            results.append(task(split, rdd._iterator(split)))
        except Exception as e:
            _annotate(e, rdd, split)
            raise
    return results


def _pickling_error(rdd: RDD, source: Any, task: Callable, error: Exception) -> Exception:
    import pickle

    import cloudpickle

    culprit = None
    for label, fn in getattr(rdd, "_steps", []):
        try:
            cloudpickle.dumps(fn)
        except Exception as e:  # the first step that cannot travel is the one to name
            culprit, error = label, e
            break
    what = f"the function of {culprit}" if culprit else f"the work of {rdd!r}"
    return pickle.PicklingError(
        f"ember could not send {what} to a worker process: {type(error).__name__}: {error}. "
        "Big jobs on local[N] with N > 1 run on worker processes, so their functions must not capture "
        "objects that cannot be pickled (locks, sockets, open files, the SparkContext). Create such "
        "objects inside the function, or use master 'local[1]' to keep all work in this process.")


def reply_value(reply: tuple, ctx: Any = None) -> Any:
    """The value of a worker's reply ``(ok, value, accumulator updates)``, or its error raised.

    The error is the task's own exception when it could be pickled (else a ``PythonException`` with
    its name and message), noted with the traceback from the worker process.
    """
    ok, value, updates = reply
    if ctx is not None and updates:
        ctx._merge_accumulator_updates(updates)
    if ok:
        return value
    blob, tb, name, message = value
    exc: BaseException
    if blob is not None:
        import pickle

        exc = pickle.loads(blob)
    else:
        from ember.errors import PythonException

        exc = PythonException(f"{name}: {message}")
    _note(exc, "Traceback in the worker process:\n" + tb.rstrip())
    raise exc


def task_payload(source: Any, task: Callable) -> tuple[bytes, list]:
    """What the pool sends a worker for ``task`` over ``source``: its pickle and out-of-band buffers.

    Protocol 5: large byte blocks travel out of band, written to the pipe without a copy.
    """
    import cloudpickle

    buffers: list = []
    return cloudpickle.dumps((source, task), 5, buffer_callback=buffers.append), buffers


def ship_sources(rdd: RDD, splits: Iterable[int]) -> list | None:
    """What a worker needs to read each of ``splits`` of ``rdd``; None if one of them cannot be shipped."""
    sources = []
    for split in splits:
        src = rdd._ship(split)
        if src is None:
            return None
        sources.append(src)
    return sources


def _ship(rdd: RDD, task: Callable, splits: Sequence[int]) -> list | None:
    """Run on the worker pool if it pays; None means "run inline"."""
    from ember.core.pool import POOL_MIN_WEIGHT

    ctx = rdd.ctx
    if ctx._cores < 2 or len(splits) < 2 or not ctx._pool_enabled or not rdd._pool_pays:
        return None
    sources = ship_sources(rdd, splits)
    if sources is None or sum(s.weight for s in sources) < POOL_MIN_WEIGHT:
        return None

    payloads = []
    for src in sources:
        try:
            payloads.append(task_payload(src, task))
        except Exception as e:
            raise _pickling_error(rdd, src, task, e) from e

    def on_reply(i: int, reply: tuple) -> Any:
        payloads[i] = None  # the task's pickled input is not needed once its reply is here
        try:
            return reply_value(reply, ctx)
        except BaseException as exc:
            _annotate(exc, rdd, splits[i])
            raise

    return ctx._worker_pool().map(payloads, on_reply)


def run_tasks(rdd: RDD, task: Callable[[int, Iterable], Any], splits: Sequence[int]) -> list:
    """``task(split, iterator)`` for each split, on the pool when that pays, else inline."""
    shipped = _ship(rdd, task, splits)
    return shipped if shipped is not None else _inline(rdd, task, splits)


def run_job(rdd: RDD, func: Callable[[Iterable], Any], partitions: Sequence[int] | None = None) -> list:
    """``func(partition_iterator)`` for each requested partition, results in partition order."""
    rdd.ctx._check_active()
    splits = range(rdd.getNumPartitions()) if partitions is None else partitions
    results = run_tasks(rdd, _ResultTask(func), list(splits))
    if rdd.ctx._checkpoints_pending:
        rdd._do_checkpoint()
    return results


def run_map_stage(rdd: RDD, task: Callable[[int, Iterable], list]) -> list[list]:
    """The map side of a shuffle: ``task(split, iterator)`` for every partition of ``rdd``."""
    return run_tasks(rdd, task, list(range(rdd.getNumPartitions())))


class _ResultTask:
    """Adapts ``func(iterator)`` to the ``task(split, iterator)`` shape (and pickles by value)."""

    __slots__ = ("func",)

    def __init__(self, func: Callable[[Iterable], Any]) -> None:
        self.func = func

    def __call__(self, split: int, it: Iterable) -> Any:
        return self.func(it)

    def __reduce__(self):
        return (_ResultTask, (self.func,))
