"""Helpers shared by the Structured Streaming conformance tests (this module holds no tests).

Everything here drives queries deterministically on both engines: a :class:`Feed` is a directory a
file source watches, filled one file at a time and atomically (written aside, then renamed in), so a
query sees each file whole and in exactly one micro-batch; ``processAllAvailable()`` or an
``availableNow`` trigger then runs every batch the files make. Outputs are compared as text or rows,
with rows whose order Spark leaves open (no ``orderBy``, or ties within one) compared as multisets.
"""

from __future__ import annotations

import itertools
import json
import os
import pathlib
import time
from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "BatchLog",
    "ConsoleOut",
    "Feed",
    "checkpoint",
    "head",
    "pickle_by_value",
    "read_events",
    "sort_rows",
    "sort_tables",
    "stop_all",
    "wait_for",
    "write_event",
]

_serial = itertools.count()


class Feed:
    """A directory watched by a file source; :meth:`add` drops one whole file into it.

    Parameters
    ----------
    root : pathlib.Path
        A scratch directory (``tmp_path``).
    name : str
        The watched directory's name under ``root``.
    suffix : str
        File name suffix of the files added.
    """

    def __init__(self, root: pathlib.Path, name: str = "in", suffix: str = ".txt") -> None:
        self.dir = pathlib.Path(root) / name
        self.dir.mkdir(parents=True)
        # the staging directory must not be under the watched one, or the source would list it
        self._stage = pathlib.Path(root) / f"{name}.staging"
        self._stage.mkdir()
        self.suffix = suffix
        self.files = 0
        self._epoch = int(time.time()) - 3600

    @property
    def path(self) -> str:
        return str(self.dir)

    def add(self, *lines: str, name: str | None = None) -> pathlib.Path:
        """Add one file holding ``lines`` (each ended by a newline) and return its final path."""
        self.files += 1
        name = name or f"part-{self.files:04d}{self.suffix}"
        staged = self._stage / name
        staged.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        # Spark orders the files of one batch by modification time: make it strictly increasing
        stamp = self._epoch + self.files
        os.utime(staged, (stamp, stamp))
        final = self.dir / name
        os.replace(staged, final)
        return final


def checkpoint(root: pathlib.Path, name: str | None = None) -> str:
    """A fresh checkpoint location under ``root`` (the directory itself does not exist yet)."""
    return str(pathlib.Path(root) / (name or f"chk-{next(_serial)}"))


def stop_all(spark: Any) -> None:
    """Stop every active query of the session (tests must not leak running queries)."""
    for q in list(spark.streams.active):
        try:
            q.stop()
        except Exception:
            pass
    spark.streams.resetTerminated()


def wait_for(predicate: Callable[[], Any], timeout: float = 60.0, what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def pickle_by_value(engine: Any, *modules: str) -> None:
    """Ship code from these test modules to Spark's Python workers by value.

    Spark's workers cannot import modules of this test directory, and cloudpickle pickles functions
    and classes of importable modules by reference; foreach writers defined here must travel whole.
    (ember's workers import what the driver imports.)
    """
    if engine.is_spark:
        import sys

        from pyspark import cloudpickle

        for name in (__name__, *modules):
            cloudpickle.register_pickle_by_value(sys.modules[name])


def _order_key(row: Iterable[Any]) -> tuple:
    # nulls last and never compared with values
    return tuple((v is None, v if v is not None else 0) for v in row)


def sort_rows(rows: Iterable[Any]) -> list[tuple]:
    """Rows as plain tuples, sorted (nulls last): for results whose row order Spark leaves open."""
    return sorted((tuple(r) for r in rows), key=_order_key)


class BatchLog:
    """A ``foreachBatch`` function that records ``(batch_id, sorted rows)`` for every batch."""

    def __init__(self) -> None:
        self.batches: list[tuple[int, list[tuple]]] = []

    def __call__(self, df: Any, batch_id: int) -> None:
        self.batches.append((batch_id, sort_rows(df.collect())))


def head(error: BaseException) -> str:
    """An error's message without the logical plan Spark appends after ``;\\n``."""
    return str(error).split(";\n", 1)[0]


class ConsoleOut:
    """What the console sink printed since the last :meth:`read`, on either engine.

    Spark's console sink prints from the JVM, a child process whose stdout is the file descriptor it
    inherited at launch: pytest's global capture file (the JVM starts inside a test), not the file a
    ``capfd`` fixture swaps in later. So both engines are read through pytest's global capture, which
    also holds what Python printed. The Spark lane therefore needs pytest's default ``--capture=fd``.
    """

    def __init__(self, request: Any, spark: Any) -> None:
        self._capman = request.config.pluginmanager.getplugin("capturemanager")
        self._spark = spark
        self.read()

    def read(self) -> str:
        import sys

        sys.stdout.flush()
        jvm = getattr(self._spark, "_jvm", None)
        if jvm is not None:
            jvm.System.out.flush()
        out, _ = self._capman.read_global_capture()
        return out


def _is_border(line: str) -> bool:
    return len(line) > 1 and line.startswith("+") and line.endswith("+") and set(line) <= {"+", "-"}


def sort_tables(text: str, key_cells: int | None = None) -> str:
    """Sort the body rows of every show()-style table in ``text``.

    With ``key_cells=None`` a whole table body is sorted (the query has no ``orderBy``). With
    ``key_cells=k`` only runs of consecutive rows whose first ``k`` cells are equal are sorted, so
    the order an ``orderBy`` on those cells imposes is still checked and only ties are free.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        # a table: border, header, border, body..., border
        if _is_border(line) and i + 1 < len(lines) and _is_border(lines[i + 1]):
            out.extend(lines[i:i + 2])
            i += 2
            body: list[str] = []
            while i < len(lines) and lines[i].startswith("|"):
                body.append(lines[i])
                i += 1
            out.extend(_sorted_body(body, key_cells))
    return "\n".join(out)


def _sorted_body(body: list[str], key_cells: int | None) -> list[str]:
    if key_cells is None:
        return sorted(body)
    result: list[str] = []
    for _, run in itertools.groupby(body, key=lambda row: row.split("|")[1:1 + key_cells]):
        result.extend(sorted(run))
    return result


def write_event(directory: str, event: dict) -> None:
    """Record one event as its own JSON file (foreach writers run in worker processes on Spark)."""
    stamp = f"{time.time_ns()}-{os.getpid()}-{next(_serial)}"
    part = os.path.join(directory, f".{stamp}.tmp")
    with open(part, "w", encoding="utf-8") as f:
        f.write(json.dumps(event))
    os.replace(part, os.path.join(directory, f"{stamp}.json"))


def read_events(directory: str) -> list[dict]:
    """Every event :func:`write_event` recorded in ``directory``, in the order they were written."""
    names = sorted(
        (n for n in os.listdir(directory) if n.endswith(".json")),
        key=lambda n: (int(n.split("-")[0]), n),
    )
    return [json.loads(pathlib.Path(directory, n).read_text(encoding="utf-8")) for n in names]
