"""Deterministic tests of streaming programs: drive the batches yourself, no sleeps.

Set ``spark.streaming.clock`` to ``org.apache.spark.util.ManualClock`` (see :data:`MANUAL_CLOCK`), build
the stream, make a :class:`BatchDriver` *before* ``ssc.start()``, then call :meth:`BatchDriver.advance`:
it moves the clock one batch at a time and returns when that batch has been processed. The same test
runs on real PySpark: the driver then moves Spark's JVM clock and waits for its listener events.

Structured Streaming tests use :class:`MemoryStream` (from ``ember.sql.streaming.memory``): each
``add_data`` call is one block of rows, and a query reads every block added since its last batch.

Tests of socket sources (``socketTextStream``, ``readStream.format("socket")``) use
:class:`LoopbackServer`: a server on 127.0.0.1 and a free port whose one client gets what the test
sends, when the test sends it.

Examples
--------
>>> from ember import SparkConf, SparkContext
>>> from ember.streaming import StreamingContext
>>> from ember.testing import MANUAL_CLOCK, BatchDriver
>>> sc = SparkContext(conf=SparkConf().setMaster("local[2]").set("spark.streaming.clock", MANUAL_CLOCK))
>>> ssc = StreamingContext(sc, 1)
>>> seen = []
>>> ssc.queueStream([[1, 2], [3]]).foreachRDD(lambda rdd: seen.append(rdd.collect()))
>>> driver = BatchDriver(ssc)
>>> ssc.start()
>>> driver.advance(2)
>>> seen
[[1, 2], [3]]
>>> ssc.stop()
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

MANUAL_CLOCK = "org.apache.spark.util.ManualClock"

__all__ = ["MANUAL_CLOCK", "BatchDriver", "LoopbackServer", "MemoryStream"]  # noqa: F822 (MemoryStream: module __getattr__)


def __getattr__(name: str) -> Any:
    # MemoryStream needs Polars; DStream tests that import this module should not pay for it
    if name == "MemoryStream":
        from ember.sql.streaming.memory import MemoryStream

        return MemoryStream
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class BatchDriver:
    """Advances a StreamingContext's manual clock batch by batch and waits for each batch.

    Parameters
    ----------
    ssc : StreamingContext
        An ember or PySpark context whose SparkContext has ``spark.streaming.clock`` set to the
        manual clock, not started yet.
    timeout : float
        Seconds to wait for one batch before giving up with ``TimeoutError``.
    """

    def __init__(self, ssc: Any, timeout: float = 60.0) -> None:
        self.ssc = ssc
        self.timeout = timeout
        # PySpark's context (a py4j handle inside); ember's own has a _jssc stand-in, so ask the module
        self._spark = not type(ssc).__module__.startswith("ember.")
        self._batches = 0
        if self._spark:
            self._listener = _spark_listener()
            ssc.addStreamingListener(self._listener)
        elif type(ssc._clock).__name__ != "ManualClock":
            raise ValueError("BatchDriver needs the manual clock: set spark.streaming.clock to "
                             f"{MANUAL_CLOCK}")

    @property
    def batch_ms(self) -> int:
        if self._spark:
            return int(self.ssc._jssc.ssc().graph().batchDuration().milliseconds())
        return self.ssc._batch_ms

    def advance(self, batches: int = 1, wait: bool = True) -> None:
        """Run ``batches`` more batches, one after another, each finished before the next starts.

        With ``wait=False`` the clock moves and the call returns at once: use it when a batch is
        expected to fail before it has jobs (a failing ``transform``), then ``awaitTermination``.
        """
        for _ in range(batches):
            self._batches += 1
            if self._spark:
                self._advance_spark(wait)
            else:
                self._advance_ember(wait)

    def _advance_ember(self, wait: bool) -> None:
        sched = self.ssc._scheduler
        target = sched.start_ms + (self._batches - 1) * self.batch_ms
        clock = self.ssc._clock
        if clock.getTimeMillis() < target:
            clock.setTime(target)
        if wait and not sched.wait_for_batch(target, self.timeout):
            raise TimeoutError(f"batch {target} ms did not finish within {self.timeout} s")

    def _advance_spark(self, wait: bool) -> None:
        clock = self.ssc._jssc.ssc().scheduler().clock()
        clock.advance(self.batch_ms)
        # wait for the batch at the clock's new time, not for a number of batches: a context recovered
        # from a checkpoint first reruns the batches it missed, and those report completion too
        target = int(clock.getTimeMillis()) // self.batch_ms * self.batch_ms
        if wait and not self._listener.wait_for(target, self.timeout):
            raise TimeoutError(f"Spark did not complete the batch of {target} ms within {self.timeout} s "
                               "(a batch with no output job sends no event)")


def _spark_listener() -> Any:
    from pyspark.streaming.listener import StreamingListener

    class Completed(StreamingListener):
        def __init__(self) -> None:
            self.latest = -1
            self.cond = threading.Condition()

        def onBatchCompleted(self, batchCompleted: Any) -> None:
            ms = int(batchCompleted.batchInfo().batchTime().milliseconds())
            with self.cond:
                self.latest = max(self.latest, ms)
                self.cond.notify_all()

        def wait_for(self, batch_ms: int, timeout: float) -> bool:
            deadline = time.monotonic() + timeout
            with self.cond:
                while self.latest < batch_ms:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self.cond.wait(left)
                return True

    return Completed()


class LoopbackServer:
    """A TCP server on 127.0.0.1 and an ephemeral port for one client (a socket source under test).

    It accepts the first client that connects; :meth:`send` writes to it (waiting for it to connect),
    :meth:`hang_up` closes that connection (a receiver then sees the end of its stream).

    Examples
    --------
    >>> import socket
    >>> with LoopbackServer() as server:
    ...     client = socket.create_connection(("127.0.0.1", server.port))
    ...     server.send("hello\\n")
    ...     client.recv(16)
    b'hello\\n'
    >>> client.close()
    """

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.conn: socket.socket | None = None
        self._accepted = threading.Event()
        threading.Thread(target=self._accept, name="ember-loopback-server", daemon=True).start()

    def _accept(self) -> None:
        try:
            self.conn, _ = self.listener.accept()
        except OSError:  # closed before anyone connected
            return
        self._accepted.set()

    def wait_connected(self, timeout: float = 60.0) -> bool:
        """Whether the client connected within ``timeout`` seconds."""
        return self._accepted.wait(timeout)

    def send(self, data: bytes | str, timeout: float = 60.0) -> None:
        """Send ``data`` (text is encoded as UTF-8) to the client, once it has connected."""
        assert self.wait_connected(timeout), "the socket source never connected"
        assert self.conn is not None
        self.conn.sendall(data.encode("utf-8") if isinstance(data, str) else data)

    def hang_up(self, timeout: float = 60.0) -> None:
        """Close the client's connection (the listener stays open for a reconnect)."""
        assert self.wait_connected(timeout), "the socket source never connected"
        assert self.conn is not None
        self.conn.close()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.listener.close()

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
