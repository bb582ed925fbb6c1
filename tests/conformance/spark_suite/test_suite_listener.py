"""Spark's python/pyspark/streaming/tests/test_listener.py (StreamingListenerTests), both engines.

The events carry Spark's Java-style accessor objects (``batchInfo().batchTime().milliseconds()``, ...);
the case checks every accessor of every submitted, started and completed batch.
"""

from __future__ import annotations


def check_info(info, stage: str) -> None:
    """What Spark's case asserts of one BatchInfo at ``stage`` (submitted, started, completed)."""
    assert info.batchTime().milliseconds() >= 0
    assert info.submissionTime() >= 0
    inputs = info.streamIdToInputInfo()
    for stream_id in inputs:
        stream_input = inputs[stream_id]
        assert stream_input.inputStreamId() >= 0
        assert stream_input.numRecords >= 0
        metadata = stream_input.metadata()
        for key in metadata:
            assert metadata[key] is not None
        assert stream_input.metadataDescription() is not None
    outputs = info.outputOperationInfos()
    for op_id in outputs:
        op = outputs[op_id]
        assert op.batchTime().milliseconds() >= 0
        assert op.id() >= 0
        assert op.name() is not None
        assert op.description() is not None
        least = 0 if stage == "completed" else -1
        assert op.startTime() >= least
        assert op.endTime() >= least
        assert op.failureReason() is None
    if stage == "submitted":
        assert info.schedulingDelay() == -1
    else:
        assert info.schedulingDelay() >= 0
    if stage == "completed":
        assert info.processingDelay() >= 0
        assert info.totalDelay() >= 0
    else:
        assert info.processingDelay() == -1
        assert info.totalDelay() == -1
    assert info.numRecords() == 0


class TestStreamingListener:
    def test_batch_info_reports(self, engine, spark_case):
        StreamingListener = engine.module("streaming").StreamingListener

        class BatchInfoCollector(StreamingListener):
            def __init__(self):
                super().__init__()
                self.batchInfosCompleted = []
                self.batchInfosStarted = []
                self.batchInfosSubmitted = []
                self.streamingStartedTime = []

            def onStreamingStarted(self, streamingStarted):
                self.streamingStartedTime.append(streamingStarted.time)

            def onBatchSubmitted(self, batchSubmitted):
                self.batchInfosSubmitted.append(batchSubmitted.batchInfo())

            def onBatchStarted(self, batchStarted):
                self.batchInfosStarted.append(batchStarted.batchInfo())

            def onBatchCompleted(self, batchCompleted):
                self.batchInfosCompleted.append(batchCompleted.batchInfo())

        case = spark_case(0.5)
        collector = BatchInfoCollector()
        case.ssc.addStreamingListener(collector)
        case.check([[1], [2], [3], [4]], lambda d: d.map(int), [[1], [2], [3], [4]])

        assert len(collector.streamingStartedTime) == 1
        assert len(collector.batchInfosSubmitted) >= 4
        assert len(collector.batchInfosStarted) >= 4
        assert len(collector.batchInfosCompleted) >= 4
        for info in collector.batchInfosSubmitted:
            check_info(info, "submitted")
        for info in collector.batchInfosStarted:
            check_info(info, "started")
        for info in collector.batchInfosCompleted:
            check_info(info, "completed")
