"""The receiver's write-ahead log: received lines are on disk before they count as received.

With ``spark.streaming.receiver.writeAheadLog.enable=true`` and ``ssc.checkpoint(dir)`` set, every block
of lines a receiver reads is appended to ``dir/receivedData/<stream id>/log-<first block id>`` and
fsync'd before the block enters the receiver's buffer. A batch that finished and was checkpointed marks
its blocks done (the checkpoint records the last block it consumed, and so does the file ``done``);
segments whose blocks are all done are deleted, except the newest one, which shows where receiving
stopped. After a crash, :meth:`WriteAheadLog.replay` gives back the blocks not yet done, in order.

The format is ember's own and holds text only (nothing is unpickled). A record is a 25-byte header,
then the payload: the block's lines, UTF-8, joined by ``\\n``::

    magic b"EWAL" | kind (1 byte) | payload length (u32) | block id (u64) | payload crc32 | header crc32

all big-endian; the header crc covers the 21 bytes before it. A record cut short or damaged at the end
of a segment is what a crash during a write leaves: it is dropped with a warning (its lines were never
counted as received). A damaged record with data after it is an error naming the file and the offset.

Examples
--------
>>> import tempfile
>>> directory = tempfile.mkdtemp()
>>> log = WriteAheadLog(directory)
>>> log.append(["hello world", "hello spark"])
0
>>> log.close()  # a crash, say: the next run finds the block
>>> [(b.block_id, b.lines) for b in WriteAheadLog(directory).replay(-1)]
[(0, ['hello world', 'hello spark'])]
"""

from __future__ import annotations

import errno
import logging
import os
import re
import struct
import threading
import zlib
from dataclasses import dataclass
from typing import Iterator

from ember.conf import conf_flag

log = logging.getLogger("ember.streaming")

ENABLE_KEY = "spark.streaming.receiver.writeAheadLog.enable"
#: Spark's own words (a SparkException from its receiver) when the log has nowhere to go
NEEDS_CHECKPOINT = ("Cannot enable receiver write-ahead log without checkpoint directory set. Please use "
                    "streamingContext.checkpoint() to set the checkpoint directory. See documentation for "
                    "more details.")
SUBDIR = "receivedData"
SEGMENT_BYTES = 8 << 20

MAGIC = b"EWAL"
KIND_BLOCK = 1
_HEAD = struct.Struct(">4sBIQI")
_CRC = struct.Struct(">I")
HEADER_SIZE = _HEAD.size + _CRC.size
_SEGMENT = re.compile(r"^log-(\d+)$")


class WriteAheadLogError(Exception):
    """A log that cannot be written (disk full) or read (damaged in the middle)."""


@dataclass
class Block:
    """One record: the lines of a block and its id (ids grow by one, across restarts too)."""

    block_id: int
    lines: list[str]
    size: int


def enabled(conf) -> bool:
    """Whether ``spark.streaming.receiver.writeAheadLog.enable`` is on in a SparkConf."""
    return conf_flag(conf, ENABLE_KEY, False)


def log_dir(checkpoint_dir: str, stream_id: int) -> str:
    """Where the log of input stream ``stream_id`` lives under the checkpoint directory."""
    return os.path.join(checkpoint_dir, SUBDIR, str(stream_id))


def encode(kind: int, block_id: int, payload: bytes) -> bytes:
    """One record, header and payload."""
    head = _HEAD.pack(MAGIC, kind, len(payload), block_id, zlib.crc32(payload))
    return head + _CRC.pack(zlib.crc32(head)) + payload


def read_segment(path: str, warn: bool = True) -> Iterator[Block]:
    """The intact records of one segment file, in order (see the module docstring for damage)."""
    with open(path, "rb") as fh:
        data = fh.read()
    size, off = len(data), 0
    while off < size:
        if size - off < HEADER_SIZE:
            _torn(path, off, "cut short in its header", warn)
            return
        head = data[off:off + _HEAD.size]
        magic, kind, length, block_id, crc = _HEAD.unpack(head)
        (head_crc,) = _CRC.unpack_from(data, off + _HEAD.size)
        if magic != MAGIC or zlib.crc32(head) != head_crc:
            if not data[off:].strip(b"\0"):  # zeros a crash left where the record was to go
                _torn(path, off, "never written (zeros)", warn)
                return
            raise _damaged(path, off, "its header is damaged")
        start = off + HEADER_SIZE
        end = start + length
        if end > size:
            _torn(path, off, f"cut short ({size - start} of {length} bytes)", warn)
            return
        payload = data[start:end]
        if zlib.crc32(payload) != crc:
            if end == size:
                _torn(path, off, "damaged (checksum mismatch)", warn)
                return
            raise _damaged(path, off, "its checksum does not match")
        if kind == KIND_BLOCK:
            yield Block(block_id, payload.decode("utf-8").split("\n"), length)
        off = end


def _torn(path: str, off: int, how: str, warn: bool) -> None:
    if warn:
        log.warning("write-ahead log %s: dropped the record at byte %d, %s: a crash while it was being "
                    "written; its lines had not been counted as received", path, off, how)


def _damaged(path: str, off: int, what: str) -> WriteAheadLogError:
    return WriteAheadLogError(f"write-ahead log {path} is damaged: the record at byte {off} is unreadable "
                              f"({what}) and more data follows it, so lines would be lost. Move the file "
                              "away to start without it.")


def segments(directory: str) -> list[str]:
    """The segment files of a log directory, oldest first (regular files only)."""
    found = []
    for name in os.listdir(directory) if os.path.isdir(directory) else []:
        m = _SEGMENT.match(name)
        if m and os.path.isfile(os.path.join(directory, name)):
            found.append((int(m.group(1)), os.path.join(directory, name)))
    return [p for _, p in sorted(found)]


def read_log(directory: str, warn: bool = False) -> list[Block]:
    """Every intact block of a log directory, oldest first (for tools and tests)."""
    return [b for path in segments(directory) for b in read_segment(path, warn)]


class WriteAheadLog:
    """The log of one receiver: ``append`` from the receiver thread, ``mark_done`` from the job thread.

    Parameters
    ----------
    directory : str
        The log's own directory (made if missing), e.g. ``ckpt/receivedData/0``.
    segment_bytes : int
        A segment is closed and a new one begun once it holds this much.
    """

    def __init__(self, directory: str, segment_bytes: int = SEGMENT_BYTES) -> None:
        os.makedirs(directory, exist_ok=True)
        self.directory = directory
        self.segment_bytes = segment_bytes
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._path = ""
        self._size = 0
        self.done = self._read_done()
        #: [path, last block id] of every segment that holds a block, oldest first
        self._segments: list[list] = []
        last = -1
        for path in segments(directory):
            ids = [b.block_id for b in read_segment(path)]
            if ids:
                self._segments.append([path, ids[-1]])
                last = max(last, ids[-1])
        self._next = max(last, self.done) + 1

    # -- writing (receiver thread) ------------------------------------------------------------

    def append(self, lines: list[str]) -> int:
        """Write one block durably (fsync'd) and return its id; raises :class:`WriteAheadLogError`."""
        payload = "\n".join(lines).encode("utf-8", "surrogatepass")
        with self._lock:
            block_id = self._next
            record = encode(KIND_BLOCK, block_id, payload)
            if self._fd is None or self._size >= self.segment_bytes:
                self._open_segment(block_id)
            start = self._size
            try:
                view = memoryview(record)
                while view:
                    n = os.write(self._fd, view)  # type: ignore[arg-type]
                    view = view[n:]
                os.fsync(self._fd)  # type: ignore[arg-type]
            except OSError as e:
                self._undo(start)
                raise WriteAheadLogError(
                    f"cannot write the receiver's write-ahead log {self._path}: {_reason(e)}; "
                    f"a block of {len(lines)} lines was not stored and the receiver stops") from e
            self._size = start + len(record)
            self._next = block_id + 1
            if self._segments and self._segments[-1][0] == self._path:
                self._segments[-1][1] = block_id
            else:
                self._segments.append([self._path, block_id])
            return block_id

    def _open_segment(self, first_id: int) -> None:
        self._close_fd()
        path = os.path.join(self.directory, f"log-{first_id:016d}")
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            _fsync_dir(self.directory)
        except OSError as e:
            raise WriteAheadLogError(f"cannot create the receiver's write-ahead log {path}: "
                                     f"{_reason(e)}") from e
        self._path, self._size = path, os.fstat(self._fd).st_size

    def _undo(self, start: int) -> None:
        """Cut a half-written record off, so the segment ends cleanly (best effort: the disk is failing)."""
        try:
            os.ftruncate(self._fd, start)  # type: ignore[arg-type]
        except OSError:
            pass
        self._close_fd()

    # -- done marks (job thread) -----------------------------------------------------------------

    def mark_done(self, through: int) -> None:
        """Blocks up to ``through`` are in a checkpoint: record that, and delete the segments they fill."""
        if through <= self.done:
            return
        tmp = os.path.join(self.directory, "done.tmp")
        with open(tmp, "w", encoding="ascii") as fh:
            fh.write(f"{through}\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, os.path.join(self.directory, "done"))
        _fsync_dir(self.directory)
        with self._lock:
            self.done = through
            if self._fd is not None and self._segments and self._segments[-1][0] == self._path \
                    and self._segments[-1][1] <= through:
                self._close_fd()  # all of it is done: the next block begins a fresh segment
            # the newest segment with a block stays, so the log always shows the last block received
            keep = self._segments[-1][0] if self._segments else None
            gone = [s for s in self._segments if s[1] <= through and s[0] != keep and s[0] != self._path]
            for seg in gone:
                try:
                    os.remove(seg[0])
                except FileNotFoundError:
                    pass
            self._segments = [s for s in self._segments if s not in gone]

    def _read_done(self) -> int:
        path = os.path.join(self.directory, "done")
        try:
            with open(path, encoding="ascii") as fh:
                text = fh.read().strip()
        except FileNotFoundError:
            return -1
        if not text.isdigit():
            raise WriteAheadLogError(f"write-ahead log mark {path} is damaged: {text[:40]!r} is not a "
                                     "block id. Move the file away to start without it.")
        return int(text)

    # -- reading back -----------------------------------------------------------------------------

    def replay(self, after: int) -> Iterator[Block]:
        """The blocks with an id above ``after``, oldest first: what was received but not processed."""
        for path in [s[0] for s in self._segments]:
            if path == self._path:
                break  # written by this run: not a backlog
            for block in read_segment(path, warn=False):
                if block.block_id > after:
                    yield block

    def close(self) -> None:
        """Close the open segment (the log stays on disk)."""
        with self._lock:
            self._close_fd()

    def _close_fd(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd, self._path, self._size = None, "", 0


def _fsync_dir(directory: str) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _reason(e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return "No space left on device"
    return e.strerror or type(e).__name__
