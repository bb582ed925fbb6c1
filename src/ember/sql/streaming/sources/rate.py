"""``format("rate")`` and ``format("rate-micro-batch")``: generated ``timestamp, value`` rows.

``rate`` offsets are whole seconds since the query first started (the start time is kept in
``sources/<i>/0`` so a restart continues the same sequence). The values of second ``s`` follow
``rowsPerSecond`` after a linear ramp over ``rampUpTime``, and their timestamps are spread evenly
within the batch's seconds, as Spark spreads them. ``rate-micro-batch`` is deterministic: batch ``k``
holds values ``k*rowsPerBatch .. (k+1)*rowsPerBatch-1`` stamped from ``startTimestamp`` advancing by
``advanceMillisPerBatch`` per batch. Rows are made with Polars ranges, never one by one.
"""

from __future__ import annotations

import json
import pathlib
import time
from typing import Any

import polars as pl

from ember.sql.streaming.sources.base import Source, SourceSpec, get_option


def _illegal(message: str) -> Exception:
    from ember.errors import IllegalArgumentException

    return IllegalArgumentException(message)


def _number_error(raw: Any) -> Exception:
    from ember.errors import NumberFormatException

    return NumberFormatException(f'For input string: "{raw}"')


def _positive_long(options: dict, key: str, default: int | None) -> int:
    """A positive integer option; a missing required one reads as 0, as Spark's message shows."""
    raw = get_option(options, key)
    if raw is None:
        raw = 0 if default is None else default
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise _number_error(raw) from None
    if value <= 0:
        raise _illegal(f"Invalid value '{value}'. The option '{key}' must be positive")
    return value


_TIME_SUFFIX_S = {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def _seconds(text: str) -> int:
    """A time string as Spark's ``timeStringAsSec`` reads it: ``"5"`` or ``"5s"``, ``"2m"``, ``"1h"``."""
    import re

    m = re.fullmatch(r"\s*(-?\d+)\s*([a-z]*)\s*", str(text).lower())
    if not m or m.group(2) not in ("", *_TIME_SUFFIX_S):
        raise _illegal(f"Invalid time string: {text}")
    return int(int(m.group(1)) * _TIME_SUFFIX_S.get(m.group(2) or "s", 1))


def validate_rate(options: dict) -> None:
    _positive_long(options, "rowsPerSecond", 1)
    ramp = get_option(options, "rampUpTime")
    if ramp is not None and _seconds(ramp) < 0:
        raise _illegal(f"Invalid value '{ramp}'. The option 'rampUpTime' must not be negative")
    if get_option(options, "numPartitions") is not None:
        _positive_long(options, "numPartitions", None)


def validate_rate_micro_batch(options: dict) -> None:
    _positive_long(options, "rowsPerBatch", None)
    if get_option(options, "numPartitions") is not None:
        _positive_long(options, "numPartitions", None)
    for key in ("startTimestamp", "advanceMillisPerBatch"):
        raw = get_option(options, key)
        if raw is not None:
            try:
                value = int(str(raw))
            except ValueError:
                value = -1
            if value < 0:
                raise _illegal(f"Invalid value '{raw}'. The option '{key}' must be non-negative")


def rate_schema() -> Any:
    from ember.sql.types import LongType, StructField, StructType, TimestampType

    return StructType([StructField("timestamp", TimestampType(), True),
                       StructField("value", LongType(), True)])


def value_at_second(seconds: int, rows_per_second: int, ramp_up: int) -> int:
    """How many rows were generated in the first ``seconds`` seconds."""
    if ramp_up <= 0:
        return seconds * rows_per_second
    delta = rows_per_second / ramp_up
    if seconds <= ramp_up:
        return int(round(delta * seconds * (seconds + 1) / 2))
    return value_at_second(ramp_up, rows_per_second, ramp_up) + (seconds - ramp_up) * rows_per_second


def _frame(values: pl.Series, stamps_ms: pl.Series) -> pl.DataFrame:
    from ember.sql.streaming import _compat

    frame = pl.DataFrame({"timestamp": stamps_ms, "value": values})
    return frame.with_columns(_compat.millis_to_timestamp(pl.col("timestamp")))


class RateSource(Source):
    """Rows per second since the query's first start; replayable from the stored start time."""

    def __init__(self, spec: SourceSpec, session: Any) -> None:
        super().__init__(spec)
        opts = spec.options
        self.rows_per_second = _positive_long(opts, "rowsPerSecond", 1)
        self.ramp_up = _seconds(get_option(opts, "rampUpTime", "0s"))
        default_parts = 1
        if session is not None:
            try:
                default_parts = session.sparkContext.defaultParallelism
            except Exception:  # a session without a context: one partition
                pass
        self.partitions_option = get_option(opts, "numPartitions")
        self.partitions = int(self.partitions_option or default_parts)
        self.start_ms = int(time.time() * 1000)
        self.clock = lambda: int(time.time() * 1000)

    def description(self) -> str:
        parts = self.partitions_option or "default"
        return (f"RateStreamV2[rowsPerSecond={self.rows_per_second}, rampUpTimeSeconds={self.ramp_up}, "
                f"numPartitions={parts}")

    def start(self, source_dir: str | None) -> None:
        if source_dir is None:
            return
        meta = pathlib.Path(source_dir) / "0"
        if meta.exists():
            self.start_ms = int(json.loads(meta.read_text().split("\n")[1])["startTimeMs"])
        else:
            from ember.sql.streaming.checkpoint import atomic_write

            atomic_write(meta, "v1\n" + json.dumps({"startTimeMs": self.start_ms}))

    def latest_offset(self) -> int:
        return max(0, (self.clock() - self.start_ms) // 1000)

    def get_batch(self, start: Any, end: Any) -> pl.DataFrame:
        s = 0 if start is None else int(start)
        e = int(end)
        lo = value_at_second(s, self.rows_per_second, self.ramp_up)
        hi = value_at_second(e, self.rows_per_second, self.ramp_up)
        values = pl.Series("value", range(lo, hi), dtype=pl.Int64) if hi > lo else pl.Series(
            "value", [], dtype=pl.Int64)
        per_value = 0.0 if hi == lo else (e - s) * 1000 / (hi - lo)
        base = self.start_ms + s * 1000
        offsets = ((values - lo).cast(pl.Float64) * per_value).round(0).cast(pl.Int64)
        frame = _frame(values, offsets + base)
        if self.partitions > 1 and frame.height:
            # Spark's partition i holds values lo+i, lo+i+n, ...; the partitions come out in order
            frame = frame.sort((pl.col("value") - lo) % self.partitions, pl.col("value"))
        return frame


class RateMicroBatchSource(Source):
    """``rowsPerBatch`` rows per batch with deterministic timestamps; offsets ``{offset, timestamp}``."""

    def __init__(self, spec: SourceSpec, session: Any) -> None:
        super().__init__(spec)
        opts = spec.options
        self.rows = _positive_long(opts, "rowsPerBatch", None)
        self.start_ts = int(get_option(opts, "startTimestamp", 0))
        self.advance = int(get_option(opts, "advanceMillisPerBatch", 1000))
        default_parts = 1
        if session is not None:
            try:
                default_parts = session.sparkContext.defaultParallelism
            except Exception:  # a session without a context: one partition
                pass
        self.partitions = int(get_option(opts, "numPartitions", default_parts))
        self._last: dict | None = None

    def description(self) -> str:
        return (f"RatePerMicroBatchStream[rowsPerBatch={self.rows}, numPartitions={self.partitions}, "
                f"startTimestamp={self.start_ts}, advanceMsPerBatch={self.advance}]")

    def latest_offset(self) -> dict:
        base = self._last or {"offset": 0, "timestamp": self.start_ts}
        return {"offset": base["offset"] + self.rows, "timestamp": base["timestamp"] + self.advance}

    def resume(self, offset: Any) -> None:
        self._last = offset

    def get_batch(self, start: Any, end: Any) -> pl.DataFrame:
        s = start or {"offset": 0, "timestamp": self.start_ts}
        lo, hi = s["offset"], end["offset"]
        values = pl.Series("value", range(lo, hi), dtype=pl.Int64)
        # every row of a batch carries the batch's start time, as Spark stamps them
        frame = _frame(values, pl.repeat(s["timestamp"], hi - lo, dtype=pl.Int64, eager=True))
        if self.partitions > 1 and frame.height:
            frame = frame.sort((pl.col("value") - lo) % self.partitions, pl.col("value"))
        return frame

    def commit(self, end: Any) -> None:
        self._last = end
