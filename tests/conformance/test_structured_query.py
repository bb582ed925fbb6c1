"""StreamingQuery, StreamingQueryManager and the checks DataStreamReader/Writer make, on both engines.

Expected values and messages were captured from PySpark 4.3.0 (local[2], UTC).
"""

from __future__ import annotations

import re
import uuid

import pytest
from test_structured_support import Feed, checkpoint, head, stop_all

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

PROGRESS_KEYS = [
    "batchDuration", "batchId", "durationMs", "eventTime", "id", "inputRowsPerSecond", "name",
    "numInputRows", "observedMetrics", "processedRowsPerSecond", "runId", "sink", "sources",
    "stateOperators", "timestamp",
]


@pytest.fixture(autouse=True)
def _stop_queries(spark):
    stop_all(spark)
    yield
    stop_all(spark)


def test_query_lifecycle(spark, errors, tmp_path):
    feed = Feed(tmp_path)
    feed.add("a", "b")
    q = (
        spark.readStream.text(feed.path).writeStream.format("memory").queryName("lifecycle")
        .option("checkpointLocation", checkpoint(tmp_path)).start()
    )
    assert q.name == "lifecycle"
    assert isinstance(q.id, str) and UUID.match(q.id)
    assert isinstance(q.runId, str) and UUID.match(q.runId)
    assert q.id != q.runId
    assert q.isActive is True
    assert q.exception() is None
    assert q.awaitTermination(0.1) is False
    q.processAllAvailable()
    feed.add("c")
    q.processAllAvailable()

    status = q.status
    assert sorted(status) == ["isDataAvailable", "isTriggerActive", "message"]
    assert isinstance(status["isDataAvailable"], bool) and isinstance(status["isTriggerActive"], bool)

    progress = q.lastProgress
    assert sorted(progress.keys()) == PROGRESS_KEYS
    assert progress["id"] == q.id and progress["runId"] == q.runId and progress["name"] == "lifecycle"
    assert progress.id == uuid.UUID(q.id)
    assert progress.batchId == 1 and progress.numInputRows == 1
    assert [(p.batchId, p.numInputRows) for p in q.recentProgress] == [(0, 2), (1, 1)]
    assert any(p == progress for p in q.recentProgress)
    assert progress.sink.numOutputRows == 1
    assert [s.numInputRows for s in progress.sources] == [1]

    assert [x.id for x in spark.streams.active] == [q.id]
    assert spark.streams.get(q.id).name == "lifecycle"

    q.stop()
    assert q.isActive is False
    assert q.status == {"message": "Stopped", "isDataAvailable": False, "isTriggerActive": False}
    assert q.awaitTermination() is None
    assert q.awaitTermination(1) is True
    assert q.exception() is None
    q.stop()  # stopping twice is fine
    assert spark.streams.active == []
    assert spark.streams.get(q.id) is None
    assert sorted(r.value for r in spark.table("lifecycle").collect()) == ["a", "b", "c"]


def test_last_progress_is_none_before_the_first_batch(spark, tmp_path):
    # an empty directory: the file source has nothing to plan a batch with
    q = spark.readStream.text(Feed(tmp_path).path).writeStream.format("noop").option(
        "checkpointLocation", checkpoint(tmp_path)).start()
    assert q.lastProgress is None
    assert q.recentProgress == []
    q.stop()


@pytest.mark.parametrize("timeout, shown", [("hello", "str"), (-1, "int"), (0, "int"), (-0.5, "float")])
def test_await_termination_timeout_must_be_positive(spark, errors, tmp_path, timeout, shown):
    q = spark.readStream.text(Feed(tmp_path).path).writeStream.format("noop").option(
        "checkpointLocation", checkpoint(tmp_path)).start()
    message = f"[VALUE_NOT_POSITIVE] Value for `timeout` must be positive, got '{shown}'."
    with pytest.raises(errors.PySparkValueError) as info:
        q.awaitTermination(timeout)
    assert str(info.value) == message
    if timeout != 0:  # the manager only refuses negative timeouts
        with pytest.raises(errors.PySparkValueError) as info:
            spark.streams.awaitAnyTermination(timeout)
        assert str(info.value) == message
    q.stop()


def test_restart_keeps_id_and_changes_run_id(spark, tmp_path):
    feed = Feed(tmp_path)
    feed.add("x")
    chk = checkpoint(tmp_path)
    source = spark.readStream.text(feed.path)
    runs = []
    for _ in range(2):
        q = source.writeStream.format("noop").option("checkpointLocation", chk)
        q = q.trigger(availableNow=True).start()
        q.awaitTermination()
        runs.append((q.id, q.runId))
    assert runs[0][0] == runs[1][0]
    assert runs[0][1] != runs[1][1]


def test_manager(spark, tmp_path):
    assert spark.streams is spark.streams or spark.streams == spark.streams
    feed = Feed(tmp_path)
    source = spark.readStream.text(feed.path)
    a = source.writeStream.format("noop").queryName("a")
    a = a.options(checkpointLocation=checkpoint(tmp_path)).start()
    b = source.writeStream.format("noop").options(checkpointLocation=checkpoint(tmp_path)).start()
    assert sorted(q.id for q in spark.streams.active) == sorted([a.id, b.id])
    assert spark.streams.get(b.id).name is None
    assert spark.streams.get(a.id).id == a.id
    assert spark.streams.awaitAnyTermination(0.1) is False
    a.stop()
    assert [q.id for q in spark.streams.active] == [b.id]
    assert spark.streams.awaitAnyTermination(0.1) is True  # a query has terminated
    spark.streams.resetTerminated()
    assert spark.streams.awaitAnyTermination(0.1) is False
    b.stop()


def test_failed_query_exception(spark, errors, tmp_path):
    feed = Feed(tmp_path)
    feed.add("x")

    def fail(df, batch_id):
        raise ValueError("boom in batch")

    q = spark.readStream.text(feed.path).writeStream.foreachBatch(fail).option(
        "checkpointLocation", checkpoint(tmp_path)).start()
    with pytest.raises(errors.StreamingQueryException) as info:
        q.awaitTermination()
    assert "ValueError: boom in batch" in str(info.value)
    assert not q.isActive
    error = q.exception()
    assert isinstance(error, errors.StreamingQueryException)
    assert "ValueError: boom in batch" in str(error)
    with pytest.raises(errors.StreamingQueryException):
        spark.streams.awaitAnyTermination()
    spark.streams.resetTerminated()


# -- queryName and sink options ------------------------------------------------------------------


@pytest.mark.parametrize("name, shown", [("", ""), (5, "5")])
def test_query_name_must_be_a_non_empty_string(spark, errors, tmp_path, name, shown):
    writer = spark.readStream.text(Feed(tmp_path).path).writeStream
    with pytest.raises(errors.PySparkValueError) as info:
        writer.queryName(name)
    assert str(info.value) == (
        f"[VALUE_NOT_NON_EMPTY_STR] Value for `queryName` must be a non-empty string, got '{shown}'.")


def test_query_name_unique_among_active_queries(spark, errors, tmp_path):
    source = spark.readStream.text(Feed(tmp_path).path)
    first = source.writeStream.format("memory").queryName("dup")
    q = first.options(checkpointLocation=checkpoint(tmp_path)).start()
    again = source.writeStream.format("memory").queryName("dup")
    again = again.options(checkpointLocation=checkpoint(tmp_path))
    with pytest.raises(errors.IllegalArgumentException) as info:
        again.start()
    assert str(info.value) == (
        "Cannot start query with name dup as a query with that name is already active in this SparkSession"
    )
    q.stop()
    # the name is free once the first query stopped
    q2 = again.options(checkpointLocation=checkpoint(tmp_path)).start()
    assert q2.name == "dup"
    q2.stop()


def test_memory_sink_needs_a_query_name(spark, errors, tmp_path):
    writer = spark.readStream.text(Feed(tmp_path).path).writeStream.format("memory")
    with pytest.raises(errors.AnalysisException) as info:
        writer.option("checkpointLocation", checkpoint(tmp_path)).start()
    assert str(info.value) == "queryName must be specified for memory sink."


def test_file_sink_needs_checkpoint_and_path(spark, errors, tmp_path):
    source = spark.readStream.text(Feed(tmp_path).path)
    with pytest.raises(errors.AnalysisException) as info:
        source.writeStream.format("parquet").start(str(tmp_path / "out"))
    assert str(info.value) == (
        'checkpointLocation must be specified either through option("checkpointLocation", ...) or '
        'SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...).'
    )
    with pytest.raises(errors.IllegalArgumentException) as info:
        source.writeStream.format("parquet").option("checkpointLocation", checkpoint(tmp_path)).start()
    assert str(info.value) == "'path' is not specified."
    assert spark.streams.active == []


# -- streaming DataFrames ------------------------------------------------------------------------

BATCH_ACTION = (
    "Queries with streaming sources must be executed with writeStream.start(), or from a streaming "
    "table or flow definition within a Spark Declarative Pipeline."
)


@pytest.mark.parametrize("action", ["show", "collect", "count", "take", "first", "head"])
def test_batch_actions_on_a_streaming_frame(spark, errors, tmp_path, action):
    df = spark.readStream.text(Feed(tmp_path).path)
    assert df.isStreaming is True
    with pytest.raises(errors.AnalysisException) as info:
        getattr(df, action)(*([1] if action == "take" else []))
    assert head(info.value) == BATCH_ACTION


def test_write_stream_needs_a_streaming_frame(spark, errors):
    df = spark.range(3)
    assert df.isStreaming is False
    with pytest.raises(errors.AnalysisException) as info:
        df.writeStream.format("console").start()
    assert str(info.value) == (
        "[WRITE_STREAM_NOT_ALLOWED] `writeStream` can be called only on streaming Dataset/DataFrame. "
        "SQLSTATE: 42601"
    )


def test_source_schemas(spark, tmp_path):
    def simple(df):
        return df.schema.simpleString()

    socket = spark.readStream.format("socket").option("host", "127.0.0.1").option("port", 9)
    assert simple(socket.load()) == "struct<value:string>"
    with_time = socket.option("includeTimestamp", True).load()
    assert simple(with_time) == "struct<value:string,timestamp:timestamp>"
    assert simple(spark.readStream.format("rate").load()) == "struct<timestamp:timestamp,value:bigint>"
    rmb = spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 2).load()
    assert simple(rmb) == "struct<timestamp:timestamp,value:bigint>"
    path = Feed(tmp_path).path
    assert simple(spark.readStream.text(path)) == "struct<value:string>"
    assert simple(spark.readStream.format("text").load(path)) == "struct<value:string>"
    csv = spark.readStream.schema("time TIMESTAMP, id INT").csv(path)
    assert simple(csv) == "struct<time:timestamp,id:int>"
    assert simple(spark.readStream.schema("a STRING, b BIGINT").json(path)) == "struct<a:string,b:bigint>"
    typed = spark.readStream.format("text").schema("data STRING").option("path", path).load()
    assert simple(typed) == "struct<data:string>"
    for df in (socket.load(), typed):
        assert df.isStreaming


def test_source_option_errors(spark, errors, tmp_path):
    path = Feed(tmp_path).path
    no_schema = (
        "Schema must be specified when creating a streaming source DataFrame. If some files already exist "
        "in the directory, then depending on the file format you may be able to create a static DataFrame "
        "on that directory with 'spark.read.load(directory)' and infer schema from it."
    )
    for read in (spark.readStream.csv, spark.readStream.json):
        with pytest.raises(errors.IllegalArgumentException) as info:
            read(path)
        assert str(info.value) == no_schema
    with pytest.raises(errors.PySparkValueError) as info:
        spark.readStream.format("text").load("")
    assert str(info.value) == "[VALUE_NOT_NON_EMPTY_STR] Value for `path` must be a non-empty string, got ''."
    socket = spark.readStream.format("socket")
    cases = [
        (socket.option("port", 9), 'Set a host to read from with option("host", ...).'),
        (spark.readStream.format("socket").option("host", "127.0.0.1"),
         'Set a port to read from with option("port", ...).'),
        (spark.readStream.format("socket").option("host", "127.0.0.1").option("port", 9)
         .option("includeTimestamp", "maybe"), 'IncludeTimestamp must be set to either "true" or "false".'),
    ]
    for reader, message in cases:
        with pytest.raises(errors.AnalysisException) as info:
            reader.load()
        assert str(info.value) == message
    with pytest.raises(errors.IllegalArgumentException) as info:
        spark.readStream.format("rate").option("rowsPerSecond", 0).load()
    assert str(info.value) == "Invalid value '0'. The option 'rowsPerSecond' must be positive"
    with pytest.raises(errors.IllegalArgumentException) as info:
        spark.readStream.format("rate-micro-batch").load()
    assert str(info.value) == "Invalid value '0'. The option 'rowsPerBatch' must be positive"


def test_foreach_batch_receives_static_frames(spark, tmp_path):
    feed = Feed(tmp_path)
    feed.add("one")
    seen = []

    def inspect(df, batch_id):
        seen.append((batch_id, df.isStreaming, df.columns, df.count()))

    q = spark.readStream.text(feed.path).writeStream.foreachBatch(inspect).option(
        "checkpointLocation", checkpoint(tmp_path)).trigger(availableNow=True).start()
    q.awaitTermination()
    assert seen == [(0, False, ["value"], 1)]
