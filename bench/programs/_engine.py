"""Imports the engine a benchmark program runs on: ember or PySpark, same API."""

from __future__ import annotations

import os
import sys
import time

T0 = time.time()  # as early as this helper is imported: the interpreter is up


def engine_module(name: str):
    if name == "spark":
        import pyspark

        return pyspark
    import ember

    return ember


def report(**values) -> None:
    """Print the one-line JSON report the harness reads."""
    import json  # here, not at the top: startup.py times everything imported before its context

    print(json.dumps(values), flush=True)


def corpus(fraction: float = 1.0) -> list[str]:
    """The lines of big.txt (the copy shipped with ember), or its first ``fraction`` of lines."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "src", "ember", "data", "big.txt")
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    return lines[: int(len(lines) * fraction)]


def wait_listening(port: int, timeout: float = 10.0) -> None:
    """Wait until a server (the producer a program started) accepts on 127.0.0.1:``port``."""
    import socket

    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def vm_kib(field: str, pid: int | str = "self") -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


__all__ = ["T0", "engine_module", "report", "corpus", "vm_kib", "wait_listening", "sys"]
