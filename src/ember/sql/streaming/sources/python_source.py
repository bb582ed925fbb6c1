"""``readStream.format(<registered Python data source>)``: a user's stream reader as a streaming source.

The reader's offsets are its own dicts, written to the offset log as ``json.dumps`` gives them (as
Spark writes them). Each trigger asks for the newest offset: a reader whose ``latestOffset`` takes
``(start, limit)`` gets the end of the last batch (``initialOffset()`` at first) and its read limit
(``getDefaultReadLimit()``, or everything under ``trigger(once=True)``); an older-style reader's
``latestOffset()`` takes nothing. A batch reads ``partitions(start, end)`` one after the other.

A :class:`~ember.sql.datasource.SimpleDataSourceStreamReader` reads while it advances: its rows of
``read(start)`` are kept until their batch runs, and a replayed batch after a restart reads them again
with ``readBetweenOffsets``.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import polars as pl

from ember.sql.streaming.sources.base import Source, SourceSpec, empty_frame

BUILT_IN = ("socket", "rate", "rate-micro-batch", "text", "csv", "json", "parquet", "memory")


def spec_for(session: Any, fmt: str, options: dict, user_schema: Any) -> SourceSpec | None:
    """The source description ``load()`` puts in the plan for a registered Python data source, or None
    when ``fmt`` is built in or not registered. The data source is created (and its schema asked)
    now, so a bad source fails at ``load()`` as in Spark."""
    from ember.sql import datasource

    cls = None if fmt.lower() in BUILT_IN else datasource.lookup(session, fmt)
    if cls is None:
        return None
    _, schema = datasource.instantiate(cls, options, user_schema)
    spec = SourceSpec(cls.name(), options, schema, PythonStreamSource)
    spec.data_source_class = cls
    return spec


class _Prefetched:
    """Rows a simple reader returned for ``(start, end]``, kept until their batch commits."""

    def __init__(self, start: dict, end: dict, frame: pl.DataFrame) -> None:
        self.start, self.end, self.frame = _key(start), _key(end), frame


def _key(offset: Any) -> str:
    # offsets are compared as their JSON text, as Spark compares them
    return json.dumps(offset)


class PythonStreamSource(Source):
    """A live Python stream reader (or simple reader) of one query."""

    def __init__(self, spec: SourceSpec, session: Any) -> None:
        from ember.sql import datasource
        from ember.sql.streaming.datasource import ReadAllAvailable

        super().__init__(spec)
        cls = spec.data_source_class
        self.name = cls.name()
        self.data_source, _ = datasource.instantiate(cls, spec.options, spec.schema)
        self.simple = None
        try:
            try:
                self.reader = self.data_source.streamReader(schema=self.schema)
            except NotImplementedError:
                self.simple = self.data_source.simpleStreamReader(schema=self.schema)
                self.reader = None
        except Exception as e:
            raise datasource.data_source_error("initialize Python data source stream reader", e) from None
        self.cache: list[_Prefetched] = []
        self.start_offset: Any = None  # the end of the last committed batch, once known
        self.admission = self.simple is not None or _takes_arguments(self.reader.latestOffset)
        if self.simple is not None or not self.admission:
            self.limit = ReadAllAvailable()
        else:
            self.limit = self.reader.getDefaultReadLimit()

    # -- offsets -------------------------------------------------------------------------------

    def _initial(self) -> Any:
        target = self.simple if self.simple is not None else self.reader
        return target.initialOffset()

    def latest_offset(self) -> Any:
        if self.simple is not None:
            start = self.start_offset if self.start_offset is not None else self._initial()
            return self._simple_read(start)
        if not self.admission:
            return self.reader.latestOffset()
        if self.start_offset is None:
            self.start_offset = self._initial()
        return self.reader.latestOffset(self.start_offset, self.limit)

    def _simple_read(self, start: dict) -> dict:
        from ember.errors import PySparkException
        from ember.sql import datasource

        rows, end = self.simple.read(start)
        frame = datasource.rows_to_frame(iter(rows), self.schema, self.name)
        if _key(end) != _key(start):
            if not any(p.start == _key(start) and p.end == _key(end) for p in self.cache):
                self.cache.append(_Prefetched(start, end, frame))
        elif frame.height:
            raise PySparkException(
                errorClass="SIMPLE_STREAM_READER_OFFSET_DID_NOT_ADVANCE",
                messageParameters={"start_offset": _key(start), "end_offset": _key(end)},
                message=f"SimpleDataSourceStreamReader.read() returned a non-empty batch but the end offset: "
                        f"{_key(end)} did not advance past the start offset: {_key(start)}. The end offset "
                        "must represent the position after the last record returned.")
        # the batch starts from the committed offset: until one exists, the source has nothing newer
        return end

    def ignore_limits(self) -> None:
        from ember.sql.streaming.datasource import ReadAllAvailable

        self.limit = ReadAllAvailable()

    def prepare_available_now(self) -> bool:
        from ember.sql.streaming.datasource import SupportsTriggerAvailableNow

        target = self.simple if self.simple is not None else self.reader
        if isinstance(target, SupportsTriggerAvailableNow):
            target.prepareForTriggerAvailableNow()
            return True
        # a reader without the mixin reads everything there is in one go, as under once (as Spark
        # does); the query stops at the offset it gives now
        self.ignore_limits()
        return False

    def resume(self, offset: Any) -> None:
        self.start_offset = offset

    def offset_json(self, offset: Any) -> str | None:
        return None if offset is None else json.dumps(offset)

    def parse_offset(self, text: str | None) -> Any:
        return None if text is None else json.loads(text)

    def description(self) -> str:
        return "PythonMicroBatchStream"

    # -- batches -------------------------------------------------------------------------------

    def get_batch(self, start: Any, end: Any) -> pl.DataFrame:
        from ember.sql import datasource

        if start is None:
            start = self._initial()
        if self.simple is not None:
            return self._simple_batch(start, end)
        try:
            parts = self.reader.partitions(start, end)
        except Exception as e:
            raise datasource.worker_error(e) from None
        frames = []
        for part in parts:
            try:
                rows = self.reader.read(part)
            except Exception as e:
                raise datasource.worker_error(e) from None
            frames.append(datasource.rows_to_frame(rows, self.schema, self.name))
        if not frames:
            return empty_frame(self.schema)
        return pl.concat(frames, how="vertical")

    def _simple_batch(self, start: dict, end: dict) -> pl.DataFrame:
        from ember.sql import datasource

        keys = [(p.start, p.end) for p in self.cache]
        lo = next((i for i, (s, _) in enumerate(keys) if s == _key(start)), None)
        hi = next((i for i, (_, e) in enumerate(keys) if e == _key(end)), None)
        if lo is not None and hi is not None and lo <= hi:
            frames = [p.frame for p in self.cache[lo:hi + 1]]
            return pl.concat(frames, how="vertical") if frames else empty_frame(self.schema)
        try:  # an empty range too: Spark asks the reader for it
            rows = self.simple.readBetweenOffsets(start, end)
        except Exception as e:
            raise datasource.worker_error(e) from None
        return datasource.rows_to_frame(iter(rows), self.schema, self.name)

    def commit(self, end: Any) -> None:
        self.start_offset = end
        if self.simple is not None:
            done = next((i for i, p in enumerate(self.cache) if p.end == _key(end)), None)
            if done is not None:
                self.cache = self.cache[done + 1:]
            self.simple.commit(end)
        else:
            self.reader.commit(end)

    def stop(self) -> None:
        if self.reader is not None:
            self.reader.stop()


def _takes_arguments(method: Any) -> bool:
    """Spark's test for admission control: ``latestOffset`` takes ``(start, limit)``."""
    try:
        return len(inspect.signature(method).parameters) > 0
    except (TypeError, ValueError):
        return True
