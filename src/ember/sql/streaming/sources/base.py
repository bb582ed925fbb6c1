"""What every streaming source provides: a schema, offsets, and the rows between two offsets.

A source description (:class:`SourceSpec`) is what ``spark.readStream...load()`` puts into the plan; each
query that starts makes its own live :class:`Source` from it. Offsets are plain JSON-able values: the
query loop asks :meth:`Source.latest_offset`, writes the range to ``offsets/N``, then calls
:meth:`Source.get_batch` for the rows in ``(start, end]`` and, once the batch committed,
:meth:`Source.commit` so the source can let go of what it no longer needs.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl


class SourceSpec:
    """A not-yet-started source: format, options, schema; opaque to the DataFrame engine.

    Parameters
    ----------
    fmt : str
        The source format (``socket``, ``rate``, ``text``, ...).
    options : dict
        The reader's options, keys as given.
    schema : StructType
        The schema of the rows the source produces.
    factory : callable
        ``factory(spec, session) -> Source``; called once per started query.
    """

    def __init__(self, fmt: str, options: dict, schema: Any, factory: Any) -> None:
        self.format = fmt
        self.options = dict(options)
        self.schema = schema
        self.factory = factory

    def open(self, session: Any) -> Source:
        return self.factory(self, session)

    def __repr__(self) -> str:
        return f"SourceSpec({self.format})"


class Source:
    """A live source of one query. Subclasses override the offset and batch methods."""

    #: Batch 0 runs at start even without data (socket, rate, memory); file sources wait for data.
    runs_empty_first_batch = True
    #: The source can produce the same rows for the same offsets again (needed for restarts).
    replayable = True

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec
        self.schema = spec.schema

    def start(self, source_dir: str | None) -> None:
        """Called once before the first batch, with ``<checkpoint>/sources/<i>`` (or None)."""

    def latest_offset(self) -> Any:
        """The offset of the newest available data, None when there never was any."""
        raise NotImplementedError

    def prepare_available_now(self) -> bool:
        """``availableNow``: limit the query to the data there is now.

        Returns True when the source limits itself; otherwise the query stops reading it once it
        reached the offset it reported at start.
        """
        return False

    def ignore_limits(self) -> None:
        """``once``: one batch takes everything available, whatever ``maxFilesPerTrigger`` says."""

    def resume(self, offset: Any) -> None:
        """A restart: ``offset`` is the end of the last committed batch."""

    def get_batch(self, start: Any, end: Any) -> pl.DataFrame:
        """The rows after ``start`` (None: from the beginning) up to and including ``end``."""
        raise NotImplementedError

    def commit(self, end: Any) -> None:
        """The rows up to ``end`` are processed and committed; they will not be asked again."""

    def stop(self) -> None:
        """Release threads, sockets and files."""

    def description(self) -> str:
        return self.spec.format

    def offset_json(self, offset: Any) -> str | None:
        if offset is None:
            return None
        if isinstance(offset, int):
            return str(offset)
        return json.dumps(offset, separators=(",", ":"))

    def parse_offset(self, text: str | None) -> Any:
        return None if text is None else json.loads(text)

    def metrics(self) -> dict:
        return {}


def empty_frame(schema: Any) -> pl.DataFrame:
    """A frame with no rows and the Polars columns of ``schema``."""
    return pl.DataFrame(schema=polars_schema(schema))


def polars_schema(schema: Any) -> dict:
    """``StructType`` -> ``{name: polars dtype}`` through the DataFrame engine's type mapping."""
    from ember.sql.streaming import _compat

    return {f.name: _compat.polars_dtype(f.dataType) for f in schema.fields}


def option_bool(options: dict, key: str, default: bool) -> bool | None:
    """A boolean option as Spark reads it (``true``/``false`` in any case); None when malformed."""
    value = get_option(options, key)
    if value is None:
        return default
    text = str(value).strip().lower()
    return {"true": True, "false": False}.get(text)


def get_option(options: dict, key: str, default: Any = None) -> Any:
    """Options are case-insensitive in Spark."""
    low = key.lower()
    for k, v in options.items():
        if k.lower() == low:
            return v
    return default
