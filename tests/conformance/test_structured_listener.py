"""StreamingQueryListener on both engines: which events arrive, in what order, with which fields.

Listener events are delivered asynchronously (Spark's listener bus), so the tests wait, bounded, for
the terminated event before looking. Expected values were captured from PySpark 4.3.0.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from test_structured_support import Feed, checkpoint, wait_for

pytestmark = pytest.mark.usefixtures("stop_streams")

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def streaming(engine):
    return engine.module("sql.streaming")


@pytest.fixture
def recorder(spark, streaming):
    """A listener recording ``(kind, event)``; removed again after the test."""

    class Recorder(streaming.StreamingQueryListener):
        def __init__(self):
            self.events = []

        def onQueryStarted(self, event):
            self.events.append(("started", event))

        def onQueryProgress(self, event):
            self.events.append(("progress", event))

        def onQueryIdle(self, event):
            self.events.append(("idle", event))

        def onQueryTerminated(self, event):
            self.events.append(("terminated", event))

        def of(self, query_id):
            return [(k, e) for k, e in self.events if str(_query_id(k, e)) == query_id]

        def wait_terminated(self, query_id):
            return wait_for(lambda: any(k == "terminated" for k, _ in self.of(query_id)),
                            what="the query's terminated event")

    made = []

    def make():
        r = Recorder()
        spark.streams.addListener(r)
        made.append(r)
        return r

    yield make
    for r in made:
        spark.streams.removeListener(r)


def _query_id(kind, event):
    return event.progress.id if kind == "progress" else event.id


def test_events_of_a_successful_query(spark, streaming, recorder, tmp_path):
    listener = recorder()
    feed = Feed(tmp_path)
    feed.add("a", "b")
    q = spark.readStream.text(feed.path).writeStream.format("noop").queryName("test_listener")
    q = q.option("checkpointLocation", checkpoint(tmp_path)).trigger(availableNow=True).start()
    q.awaitTermination()
    listener.wait_terminated(q.id)
    events = listener.of(q.id)
    assert [k for k, _ in events] == ["started", "progress", "terminated"]

    started = events[0][1]
    assert isinstance(started, streaming.listener.QueryStartedEvent)
    assert started.id == uuid.UUID(q.id) and started.runId == uuid.UUID(q.runId)
    assert started.name == "test_listener"
    assert ISO.match(started.timestamp)
    assert started.jobTags == set()

    progress = events[1][1].progress
    assert isinstance(progress, streaming.listener.StreamingQueryProgress)
    assert (progress.id, progress.runId) == (uuid.UUID(q.id), uuid.UUID(q.runId))
    assert progress.name == "test_listener"
    assert progress.batchId == 0 and progress.numInputRows == 2
    assert ISO.match(progress.timestamp)
    assert json.loads(progress.json)["numInputRows"] == 2
    assert json.loads(progress.prettyJson) == json.loads(progress.json) == json.loads(str(progress))
    assert set(progress.durationMs) <= {
        "triggerExecution", "queryPlanning", "getBatch", "commitOffsets", "latestOffset", "addBatch",
        "walCommit"}
    assert all(isinstance(v, int) for v in progress.durationMs.values())
    assert progress.stateOperators == []
    assert [s.numInputRows for s in progress.sources] == [2]
    assert isinstance(progress.sources[0].description, str)
    assert progress.sink.numOutputRows == -1 or isinstance(progress.sink.numOutputRows, int)
    assert progress.observedMetrics == {}

    terminated = events[2][1]
    assert isinstance(terminated, streaming.listener.QueryTerminatedEvent)
    assert (terminated.id, terminated.runId) == (uuid.UUID(q.id), uuid.UUID(q.runId))
    assert terminated.exception is None
    assert terminated.errorClassOnException is None


def test_stateful_progress_in_events(F_sql, spark, recorder, tmp_path):
    listener = recorder()
    feed = Feed(tmp_path)
    feed.add("a b a")
    lines = spark.readStream.text(feed.path)
    counts = lines.select(F_sql.explode(F_sql.split(lines.value, " ")).alias("w")).groupBy("w").count()
    q = counts.writeStream.format("noop").outputMode("complete").queryName("test_stateful")
    q = q.option("checkpointLocation", checkpoint(tmp_path)).trigger(availableNow=True).start()
    q.awaitTermination()
    listener.wait_terminated(q.id)
    progress = [e.progress for k, e in listener.of(q.id) if k == "progress"]
    assert [p.batchId for p in progress] == [0]
    (operator,) = progress[0].stateOperators
    assert operator.operatorName == "stateStoreSave"
    assert (operator.numRowsTotal, operator.numRowsUpdated, operator.numRowsRemoved) == (2, 2, 0)
    assert operator.numShufflePartitions == 2
    assert isinstance(operator.customMetrics, dict)
    assert progress[0].sink.numOutputRows == 2


@pytest.fixture
def F_sql(engine):
    return engine.module("sql.functions")


def test_terminated_event_of_a_failed_query(spark, recorder, tmp_path):
    listener = recorder()
    feed = Feed(tmp_path)
    feed.add("x")

    def fail(df, batch_id):
        raise ValueError("boom in batch")

    q = spark.readStream.text(feed.path).writeStream.foreachBatch(fail).queryName("test_failing")
    q = q.option("checkpointLocation", checkpoint(tmp_path)).start()
    listener.wait_terminated(q.id)
    kinds = [k for k, _ in listener.of(q.id)]
    assert kinds == ["started", "terminated"]
    terminated = listener.of(q.id)[-1][1]
    assert "ValueError: boom in batch" in terminated.exception
    assert terminated.errorClassOnException == "FOREACH_BATCH_USER_FUNCTION_ERROR"
    spark.streams.resetTerminated()


def test_removed_listener_hears_nothing(spark, recorder, tmp_path):
    removed, kept = recorder(), recorder()
    spark.streams.removeListener(removed)
    feed = Feed(tmp_path)
    feed.add("a")
    q = spark.readStream.text(feed.path).writeStream.format("noop").option(
        "checkpointLocation", checkpoint(tmp_path)).trigger(availableNow=True).start()
    q.awaitTermination()
    # one bus delivers to every listener in turn: once `kept` has the last event, `removed` would too
    kept.wait_terminated(q.id)
    assert [k for k, _ in kept.of(q.id)] == ["started", "progress", "terminated"]
    assert removed.events == []
