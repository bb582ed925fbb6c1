"""``StreamingQuery`` (a running query's handle) and ``StreamingQueryManager`` (``spark.streams``).

Examples
--------
>>> from ember.sql import SparkSession
>>> spark = SparkSession.builder.getOrCreate()
>>> q = spark.readStream.format("rate").load().writeStream.format("noop").start()
>>> q.isActive
True
>>> q.stop(); q.isActive
False
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

from ember.errors import (
    IllegalArgumentException,
    PySparkException,
    PySparkValueError,
    StreamingQueryException,
)
from ember.sql.streaming import listener as L
from ember.sql.streaming.microbatch import RECENT, MicroBatchRunner, iso_now


def _check_timeout(timeout: Any) -> None:
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise PySparkValueError(
            errorClass="VALUE_NOT_POSITIVE",
            messageParameters={"arg_name": "timeout", "arg_value": type(timeout).__name__},
            message=f"Value for `timeout` must be positive, got '{type(timeout).__name__}'.")


class StreamingQuery:
    """A handle on a query running in the background (made by ``writeStream.start()``)."""

    def __init__(self, manager: StreamingQueryManager, session: Any, plan: Any, sink: Any, mode: str,
                 trigger: Any, checkpoint: Any, name: str | None, output_schema: Any) -> None:
        self._manager = manager
        self._session = session
        self._name = name
        self._checkpoint = checkpoint
        self._id = uuid.UUID(checkpoint.query_id())
        self._run_id = uuid.uuid4()
        self.output_schema = output_schema
        self._progress: list[L.StreamingQueryProgress] = []
        self._plock = threading.Lock()
        self._terminated = threading.Event()
        self._exception: StreamingQueryException | None = None
        self._runner = MicroBatchRunner(self, session, plan, sink, mode, trigger, checkpoint)
        self._thread = threading.Thread(target=self._main, name=f"ember-stream-{name or self._id}",
                                        daemon=True)

    def _start(self) -> None:
        self._manager._post("onQueryStarted", L.QueryStartedEvent(
            id=self._id, runId=self._run_id, name=self._name, timestamp=iso_now(), jobTags=set()))
        self._thread.start()

    def _main(self) -> None:
        self._runner.run()
        error = self._runner.error
        if error is not None:
            self._exception = self._wrap(error, getattr(self._runner, "trace", ""))
        self._checkpoint.cleanup()
        self._terminated.set()
        self._manager._terminated(self)
        self._manager._post("onQueryTerminated", L.QueryTerminatedEvent(
            id=self._id, runId=self._run_id,
            exception=None if self._exception is None else str(self._exception),
            errorClassOnException=None if self._exception is None else self._exception._inner_class))

    def _wrap(self, error: BaseException, trace: str) -> StreamingQueryException:
        inner = str(error)
        from ember.sql.streaming.sinks import ForeachBatchSink, ForeachSink

        user = getattr(self._runner, "user_error", False)
        sink = type(self._runner.sink)
        if user and sink is ForeachBatchSink and not isinstance(error, StreamingQueryException):
            inner = ("[FOREACH_BATCH_USER_FUNCTION_ERROR] An error occurred in the user provided function in "
                     f"foreach batch sink. Reason: {trace} SQLSTATE: 39000")
        elif user and sink is ForeachSink:
            inner = ("[PYTHON_EXCEPTION] An exception was thrown from the Python worker: "
                     f"{trace} SQLSTATE: 38000")
        elif trace:
            inner = f"{type(error).__name__}: {inner}\n{trace}"
        message = (f"Query [id = {self._id}, runId = {self._run_id}] terminated with exception: {inner} "
                   "SQLSTATE: XXKST")
        inner_class = inner[1:inner.index("]")] if inner.startswith("[") and "]" in inner else None
        exc = StreamingQueryException(message, errorClass="STREAM_FAILED",
                                      messageParameters={"id": str(self._id), "runId": str(self._run_id)})
        exc.__cause__ = error
        exc.desc, exc.cause, exc.stackTrace = message, error, trace
        exc._desc, exc._cause, exc._stackTrace = message, error, trace
        if inner_class is None and isinstance(error, PySparkException):
            inner_class = error.getErrorClass()
        exc._inner_class = inner_class
        return exc

    # -- identity ------------------------------------------------------------------------------

    @property
    def id(self) -> str:  # noqa: A003 - Spark's name
        """The query's id, kept across restarts from the same checkpoint."""
        return str(self._id)

    @property
    def runId(self) -> str:
        """The id of this run; new at every start."""
        return str(self._run_id)

    @property
    def name(self) -> str | None:
        """The ``queryName`` or None."""
        return self._name

    @property
    def isActive(self) -> bool:
        return not self._terminated.is_set()

    @property
    def status(self) -> dict:
        """``{'message', 'isDataAvailable', 'isTriggerActive'}`` as Spark reports them."""
        return dict(self._runner.status)

    # -- progress ------------------------------------------------------------------------------

    def _add_progress(self, p: L.StreamingQueryProgress) -> None:
        with self._plock:
            self._progress.append(p)
            if len(self._progress) > RECENT:
                del self._progress[0]
        self._manager._post("onQueryProgress", L.QueryProgressEvent(progress=p))

    def _post_idle(self) -> None:
        self._manager._post("onQueryIdle", L.QueryIdleEvent(id=self._id, runId=self._run_id,
                                                             timestamp=iso_now()), idle=True)

    @property
    def recentProgress(self) -> list:
        """The last progress reports (at most 100)."""
        with self._plock:
            return list(self._progress)

    @property
    def lastProgress(self) -> L.StreamingQueryProgress | None:
        """The newest progress report, or None before the first batch."""
        with self._plock:
            return self._progress[-1] if self._progress else None

    # -- waiting and stopping ------------------------------------------------------------------

    def awaitTermination(self, timeout: float | None = None) -> bool | None:
        """Wait for the query to stop; raise its :class:`StreamingQueryException` if it failed.

        Returns None without a timeout, else whether the query stopped within ``timeout`` seconds.
        """
        if timeout is not None:
            _check_timeout(timeout)
        done = self._terminated.wait(timeout)
        if self._exception is not None:
            raise self._exception
        return None if timeout is None else done

    def processAllAvailable(self) -> None:
        """Block until every row available now has been processed and committed (for tests)."""
        runner = self._runner
        with runner.lock:
            mark = runner.checks_started
            runner.wake.set()
            while runner.idle_after <= mark and not self._terminated.is_set():
                runner.lock.wait(0.05)
        if self._exception is not None:
            raise self._exception

    def stop(self) -> None:
        """Stop the query (waits for a running batch to finish); stopping twice does nothing."""
        self._runner.stopping.set()
        self._runner.wake.set()
        # from inside the query's own thread (a foreachBatch calling stop) the loop ends after the batch
        if threading.current_thread() is not self._thread and self._thread.is_alive():
            self._thread.join()

    def exception(self) -> StreamingQueryException | None:
        """The error that stopped the query, or None."""
        return self._exception

    def explain(self, extended: bool = False) -> None:
        """Print the query's plan."""
        try:
            from ember.sql.explain import tree_string

            print(tree_string(self._runner.exec.plan))
        except Exception:  # no plan printer available: say what there is
            print(repr(self._runner.exec.plan))

    def __repr__(self) -> str:
        return f"<StreamingQuery id={self.id} name={self._name}>"


class StreamingQueryManager:
    """The queries of one session (``spark.streams``): active ones, waiting, listeners."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self._lock = threading.Condition()
        self._active: dict[str, StreamingQuery] = {}
        self._last_terminated: StreamingQuery | None = None
        self._listeners: list[Any] = []

    @property
    def active(self) -> list[StreamingQuery]:
        """The queries running now."""
        with self._lock:
            return list(self._active.values())

    def get(self, id: str) -> StreamingQuery | None:  # noqa: A002 - Spark's name
        """The active query with this id, or None."""
        with self._lock:
            return self._active.get(str(id))

    def awaitAnyTermination(self, timeout: float | None = None) -> bool | None:
        """Wait until any query stopped since the last :meth:`resetTerminated`."""
        if timeout is not None:
            _check_timeout(timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self._last_terminated is None:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._lock.wait(left)
            q = self._last_terminated
        if q._exception is not None:
            raise q._exception
        return None if timeout is None else True

    def resetTerminated(self) -> None:
        """Forget stopped queries so that :meth:`awaitAnyTermination` waits for a new one."""
        with self._lock:
            self._last_terminated = None

    def addListener(self, listener: L.StreamingQueryListener) -> None:
        """Receive the events of every query of this session."""
        with self._lock:
            self._listeners.append(listener)

    def removeListener(self, listener: L.StreamingQueryListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    # -- internal ------------------------------------------------------------------------------

    def _register(self, query: StreamingQuery) -> None:
        with self._lock:
            if query.name is not None and any(q.name == query.name for q in self._active.values()):
                raise IllegalArgumentException(
                    f"Cannot start query with name {query.name} as a query with that name is already active "
                    "in this SparkSession")
            if query.id in self._active:
                raise IllegalArgumentException(
                    f"Cannot start query with id {query.id} as another query with same id is already active. "
                    "Perhaps you are attempting to restart a query from checkpoint that is already active.")
            self._active[query.id] = query

    def _terminated(self, query: StreamingQuery) -> None:
        with self._lock:
            if self._active.get(query.id) is query:
                del self._active[query.id]
            self._last_terminated = query
            self._lock.notify_all()

    def _post(self, method: str, event: Any, idle: bool = False) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            fn = getattr(listener, method, None)
            if fn is None:
                continue
            try:
                fn(event)
            except Exception:  # a failing listener must not stop the query (Spark logs it)
                import logging

                logging.getLogger("ember.sql.streaming").exception("listener %s.%s failed",
                                                                   type(listener).__name__, method)
