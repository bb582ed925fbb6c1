"""applyInPandasWithState on ember only: processing time timeouts on a manual clock, conversions, pandas.

Spark's behaviour (event time timeouts, state across restarts, the checks and error texts) is pinned
by tests/conformance/test_structured_pandas_state.py; processing time cannot be driven on Spark from
Python, so its rules are checked here with ember's trigger clock replaced.
"""

from __future__ import annotations

import datetime
import time

import pytest

from ember.sql.streaming import microbatch
from ember.sql.streaming.memory import MemoryStream
from ember.sql.streaming.state import GroupState, GroupStateTimeout

pd = pytest.importorskip("pandas")


class _Clock:
    """``time`` with a settable ``time()`` (the micro-batch trigger's processing time)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now

    def __getattr__(self, name):
        return getattr(time, name)


def sessions(key, pdfs, state):
    """The session logic of Spark's structured_network_wordcount_session_window.py (10 s timeout)."""
    if state.hasTimedOut:
        count, start, end = state.get
        state.remove()
        yield pd.DataFrame({"k": [key[0]], "count": [count], "at": [state.getCurrentProcessingTimeMs()]})
        return
    count = sum(len(p) for p in pdfs)
    if state.exists:
        count += state.get[0]
    state.update((count, datetime.datetime(2026, 1, 1), datetime.datetime(2026, 1, 1)))
    state.setTimeoutDuration(10000)
    yield pd.DataFrame()


def test_processing_time_timeout_on_the_trigger_clock(spark, monkeypatch):
    clock = _Clock(1_000_000.0)
    monkeypatch.setattr(microbatch, "time", clock)
    stream = MemoryStream(spark, "k STRING")
    df = stream.to_df().groupBy("k").applyInPandasWithState(
        sessions, "k STRING, count LONG, at LONG", "count LONG, start TIMESTAMP, end TIMESTAMP", "update",
        GroupStateTimeout.ProcessingTimeTimeout)
    out = []
    q = df.writeStream.outputMode("update").foreachBatch(
        lambda b, i: out.extend(tuple(r) for r in b.collect())).start()
    try:
        stream.add_data(("a",), ("b",), ("a",))
        q.processAllAvailable()
        clock.now += 5
        stream.add_data(("b",))  # b's timeout moves to 1_000_015 s; a's stays at 1_000_010 s
        q.processAllAvailable()
        clock.now += 5  # not after a's timeout yet: a timeout needs a later processing time
        q.processAllAvailable()
        assert out == []
        clock.now += 0.001
        q.processAllAvailable()
        assert out == [("a", 2, 1_000_010_001)]
        clock.now += 6
        q.processAllAvailable()
        assert out == [("a", 2, 1_000_010_001), ("b", 2, 1_000_016_001)]
    finally:
        q.stop()
    progress = q.lastProgress["stateOperators"][0]
    assert progress["operatorName"] == "applyInPandasWithState"
    assert progress["numRowsTotal"] == 0


def test_frames_and_state_in_the_session_time_zone(spark):
    import polars as pl

    from ember.sql.streaming.operators.pandas_convert import from_pandas, to_pandas

    utc = pl.DataFrame({"t": [datetime.datetime(2026, 1, 1, 12), None], "n": [1, None],
                        "s": ["x", None]})
    pdf = to_pandas(utc, "America/New_York")
    assert [str(v) for v in pdf["t"]] == ["2026-01-01 07:00:00", "NaT"]
    assert pdf["n"].tolist()[0] == 1.0 and pdf["n"].isna().tolist() == [False, True]
    back = from_pandas(pdf, _ddl("t TIMESTAMP, n LONG, s STRING"), "America/New_York")
    assert back.rows() == [(datetime.datetime(2026, 1, 1, 12), 1, "x"), (None, None, None)]


def _ddl(text):
    from ember.sql._ddl import _parse_datatype_string

    return _parse_datatype_string(text)


def test_output_columns_by_name():
    # captured from PySpark 4.3: the column count must match, then columns are taken by name (a frame
    # with integer labels gives nulls)
    from ember.errors import PySparkRuntimeError
    from ember.sql.streaming.operators.pandas_convert import from_pandas

    schema = _ddl("k STRING, n LONG")
    assert from_pandas(pd.DataFrame({"n": [1], "k": ["a"]}), schema, "UTC").rows() == [("a", 1)]
    assert from_pandas(pd.DataFrame([["a", 1]]), schema, "UTC").rows() == [(None, None)]
    with pytest.raises(PySparkRuntimeError) as info:
        from_pandas(pd.DataFrame({"x": [1]}), schema, "UTC")
    assert str(info.value) == ("[RESULT_COLUMN_SCHEMA_MISMATCH] Number of columns of the returned data "
                               "doesn't match specified schema. Expected: 2 Actual: 1")


def test_pandas_missing_is_named(monkeypatch):
    import sys

    from ember.errors import PySparkImportError
    from ember.sql.streaming.operators.pandas_convert import require_pandas

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(PySparkImportError) as info:
        require_pandas()
    assert str(info.value) == ("[PACKAGE_NOT_INSTALLED] Pandas >= 2.2.0 must be installed; however, it was "
                               "not found.")


def test_group_state_api():
    state = GroupState(None, 1000, 5000, GroupStateTimeout.EventTimeTimeout, watermark_present=True)
    assert str(state) == "GroupState(<undefined>)"
    state.update((pd.Timestamp("2026-01-01 00:00:01"), __import__("numpy").int64(3)))
    assert state.get == (datetime.datetime(2026, 1, 1, 0, 0, 1), 3)
    assert type(state.get[1]) is int
    state.setTimeoutTimestamp(6000)
    assert state.getCurrentWatermarkMs() == 5000 and state.getCurrentProcessingTimeMs() == 1000
    state.remove()
    assert not state.exists and state.getOption is None
