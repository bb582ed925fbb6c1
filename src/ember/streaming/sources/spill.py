"""Received blocks kept on disk, not in the driver's memory, as Spark's receiver may keep them.

Spark's receiver stores its blocks ``MEMORY_AND_DISK_SER_2``. ember's receiver keeps the first
:data:`SPILL_AFTER` bytes of a batch in memory and appends the rest to an unlinked temporary file of
that batch (:class:`SpillWriter`), keeping a :class:`FileBlock` (where each one lies) in their place.
Whoever reads a block (the driver, or a worker process counting words) reads it back then, one block
at a time: a worker never holds its whole task's input, and the driver holds no more than a few MiB of
lines however fast they come. The file is the kernel's to cache; it goes away with the last
:class:`FileBlock` of its batch (the batch's RDD forgotten).

Workers open the file through ``/proc/<driver pid>/fd/<fd>``, so nothing is ever left on disk, even
when the driver is killed; where there is no ``/proc`` (not Linux) blocks stay in memory.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from typing import Iterable, Iterator

#: the bytes of a batch kept in memory before its blocks go to disk: a small batch never touches it
SPILL_AFTER = 1 << 20
#: whether blocks can go to disk (workers open the file through /proc)
CAN_SPILL = os.path.isdir("/proc/self/fd")


class _SpillFile:
    """The open, unlinked file of one batch's blocks; closed when no block refers to it any more."""

    __slots__ = ("fd", "path")

    def __init__(self) -> None:
        self.fd = _temporary_fd()
        self.path = f"/proc/{os.getpid()}/fd/{self.fd}"

    def __del__(self) -> None:
        try:
            os.close(self.fd)
        except (OSError, AttributeError, TypeError):
            pass


def _temporary_fd() -> int:
    with tempfile.TemporaryFile(prefix="ember-blocks-") as fh:  # unlinked at once on POSIX
        return os.dup(fh.fileno())


class FileBlock:
    """A block of raw line bytes at ``offset`` in a spill file; ``len`` is its size in bytes."""

    __slots__ = ("path", "offset", "length", "_file")

    def __init__(self, path: str, offset: int, length: int, file: _SpillFile | None = None) -> None:
        self.path, self.offset, self.length, self._file = path, offset, length, file

    def __len__(self) -> int:
        return self.length

    def __reduce__(self):  # the path travels, not the open file (a worker opens it by its path)
        return (FileBlock, (self.path, self.offset, self.length))

    def read(self) -> bytes:
        fd = os.open(self.path, os.O_RDONLY)
        try:
            return _pread(fd, self.length, self.offset)
        finally:
            os.close(fd)


def _pread(fd: int, length: int, offset: int) -> bytes:
    data = os.pread(fd, length, offset)
    if len(data) < length:  # a short read: the rest, in as many reads as it takes
        parts = [data]
        got = len(data)
        while got < length:
            more = os.pread(fd, length - got, offset + got)
            if not more:
                raise OSError(f"spilled block file {fd} ends before byte {offset + length}")
            parts.append(more)
            got += len(more)
        data = b"".join(parts)
    return data


def contents(blocks: Iterable) -> Iterator:
    """Each block as it is, a :class:`FileBlock` read back (one file opened once for a run of them)."""
    fd, path = -1, None
    try:
        for block in blocks:
            if type(block) is FileBlock:
                if block.path != path:
                    if fd >= 0:
                        os.close(fd)
                        fd = -1
                    fd, path = os.open(block.path, os.O_RDONLY), block.path
                yield _pread(fd, block.length, block.offset)
            else:
                yield block
    finally:
        if fd >= 0:
            os.close(fd)


class SpillWriter:
    """Appends blocks to one spill file (a batch's), created at the first block."""

    def __init__(self) -> None:
        self._file: _SpillFile | None = None
        self._offset = 0

    def append(self, block: bytes) -> FileBlock:
        """``block`` written to the file (OSError, say a full disk: the caller keeps it in memory)."""
        if self._file is None:
            self._file = _SpillFile()
        _write_all(self._file.fd, block, self._offset)
        out = FileBlock(self._file.path, self._offset, len(block), self._file)
        self._offset += len(block)
        return out


def _write_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:  # at its own offset: a write that failed half way never shifts the blocks after it
        n = os.pwrite(fd, view, offset)
        view, offset = view[n:], offset + n


#: pickled partitions smaller than this in all stay in memory (a file each is not worth it)
SPILL_BLOBS_MIN = 256 << 10


class DiskBlobs(Sequence):
    """Pickled partitions kept in a spill file: ``blobs[i]`` reads partition ``i`` back as bytes.

    What a window keeps of each of its batches (their counts, 1-2 MB each at 500k lines/s, 40 batches
    for a 30 s window) waits on disk, in the kernel's cache, not in the driver's memory. It pickles as
    the plain list of bytes (a checkpoint saves the bytes, never the file).
    """

    __slots__ = ("_blocks",)

    def __init__(self, blocks: list[FileBlock]) -> None:
        self._blocks = blocks

    def __len__(self) -> int:
        return len(self._blocks)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [b.read() for b in self._blocks[i]]
        return self._blocks[i].read()

    def __reduce__(self):
        return (list, (list(self),))


def spill_blobs(blobs: list[bytes]) -> Sequence[bytes]:
    """``blobs`` moved into a spill file of their own when they are big enough to be worth it.

    They stay as they are when they are small, where files cannot be reopened (no /proc), or when
    writing fails (a full disk: memory is used instead, as for received blocks).
    """
    if not CAN_SPILL or sum(map(len, blobs)) < SPILL_BLOBS_MIN:
        return blobs
    writer = SpillWriter()
    try:
        return DiskBlobs([writer.append(b) for b in blobs])
    except OSError:
        return blobs
