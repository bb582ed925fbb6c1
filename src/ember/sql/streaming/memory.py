"""``MemoryStream``: a deterministic in-memory streaming source for tests.

Each :meth:`MemoryStream.add_data` call appends one block of rows and returns its offset (0, 1, 2, ...);
a query reads every block added since its last batch, so a test decides exactly what each batch sees.
The data stays in memory, so the source replays after a restart from a checkpoint.

Examples
--------
>>> from ember.sql import SparkSession
>>> spark = SparkSession.builder.getOrCreate()
>>> stream = MemoryStream(spark, "value INT")
>>> stream.add_data(1, 2, 3)
0
>>> q = stream.to_df().writeStream.format("memory").queryName("numbers").start()
>>> q.processAllAvailable()
>>> sorted(r.value for r in spark.table("numbers").collect())
[1, 2, 3]
>>> q.stop()
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

import polars as pl

from ember.sql.streaming.sources.base import Source, SourceSpec, empty_frame, polars_schema

_ids = itertools.count()


class MemoryStream:
    """Rows added by the test, one block per :meth:`add_data` call.

    Parameters
    ----------
    spark : SparkSession
        The session whose ``readStream`` the stream belongs to.
    schema : StructType or str
        The rows' schema (a DDL string such as ``"value INT"`` works too).
    """

    def __init__(self, spark: Any, schema: Any) -> None:
        from ember.sql.streaming import _compat

        self.spark = spark
        self.schema = _compat.parse_schema(schema)
        self.id = next(_ids)
        self._blocks: list[pl.DataFrame] = []
        self._lock = threading.Lock()
        self._pl_schema = polars_schema(self.schema)

    @property
    def current_offset(self) -> int:
        """The offset of the last block added, -1 before the first."""
        with self._lock:
            return len(self._blocks) - 1

    def add_data(self, *rows: Any) -> int:
        """Append one block; returns its offset (an empty call adds nothing and returns the current one).

        Rows may be tuples, ``Row`` objects, dicts, or bare values for a one-column schema;
        a single list argument is taken as the rows.
        """
        if len(rows) == 1 and isinstance(rows[0], list):
            rows = tuple(rows[0])
        if not rows:
            return self.current_offset
        names = list(self._pl_schema)
        records = []
        for r in rows:
            if isinstance(r, dict):
                records.append(tuple(r.get(n) for n in names))
            elif isinstance(r, tuple):  # Row is a tuple too
                records.append(tuple(r))
            else:
                records.append((r,))
        from ember.sql.streaming import _compat

        block = _compat.rows_to_frame(records, self.schema)
        with self._lock:
            self._blocks.append(block)
            return len(self._blocks) - 1

    addData = add_data

    def to_df(self) -> Any:
        """The streaming DataFrame of this stream."""
        from ember.sql.streaming import _compat

        spec = SourceSpec("memory", {}, self.schema, lambda spec, session: MemorySource(spec, self))
        spec.memory_stream = self
        return _compat.streaming_dataframe(self.spark, spec)

    toDF = to_df

    def blocks(self, start: int, end: int) -> list[pl.DataFrame]:
        with self._lock:
            return self._blocks[start + 1: end + 1]

    def __repr__(self) -> str:
        return f"MemoryStream[{', '.join(self._pl_schema)}]"


class MemorySource(Source):
    """The live reader of a :class:`MemoryStream` in one query."""

    def __init__(self, spec: SourceSpec, stream: MemoryStream) -> None:
        super().__init__(spec)
        self.stream = stream

    def description(self) -> str:
        return repr(self.stream)

    def latest_offset(self) -> int:
        return self.stream.current_offset

    def get_batch(self, start: Any, end: Any) -> pl.DataFrame:
        blocks = self.stream.blocks(-1 if start is None else int(start), int(end))
        if not blocks:
            return empty_frame(self.schema)
        return pl.concat(blocks, how="vertical_relaxed") if len(blocks) > 1 else blocks[0]
