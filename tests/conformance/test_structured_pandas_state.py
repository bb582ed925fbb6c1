"""``applyInPandasWithState`` and ``GroupState`` on both engines.

Inputs are CSV files ``time TIMESTAMP, k STRING`` with fixed times in a watched directory. Each round
adds one file and runs the query with ``trigger(availableNow=True)`` on the same checkpoint, so batch
ids, the batches without data Spark runs when the watermark moves (event time timeouts), the state
kept across restarts and every batch's rows are deterministic. The functions report what they saw
(keys, frames, state, timeouts) in their output rows. Expected values were captured from PySpark 4.3.0
(local[2], 2 shuffle partitions, UTC, pandas 2.3).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from test_structured_support import BatchLog, Feed, checkpoint, head, pickle_by_value

pd = pytest.importorskip("pandas")

pytestmark = pytest.mark.usefixtures("stop_streams")

EVENTS = "time TIMESTAMP, k STRING"


@pytest.fixture(autouse=True)
def _ship_functions(engine):
    pickle_by_value(engine, __name__)  # Spark's Python workers cannot import this test module


def _rounds(spark, tmp_path, build, rounds, mode="update", schema=EVENTS):
    """Add each round's file (none for an empty round) and run the query to the end on one checkpoint."""
    feed = Feed(tmp_path, suffix=".csv")
    log = BatchLog()
    chk = checkpoint(tmp_path)
    for lines in rounds:
        if lines:
            feed.add(*lines)
        src = spark.readStream.schema(schema).csv(feed.path)
        q = build(src).writeStream.outputMode(mode).foreachBatch(log).option("checkpointLocation", chk)
        q.trigger(availableNow=True).start().awaitTermination()
    return log.batches


def _t(second: int) -> datetime:
    return datetime(2026, 1, 1, 0, 0, second)


def _line(second: int, key: str) -> str:
    return f"2026-01-01 00:00:{second:02d},{key}"


# -- the functions (module level, so Spark's workers get them by value) -----------------------------


def running_count(key, pdfs, state):
    n = 0
    for pdf in pdfs:
        n += len(pdf)
    seen = f"key={key!r} exists={state.exists} timedout={state.hasTimedOut} old={state.oldTimeoutTimestamp}"
    if state.exists:
        seen += f" prev={state.get!r}"
        n += state.get[0]
    state.update((n,))
    yield pd.DataFrame({"k": [key[0]], "n": [n], "seen": [seen]})


def describe_input(key, pdfs, state):
    pdfs = list(pdfs)
    text = (f"{key!r} {[type(x).__name__ for x in key]} {[list(p.columns) for p in pdfs]} "
            f"{[[d.kind for d in p.dtypes] for p in pdfs]} {[p.values.tolist() for p in pdfs]}")
    try:
        wm = str(state.getCurrentWatermarkMs())
    except Exception as e:
        wm = f"{type(e).__name__}: {e}"
    state.update((1, datetime(2026, 1, 1), "x"))
    yield pd.DataFrame({"info": [text], "wm": [wm]})


def sessions(key, pdfs, state):
    """The session logic of Spark's structured_network_wordcount_session_window.py, on event time."""
    if state.hasTimedOut:
        count, start, end = state.get
        state.remove()
        how = f"timeout wm={state.getCurrentWatermarkMs()} old={state.oldTimeoutTimestamp}"
        yield pd.DataFrame({"k": [key[0]], "count": [count], "start": [start], "end": [end], "how": [how]})
        return
    count, start, end = 0, None, None
    for pdf in pdfs:
        count += len(pdf)
        start = pdf["time"].min() if start is None else min(start, pdf["time"].min())
        end = pdf["time"].max() if end is None else max(end, pdf["time"].max())
    if state.exists:
        old_count, old_start, old_end = state.get
        count, start, end = count + old_count, min(start, old_start), max(end, old_end)
    state.update((count, start, end))
    state.setTimeoutTimestamp(int(pd.Timestamp(end).timestamp() * 1000) + 3000)
    how = (f"data wm={state.getCurrentWatermarkMs()} old={state.oldTimeoutTimestamp} "
           f"types={[type(x).__name__ for x in state.get]}")
    yield pd.DataFrame({"k": [key[0]], "count": [count], "start": [start], "end": [end], "how": [how]})


def first_call_sets_timeout(key, pdfs, state):
    n = sum(len(p) for p in pdfs)
    if state.hasTimedOut:
        state.remove()
        yield pd.DataFrame({"k": [key[0]], "how": ["timeout"]})
        return
    if not state.exists:
        state.setTimeoutTimestamp(1767225603000)  # 2026-01-01 00:00:03
    state.update((n,))
    yield pd.DataFrame({"k": [key[0]], "how": [f"data old={state.oldTimeoutTimestamp}"]})


def timeout_only(key, pdfs, state):
    if state.hasTimedOut:
        yield pd.DataFrame({"k": [key[0]], "how": [f"timeout exists={state.exists}"]})
        return
    state.setTimeoutTimestamp(1767225603000)
    yield pd.DataFrame({"k": [key[0]], "how": ["data"]})


def misuse(key, pdfs, state):
    said = []
    for label, attempt in [("get", lambda: state.get), ("update", lambda: state.update(None)),
                           ("duration", lambda: state.setTimeoutDuration(10)),
                           ("timestamp", lambda: state.setTimeoutTimestamp(10)),
                           ("watermark", lambda: state.getCurrentWatermarkMs())]:
        try:
            attempt()
            said.append(f"{label}: ok")
        except Exception as e:
            said.append(f"{label}: {type(e).__name__}: {e}")
    yield pd.DataFrame({"m": said})


def several_frames(key, pdfs, state):
    n = sum(len(p) for p in pdfs)
    yield pd.DataFrame({"n": [n], "k": [key[0]]})  # by name, in any order
    yield pd.DataFrame()  # nothing
    yield pd.DataFrame({"k": [], "n": []})
    yield pd.DataFrame({"k": [key[0] + "?"], "n": [n + 10]})
    yield pd.DataFrame([[key[0] + "!", n + 100]])  # integer labels: no column found by name


def update_none(key, pdfs, state):
    state.update(None)
    yield pd.DataFrame()


# -- running the function ---------------------------------------------------------------------------


def test_running_count_kept_across_restarts(spark, tmp_path):
    batches = _rounds(spark, tmp_path, lambda s: s.groupBy("k").applyInPandasWithState(
        running_count, "k STRING, n LONG, seen STRING", "n LONG", "update", "NoTimeout"),
        [[_line(1, "a"), _line(2, "a"), _line(3, "b")], [_line(4, "a"), _line(5, "c")]])
    assert batches == [
        (0, [("a", 2, "key=('a',) exists=False timedout=False old=-1"),
             ("b", 1, "key=('b',) exists=False timedout=False old=-1")]),
        (1, [("a", 3, "key=('a',) exists=True timedout=False old=-1 prev=(2,)"),
             ("c", 1, "key=('c',) exists=False timedout=False old=-1")]),
    ]


def test_append_mode(spark, tmp_path):
    batches = _rounds(spark, tmp_path, lambda s: s.groupBy("k").applyInPandasWithState(
        running_count, "k STRING, n LONG, seen STRING", "n LONG", "append", "NoTimeout"),
        [[_line(1, "a"), _line(3, "b")], [_line(4, "a")]], mode="append")
    assert batches == [
        (0, [("a", 1, "key=('a',) exists=False timedout=False old=-1"),
             ("b", 1, "key=('b',) exists=False timedout=False old=-1")]),
        (1, [("a", 2, "key=('a',) exists=True timedout=False old=-1 prev=(1,)")]),
    ]


def test_function_input_keys_frames_and_dtypes(spark, tmp_path):
    # a key tuple of pandas values (NumPy scalars for numbers), every input column in each frame,
    # integers with a null as float64 NaN, a null timestamp as NaT
    batches = _rounds(spark, tmp_path, lambda s: s.groupBy("k", "v").applyInPandasWithState(
        describe_input, "info STRING, wm STRING", "a INT, b TIMESTAMP, c STRING", "update", "NoTimeout"),
        [["2026-01-01 00:00:01,a,1,1.5", "2026-01-01 00:00:02,a,1,", ",b,2,2.5"]],
        schema="time TIMESTAMP, k STRING, v INT, x DOUBLE")
    no_wm = ("PySparkRuntimeError: [CANNOT_WITHOUT] Cannot get event time watermark timestamp without "
             "setting watermark before applyInPandasWithState.")
    assert batches == [(0, [
        ("('a', np.int32(1)) ['str', 'int32'] [['time', 'k', 'v', 'x']] [['M', 'O', 'i', 'f']] "
         "[[[Timestamp('2026-01-01 00:00:01'), 'a', 1, 1.5], "
         "[Timestamp('2026-01-01 00:00:02'), 'a', 1, nan]]]",
         no_wm),
        ("('b', np.int32(2)) ['str', 'int32'] [['time', 'k', 'v', 'x']] [['M', 'O', 'i', 'f']] "
         "[[[NaT, 'b', 2, 2.5]]]", no_wm),
    ])]


def test_watermark_seen_by_the_function(spark, tmp_path):
    # without a timeout nothing times out and no batch runs without data; the function sees the
    # batch's watermark (0 before the first batch)
    def build(s):
        return s.withWatermark("time", "5 seconds").groupBy(s.k).applyInPandasWithState(
            describe_input, "info STRING, wm STRING", "a INT, b TIMESTAMP, c STRING", "update", "NoTimeout")

    batches = _rounds(spark, tmp_path, build, [[_line(1, "a"), _line(12, "b")], [_line(20, "a")]])
    assert [(b, [wm for _, wm in rows]) for b, rows in batches] == [(0, ["0", "0"]), (1, ["1767225607000"])]
    assert batches[1][1][0][0] == (
        "('a',) ['str'] [['time', 'k']] [['M', 'O']] [[[Timestamp('2026-01-01 00:00:20'), 'a']]]")


def test_event_time_timeout_sessions(spark, tmp_path):
    # a key times out in the first batch whose watermark passes its timeout timestamp, in a batch
    # without data when no data comes: the function then gets no frames and hasTimedOut
    def build(s):
        return s.withWatermark("time", "5 seconds").groupBy("k").applyInPandasWithState(
            sessions, "k STRING, count LONG, start TIMESTAMP, end TIMESTAMP, how STRING",
            "count LONG, start TIMESTAMP, end TIMESTAMP", "update", "EventTimeTimeout")

    rounds = [[_line(1, "a"), _line(2, "b"), _line(3, "a")], [_line(10, "a")], [_line(14, "c")],
              [_line(30, "c")]]
    batches = _rounds(spark, tmp_path, build, rounds)
    types = "types=['int', 'datetime', 'datetime']"
    assert batches == [
        (0, [("a", 2, _t(1), _t(3), f"data wm=0 old=-1 {types}"),
             ("b", 1, _t(2), _t(2), f"data wm=0 old=-1 {types}")]),
        (1, []),
        (2, [("a", 3, _t(1), _t(10), f"data wm=1767225598000 old=-1 {types}")]),
        (3, []),
        (4, [("c", 1, _t(14), _t(14), f"data wm=1767225605000 old=-1 {types}")]),
        (5, [("b", 1, _t(2), _t(2), "timeout wm=1767225609000 old=-1")]),
        (6, [("c", 2, _t(14), _t(30), f"data wm=1767225609000 old=-1 {types}")]),
        (7, [("a", 3, _t(1), _t(10), "timeout wm=1767225625000 old=-1")]),
    ]


def test_output_frames_taken_by_name(spark, tmp_path):
    batches = _rounds(spark, tmp_path, lambda s: s.groupBy("k").applyInPandasWithState(
        several_frames, "k STRING, n LONG", "n LONG", "update", "NoTimeout"), [[_line(1, "a")]])
    assert batches == [(0, [("a", 1), ("a?", 11), (None, None)])]


def _by_event_time(func):
    def build(s):
        return s.withWatermark("time", "1 second").groupBy("k").applyInPandasWithState(
            func, "k STRING, how STRING", "n LONG", "update", "EventTimeTimeout")
    return build


def test_a_call_that_sets_no_timeout_clears_it(spark, tmp_path):
    # a's timeout (00:00:03) is set by its first call only: its second call clears it, so a never
    # times out while b, whose only call set it, does once the watermark passes 00:00:03
    batches = _rounds(spark, tmp_path, _by_event_time(first_call_sets_timeout),
                      [[_line(1, "a")], [_line(2, "a")], [_line(9, "b")]])
    assert batches == [(0, [("a", "data old=-1")]), (1, []), (2, [("a", "data old=-1")]), (3, []),
                       (4, [("b", "data old=-1")]), (5, [("b", "timeout")])]


def test_a_timeout_without_a_state_value(spark, tmp_path):
    batches = _rounds(spark, tmp_path, _by_event_time(timeout_only), [[_line(1, "a")], [_line(9, "b")]])
    assert batches == [(0, [("a", "data")]), (1, []), (2, [("b", "data")]),
                       (3, [("a", "timeout exists=False"), ("b", "timeout exists=False")])]


# -- errors -----------------------------------------------------------------------------------------


def test_state_misuse_inside_the_function(spark, tmp_path):
    batches = _rounds(spark, tmp_path, lambda s: s.groupBy("k").applyInPandasWithState(
        misuse, "m STRING", "n LONG", "update", "NoTimeout"), [[_line(1, "a")]])
    assert batches == [(0, [
        ("duration: PySparkRuntimeError: [CANNOT_WITHOUT] Cannot set timeout duration without enabling "
         "processing time timeout in applyInPandasWithState.",),
        ("get: PySparkValueError: [STATE_NOT_EXISTS] State is either not defined or has already been "
         "removed.",),
        ("timestamp: PySparkRuntimeError: [CANNOT_WITHOUT] Cannot set timeout duration without enabling "
         "processing time timeout in applyInPandasWithState.",),
        ("update: PySparkTypeError: [CANNOT_BE_NONE] Argument `newValue` cannot be None.",),
        ("watermark: PySparkRuntimeError: [CANNOT_WITHOUT] Cannot get event time watermark timestamp without "
         "setting watermark before applyInPandasWithState.",),
    ])]


def test_an_error_in_the_function_fails_the_query(spark, errors, tmp_path):
    feed = Feed(tmp_path, suffix=".csv")
    feed.add(_line(1, "a"))
    df = spark.readStream.schema(EVENTS).csv(feed.path).groupBy("k").applyInPandasWithState(
        update_none, "k STRING, n LONG", "n LONG", "update", "NoTimeout")
    q = df.writeStream.outputMode("update").foreachBatch(BatchLog()).trigger(availableNow=True).start()
    with pytest.raises(errors.StreamingQueryException) as info:
        q.awaitTermination()
    assert "[CANNOT_BE_NONE] Argument `newValue` cannot be None." in str(info.value)


def _words(spark, tmp_path):
    return spark.readStream.schema(EVENTS).csv(Feed(tmp_path, suffix=".csv").path)


def _op(df, mode, timeout="NoTimeout"):
    return df.groupBy("k").applyInPandasWithState(running_count, "k STRING, n LONG, seen STRING", "n LONG",
                                                  mode, timeout)


MODES = ("applyInPandasWithState in {f} mode is not supported with {q} output mode on a streaming "
         "DataFrame/Dataset")
NOT_AGG = ("[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: {m}. This output "
           "mode is not supported for {w} on streaming DataFrames/DataSets. SQLSTATE: 42KDE")
WITH_AGG = ("applyInPandasWithState in update mode is not supported with aggregation on a streaming "
            "DataFrame/Dataset")


@pytest.mark.parametrize("case, query_mode, expected", [
    ("append-op", "update", MODES.format(f="append", q="Update")),
    ("update-op", "append", MODES.format(f="update", q="Append")),
    ("append-op", "complete", NOT_AGG.format(m="complete", w="no streaming aggregations")),
    ("count-after-update-op", "update", WITH_AGG),
    ("count-before-update-op", "update", WITH_AGG),
    ("count-after-append-op", "append",
     NOT_AGG.format(m="append", w="streaming aggregations without watermark")),
    ("two-ops", "append",
     "Multiple applyInPandasWithStates are not supported on a streaming DataFrames/Datasets"),
    ("event-time-without-watermark", "update",
     "Watermark must be specified in the query using '[Dataset/DataFrame].withWatermark()' for using "
     "event-time timeout in a applyInPandasWithState. Event-time timeout not supported without watermark."),
])
def test_checks_at_start(spark, errors, tmp_path, case, query_mode, expected):
    src = _words(spark, tmp_path)
    df = {
        "append-op": lambda: _op(src, "append"),
        "update-op": lambda: _op(src, "update"),
        "count-after-update-op": lambda: _op(src, "update").groupBy("k").count(),
        "count-before-update-op": lambda: _op(src.groupBy("k").count(), "update"),
        "count-after-append-op": lambda: _op(src, "append").groupBy("k").count(),
        "two-ops": lambda: _op(_op(src, "append"), "append"),
        "event-time-without-watermark": lambda: _op(src, "update", "EventTimeTimeout"),
    }[case]()
    writer = df.writeStream.outputMode(query_mode).format("console")
    with pytest.raises(errors.AnalysisException) as info:
        writer.option("checkpointLocation", checkpoint(tmp_path)).start()
    assert head(info.value) == expected
    assert spark.streams.active == []


def test_arguments_checked_when_called(spark, errors):
    df = spark.createDataFrame([("a", 1)], "k STRING, v INT")
    g = df.groupBy("k")
    with pytest.raises(errors.IllegalArgumentException) as info:
        g.applyInPandasWithState(running_count, "k STRING, n LONG", "n LONG", "complete", "NoTimeout")
    assert str(info.value) == "The output mode of function should be append or update"
    with pytest.raises(errors.IllegalArgumentException) as info:
        g.applyInPandasWithState(running_count, "k STRING, n LONG", "n LONG", "foo", "NoTimeout")
    assert str(info.value) == ("[STREAMING_OUTPUT_MODE.INVALID] Invalid streaming output mode: foo. Accepted "
                               "output modes are 'Append', 'Complete', 'Update'. SQLSTATE: 42KDE")
    with pytest.raises(AssertionError):
        g.applyInPandasWithState(running_count, "k STRING, n LONG", "n LONG", "update", "noTIMEOUT")
    with pytest.raises(errors.PySparkTypeError) as info:
        g.applyInPandasWithState(running_count, 5, "n LONG", "update", "NoTimeout")
    assert str(info.value) == "[NOT_EXPECTED_TYPE] Argument `returnType` should be DataType or str, got int."
    # "Update" in any case; the schema is known without running anything
    out = g.applyInPandasWithState(running_count, "k STRING, n LONG", "n LONG", "Update", "NoTimeout")
    assert out.schema.simpleString() == "struct<k:string,n:bigint>"


def test_batch_dataframes_refused_when_run(spark, errors):
    df = spark.createDataFrame([("a", 1)], "k STRING, v INT").groupBy("k").applyInPandasWithState(
        running_count, "k STRING, n LONG", "n LONG", "append", "NoTimeout")
    assert df.columns == ["k", "n"]
    with pytest.raises(errors.UnsupportedOperationException) as info:
        df.collect()
    assert str(info.value) == ("applyInPandasWithState is unsupported in batch query. Use applyInPandas "
                               "instead.")
