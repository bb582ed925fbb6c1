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
        frame = read_frame(task_fd)
        if frame is None:
            return
        try:
            source, task = pickle.loads(frame)
            split, data = source.split, source.read()
            reply = (True, task(split, iter(data)))
        except BaseException as e:  # everything goes back to the driver, which decides
            reply = _failure(e)
        updates = take_worker_updates()
        try:
            out = pickle.dumps((*reply, updates), pickle.HIGHEST_PROTOCOL)
        except Exception as e:
            out = pickle.dumps((*_failure(e), updates), pickle.HIGHEST_PROTOCOL)
        write_frame(result_fd, out)


if __name__ == "__main__":
    main()
