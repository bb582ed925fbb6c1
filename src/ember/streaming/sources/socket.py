"""``socketTextStream``: lines read from a TCP server, as Spark's socket receiver reads them.

The receiver is a TCP *client* on a thread of its own. It decodes UTF-8 (invalid bytes become U+FFFD,
as Java's decoder makes them), splits on ``\\n`` and drops a trailing ``\\r``. Each batch takes every line
received since the previous one. When the server is missing or goes away the receiver retries every
2 s and says so once, not once per try; batches keep coming, empty, as in Spark.

Memory is bounded: the lines waiting for a batch are capped (``ember.receiver.maxBufferBytes``,
64 MiB by default); when processing falls behind the receiver stops reading and TCP slows the producer
down. Nothing received is dropped. ``spark.streaming.receiver.maxRate`` caps the lines per second.
A line longer than ``ember.receiver.maxLineBytes`` (8 MiB) is skipped and counted, with a warning.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Callable

from ember.core.rdd import RDD
from ember.streaming.sources import InputDStream

log = logging.getLogger("ember.streaming")

RETRY_SECONDS = 2.0
_READ = 1 << 16


class LineBuffer:
    """Lines waiting for the next batch; ``put`` blocks while it holds more than ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lines: list[str] = []
        self._bytes = 0
        self._cond = threading.Condition()
        self._closed = False
        self.received = 0

    def put(self, lines: list[str], size: int) -> bool:
        """Add lines (``size`` bytes); wait while full. False once closed."""
        with self._cond:
            while self._bytes >= self.max_bytes and not self._closed:
                self._cond.wait(0.5)
            if self._closed:
                return False
            self._lines.extend(lines)
            self._bytes += size
            self.received += len(lines)
            self._cond.notify_all()
            return True

    def take(self) -> list[str]:
        with self._cond:
            lines, self._lines, self._bytes = self._lines, [], 0
            self._cond.notify_all()
            return lines

    def pending(self) -> int:
        with self._cond:
            return len(self._lines)

    def wait_received(self, n: int, timeout: float) -> bool:
        """Block until ``n`` lines have been received in all (a hook for deterministic tests)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.received < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class SocketReceiver:
    """Connects, reads, splits and decodes lines into a :class:`LineBuffer`, reconnecting as needed."""

    def __init__(self, host: str, port: int, buffer: LineBuffer, max_line: int, max_rate: float,
                 events: Callable[[str, str], None]) -> None:
        self.host, self.port = host, port
        self.buffer = buffer
        self.max_line = max_line
        self.max_rate = max_rate
        self.events = events
        self.skipped_lines = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"ember-receiver-{host}:{port}", daemon=True)
        self._sock: socket.socket | None = None
        self._started = time.monotonic()
        self._delivered = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.buffer.close()
        sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=5)

    def _run(self) -> None:
        self.events("started", "")
        in_outage = False
        while not self._stop.is_set():
            try:
                sock = socket.create_connection((self.host, self.port), timeout=RETRY_SECONDS)
            except OSError as e:
                if not in_outage:
                    msg = (f"socketTextStream: cannot connect to {self.host}:{self.port} ({_reason(e)}); "
                           f"retrying every {RETRY_SECONDS:.0f} s")
                    log.warning(msg)
                    self.events("error", msg)
                    in_outage = True
                self._stop.wait(RETRY_SECONDS)
                continue
            if in_outage:
                log.warning("socketTextStream: connected to %s:%s", self.host, self.port)
                in_outage = False
            self._sock = sock
            reason = self._read(sock)
            self._sock = None
            sock.close()
            if not self._stop.is_set():
                msg = (f"socketTextStream: {self.host}:{self.port} {reason}; reconnecting every "
                       f"{RETRY_SECONDS:.0f} s")
                log.warning(msg)
                self.events("error", msg)
                in_outage = True
                self._stop.wait(RETRY_SECONDS)
        self.events("stopped", "")

    def _read(self, sock: socket.socket) -> str:
        sock.settimeout(0.5)
        pending = bytearray()
        skipping = False  # inside a line too long to keep: drop bytes up to its newline
        while not self._stop.is_set():
            try:
                chunk = sock.recv(_READ)
            except TimeoutError:
                continue
            except OSError as e:
                self._flush_tail(pending, skipping)
                return f"dropped the connection ({_reason(e)})"
            if not chunk:
                self._flush_tail(pending, skipping)
                return "closed the connection (no more data)"
            start = 0
            if skipping:
                nl = chunk.find(b"\n")
                if nl < 0:
                    continue
                skipping, start = False, nl + 1
            cut = chunk.rfind(b"\n")
            if cut < start:
                pending += chunk[start:]
            else:
                pending += chunk[start:cut]
                data = bytes(pending)
                pending = bytearray(chunk[cut + 1:])
                if not self._deliver(data):
                    return "stopped"
            if len(pending) > self.max_line:
                self._skip_long_line()
                pending.clear()
                skipping = True
        return "stopped"

    def _skip_long_line(self) -> None:
        self.skipped_lines += 1
        log.warning("socketTextStream: skipped a line longer than %d bytes from %s:%s (%d skipped so far; "
                    "raise ember.receiver.maxLineBytes to keep such lines)", self.max_line, self.host,
                    self.port, self.skipped_lines)

    def _flush_tail(self, pending: bytearray, skipping: bool) -> None:
        """A last line without a newline at the end of the stream still counts, as Java's readLine says."""
        if pending and not skipping:
            self._deliver(bytes(pending))

    def _deliver(self, data: bytes) -> bool:
        text = data.decode("utf-8", "replace")
        lines = text.split("\n")
        if "\r" in text:
            lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
        if lines and max(map(len, lines)) > self.max_line:  # a long line that arrived whole
            kept = [ln for ln in lines if len(ln) <= self.max_line]
            for _ in range(len(lines) - len(kept)):
                self._skip_long_line()
            lines = kept
        if self.max_rate > 0:
            self._delivered += len(lines)
            ahead = self._delivered / self.max_rate - (time.monotonic() - self._started)
            if ahead > 0:
                self._stop.wait(ahead)
        return self.buffer.put(lines, len(data))


def _reason(e: OSError) -> str:
    return e.strerror or type(e).__name__


class SocketInputDStream(InputDStream):
    """The stream of a socket receiver: each batch is the lines received since the last one."""

    def __init__(self, ssc, host: str, port: int) -> None:
        super().__init__(ssc)
        conf = ssc._sc.getConf()
        self.buffer = LineBuffer(int(conf.get("ember.receiver.maxBufferBytes", str(64 << 20))))
        self._settings = (host, int(port), int(conf.get("ember.receiver.maxLineBytes", str(8 << 20))),
                          float(conf.get("spark.streaming.receiver.maxRate", "0")))
        self._receiver = SocketReceiver(*self._settings[:2], self.buffer, *self._settings[2:], self._event)
        self._counts: dict[int, int] = {}

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state["buffer"] = self.buffer.max_bytes
        state["_receiver"] = None
        state["_counts"] = {}
        return state

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self.buffer = LineBuffer(state["buffer"])
        self._receiver = SocketReceiver(*self._settings[:2], self.buffer, *self._settings[2:], self._event)

    def start(self) -> None:
        self._receiver.start()

    def stop(self) -> None:
        self._receiver.stop()

    def has_pending(self) -> bool:
        return self.buffer.pending() > 0

    def records_at(self, t: int) -> int | None:
        return self._counts.get(t, 0)

    def _compute(self, t: int) -> RDD | None:
        lines = self.buffer.take()
        self._counts = {t: len(lines)}
        n = max(1, min(self._sc.defaultParallelism, len(lines) // 20_000 + 1))
        return self._sc.parallelize(lines, n)

    def _event(self, kind: str, message: str) -> None:
        from ember.streaming import listener as L

        info = L.ReceiverInfo(self.id, f"SocketReceiver-{self.id}", kind != "stopped",
                              last_error_message=message if kind == "error" else "")
        method = {"started": "onReceiverStarted", "error": "onReceiverError",
                  "stopped": "onReceiverStopped"}[kind]
        self._ssc._scheduler._post(method, L.StreamingListenerReceiverEvent(info))
