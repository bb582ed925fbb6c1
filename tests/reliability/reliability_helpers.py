"""Helpers shared by the reliability tests (a module of its own: every suite has a ``conftest``)."""

from __future__ import annotations

from ember.testing import LoopbackServer

# the receiver's server: one client, bytes sent when the test says
OneClientServer = LoopbackServer


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
