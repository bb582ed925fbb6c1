"""StreamingContext: life cycle and its errors, queueStream, pprint, listeners and failing batches."""

from __future__ import annotations

import os
import traceback

import pytest


def test_start_needs_an_output_operation(make_streams):
    s = make_streams()
    s.queue([[1]]).map(str)
    with pytest.raises(Exception) as e:
        s.ssc.start()
    assert "requirement failed: No output operations registered, so nothing to execute" in str(e.value)


def test_lifecycle_errors(make_streams):
    s = make_streams()
    d = s.queue([[1]])
    d.pprint()
    s.start()
    s.ssc.start()  # a second start only logs a warning
    with pytest.raises(Exception) as e:
        d.map(str).pprint()
    assert ("Adding new inputs, transformations, and output operations after starting a context is not "
            "supported") in str(e.value)
    s.ssc.stop(stopSparkContext=False)
    s.ssc.stop(stopSparkContext=False)  # stopping twice is fine
    with pytest.raises(Exception) as e:
        s.ssc.start()
    assert "StreamingContext has already been stopped" in str(e.value)


def test_only_one_active_context(engine, make_streams):
    StreamingContext = engine.module("streaming").StreamingContext
    first = make_streams()
    first.queue([[1]]).pprint()
    first.start()
    assert StreamingContext.getActive() is first.ssc
    second = StreamingContext(first.sc, 1)
    second.queueStream([[1]]).pprint()
    with pytest.raises(Exception) as e:
        second.start()
    assert "Only one StreamingContext may be started in this JVM" in str(e.value)
    first.ssc.stop(stopSparkContext=False)
    assert StreamingContext.getActive() is None


def test_getActiveOrCreate(engine, make_streams):
    StreamingContext = engine.module("streaming").StreamingContext
    s = make_streams()
    with pytest.raises(TypeError, match="setupFunc should be callable."):
        StreamingContext.getActiveOrCreate(None, "not a function")
    assert StreamingContext.getActiveOrCreate(None, lambda: s.ssc) is s.ssc
    s.queue([[1]]).pprint()
    s.start()
    assert StreamingContext.getActiveOrCreate(None, lambda: None) is s.ssc


def test_awaitTerminationOrTimeout(make_streams):
    s = make_streams()
    s.queue([[1]]).pprint()
    s.start()
    assert s.ssc.awaitTerminationOrTimeout(0.05) is False
    s.ssc.stop(stopSparkContext=False)
    assert s.ssc.awaitTerminationOrTimeout(0.05) is True
    assert s.ssc.awaitTermination(0.05) is None


def test_pprint_format(make_streams, utc, capsys):
    s = make_streams(batch=0.5)
    s.queue([range(12), ["x"]]).pprint()
    s.queue([range(3)]).pprint(2)
    capsys.readouterr()
    s.run(3)
    dashes = "-" * 43
    assert capsys.readouterr().out.split("\n") == [
        dashes, "Time: 1970-01-01 00:00:00.500000", dashes, *map(str, range(10)), "...", "",
        dashes, "Time: 1970-01-01 00:00:00.500000", dashes, "0", "1", "...", "",
        dashes, "Time: 1970-01-01 00:00:01", dashes, "x", "",
        dashes, "Time: 1970-01-01 00:00:01", dashes, "",
        dashes, "Time: 1970-01-01 00:00:01.500000", dashes, "",
        dashes, "Time: 1970-01-01 00:00:01.500000", dashes, "", "",
    ]


def test_queueStream_all_at_once_and_default(make_streams):
    s = make_streams()
    at_once = s.collect(s.queue([[1], [2], [3]], oneAtATime=False))
    with_default = s.collect(s.ssc.queueStream([[1]], default=[0]))
    s.run(3)
    assert at_once == [[1, 2, 3], [], []]
    assert with_default == [[1], [0], [0]]


def test_queueStream_copies_the_list(make_streams):
    s = make_streams()
    rdds = [s.sc.parallelize([1], 1)]
    out = s.collect(s.ssc.queueStream(rdds))
    rdds.append(s.sc.parallelize([2], 1))
    s.run(2)
    assert out == [[1], []]


def test_context_union_and_transform(make_streams):
    s = make_streams()
    # (same-sized first batches: PySpark refuses streams whose first RDDs were pickled in different
    # batch sizes, "All DStreams should have same serializer")
    a, b = s.queue([[1, 2], [3]]), s.queue([["a", "b"], ["c"]])
    union = s.collect(s.ssc.union(a, b))
    joined = s.collect(s.ssc.transform([a, b], lambda rdds: rdds[0].union(rdds[1]).map(str)))
    s.run(2)
    assert union == [[1, 2, "a", "b"], [3, "c"]]
    assert joined == [["1", "2", "a", "b"], ["3", "c"]]
    with pytest.raises(ValueError, match="should have at least one DStream to union"):
        s.ssc.union()


def test_slice(make_streams):
    import datetime as dt

    s = make_streams(batch=1)
    s.ssc.remember(4.0)
    stream = s.queue([[1], [2], [3], [4]])
    times = []
    stream.foreachRDD(lambda t, rdd: times.append(t))
    s.run(4)

    def sliced(begin, end):
        rdds = stream.slice(times[0] + dt.timedelta(seconds=begin), times[0] + dt.timedelta(seconds=end))
        return [x for rdd in rdds for x in rdd.collect()]

    assert sliced(0, 0) == [1]
    assert sliced(1, 2) == [2, 3]
    assert sliced(1, 4) == [2, 3, 4]
    assert sliced(0, 4) == [1, 2, 3, 4]


def test_saveAsTextFiles(make_streams, tmp_path):
    s = make_streams(batch=1)
    s.queue([["a", "b"], ["c"]]).saveAsTextFiles(str(tmp_path / "out"), "txt")
    s.run(2)
    assert sorted(os.listdir(tmp_path)) == ["out-1000.txt", "out-2000.txt"]
    assert s.sc.textFile(str(tmp_path / "out-1000.txt")).collect() == ["a", "b"]
    assert "_SUCCESS" in os.listdir(tmp_path / "out-2000.txt")


def test_failed_batch_does_not_stop_later_ones(make_streams):
    def _fails(i):
        if i == 1:
            raise ValueError("This is a special error")
        return i

    s = make_streams()
    out = s.collect(s.queue([[0], [1], [2], [3]]).map(_fails))
    s.run(4)
    assert out == [[0], [2], [3]]
    assert "This is a special error" in _failure(lambda: s.ssc.awaitTerminationOrTimeout(10))
    s.ssc.stop(stopSparkContext=False)


def test_failed_transformWith_surfaces(make_streams):
    s = make_streams()

    def failed(rdd1, rdd2):
        raise ValueError("This is a special error")

    a = s.queue([[0], [1]])
    a.transformWith(failed, s.queue([[0], [1]]), True).pprint()
    s.start()
    s.driver.advance(1, wait=False)  # the batch fails while it is built, so it never completes
    assert "This is a special error" in _failure(lambda: s.ssc.awaitTermination(30))


def _failure(call) -> str:
    """The traceback ``call`` raised (Spark wraps the Python error in a Py4JJavaError)."""
    try:
        call()
    except Exception:
        return traceback.format_exc()
    return "nothing was raised"


def test_listener_reports(engine, make_streams):
    StreamingListener = engine.module("streaming").StreamingListener

    class Collector(StreamingListener):
        def __init__(self):
            self.started, self.submitted, self.begun, self.completed, self.ops = [], [], [], [], []

        def onStreamingStarted(self, streamingStarted):
            self.started.append(streamingStarted.time)

        def onBatchSubmitted(self, batchSubmitted):
            self.submitted.append(batchSubmitted.batchInfo())

        def onBatchStarted(self, batchStarted):
            self.begun.append(batchStarted.batchInfo())

        def onBatchCompleted(self, batchCompleted):
            self.completed.append(batchCompleted.batchInfo())

        def onOutputOperationCompleted(self, outputOperationCompleted):
            self.ops.append(outputOperationCompleted.outputOperationInfo())

    s = make_streams(batch=1)
    collector = Collector()
    s.ssc.addStreamingListener(collector)
    s.queue([[1], [2], [3]]).map(int).pprint()
    s.run(3)
    assert len(collector.started) == 1
    assert [i.batchTime().milliseconds() for i in collector.completed] == [1000, 2000, 3000]
    for info in collector.submitted:
        assert (info.schedulingDelay(), info.processingDelay(), info.totalDelay(), info.numRecords()) == \
            (-1, -1, -1, 0)
        assert info.submissionTime() >= 0
    for info in collector.begun:
        assert info.schedulingDelay() >= 0 and info.processingDelay() == -1 and info.totalDelay() == -1
    for info in collector.completed:
        assert info.schedulingDelay() >= 0 and info.processingDelay() >= 0 and info.totalDelay() >= 0
        assert info.numRecords() == 0
        ops = info.outputOperationInfos()
        assert len(ops) == 1
        op = ops[0]
        assert (op.id(), op.batchTime().milliseconds() > 0, op.failureReason()) == (0, True, None)
        assert op.startTime() >= 0 and op.endTime() >= op.startTime()
    assert len(collector.ops) == 3


def test_functions_must_pickle_when_checkpointing(make_streams, tmp_path):
    s = make_streams()
    s.ssc.checkpoint(str(tmp_path))
    sc = s.sc

    def process(time, rdd):
        sc.parallelize(range(1, 10))

    s.queue([[1]]).foreachRDD(process)
    assert "It appears that you are attempting to reference SparkContext" in _failure(s.ssc.start)


@pytest.mark.parametrize("setting, message", [
    (("spark.streaming.backpressure.rateEstimator", "pi"), "Unknown rate estimator: pi"),
    (("spark.streaming.backpressure.pid.minRate", "0"),
     "requirement failed: Minimum rate in PIDRateEstimator should be > 0"),
])
def test_bad_backpressure_settings_fail_at_socket_text_stream(engine, make_context, setting, message):
    # the receiver stream builds its rate estimator when it is made, so the error comes from
    # socketTextStream, before any connection or start()
    sc = make_context("local[2]", **{"spark.streaming.backpressure.enabled": "true", setting[0]: setting[1]})
    ssc = engine.module("streaming").StreamingContext(sc, 1)
    try:
        with pytest.raises(Exception) as e:
            ssc.socketTextStream("127.0.0.1", 9)
        assert message in str(e.value)
    finally:
        ssc.stop(stopSparkContext=False)
