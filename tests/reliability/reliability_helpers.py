"""Helpers shared by the reliability tests (a module of its own: every suite has a ``conftest``)."""

from __future__ import annotations

import socket
import threading


class OneClientServer:
    """A loopback TCP server on an ephemeral port that accepts one receiver and sends it bytes."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.conn: socket.socket | None = None
        self._accepted = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        try:
            self.conn, _ = self.listener.accept()
        except OSError:
            return
        self._accepted.set()

    def send(self, data: bytes) -> None:
        assert self._accepted.wait(10), "the receiver never connected"
        self.conn.sendall(data)  # type: ignore[union-attr]

    def hang_up(self) -> None:
        assert self._accepted.wait(10), "the receiver never connected"
        self.conn.close()  # type: ignore[union-attr]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.listener.close()


class FakeSocket:
    """What the receiver's read loop sees: ``recv`` hands out the given chunks, then end of stream."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)

    def settimeout(self, timeout: float) -> None:
        pass

    def recv(self, size: int) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""


def peak_rss_kib(pid: int | str = "self") -> int:
    """The peak resident set size (VmHWM) of a process, in KiB."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for process {pid}")


def reset_peak_rss() -> None:
    """Start measuring this process's peak RSS afresh (Linux: writing 5 to clear_refs)."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
