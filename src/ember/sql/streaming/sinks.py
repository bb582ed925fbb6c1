"""Where a query's micro-batches go: console, memory, foreach, foreachBatch, noop and files.

A sink receives each batch as a Polars frame with the query's output schema. ``add_batch`` may be
called again for a batch id after a restart (the batch re-ran because its commit was missing):
sinks with an exactly-once promise (the file sinks) recognise the id and do nothing the second time.
"""

from __future__ import annotations

import pathlib
import sys
import uuid
from typing import Any, Callable

import polars as pl

from ember.sql.streaming import _compat
from ember.sql.streaming.checkpoint import atomic_write, file_uri, uri_path

DASHES = "-" * 43


class Sink:
    """Base class; ``name`` is the format, ``modes`` the output modes it accepts."""

    name = "sink"
    modes = ("append", "update", "complete")
    #: Spark's v2 sinks report numOutputRows; v1 sinks (foreachBatch, files) report -1
    counts_rows = True
    #: the first rows of a batch the sink looks at, when it looks at no others (None: every row)
    rows_needed: int | None = None

    def start(self, query: Any) -> None:
        """Called once before the first batch."""

    def add_batch(self, batch_id: int, frame: pl.DataFrame, schema: Any, mode: str) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Called once when the query stops."""

    def description(self) -> str:
        return self.name


class ConsoleSink(Sink):
    """Prints ``Batch: N`` and the batch as ``show()`` prints it (``numRows``, ``truncate``)."""

    name = "console"

    def __init__(self, options: dict) -> None:
        from ember.sql.streaming.sources.base import get_option, option_bool

        self.num_rows = int(get_option(options, "numRows", 20))
        truncate = option_bool(options, "truncate", True)
        self.truncate = 20 if truncate is None or truncate else 0

    def description(self) -> str:
        return f"org.apache.spark.sql.execution.streaming.ConsoleTable$@{id(self):x}"

    @property
    def rows_needed(self) -> int | None:  # type: ignore[override]
        """The rows a table shows, and one more to tell whether there are more (the query may compute
        only these)."""
        return self.num_rows + 1 if self.num_rows > 0 else None

    def add_batch(self, batch_id: int, frame: pl.DataFrame, schema: Any, mode: str) -> None:
        table = _compat.show_string(frame, schema, self.num_rows, self.truncate)
        sys.stdout.write(f"{DASHES}\nBatch: {batch_id}\n{DASHES}\n{table}\n")
        sys.stdout.flush()


class NoopSink(Sink):
    """Discards every row (benchmarks and tests)."""

    name = "noop"

    def add_batch(self, batch_id: int, frame: pl.DataFrame, schema: Any, mode: str) -> None:
        return None


class MemorySink(Sink):
    """Keeps the output as an in-memory table named after the query (``spark.table(name)``)."""

    name = "memory"

    def __init__(self, session: Any, query_name: str) -> None:
        self.session = session
        self.query_name = query_name
        self.frame: pl.DataFrame | None = None
        self.schema: Any = None
        self.last_batch = -1

    def description(self) -> str:
        return "MemorySink"

    def start(self, query: Any) -> None:
        self.schema = query.output_schema
        self.frame = _compat.empty_frame(self.schema)
        self._publish()

    def add_batch(self, batch_id: int, frame: pl.DataFrame, schema: Any, mode: str) -> None:
        if batch_id <= self.last_batch:
            return
        if mode == "complete" or self.frame is None:
            self.frame = frame
        else:
            self.frame = pl.concat([self.frame, frame], how="vertical_relaxed")
        self.last_batch = batch_id
        self._publish()

    def _publish(self) -> None:
        assert self.frame is not None
        _compat.register_temp_view(self.session, self.query_name, self.frame, self.schema)


class ForeachBatchSink(Sink):
    """Calls ``func(batch_df, batch_id)`` with each batch as a static DataFrame."""

    name = "foreachBatch"
    counts_rows = False

    def __init__(self, session: Any, func: Callable) -> None:
        self.session = session
        self.func = func

    def description(self) -> str:
        return "ForeachBatchSink"

    def add_batch(self, batch_id: int, frame: pl.DataFrame, schema: Any, mode: str) -> None:
        self.func(_compat.static_df(self.session, frame, schema), batch_id)


def foreach_writer(f: Any) -> Callable[[Any, Any, int], None]:
    """Check ``f`` as PySpark's ``foreach`` does and return ``run(rows, partition_id, epoch_id)``."""
    if callable(f):
        def run_function(rows, partition_id: int, epoch_id: int) -> None:
            for row in rows:
                f(row)

        return run_function
    from ember.errors import PySparkAttributeError

    def not_callable(attr: str) -> Exception:
        return PySparkAttributeError(errorClass="ATTRIBUTE_NOT_CALLABLE",
                   messageParameters={"attr_name": attr, "obj_name": "f"},
                   message=f"Attribute `{attr}` in provided object `f` is not callable.")

    if not callable(getattr(f, "process", None)):
        raise not_callable("process")
    has = {}
    for name in ("open", "close"):
        if hasattr(f, name) and not callable(getattr(f, name)):
            raise not_callable(name)
        has[name] = hasattr(f, name)

    def run_writer(rows, partition_id: int, epoch_id: int) -> None:
        go = f.open(partition_id, epoch_id) if has["open"] else True
        error = None
        try:
            if go:
                for row in rows:
                    f.process(row)
        except Exception as e:  # close() must see it, then it fails the query
            error = e
        finally:
            if has["close"]:
                f.close(error)
        if error is not None:
            raise error

    return run_writer


class ForeachSink(Sink):
    """Calls a function per row, or a writer's ``open``/``process``/``close`` once per partition."""

    name = "foreach"

    def __init__(self, run: Callable) -> None:
        self.run = run

    def description(self) -> str:
        return "ForeachSink"

    def add_batch(self, batch_id: int, frame: pl.DataFrame, schema: Any, mode: str) -> None:
        self.run(_compat.frame_rows(frame, schema), 0, batch_id)


_EXT = {"parquet": ".snappy.parquet", "json": ".json", "csv": ".csv", "text": ".txt", "orc": ".orc"}


class FileSink(Sink):
    """Part files under ``path`` plus ``_spark_metadata/<batchId>``, the log readers trust.

    A batch's files are written first, its log entry last (atomically); a batch whose log entry
    exists already is skipped, so a re-run after a crash writes nothing twice. Files of a batch
    that died before its log entry are left behind unlisted, as Spark leaves them.
    """

    modes = ("append",)
    counts_rows = False

    def __init__(self, fmt: str, path: str, options: dict, partition_by: list[str] | None) -> None:
        self.name = fmt
        self.path = pathlib.Path(path)
        self.options = options
        self.partition_by = list(partition_by or [])
        self.log_dir = self.path / "_spark_metadata"

    def description(self) -> str:
        return f"FileSink[{self.path}]"

    def start(self, query: Any) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)

    def committed(self, batch_id: int) -> bool:
        return (self.log_dir / str(batch_id)).exists()

    def add_batch(self, batch_id: int, frame: pl.DataFrame, schema: Any, mode: str) -> None:
        if self.committed(batch_id):
            return
        import json
        import os

        written: list[pathlib.Path] = []
        if frame.height:
            groups = [((), frame)]
            if self.partition_by:
                parts = frame.partition_by(self.partition_by, as_dict=True, maintain_order=True)
                groups = list(parts.items())
            for n, (key, part) in enumerate(groups):
                folder = self.path
                for col, value in zip(self.partition_by, key):
                    folder = folder / f"{col}={_partition_value(value)}"
                folder.mkdir(parents=True, exist_ok=True)
                ext = _EXT.get(self.name, "." + self.name)
                target = folder / f"part-{n:05d}-{_time_ordered_uuid()}-c000{ext}"
                data = part.drop(self.partition_by) if self.partition_by else part
                _compat.write_file(self.name, data, schema, str(target), self.options, self.partition_by)
                written.append(target)
        lines = ["v1"]
        for p in written:
            st = p.stat()
            lines.append(json.dumps({"path": file_uri(p), "size": st.st_size, "isDir": False,
                                     "modificationTime": int(st.st_mtime * 1000), "blockReplication": 1,
                                     "blockSize": 33554432, "action": "add"}, separators=(",", ":")))
        for p in written:
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        atomic_write(self.log_dir / str(batch_id), "\n".join(lines))


def _time_ordered_uuid() -> uuid.UUID:
    """A random UUID whose leading bits are the time (version 7 layout): later batches' files sort later."""
    import os
    import time

    ms = time.time_ns() // 1_000_000
    raw = bytearray(ms.to_bytes(6, "big") + os.urandom(10))
    raw[6] = (raw[6] & 0x0F) | 0x70
    raw[8] = (raw[8] & 0x3F) | 0x80
    return uuid.UUID(bytes=bytes(raw))


def committed_files(path: str) -> list[str]:
    """The files a file sink committed under ``path`` (what a reader of the directory should see)."""
    import json

    log_dir = pathlib.Path(path) / "_spark_metadata"
    if not log_dir.is_dir():
        return []
    files = []
    for p in sorted((q for q in log_dir.iterdir() if q.name.isdigit()), key=lambda q: int(q.name)):
        for line in p.read_text(encoding="utf-8").split("\n")[1:]:
            if line.strip():
                files.append(uri_path(json.loads(line)["path"]))
    return files


def _partition_value(value: Any) -> str:
    if value is None:
        return "__HIVE_DEFAULT_PARTITION__"
    return str(value)


class TableSink(MemorySink):
    """``toTable(name)``: the rows so far (or the latest complete result) as the table ``name``.

    ember's catalog has no managed tables yet, so the table is published through the session the
    way ``saveAsTable`` publishes a batch DataFrame; append mode keeps every batch's rows.
    """

    name = "table"
    modes = ("append", "complete", "update")

    def __init__(self, session: Any, table: str) -> None:
        super().__init__(session, table)

    def description(self) -> str:
        return f"Table[{self.query_name}]"

    def _publish(self) -> None:
        assert self.frame is not None
        df = _compat.static_df(self.session, self.frame, self.schema)
        df.write.mode("overwrite").saveAsTable(self.query_name)
