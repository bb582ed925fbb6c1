"""Progress reports, listeners, the query manager, exceptions with the user's traceback."""

from __future__ import annotations

import json
import uuid

import pytest

from ember.errors import StreamingQueryException
from ember.sql.streaming import (
    QueryProgressEvent,
    QueryStartedEvent,
    QueryTerminatedEvent,
    StreamingQueryListener,
    StreamingQueryProgress,
)
from ember.sql.streaming.memory import MemoryStream

KEYS = ["batchDuration", "batchId", "durationMs", "eventTime", "id", "inputRowsPerSecond", "name",
        "numInputRows", "observedMetrics", "processedRowsPerSecond", "runId", "sink", "sources",
        "stateOperators", "timestamp"]


def test_progress_has_sparks_keys_and_types(spark):
    stream = MemoryStream(spark, "word STRING")
    q = stream.to_df().groupBy("word").count().writeStream.outputMode("complete").format("memory") \
        .queryName("counts").start()
    q.processAllAvailable()
    stream.add_data("a", "b", "a")
    q.processAllAvailable()
    p = q.lastProgress
    assert sorted(p) == KEYS
    assert p["id"] == q.id and isinstance(p.id, uuid.UUID) and p["runId"] == q.runId
    assert p.batchId == 1 and p.numInputRows == 3 and p["name"] == "counts"
    assert sorted(p.durationMs) == ["addBatch", "commitOffsets", "getBatch", "latestOffset", "queryPlanning",
                                    "triggerExecution", "walCommit"]
    (op,) = p.stateOperators
    assert (op.operatorName, op.numRowsTotal, op.numRowsUpdated, op.numShufflePartitions) == (
        "stateStoreSave", 2, 2, 2)
    (src,) = p.sources
    assert (src.description, src.startOffset, src.endOffset, src.numInputRows) == (
        "MemoryStream[word]", "-1", "0", 3)
    assert p.sink.numOutputRows == 2
    assert p["timestamp"].endswith("Z") and len(p["timestamp"]) == 24
    again = StreamingQueryProgress.fromJson(json.loads(p.json))
    assert again == p and str(again) == p.prettyJson
    assert [x.batchId for x in q.recentProgress] == [0, 1]
    q.stop()


class Recorder(StreamingQueryListener):
    def __init__(self):
        self.events = []

    def onQueryStarted(self, event):
        self.events.append(event)

    def onQueryProgress(self, event):
        self.events.append(event)

    def onQueryTerminated(self, event):
        self.events.append(event)


def test_listener_sees_start_progress_and_end(spark):
    rec = Recorder()
    spark.streams.addListener(rec)
    try:
        stream = MemoryStream(spark, "v INT")
        q = stream.to_df().writeStream.format("noop").queryName("listened").start()
        q.processAllAvailable()
        stream.add_data(1, 2)
        q.processAllAvailable()
        q.stop()
    finally:
        spark.streams.removeListener(rec)
    kinds = [type(e) for e in rec.events]
    assert kinds == [QueryStartedEvent, QueryProgressEvent, QueryProgressEvent, QueryTerminatedEvent]
    started, _, progress, ended = rec.events
    assert started.name == "listened" and str(started.id) == q.id and str(started.runId) == q.runId
    assert progress.progress.numInputRows == 2
    assert ended.exception is None and ended.errorClassOnException is None


def test_failure_reaches_await_exception_and_listener(spark):
    rec = Recorder()
    spark.streams.addListener(rec)
    stream = MemoryStream(spark, "v INT")

    def boom(df, batch_id):
        if batch_id == 1:
            raise ZeroDivisionError("division by zero")

    q = stream.to_df().writeStream.foreachBatch(boom).start()
    q.processAllAvailable()
    stream.add_data(1)
    with pytest.raises(StreamingQueryException) as info:
        q.awaitTermination(10)
    spark.streams.removeListener(rec)
    text = str(info.value)
    assert "ZeroDivisionError: division by zero" in text and 'line' in text and "in boom" in text
    assert q.exception() is info.value and not q.isActive
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    assert rec.events[-1].errorClassOnException == "FOREACH_BATCH_USER_FUNCTION_ERROR"
    with pytest.raises(StreamingQueryException):
        spark.streams.awaitAnyTermination(1)
    spark.streams.resetTerminated()
    assert spark.streams.awaitAnyTermination(0.05) is False


def test_manager_active_and_get(spark):
    stream = MemoryStream(spark, "v INT")
    q = stream.to_df().writeStream.format("noop").start()
    assert spark.streams.active == [q] and spark.streams.get(q.id) is q
    assert spark.streams is spark.streams
    q.stop()
    q.stop()  # twice is fine
    assert spark.streams.active == [] and spark.streams.get(q.id) is None
    assert spark.streams.awaitAnyTermination(1) is True
