"""Structured Streaming sinks on both engines: console text, memory tables, foreachBatch, foreach.

Inputs are text files dropped into a watched directory one at a time; every expected value below was
captured from PySpark 4.3.0 (local[2], 2 shuffle partitions, UTC).
"""

from __future__ import annotations

import pytest
from test_structured_support import (
    BatchLog,
    ConsoleOut,
    Feed,
    checkpoint,
    pickle_by_value,
    read_events,
    sort_tables,
    stop_all,
    write_event,
)


@pytest.fixture(autouse=True)
def _stop_queries(spark, engine):
    pickle_by_value(engine, __name__)
    yield
    stop_all(spark)


def _words(F, spark, feed):
    lines = spark.readStream.text(feed.path)
    return lines.select(F.explode(F.split(lines.value, " ")).alias("word"))


@pytest.fixture
def console(request, spark):
    return ConsoleOut(request, spark)


def _chk(tmp_path):
    return {"checkpointLocation": checkpoint(tmp_path)}


# -- console -------------------------------------------------------------------------------------

WORDCOUNT_COMPLETE = """\
-------------------------------------------
Batch: 0
-------------------------------------------
+-----+-----+
| word|count|
+-----+-----+
|hello|    2|
|spark|    1|
|world|    1|
+-----+-----+

-------------------------------------------
Batch: 1
-------------------------------------------
+---------+-----+
|     word|count|
+---------+-----+
|    hello|    2|
|    spark|    2|
|streaming|    1|
|    world|    1|
+---------+-----+

"""

WORDCOUNT_UPDATE = """\
-------------------------------------------
Batch: 0
-------------------------------------------
+-----+-----+
| word|count|
+-----+-----+
|hello|    2|
|spark|    1|
|world|    1|
+-----+-----+

-------------------------------------------
Batch: 1
-------------------------------------------
+---------+-----+
|     word|count|
+---------+-----+
|    spark|    2|
|streaming|    1|
+---------+-----+

"""

WORDS_APPEND = """\
-------------------------------------------
Batch: 0
-------------------------------------------
+-----+
| word|
+-----+
|hello|
|hello|
|spark|
|world|
+-----+

-------------------------------------------
Batch: 1
-------------------------------------------
+---------+
|     word|
+---------+
|    spark|
|streaming|
+---------+

"""


@pytest.mark.parametrize(
    "mode, expected",
    [("complete", WORDCOUNT_COMPLETE), ("update", WORDCOUNT_UPDATE), ("append", WORDS_APPEND)],
)
def test_console_word_count_modes(F, spark, tmp_path, console, mode, expected):
    feed = Feed(tmp_path)
    feed.add("hello world", "hello spark")
    words = _words(F, spark, feed)
    df = words if mode == "append" else words.groupBy("word").count()
    q = df.writeStream.outputMode(mode).format("console").options(**_chk(tmp_path)).start()
    q.processAllAvailable()
    feed.add("spark streaming")
    q.processAllAvailable()
    out = console.read()
    q.stop()
    # no orderBy: Spark's row order follows its hash partitioning, so rows compare as a multiset
    assert sort_tables(out) == sort_tables(expected)


def test_console_truncate_and_num_rows(spark, tmp_path, console):
    feed = Feed(tmp_path)
    feed.add("a line that is longer than twenty characters", "short", "x")
    lines = spark.readStream.text(feed.path)
    truncated = lines.writeStream.format("console").option("numRows", 2)
    q = truncated.options(**_chk(tmp_path)).start()
    q.processAllAvailable()
    out = console.read()
    q.stop()
    assert out == (
        "-------------------------------------------\n"
        "Batch: 0\n"
        "-------------------------------------------\n"
        "+--------------------+\n"
        "|               value|\n"
        "+--------------------+\n"
        "|a line that is lo...|\n"
        "|               short|\n"
        "+--------------------+\n"
        "only showing top 2 rows\n"
    )
    full = lines.writeStream.format("console").option("truncate", "false").option("numRows", "5")
    q = full.options(**_chk(tmp_path)).start()
    q.processAllAvailable()
    out = console.read()
    q.stop()
    assert out == (
        "-------------------------------------------\n"
        "Batch: 0\n"
        "-------------------------------------------\n"
        "+--------------------------------------------+\n"
        "|value                                       |\n"
        "+--------------------------------------------+\n"
        "|a line that is longer than twenty characters|\n"
        "|short                                       |\n"
        "|x                                           |\n"
        "+--------------------------------------------+\n"
        "\n"
    )


# -- memory --------------------------------------------------------------------------------------


def test_memory_sink_append_accumulates(F, spark, tmp_path):
    feed = Feed(tmp_path)
    feed.add("hello world")
    q = (
        _words(F, spark, feed).writeStream.format("memory").queryName("words_append")
        .options(**_chk(tmp_path)).start()
    )
    q.processAllAvailable()
    assert sorted(r.word for r in spark.sql("select * from words_append").collect()) == ["hello", "world"]
    feed.add("spark")
    q.processAllAvailable()
    assert sorted(r.word for r in spark.table("words_append").collect()) == ["hello", "spark", "world"]
    q.stop()
    # the table outlives the query
    assert spark.table("words_append").count() == 3


def test_memory_sink_complete_replaces(F, spark, tmp_path):
    feed = Feed(tmp_path)
    feed.add("b a", "a")
    counts = _words(F, spark, feed).groupBy("word").count()
    q = (
        counts.writeStream.format("memory").queryName("counts_complete").outputMode("complete")
        .options(**_chk(tmp_path)).start()
    )
    q.processAllAvailable()
    assert spark.sql("select * from counts_complete order by word").collect() == [("a", 2), ("b", 1)]
    feed.add("c a")
    q.processAllAvailable()
    rows = spark.sql("select word, count from counts_complete order by word").collect()
    assert [tuple(r) for r in rows] == [("a", 3), ("b", 1), ("c", 1)]
    assert spark.table("counts_complete").columns == ["word", "count"]


# -- foreachBatch --------------------------------------------------------------------------------


def test_foreach_batch_ids_and_rows(F, spark, tmp_path):
    feed = Feed(tmp_path)
    feed.add("hello world", "hello")
    log = BatchLog()
    counts = _words(F, spark, feed).groupBy("word").count()
    q = (
        counts.writeStream.foreachBatch(log).outputMode("update")
        .options(**_chk(tmp_path)).start()
    )
    q.processAllAvailable()
    feed.add("world")
    q.processAllAvailable()
    q.stop()
    assert log.batches == [
        (0, [("hello", 2), ("world", 1)]),
        (1, [("world", 2)]),
    ]


def test_foreach_batch_error_fails_query(F, spark, engine, tmp_path):
    errors = engine.module("errors")
    feed = Feed(tmp_path)
    feed.add("x")

    def fail(df, batch_id):
        raise RuntimeError("this should fail the query")

    q = _words(F, spark, feed).writeStream.foreachBatch(fail).options(**_chk(tmp_path)).start()
    with pytest.raises(errors.StreamingQueryException) as info:
        q.processAllAvailable()
    message = str(info.value)
    assert message.startswith(
        f"[STREAM_FAILED] Query [id = {q.id}, runId = {q.runId}] terminated with exception: "
        "[FOREACH_BATCH_USER_FUNCTION_ERROR] An error occurred in the user provided function in foreach "
        "batch sink. Reason: "
    )
    assert "RuntimeError: this should fail the query\n" in message
    assert not q.isActive
    assert isinstance(q.exception(), errors.StreamingQueryException)
    assert "RuntimeError: this should fail the query\n" in str(q.exception())


# -- foreach -------------------------------------------------------------------------------------


def _run_foreach(F, spark, tmp_path, writer, files):
    feed = Feed(tmp_path)
    q = _words(F, spark, feed).writeStream.foreach(writer).options(**_chk(tmp_path)).start()
    for lines in files:
        feed.add(*lines)
        q.processAllAvailable()
    q.stop()


def test_foreach_function_sees_every_row(F, spark, tmp_path):
    events = tmp_path / "events"
    events.mkdir()
    out = str(events)

    def record(row):
        write_event(out, {"word": row.word, "fields": list(row.asDict())})

    _run_foreach(F, spark, tmp_path, record, [["a b"], ["c"]])
    got = read_events(out)
    assert sorted(e["word"] for e in got) == ["a", "b", "c"]
    assert {tuple(e["fields"]) for e in got} == {("word",)}


class _Writer:
    """open/process/close each record an event; ``accept`` is what open returns."""

    def __init__(self, out: str, accept: bool = True) -> None:
        self.out = out
        self.accept = accept

    def open(self, partition_id, epoch_id):
        write_event(self.out, {"call": "open", "partition": partition_id, "epoch": epoch_id})
        return self.accept

    def process(self, row):
        write_event(self.out, {"call": "process", "word": row.word})

    def close(self, error):
        write_event(self.out, {"call": "close", "error": None if error is None else str(error)})


def test_foreach_writer_open_process_close(F, spark, tmp_path):
    events = tmp_path / "events"
    events.mkdir()
    _run_foreach(F, spark, tmp_path, _Writer(str(events)), [["a b"], ["c"]])
    got = read_events(str(events))
    # one small file makes one partition: per epoch open(0, epoch), its rows, close(None)
    assert [e["call"] for e in got] == ["open", "process", "process", "close", "open", "process", "close"]
    assert [(e["partition"], e["epoch"]) for e in got if e["call"] == "open"] == [(0, 0), (0, 1)]
    assert sorted(e["word"] for e in got[1:3]) == ["a", "b"]
    assert got[5]["word"] == "c"
    assert [e["error"] for e in got if e["call"] == "close"] == [None, None]


def test_foreach_writer_open_false_skips_process(F, spark, tmp_path):
    events = tmp_path / "events"
    events.mkdir()
    _run_foreach(F, spark, tmp_path, _Writer(str(events), accept=False), [["a b"], ["c"]])
    got = read_events(str(events))
    assert [e["call"] for e in got] == ["open", "close", "open", "close"]
    assert [e["error"] for e in got if e["call"] == "close"] == [None, None]


def test_foreach_writer_process_error_fails_query(F, spark, engine, tmp_path):
    errors = engine.module("errors")
    events = tmp_path / "events"
    events.mkdir()
    out = str(events)

    class Failing:
        def process(self, row):
            raise RuntimeError("test error")

        def close(self, error):
            write_event(out, {"call": "close", "error": None if error is None else str(error)})

    feed = Feed(tmp_path)
    q = _words(F, spark, feed).writeStream.foreach(Failing()).options(**_chk(tmp_path)).start()
    feed.add("a")
    with pytest.raises(errors.StreamingQueryException) as info:
        q.processAllAvailable()
    message = str(info.value)
    assert message.startswith(
        f"[STREAM_FAILED] Query [id = {q.id}, runId = {q.runId}] terminated with exception: "
        "[PYTHON_EXCEPTION] An exception was thrown from the Python worker: "
        "Traceback (most recent call last):\n"
    )
    assert "RuntimeError: test error\n" in message
    # close() is still called, with the error process() raised
    assert read_events(out) == [{"call": "close", "error": "test error"}]


class _NoProcess:
    def open(self, partition):
        return True


class _ProcessNotCallable:
    process = True


class _OpenNotCallable:
    open = True

    def process(self, row):
        pass


class _CloseNotCallable:
    close = True

    def process(self, row):
        pass


@pytest.mark.parametrize(
    "writer, attr",
    [
        (5, "process"),
        (_NoProcess(), "process"),
        (_ProcessNotCallable(), "process"),
        (_OpenNotCallable(), "open"),
        (_CloseNotCallable(), "close"),
    ],
    ids=["int", "no-process", "process-not-callable", "open-not-callable", "close-not-callable"],
)
def test_foreach_invalid_writer_rejected_at_once(F, spark, engine, tmp_path, writer, attr):
    errors = engine.module("errors")
    words = _words(F, spark, Feed(tmp_path))
    with pytest.raises(errors.PySparkAttributeError) as info:
        words.writeStream.foreach(writer)
    message = f"[ATTRIBUTE_NOT_CALLABLE] Attribute `{attr}` in provided object `f` is not callable."
    assert str(info.value) == message
    assert info.value.getCondition() == "ATTRIBUTE_NOT_CALLABLE"
    assert isinstance(info.value, AttributeError)
