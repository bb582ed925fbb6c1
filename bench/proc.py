"""Resident memory and CPU time of a process tree, from /proc (the JVM is a child of PySpark's driver)."""

from __future__ import annotations

import os
import threading


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(name))
    return tree


def rss_kib(pid: int) -> int:
    """Current RSS of one process in KiB (0 if it has gone)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants alive now."""
    tree = _children()
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(tree.get(pid, []))
    return out


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and of its children that it has reaped (0 if gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def tree_cpu_s(root: int) -> float:
    """CPU seconds used so far by ``root``'s process tree (waiting for a core does not count)."""
    return sum(cpu_s(pid) for pid in tree_pids(root))


def tree_rss_kib(root: int) -> int:
    """Current RSS of ``root`` and all its descendants, in KiB."""
    return sum(rss_kib(pid) for pid in tree_pids(root))


def stop_group(proc, timeout: float = 30) -> None:
    """End a consumer started with ``start_new_session=True`` and everything it started.

    ``ember run --engine spark`` starts spark-submit, whose JVM starts the Python driver: ending only
    the first process would leave the JVM running, so the whole process group (the consumer's own,
    by its id) gets SIGTERM, then SIGKILL if it has not ended within ``timeout``.
    """
    import signal
    import subprocess

    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


class PeakSampler:
    """Samples a process tree's RSS every ``interval`` seconds until stopped; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval, self.peak_kib = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
