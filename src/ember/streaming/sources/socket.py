"""``socketTextStream``: lines read from a TCP server, as Spark's socket receiver reads them.

The receiver is a TCP *client* on a thread of its own. Lines end at ``\\n``, ``\\r`` or ``\\r\\n``, as
Java's ``readLine`` has it, and are decoded from UTF-8 with invalid bytes made U+FFFD, as Java's
decoder makes them. The receiver only cuts what it reads into blocks of whole lines; decoding and
splitting happen where the batch runs, in C (:mod:`ember.streaming.sources.blocks`). Each batch takes
every line received since the previous one. When the server is missing or goes away the receiver
retries every 2 s and says so once, not once per try; batches keep coming, empty, as in Spark.

Memory is bounded: the blocks waiting for a batch are capped (``ember.receiver.maxBufferBytes``,
32 MiB by default, about 660,000 lines of 50 bytes); when processing falls behind the receiver stops
reading and TCP slows the producer down. Nothing received is dropped. Past the first MiB of a batch
the blocks wait on disk, as Spark's receiver may store them (:mod:`ember.streaming.sources.spill`).
``spark.streaming.receiver.maxRate`` caps the lines per second; with
``spark.streaming.backpressure.enabled`` the rate follows how fast batches are processed
(:mod:`ember.streaming.rate`). A line longer than
``ember.receiver.maxLineBytes`` (8 MiB) is skipped and counted, with a warning.

With ``spark.streaming.receiver.writeAheadLog.enable=true`` (which needs ``ssc.checkpoint(dir)``) each
block of lines is written to the write-ahead log (:mod:`ember.streaming.wal`) before it enters the
buffer, and a context recovered by ``getOrCreate`` first replays the lines received but not processed
before the crash. A log that cannot be written (disk full) stops the receiver and fails the context:
the error says how many lines were not stored.
"""

from __future__ import annotations

import itertools
import logging
import select
import socket
import threading
import time
from typing import Callable, Iterator

from ember.core.rdd import RDD
from ember.errors import SparkException
from ember.streaming import rate as rate_mod
from ember.streaming import wal as wal_mod
from ember.streaming.sources import InputDStream
from ember.streaming.sources.blocks import JAVA_REPLACE, Block, BlockRDD, decode, normalize  # noqa: F401
from ember.streaming.sources.spill import CAN_SPILL, SPILL_AFTER, SpillWriter

log = logging.getLogger("ember.streaming")

RETRY_SECONDS = 2.0
_READ = 1 << 16
_READ_LOGGED = 1 << 20  # with the write-ahead log: fewer, larger blocks, one fsync each
_BLOCK_LOGGED = 8 << 20  # a logged block gathers what is already waiting, up to this much
DEFAULT_BUFFER_BYTES = 32 << 20
_LINE_OVERHEAD = 57  # what a decoded line costs in memory beyond its bytes: a str header and a list slot
_BLOCK_OVERHEAD = 41  # what a block of raw bytes costs beyond them: a bytes header and two list slots
_PACE_SECONDS = 0.1  # under a rate limit, lines go into the buffer this often


class _Records(list):
    """A block of ``socketStream`` records (a list, as blocks of lines replayed from the log are)."""


def spilled_batches() -> int:
    """How many remembered batches may keep their blocks on disk: each holds its file open.

    A quarter of the open files this process may have (the rest for sockets, pipes, user files). A
    window of 30 s over 1 s batches remembers 40 of them: held in memory, their lines cost ~25 MB a
    second at 500k lines/s (the driver grew past 600 MiB in 20 s before this limit was derived).
    """
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):  # no such limit (not Unix): blocks stay in memory anyway
        return 32
    return 1 << 30 if soft == resource.RLIM_INFINITY else max(32, soft // 4)


class LineBuffer:
    """Blocks of lines waiting for the next batch; ``put`` blocks while they hold ``max_bytes``.

    A block is raw bytes of whole lines (see :mod:`ember.streaming.sources.blocks`), the same bytes
    in the batch's spill file once the buffer holds ``SPILL_AFTER`` bytes in memory, or, replayed from
    the write-ahead log, a list of lines; ``size`` is what it costs, in memory or on disk.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._blocks: list[Block] = []
        self._counts: list[int] = []
        self._lines = 0
        self._bytes = 0
        self._cond = threading.Condition()
        self._closed = False
        self.received = 0
        self._last_block = -1
        #: the id of the newest write-ahead log block that a ``take`` has handed out (-1: none)
        self.taken_through = -1
        self._in_memory = 0  # bytes of the waiting blocks held in memory (the rest is on disk)
        #: whether blocks past the first ``SPILL_AFTER`` bytes of a batch go to disk
        self.spill_ok = CAN_SPILL
        #: how many batches the stream remembers: they share what stays in memory (see ``_memory_room``)
        self.remembered = 1
        self._spill: SpillWriter | None | bool = None  # False: writing failed, this batch stays in memory

    def put(self, block: Block, count: int, size: int, block_id: int | None = None) -> bool:
        """Add a block of ``count`` lines (``size`` bytes of memory); wait while full. False once closed."""
        with self._cond:
            if not self._room():
                return False
            self._add(block, count, size, block_id)
            return True

    def _room(self) -> bool:
        """Wait (holding the lock) while the buffer is full; False once it is closed."""
        while self._bytes >= self.max_bytes and not self._closed:
            self._cond.wait(0.5)
        return not self._closed

    def put_if_room(self, block: Block, count: int, size: int, block_id: int | None = None) -> bool:
        """Add a block unless the buffer is full (then False, and nothing is added)."""
        with self._cond:
            if self._bytes >= self.max_bytes:
                return False
            self._add(block, count, size, block_id)
            return True

    def _add(self, block: Block, count: int, size: int, block_id: int | None) -> None:
        if type(block) is bytes and self.spill_ok:
            if self._in_memory >= self._memory_room() and self._spill is not False:
                if self._spill is None:
                    self._spill = SpillWriter()
                try:
                    block = self._spill.append(block)
                except OSError as e:  # a full disk, say: this batch's blocks stay in memory
                    log.warning("socketTextStream: cannot write received blocks to disk (%s); "
                                "keeping them in memory", _reason(e))
                    self._spill = False
            if type(block) is bytes:
                self._in_memory += len(block)
        self._blocks.append(block)
        self._counts.append(count)
        self._counted(count, size, block_id)

    def _counted(self, count: int, size: int, block_id: int | None) -> None:
        """Account for ``count`` more lines (records) of ``size`` bytes, just added to the blocks."""
        self._lines += count
        self._bytes += size
        self.received += count
        if block_id is not None:
            self._last_block = block_id
        self._cond.notify_all()

    def _memory_room(self) -> int:
        """A batch's bytes kept in memory before the rest goes to disk: ``SPILL_AFTER``, or less when
        the stream remembers many batches (a 30 s window remembers 40), which share 4 SPILL_AFTERs."""
        return SPILL_AFTER if self.remembered <= 4 else max(SPILL_AFTER * 4 // self.remembered, 64 << 10)

    def put_record(self, record: object, size: int) -> bool:
        """Add one record (of ``socketStream``): to the newest block when it is a block of records
        still waiting, else in a block of its own; wait while full. False once closed."""
        with self._cond:
            if not self._room():
                return False
            if self._blocks and type(self._blocks[-1]) is _Records:
                self._blocks[-1].append(record)
                self._counts[-1] += 1
                self._counted(1, size, None)
            else:
                self._add(_Records([record]), 1, size, None)
            return True

    def take(self) -> tuple[list[Block], list[int]]:
        """Everything waiting: the blocks and their line counts."""
        with self._cond:
            taken = self._blocks, self._counts
            self._blocks, self._counts, self._lines, self._bytes = [], [], 0, 0
            self._in_memory, self._spill = 0, None  # the next batch's blocks go to a file of their own
            self.taken_through = self._last_block
            self._cond.notify_all()
            return taken

    def pending(self) -> int:
        with self._cond:
            return self._lines

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

    def wait_more_or_full(self, seen: int, timeout: float) -> bool:
        """Block until more than ``seen`` lines have been received, or the buffer is full (tests' hook)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.received <= seen and self._bytes < self.max_bytes:
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

    api = "socketTextStream"  # the name its messages go by

    def __init__(self, host: str, port: int, buffer: LineBuffer, max_line: int, max_rate: float,
                 events: Callable[[str, str], None]) -> None:
        self.host, self.port = host, port
        self.buffer = buffer
        self.max_line = max_line
        self.max_rate = max_rate  # spark.streaming.receiver.maxRate: no rate set goes above it
        self.rate = max_rate  # the lines per second kept to now (0: no limit)
        self.events = events
        self.skipped_lines = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"ember-receiver-{host}:{port}", daemon=True)
        self._sock: socket.socket | None = None
        self._now = time.monotonic  # the pacing's clock (tests freeze it)
        self._started = self._now()
        self._delivered = 0
        self.wal: wal_mod.WriteAheadLog | None = None
        self.backlog: Iterator[wal_mod.Block] | None = None  # logged before a crash, not yet processed
        self.on_fatal: Callable[[BaseException], None] | None = None
        self._failed = False

    def start(self) -> None:
        self._thread.start()

    def set_rate(self, rate: float) -> None:
        """Keep to ``rate`` lines per second from now on (never above ``max_rate`` when that is set).

        The pacing starts afresh, so lines taken in at the old rate do not count against the new one.
        """
        if rate <= 0:
            return
        if self.max_rate > 0:
            rate = min(rate, self.max_rate)
        self._started, self._delivered = self._now(), 0
        self.rate = rate

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
        if self.wal is not None:
            self.wal.close()

    def _run(self) -> None:
        self.events("started", "")
        if self.backlog is not None and not self._replay():
            self.events("stopped", "")
            return
        in_outage = False
        while not self._stop.is_set() and not self._failed:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=RETRY_SECONDS)
            except OSError as e:
                if not in_outage:
                    msg = (f"{self.api}: cannot connect to {self.host}:{self.port} ({_reason(e)}); "
                           f"retrying every {RETRY_SECONDS:.0f} s")
                    log.warning(msg)
                    self.events("error", msg)
                    in_outage = True
                self._stop.wait(RETRY_SECONDS)
                continue
            if in_outage:
                log.warning("%s: connected to %s:%s", self.api, self.host, self.port)
                in_outage = False
            self._sock = sock
            reason = self._read(sock)
            self._sock = None
            sock.close()
            if not self._stop.is_set() and not self._failed:
                msg = (f"{self.api}: {self.host}:{self.port} {reason}; reconnecting every "
                       f"{RETRY_SECONDS:.0f} s")
                log.warning(msg)
                self.events("error", msg)
                in_outage = True
                self._stop.wait(RETRY_SECONDS)
        self.events("stopped", "")

    def _replay(self) -> bool:
        """Hand the logged but unprocessed blocks to the buffer before reading anything new."""
        try:
            for block in self.backlog:  # type: ignore[union-attr]
                lines = block.lines
                if not self.buffer.put(lines, len(lines), block.size + _LINE_OVERHEAD * len(lines),
                                       block.block_id):
                    return False
        except Exception as e:
            self._fail(e)
            return False
        finally:
            self.backlog = None
        return True

    def _fail(self, e: BaseException) -> None:
        """Stop receiving for good and fail the context: lines that could not be stored fail loudly."""
        self._failed = True
        msg = f"{self.api}: {e}"
        log.error(msg)
        self.events("error", msg)
        if self.on_fatal is not None:
            self.on_fatal(e)

    def _read(self, sock: socket.socket) -> str:
        sock.settimeout(0.5)
        pending = bytearray()
        skipping = False  # inside a line too long to keep: drop bytes up to its line end
        skip_lf = False  # the last chunk ended in \r: a \n starting the next one belongs to it
        size = _READ if self.wal is None else _READ_LOGGED
        while not self._stop.is_set():
            try:
                chunk = sock.recv(size)
            except TimeoutError:
                continue
            except OSError as e:
                self._flush_tail(pending, skipping)
                return f"dropped the connection ({_reason(e)})"
            if not chunk:
                self._flush_tail(pending, skipping)
                return "closed the connection (no more data)"
            if self.wal is not None:
                chunk = _gather(sock, chunk)
            start = 0
            if skip_lf:
                skip_lf = False
                start = 1 if chunk[:1] == b"\n" else 0
            if skipping:
                end = _first_eol(chunk, start)
                if end < 0:
                    continue
                skipping, start = False, end + 1
                if chunk[end] == _CR:
                    if end + 1 == len(chunk):
                        skip_lf = True
                    elif chunk[end + 1] == _LF:
                        start += 1
            # lines end at \n, \r or \r\n, as Java's BufferedReader.readLine (Spark's receiver) has it
            cut = max(chunk.rfind(b"\n", start), chunk.rfind(b"\r", start))
            if cut < start:
                pending += chunk[start:]
            else:
                data = b"".join((pending, memoryview(chunk)[start:cut]))  # the block, copied once
                pending = bytearray(memoryview(chunk)[cut + 1:])
                if chunk[cut] == _CR:
                    skip_lf = cut + 1 == len(chunk)
                elif data.endswith(b"\r"):
                    data = data[:-1]  # the \r of a \r\n
                if not self._deliver(data):
                    return "failed" if self._failed else "stopped"
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
        data = normalize(data)
        if len(data) > self.max_line:  # a line longer than the bound may have arrived whole
            kept = self._drop_long_lines(data)
            if kept is None:
                return True
            data = kept
        count = data.count(b"\n") + 1
        if self.rate <= 0:
            return self._store(data, count)
        # a read holds up to 64 KiB of lines: at a low rate they go in a tenth of a second's worth at a
        # time, not all at once after a long wait
        for piece, n in _pieces(data, count, max(1, int(self.rate * _PACE_SECONDS))):
            self._pace(n)
            if not self._store(piece, n):
                return False
        return True

    def _pace(self, n: int) -> None:
        """Wait until ``n`` more records are due at the current rate (there is one)."""
        self._delivered += n
        ahead = self._delivered / self.rate - (self._now() - self._started)
        if ahead > 0:
            self._stop.wait(ahead)

    def _store(self, data: bytes, count: int) -> bool:
        """Hand ``count`` lines to the buffer (through the write-ahead log when there is one)."""
        if self.wal is None:
            return self.buffer.put(data, count, len(data) + _BLOCK_OVERHEAD)
        lines = decode(data)
        try:
            block_id = self.wal.append(lines)  # on disk before it counts as received
        except wal_mod.WriteAheadLogError as e:
            self._fail(e)
            return False
        return self.buffer.put(lines, count, len(data) + _LINE_OVERHEAD * count, block_id)

    def _drop_long_lines(self, data: bytes) -> bytes | None:
        """``data`` without its lines longer than the bound (None when no line is left)."""
        lines = data.split(b"\n")
        kept = [ln for ln in lines if len(ln) <= self.max_line]
        for _ in range(len(lines) - len(kept)):
            self._skip_long_line()
        return b"\n".join(kept) if kept else None


def _reason(e: OSError) -> str:
    return e.strerror or type(e).__name__


_CR, _LF = 13, 10


def _gather(sock: socket.socket, first: bytes) -> bytes:
    """``first`` and whatever else the socket has ready now: one fsync then covers it all."""
    parts, total = [first], len(first)
    while total < _BLOCK_LOGGED:
        try:
            if not select.select([sock], [], [], 0)[0]:
                break
            more = sock.recv(_READ_LOGGED)
        except (OSError, ValueError):
            break  # the next blocking read reports it
        if not more:
            break  # end of stream: the next read sees it again
        parts.append(more)
        total += len(more)
    return first if len(parts) == 1 else b"".join(parts)


def _pieces(data: bytes, count: int, most: int) -> Iterator[tuple[bytes, int]]:
    """``data`` (``count`` lines) cut into runs of about ``most`` lines, with their line counts."""
    if count <= most:
        yield data, count
        return
    step = max(1, len(data) * most // count)  # bytes of about ``most`` lines
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + step - 1)
        if end < 0:
            piece = data[start:]
            yield piece, piece.count(b"\n") + 1
            return
        piece = data[start:end]
        yield piece, piece.count(b"\n") + 1
        start = end + 1
    if data.endswith(b"\n"):
        yield b"", 1  # the empty line after the last newline


def _first_eol(chunk: bytes, start: int) -> int:
    """The index of the first \n or \r at or after ``start``, -1 if none."""
    found = [i for i in (chunk.find(b"\n", start), chunk.find(b"\r", start)) if i >= 0]
    return min(found) if found else -1


class SocketInputDStream(InputDStream):
    """The stream of a socket receiver: each batch is the lines received since the last one."""

    def __init__(self, ssc, host: str, port: int) -> None:
        super().__init__(ssc)
        conf = ssc._sc.getConf()
        self.buffer = LineBuffer(int(conf.get("ember.receiver.maxBufferBytes", str(DEFAULT_BUFFER_BYTES))))
        self._settings = (host, int(port), int(conf.get("ember.receiver.maxLineBytes", str(8 << 20))),
                          float(conf.get("spark.streaming.receiver.maxRate", "0")))
        self._counts: dict[int, int] = {}
        self._wal: wal_mod.WriteAheadLog | None = None
        # as in Spark, bad backpressure settings fail here, at socketTextStream()
        self._estimator = (rate_mod.estimator_from_conf(conf, ssc._batch_ms)
                           if rate_mod.backpressure_enabled(conf) else None)
        self._initial_rate = rate_mod.initial_rate(conf) if self._estimator is not None else 0.0
        self._new_receiver()

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state["buffer"] = self.buffer.max_bytes
        state["_receiver"] = None
        state["_counts"] = {}
        state["_wal"] = None
        state["rate_controller"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self.buffer = LineBuffer(state["buffer"])
        self._new_receiver()

    def _make_receiver(self) -> SocketReceiver:
        return SocketReceiver(*self._settings[:2], self.buffer, *self._settings[2:], self._event)

    def _new_receiver(self) -> None:
        self._receiver = self._make_receiver()
        self.rate_controller: rate_mod.RateController | None = None
        if getattr(self, "_estimator", None) is not None:  # (absent from checkpoints of older versions)
            self._receiver.set_rate(self._initial_rate)
            self.rate_controller = rate_mod.RateController(self.id, self._estimator, self._receiver.set_rate)

    def _validate_at_start(self) -> None:
        super()._validate_at_start()
        if wal_mod.enabled(self._sc.getConf()) and self._ssc._checkpoint_dir is None:
            # Spark starts and then fails its receiver's task over and over with this; ember fails here
            raise SparkException(wal_mod.NEEDS_CHECKPOINT)

    def start(self) -> None:
        if wal_mod.enabled(self._sc.getConf()):
            self._open_wal()
        # each batch remembered (a window over the lines, say) keeps its spill file open: a memory longer
        # than the open files allow keeps its batches in memory rather than run out of them
        remembered = -(-(self._remember_ms or 0) // self._slide_ms)
        self.buffer.spill_ok = CAN_SPILL and remembered <= spilled_batches()
        self.buffer.remembered = max(1, remembered)
        if self.rate_controller is not None:
            self._ssc._scheduler.listeners.append(self.rate_controller)
        self._receiver.start()

    def _open_wal(self) -> None:
        """Open the log; queue what it holds beyond the last checkpointed batch for the first batches."""
        log_ = wal_mod.WriteAheadLog(wal_mod.log_dir(self._ssc._checkpoint_dir, self.id))
        saved = self._ssc._recovered
        after = (getattr(saved, "wal", None) or {}).get(self.id, log_.done)
        self.buffer._last_block = self.buffer.taken_through = after
        backlog: Iterator[wal_mod.Block] | None = log_.replay(after)
        replayed = 0
        for block in backlog:  # type: ignore[union-attr]
            # as much as the buffer holds goes in now, so the first batch has it; the receiver
            # thread hands over the rest before it reads anything new
            lines = block.lines
            if not self.buffer.put_if_room(lines, len(lines), block.size + _LINE_OVERHEAD * len(lines),
                                           block.block_id):
                backlog = itertools.chain([block], backlog)  # type: ignore[arg-type]
                break
            replayed += len(block.lines)
        else:
            backlog = None
        if replayed or backlog is not None:
            log.warning("socketTextStream: replaying %s%d lines received before the restart from %s",
                        "at least " if backlog is not None else "", replayed, log_.directory)
        self._wal = log_
        self._receiver.wal, self._receiver.backlog = log_, backlog
        self._receiver.on_fatal = self._ssc._scheduler.waiter.notify_error

    def wal_mark(self) -> int | None:
        """The newest log block a batch has consumed (what a checkpoint records), None without a log."""
        return None if self._wal is None else self.buffer.taken_through

    def wal_done(self, through: int) -> None:
        """A checkpoint holds every block up to ``through``: the log may forget them."""
        if self._wal is not None:
            self._wal.mark_done(through)

    def stop(self) -> None:
        if self.rate_controller in self._ssc._scheduler.listeners:
            self._ssc._scheduler.listeners.remove(self.rate_controller)
        self._receiver.stop()

    def has_pending(self) -> bool:
        return self.buffer.pending() > 0

    def records_at(self, t: int) -> int | None:
        return self._counts.get(t, 0)

    def _compute(self, t: int) -> RDD | None:
        blocks, counts = self.buffer.take()
        total = sum(counts)
        self._counts = {t: total}
        n = max(1, min(self._sc.defaultParallelism, total // 20_000 + 1))
        return BlockRDD(self._sc, blocks, counts, n)

    def _event(self, kind: str, message: str) -> None:
        from ember.streaming import listener as L

        info = L.ReceiverInfo(self.id, f"SocketReceiver-{self.id}", kind != "stopped",
                              last_error_message=message if kind == "error" else "")
        method = {"started": "onReceiverStarted", "error": "onReceiverError",
                  "stopped": "onReceiverStopped"}[kind]
        self._ssc._scheduler._post(method, L.StreamingListenerReceiverEvent(info))
