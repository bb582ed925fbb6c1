"""Spark's ``python/pyspark/sql/tests/streaming/test_streaming_listener.py``, case by case.

Spark's live cases run a rate source and wait on the wall clock for a second batch; here the same
queries read the test_support directory with ``availableNow``, so each run is a fixed set of batches.
Checks that exist only in Spark master (the progress ``trigger`` field) or that reflect over JVM
classes (``test_number_of_public_methods``, the ``_jsqm.listListeners()`` count, the Mock of a Java
progress object) cannot apply; the module docstring of each case says what stands in for them.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import pytest
from test_structured_support import checkpoint, wait_for


@pytest.fixture
def streaming(engine):
    return engine.module("sql.streaming")


def check_start_event(streaming, event):
    assert isinstance(event, streaming.listener.QueryStartedEvent)
    assert isinstance(event.id, uuid.UUID)
    assert isinstance(event.runId, uuid.UUID)
    assert event.name is None or event.name.startswith("test")
    datetime.strptime(event.timestamp, "%Y-%m-%dT%H:%M:%S.%fZ")
    assert isinstance(event.jobTags, set)


def check_progress_event(streaming, event, is_stateful):
    assert isinstance(event, streaming.listener.QueryProgressEvent)
    check_streaming_query_progress(streaming, event.progress, is_stateful)


def check_terminated_event(streaming, event, exception=None, error_class=None):
    assert isinstance(event, streaming.listener.QueryTerminatedEvent)
    assert isinstance(event.id, uuid.UUID)
    assert isinstance(event.runId, uuid.UUID)
    if exception:
        assert exception in event.exception
    else:
        assert event.exception is None
    if error_class:
        assert error_class in event.errorClassOnException
    else:
        assert event.errorClassOnException is None


def _valid_json(progress):
    json.loads(progress.json)
    json.loads(progress.prettyJson)
    json.loads(str(progress))


def check_streaming_query_progress(streaming, progress, is_stateful):
    listener = streaming.listener
    assert isinstance(progress, listener.StreamingQueryProgress)
    assert isinstance(progress.id, uuid.UUID)
    assert isinstance(progress.runId, uuid.UUID)
    assert progress.name.startswith("test")
    _valid_json(progress)
    datetime.strptime(progress.timestamp, "%Y-%m-%dT%H:%M:%S.%fZ")
    assert isinstance(progress.batchId, int)
    assert isinstance(progress.batchDuration, int)
    assert isinstance(progress.durationMs, dict)
    assert set(progress.durationMs) <= {
        "triggerExecution", "queryPlanning", "getBatch", "commitOffsets", "latestOffset", "addBatch",
        "walCommit"}
    assert all(isinstance(v, int) for v in progress.durationMs.values())
    assert all(isinstance(v, str) for v in progress.eventTime.values())
    assert isinstance(progress.stateOperators, list)
    if is_stateful:
        assert len(progress.stateOperators) >= 1
        for so in progress.stateOperators:
            check_state_operator_progress(streaming, so)
    assert isinstance(progress.sources, list)
    assert len(progress.sources) >= 1
    for so in progress.sources:
        check_source_progress(streaming, so)
    assert isinstance(progress.sink, listener.SinkProgress)
    check_sink_progress(streaming, progress.sink)
    assert isinstance(progress.observedMetrics, dict)


def check_state_operator_progress(streaming, progress):
    assert isinstance(progress, streaming.listener.StateOperatorProgress)
    _valid_json(progress)
    assert isinstance(progress.operatorName, str)
    for name in ("numRowsTotal", "numRowsUpdated", "allUpdatesTimeMs", "numRowsRemoved", "allRemovalsTimeMs",
                 "commitTimeMs", "memoryUsedBytes", "numRowsDroppedByWatermark", "numShufflePartitions",
                 "numStateStoreInstances"):
        assert isinstance(getattr(progress, name), int), name
    assert isinstance(progress.customMetrics, dict)


def check_source_progress(streaming, progress):
    assert isinstance(progress, streaming.listener.SourceProgress)
    _valid_json(progress)
    assert isinstance(progress.description, str)
    assert isinstance(progress.startOffset, (str, type(None)))
    assert isinstance(progress.endOffset, (str, type(None)))
    assert isinstance(progress.latestOffset, (str, type(None)))
    assert isinstance(progress.numInputRows, int)
    assert isinstance(progress.inputRowsPerSecond, float)
    assert isinstance(progress.processedRowsPerSecond, float)
    assert isinstance(progress.metrics, dict)


def check_sink_progress(streaming, progress):
    assert isinstance(progress, streaming.listener.SinkProgress)
    _valid_json(progress)
    assert isinstance(progress.description, str)
    assert isinstance(progress.numOutputRows, int)
    assert isinstance(progress.metrics, dict)


def _run_available(df, tmp_path, **options):
    writer = df.writeStream.format("noop").option("checkpointLocation", checkpoint(tmp_path))
    for k, v in options.items():
        writer = getattr(writer, k)(v)
    q = writer.trigger(availableNow=True).start()
    q.awaitTermination()
    return q


def test_listener_observed_metrics(spark, streaming, F, streaming_dir, tmp_path):
    class MyErrorListener(streaming.StreamingQueryListener):
        def __init__(self):
            self.num_rows = -1
            self.num_error_rows = -1

        def onQueryStarted(self, event):
            pass

        def onQueryProgress(self, event):
            row = event.progress.observedMetrics.get("my_event")
            self.num_rows = row["rc"]
            self.num_error_rows = row["erc"]

        def onQueryIdle(self, event):
            pass

        def onQueryTerminated(self, event):
            self.terminated = True

    error_listener = MyErrorListener()
    spark.streams.addListener(error_listener)
    try:
        sdf = spark.readStream.format("text").load(streaming_dir).withColumn("error", F.col("value"))
        rc, erc = F.count(F.lit(1)).alias("rc"), F.count(F.col("error")).alias("erc")
        observed = sdf.observe("my_event", rc, erc)
        _run_available(observed, tmp_path)
        wait_for(lambda: getattr(error_listener, "terminated", False), what="the terminated event")
        # 4.3.0's file source reads the two top-level lines (master also reads time/)
        assert error_listener.num_rows == 2
        assert error_listener.num_error_rows == 2
    finally:
        spark.streams.removeListener(error_listener)


def test_streaming_progress(spark, streaming, F, streaming_dir, tmp_path):
    df = spark.readStream.format("text").load(streaming_dir)
    df_observe = df.observe("my_event", F.count(F.lit(1)).alias("rc"))
    df_stateful = df_observe.groupBy().count()
    q = _run_available(df_stateful, tmp_path, queryName="test", outputMode="update")
    check_streaming_query_progress(streaming, q.lastProgress, True)
    for p in q.recentProgress:
        check_streaming_query_progress(streaming, p, True)
    assert q.lastProgress.observedMetrics["my_event"]["rc"] == 2


def test_listener_events(spark, streaming, F, streaming_dir, tmp_path):
    events = {}

    class TestListenerV1(streaming.StreamingQueryListener):
        def onQueryStarted(self, event):
            events["start"] = event

        def onQueryProgress(self, event):
            events["progress"] = event

        def onQueryTerminated(self, event):
            events["terminated"] = event

    class TestListenerV2(TestListenerV1):
        def onQueryIdle(self, event):
            pass

    def verify(test_listener):
        events.clear()
        spark.streams.addListener(test_listener)
        try:
            df = spark.readStream.format("text").load(streaming_dir)
            q = _run_available(df.groupBy().count(), tmp_path, queryName="test", outputMode="complete")
            wait_for(lambda: "terminated" in events, what="the terminated event")
            check_start_event(streaming, events["start"])
            check_progress_event(streaming, events["progress"], True)
            check_terminated_event(streaming, events["terminated"])
            assert events["terminated"].id == uuid.UUID(q.id)

            events.clear()
            bad_udf = F.udf(lambda x: 1 / 0)
            q = df.select(bad_udf(F.col("value"))).writeStream.format("noop").option(
                "checkpointLocation", checkpoint(tmp_path)).start()
            wait_for(lambda: "terminated" in events, what="the terminated event of the failing query")
            q.stop()
            check_terminated_event(streaming, events["terminated"], "ZeroDivisionError", "PYTHON_EXCEPTION")
        finally:
            spark.streams.removeListener(test_listener)
            spark.streams.resetTerminated()

    verify(TestListenerV1())
    verify(TestListenerV2())


def test_remove_listener(spark, streaming, streaming_dir, tmp_path):
    # Spark counts the JVM's registered listeners; the behaviour it stands for is that a removed
    # listener hears nothing more, which a second, registered listener proves without a JVM.
    class Counter(streaming.StreamingQueryListener):
        def __init__(self):
            self.kinds = []

        def onQueryStarted(self, event):
            self.kinds.append("started")

        def onQueryProgress(self, event):
            self.kinds.append("progress")

        def onQueryIdle(self, event):
            pass

        def onQueryTerminated(self, event):
            self.kinds.append("terminated")

    removed, kept = Counter(), Counter()
    spark.streams.addListener(removed)
    spark.streams.addListener(kept)
    spark.streams.removeListener(removed)
    try:
        _run_available(spark.readStream.format("text").load(streaming_dir), tmp_path)
        wait_for(lambda: "terminated" in kept.kinds, what="the terminated event")
        assert kept.kinds == ["started", "progress", "terminated"]
        assert removed.kinds == []
    finally:
        spark.streams.removeListener(kept)


def test_query_started_event_fromJson(streaming):
    QueryStartedEvent = streaming.listener.QueryStartedEvent
    old = {
        "id": "78923ec2-8f4d-4266-876e-1f50cf3c283b",
        "runId": "55a95d45-e932-4e08-9caa-0a8ecd9391e8",
        "name": None,
        "timestamp": "2023-06-09T18:13:29.741Z",
    }
    event = QueryStartedEvent.fromJson(old)
    check_start_event(streaming, event)
    assert event.id == uuid.UUID("78923ec2-8f4d-4266-876e-1f50cf3c283b")
    assert event.runId == uuid.UUID("55a95d45-e932-4e08-9caa-0a8ecd9391e8")
    assert event.name is None
    assert event.timestamp == "2023-06-09T18:13:29.741Z"
    assert event.jobTags == set()

    new = dict(old, jobTags=["jobTag1", "jobTag2"])
    event = QueryStartedEvent.fromJson(new)
    check_start_event(streaming, event)
    assert event.jobTags == {"jobTag1", "jobTag2"}


def test_query_terminated_event_fromJson(streaming):
    event = streaming.listener.QueryTerminatedEvent.fromJson({
        "id": "78923ec2-8f4d-4266-876e-1f50cf3c283b",
        "runId": "55a95d45-e932-4e08-9caa-0a8ecd9391e8",
        "exception": "org.apache.spark.SparkException: Job aborted due to stage failure",
        "errorClassOnException": None,
    })
    check_terminated_event(streaming, event, "SparkException")
    assert event.id == uuid.UUID("78923ec2-8f4d-4266-876e-1f50cf3c283b")
    assert event.runId == uuid.UUID("55a95d45-e932-4e08-9caa-0a8ecd9391e8")
    assert "SparkException" in event.exception
    assert event.errorClassOnException is None


PROGRESS = {
    "id": "00000000-0000-0001-0000-000000000001",
    "runId": "00000000-0000-0001-0000-000000000002",
    "name": "test",
    "timestamp": "2016-12-05T20:54:20.827Z",
    "batchId": 2,
    "numInputRows": 678,
    "inputRowsPerSecond": 10.0,
    "processedRowsPerSecond": 5.4,
    "batchDuration": 5,
    "durationMs": {"getBatch": 0},
    "eventTime": {
        "min": "2016-12-05T20:54:20.827Z",
        "avg": "2016-12-05T20:54:20.827Z",
        "watermark": "2016-12-05T20:54:20.827Z",
        "max": "2016-12-05T20:54:20.827Z",
    },
    "stateOperators": [{
        "operatorName": "op1",
        "numRowsTotal": 0,
        "numRowsUpdated": 1,
        "allUpdatesTimeMs": 1,
        "numRowsRemoved": 2,
        "allRemovalsTimeMs": 34,
        "commitTimeMs": 23,
        "memoryUsedBytes": 3,
        "numRowsDroppedByWatermark": 0,
        "numShufflePartitions": 2,
        "numStateStoreInstances": 2,
        "customMetrics": {
            "loadedMapCacheHitCount": 1,
            "loadedMapCacheMissCount": 0,
            "stateOnCurrentVersionSizeBytes": 2,
        },
    }],
    "sources": [{
        "description": "source",
        "startOffset": 123,
        "endOffset": 456,
        "latestOffset": 789,
        "numInputRows": 678,
        "inputRowsPerSecond": 10.0,
        "processedRowsPerSecond": 5.4,
        "metrics": {},
    }],
    "sink": {"description": "sink", "numOutputRows": -1, "metrics": {}},
    "observedMetrics": {
        "event1": {"c1": 1, "c2": 3.0},
        "event2": {"rc": 1, "min_q": "hello", "max_q": "world"},
    },
}


def test_streaming_query_progress_fromJson(streaming, engine):
    Row = engine.module("sql").Row
    progress = streaming.listener.StreamingQueryProgress.fromJson(json.loads(json.dumps(PROGRESS)))
    check_streaming_query_progress(streaming, progress, True)
    assert "trigger" not in progress
    assert progress.id == uuid.UUID("00000000-0000-0001-0000-000000000001")
    assert progress.runId == uuid.UUID("00000000-0000-0001-0000-000000000002")
    assert progress.name == "test"
    assert progress.timestamp == "2016-12-05T20:54:20.827Z"
    assert progress.batchId == 2
    assert progress.numInputRows == 678
    assert progress.inputRowsPerSecond == 10.0
    assert progress.batchDuration == 5
    assert progress.durationMs == {"getBatch": 0}
    assert progress.eventTime == PROGRESS["eventTime"]
    assert progress.observedMetrics == {
        "event1": Row("c1", "c2")(1, 3.0),
        "event2": Row("rc", "min_q", "max_q")(1, "hello", "world"),
    }

    assert len(progress.stateOperators) == 1
    state_operator = progress.stateOperators[0]
    assert isinstance(state_operator, streaming.listener.StateOperatorProgress)
    assert state_operator.operatorName == "op1"
    assert state_operator.numRowsTotal == 0
    assert state_operator.numRowsUpdated == 1
    assert state_operator.allUpdatesTimeMs == 1
    assert state_operator.numRowsRemoved == 2
    assert state_operator.allRemovalsTimeMs == 34
    assert state_operator.commitTimeMs == 23
    assert state_operator.memoryUsedBytes == 3
    assert state_operator.numRowsDroppedByWatermark == 0
    assert state_operator.numShufflePartitions == 2
    assert state_operator.numStateStoreInstances == 2
    assert state_operator.customMetrics == {
        "loadedMapCacheHitCount": 1,
        "loadedMapCacheMissCount": 0,
        "stateOnCurrentVersionSizeBytes": 2,
    }

    assert len(progress.sources) == 1
    source = progress.sources[0]
    assert isinstance(source, streaming.listener.SourceProgress)
    assert source.description == "source"
    assert source.startOffset == "123"
    assert source.endOffset == "456"
    assert source.latestOffset == "789"
    assert source.numInputRows == 678
    assert source.inputRowsPerSecond == 10.0
    assert source.processedRowsPerSecond == 5.4
    assert source.metrics == {}

    sink = progress.sink
    assert isinstance(sink, streaming.listener.SinkProgress)
    assert sink.description == "sink"
    assert sink.numOutputRows == -1
    assert sink.metrics == {}


def test_spark_property_in_listener(spark, streaming):
    class TestListener(streaming.StreamingQueryListener):
        def __init__(self, session):
            self.spark = session

        def onQueryStarted(self, event):
            pass

        def onQueryProgress(self, event):
            pass

        def onQueryTerminated(self, event):
            pass

    assert TestListener(spark).spark == spark
