"""A worker process: runs pickled partition tasks sent by its driver over a private pipe pair.

The pipes are inherited from the driver that started this process (never a socket), so the
pickles read here come only from that driver. Workers run with ``PYTHONHASHSEED=0``, as PySpark's
do, so the built-in ``hash`` is the partitioning hash.
"""

from __future__ import annotations

import os
import pickle
import sys
import traceback


def read_frame(fd: int) -> bytes | None:
    """One length-prefixed frame, or None at end of input."""
    header = _read_exact(fd, 8)
    if header is None:
        return None
    data = _read_exact(fd, int.from_bytes(header, "little"))
    if data is None:
        raise EOFError("the other side closed the pipe in the middle of a frame")
    return data


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 24))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def write_frame(fd: int, data: bytes) -> None:
    """Write one length-prefixed frame."""
    view = memoryview(len(data).to_bytes(8, "little") + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def write_task(fd: int, data: bytes, buffers: list = ()) -> None:
    """A task frame: its pickle and the pickle's out-of-band buffers, written without copying them."""
    views = [memoryview(b).cast("B") for b in buffers]
    head = len(data).to_bytes(8, "little") + len(views).to_bytes(4, "little")
    head += b"".join(v.nbytes.to_bytes(8, "little") for v in views)
    for part in (memoryview(head + data), *views):
        while part:
            n = os.write(fd, part)
            part = part[n:]


def read_task(fd: int) -> tuple[bytearray, list[bytearray]] | None:
    """A task frame (see :func:`write_task`), or None at end of input."""
    head = _read_exact(fd, 12)
    if head is None:
        return None
    size, count = int.from_bytes(head[:8], "little"), int.from_bytes(head[8:], "little")
    sizes = _read_exact(fd, 8 * count) if count else b""
    if sizes is None:
        raise EOFError("the other side closed the pipe in the middle of a frame")
    out = []
    for n in [size, *(int.from_bytes(sizes[i:i + 8], "little") for i in range(0, 8 * count, 8))]:
        buf = bytearray(n)  # read in place: no list of chunks joined into a second copy
        view, got = memoryview(buf), 0
        while got < n:
            k = os.readv(fd, [view[got:]])
            if not k:
                raise EOFError("the other side closed the pipe in the middle of a frame")
            got += k
        out.append(buf)
    return out[0], out[1:]


def _failure(exc: BaseException) -> tuple:
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        blob = pickle.dumps(exc)
        pickle.loads(blob)
    except Exception:
        blob = None
    return (False, (blob, tb, type(exc).__name__, str(exc)))


def main() -> None:
    """Serve tasks until the driver closes the pipe."""
    from ember.accumulators import take_worker_updates

    task_fd, result_fd = int(sys.argv[1]), int(sys.argv[2])
    while True:
        frame = read_task(task_fd)
        if frame is None:
            return
        try:
            source, task = pickle.loads(frame[0], buffers=frame[1])
            del frame  # the source holds the buffers it needs; the rest is garbage now
            split, data = source.split, source.read()
            reply = (True, task(split, iter(data)))
        except BaseException as e:  # everything goes back to the driver, which decides
            reply = _failure(e)
        source = task = data = None  # type: ignore[assignment]  # free the input before the next read
        updates = take_worker_updates()
        try:
            out = pickle.dumps((*reply, updates), pickle.HIGHEST_PROTOCOL)
        except Exception as e:
            out = pickle.dumps((*_failure(e), updates), pickle.HIGHEST_PROTOCOL)
        write_frame(result_fd, out)


if __name__ == "__main__":
    main()
