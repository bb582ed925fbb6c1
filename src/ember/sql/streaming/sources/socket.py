"""``format("socket")``: lines from a TCP server, as Spark's TextSocket source reads them.

The source connects when the query starts (a missing server fails the query at once, as in Spark) and
a reader thread receives bytes in large chunks. Lines are never handled one by one in Python: each
chunk of whole lines is split into a column of lines inside Polars as it arrives and kept with its
line count and arrival time (milliseconds, Spark's ``includeTimestamp`` precision); a batch is its
chunks' columns end to end, so the text is held once. The offset is
the number of lines received, -1 before the first; committed chunks are dropped, and the reader stops
reading while ``ember.socket.maxBufferBytes`` (32 MiB, as the DStream receiver's buffer) wait for a batch, so
TCP slows the sender; the cap also bounds a batch, and with it the batch's transient memory. The lines a
running batch has taken do not count: the reader fills the next batch while one runs (else a batch
that took a second would leave the next one only what arrived after its commit).
Lines end as Java's ``readLine`` ends them (``\\n``, ``\\r\\n`` or a lone ``\\r``) and bytes that are not
UTF-8 become U+FFFD as Java's decoder makes them. Like Spark's, this source cannot replay after a restart.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

import polars as pl

from ember.sql.filescan import decode_utf8
from ember.sql.streaming.sources.base import Source, SourceSpec, empty_frame, get_option, option_bool

log = logging.getLogger("ember.sql.streaming")

_READ = 1 << 18


def validate(options: dict) -> None:
    """Spark's checks at ``load()``: host and port present, includeTimestamp a boolean."""
    from ember.errors import AnalysisException

    if get_option(options, "host") is None:
        raise AnalysisException('Set a host to read from with option("host", ...).')
    if get_option(options, "port") is None:
        raise AnalysisException('Set a port to read from with option("port", ...).')
    if option_bool(options, "includeTimestamp", False) is None:
        raise AnalysisException('IncludeTimestamp must be set to either "true" or "false".')
    try:
        int(get_option(options, "port"))
    except ValueError:
        raise AnalysisException("Port must be an integer") from None


def schema_for(options: dict) -> Any:
    from ember.sql.types import StringType, StructField, StructType, TimestampType

    fields = [StructField("value", StringType(), True)]
    if option_bool(options, "includeTimestamp", False):
        fields.append(StructField("timestamp", TimestampType(), True))
    return StructType(fields)


class SocketSource(Source):
    """A TCP client that keeps the received lines until their batch commits."""

    replayable = False

    def __init__(self, spec: SourceSpec, session: Any) -> None:
        super().__init__(spec)
        self.host = str(get_option(spec.options, "host"))
        self.port = int(get_option(spec.options, "port"))
        self.with_ts = bool(option_bool(spec.options, "includeTimestamp", False))
        cap = 32 << 20
        if session is not None:
            try:
                cap = int(session.conf.get("ember.socket.maxBufferBytes", str(cap)))
            except Exception:  # a session without the key or conf: keep the default
                pass
        self.max_bytes = cap
        # chunks: (first line number, line count, the lines as a column, arrival ms, bytes)
        self._chunks: list[tuple[int, int, pl.Series, int, int]] = []
        self._lines = 0
        self._bytes = 0  # bytes received and not committed
        self._taken = 0  # of those, the bytes a running batch has taken (get_batch until its commit)
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def description(self) -> str:
        return f"TextSocketV2[host: {self.host}, port: {self.port}]"

    def start(self, source_dir: str | None) -> None:
        log.warning("The socket source should not be used for production applications! "
                    "It does not support recovery.")
        self._sock = socket.create_connection((self.host, self.port))
        self._thread = threading.Thread(target=self._run, name=f"ember-socket-{self.host}:{self.port}",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        sock = self._sock
        assert sock is not None
        pending = b""
        after_cr = False
        try:
            while not self._stop.is_set():
                data = sock.recv(_READ)
                if not data:
                    break
                data, after_cr = _unify_newlines(data, after_cr)
                cut = data.rfind(b"\n")
                if cut < 0:
                    pending += data
                    continue
                whole, pending = pending + data[:cut], data[cut + 1:]
                self._add(whole)
            if pending and not self._stop.is_set():
                self._add(pending)  # Java's readLine also returns a last line without newline
        except OSError as e:
            if not self._stop.is_set():
                log.warning("socket source %s:%s: %s", self.host, self.port, e)
        log.info("Stream closed by %s:%s", self.host, self.port)

    def _add(self, raw: bytes) -> None:
        n = raw.count(b"\n") + 1
        text = decode_utf8(raw) if not raw.isascii() else raw.decode("ascii")
        # split into a column of lines here, a read at a time: the text is then held once, in Polars,
        # and a batch is its chunks' columns end to end (no copy of the whole batch's text as one
        # string per chunk, then a frame of them, then its split and exploded copy)
        lines = pl.Series("value", [text]).str.split("\n").explode()
        del text
        ms = int(time.time() * 1000)
        with self._cond:
            while self._bytes - self._taken >= self.max_bytes and not self._stop.is_set():
                self._cond.wait(0.2)
            self._chunks.append((self._lines, n, lines, ms, len(raw)))
            self._lines += n
            self._bytes += len(raw)
            self._cond.notify_all()

    def wait_lines(self, n: int, timeout: float = 10.0) -> bool:
        """Block until ``n`` lines arrived in all (a hook for deterministic tests)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._lines < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def latest_offset(self) -> int:
        with self._cond:
            return self._lines - 1

    def get_batch(self, start: Any, end: Any) -> pl.DataFrame:
        first = -1 if start is None else int(start)
        last = int(end)
        with self._cond:
            chunks = [c for c in self._chunks if c[0] + c[1] - 1 > first and c[0] <= last]
            self._taken = sum(c[4] for c in self._chunks if c[0] <= last)
            self._cond.notify_all()
        if not chunks:
            return empty_frame(self.schema)
        value = pl.concat([c[2] for c in chunks], rechunk=False) if len(chunks) > 1 else chunks[0][2]
        cols: dict[str, Any] = {"value": value}
        if self.with_ts:
            from ember.sql.streaming import _compat

            per_chunk = pl.DataFrame({"ms": [c[3] for c in chunks], "n": [c[1] for c in chunks]},
                                     schema={"ms": pl.Int64, "n": pl.Int64})
            cols["timestamp"] = per_chunk.select(pl.col("ms").repeat_by("n").explode()).to_series()
        exploded = pl.DataFrame(cols)
        lo, hi = first + 1 - chunks[0][0], last + 1 - chunks[0][0]
        if lo > 0 or hi < exploded.height:
            exploded = exploded.slice(lo, hi - lo)
        if self.with_ts:
            exploded = exploded.with_columns(_compat.millis_to_timestamp(pl.col("timestamp")))
        return exploded

    def commit(self, end: Any) -> None:
        last = int(end)
        with self._cond:
            keep = [c for c in self._chunks if c[0] + c[1] - 1 > last]
            self._bytes -= sum(c[4] for c in self._chunks if c[0] + c[1] - 1 <= last)
            self._taken = 0
            self._chunks = keep
            self._cond.notify_all()

    def stop(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock.close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _unify_newlines(data: bytes, after_cr: bool) -> tuple[bytes, bool]:
    """``data`` with Java's line ends (``\\r\\n``, ``\\r``, ``\\n``) as ``\\n``; whether it ended in ``\\r``.

    ``BufferedReader.readLine`` ends a line at a lone ``\\r`` at once and then skips one ``\\n`` that
    follows, also when it comes in the next block (``after_cr``). Bytes methods keep this at C speed.
    """
    if after_cr and data.startswith(b"\n"):
        data = data[1:]
    if b"\r" not in data:
        return data, False
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"), data.endswith(b"\r")
