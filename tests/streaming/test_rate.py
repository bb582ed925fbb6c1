"""Receiver rates: ``spark.streaming.receiver.maxRate`` and backpressure (the PID rate estimator)."""

from __future__ import annotations

import pytest
from streaming_helpers import manual_context

from ember.errors import IllegalArgumentException
from ember.streaming import StreamingContext
from ember.streaming import listener as L
from ember.streaming.rate import PIDRateEstimator
from ember.streaming.sources.socket import LineBuffer, SocketReceiver


def test_pid_estimates_follow_the_processing_rate():
    pid = PIDRateEstimator(1000)  # Spark's defaults: 1.0, 0.2, 0.0, minRate 100
    assert pid.compute(1000, 10_000, 500, 0) is None  # measured only: 20,000 records/s
    # 5,000/s: the error is 15,000, so the rate drops to what was processed
    assert pid.compute(2000, 10_000, 2000, 0) == 5000.0
    # 10,000/s after waiting 500 ms: error -5,000, backlog 500 * 10,000 / 1000 = 5,000 (x 0.2)
    assert pid.compute(3000, 10_000, 1000, 500) == 9000.0
    # no records, no time taken, or an old batch: no estimate, and nothing changes
    assert pid.compute(4000, 0, 1000, 0) is None
    assert pid.compute(4000, 10, 0, 0) is None
    assert pid.compute(3000, 10, 10, 0) is None
    # a batch far behind: never below the minimum rate
    assert pid.compute(4000, 100, 1000, 60_000) == 100.0


def test_pid_derivative_weighs_the_error_change_per_second():
    pid = PIDRateEstimator(1000, proportional=0.0, integral=0.0, derivative=0.5, min_rate=1)
    pid.compute(1000, 1000, 1000, 0)  # 1,000/s measured
    # error 1,000 - 500 = 500 over 2 s since the last update: 0.5 * 500 / 2 = 125 off
    assert pid.compute(3000, 1000, 2000, 0) == 875.0


@pytest.mark.parametrize("kwargs, message", [
    ({"batch_ms": 0}, "Specified batch interval 0 in PIDRateEstimator is invalid."),
    ({"proportional": -1}, "Proportional term -1.0 in PIDRateEstimator should be >= 0."),
    ({"integral": -0.5}, "Integral term -0.5 in PIDRateEstimator should be >= 0."),
    ({"derivative": -2}, "Derivative term -2.0 in PIDRateEstimator should be >= 0."),
    ({"min_rate": 0}, "Minimum rate in PIDRateEstimator should be > 0"),
])
def test_pid_settings_are_checked(kwargs, message):
    args = {"batch_ms": 1000, **kwargs}
    with pytest.raises(IllegalArgumentException) as e:
        PIDRateEstimator(**args)
    assert str(e.value) == f"requirement failed: {message}"


def backpressured(settings: dict):
    return manual_context(settings={"spark.streaming.backpressure.enabled": "true", **settings})


@pytest.mark.parametrize("settings, message", [
    ({"spark.streaming.backpressure.rateEstimator": "pi"}, "Unknown rate estimator: pi"),
    ({"spark.streaming.backpressure.pid.minRate": "-1"},
     "requirement failed: Minimum rate in PIDRateEstimator should be > 0"),
    ({"spark.streaming.backpressure.pid.integral": "a lot"},
     "spark.streaming.backpressure.pid.integral should be a number, but was a lot"),
    ({"spark.streaming.backpressure.enabled": "yes"},
     "spark.streaming.backpressure.enabled should be boolean, but was yes"),
])
def test_bad_backpressure_settings_fail_at_socket_text_stream(settings, message):
    sc = backpressured(settings)
    try:
        ssc = StreamingContext(sc, 1)
        with pytest.raises(IllegalArgumentException) as e:
            ssc.socketTextStream("127.0.0.1", 9)
        assert str(e.value) == message
    finally:
        sc.stop()


def completed(stream_id: int, records: int, end: int, start: int, submitted: int):
    info = L.BatchInfo(end, submitted, {stream_id: L.StreamInputInfo(stream_id, records)}, start, end)
    return L.StreamingListenerBatchCompleted(info)


def test_backpressure_sets_the_receiver_rate_after_each_batch():
    sc = backpressured({"spark.streaming.backpressure.initialRate": "2000",
                        "spark.streaming.receiver.maxRate": "8000"})
    try:
        ssc = StreamingContext(sc, 1)
        stream = ssc.socketTextStream("127.0.0.1", 9)
        controller = stream.rate_controller
        assert stream._receiver.rate == 2000  # the initial rate, until the first estimate
        stream.foreachRDD(lambda rdd: None)
        ssc.start()
        assert controller in ssc._scheduler.listeners
        controller.onBatchCompleted(completed(stream.id, 2000, 10_500, 10_000, 10_000))  # 4,000/s
        assert stream._receiver.rate == 2000
        controller.onBatchCompleted(completed(stream.id, 2000, 11_250, 11_000, 11_000))  # 8,000/s
        assert controller.latest_rate == 8000.0
        controller.onBatchCompleted(completed(stream.id, 2000, 12_100, 12_000, 12_000))  # 20,000/s
        assert controller.latest_rate == 20000.0
        assert stream._receiver.rate == 8000  # never above maxRate
        controller.onBatchCompleted(completed(stream.id + 1, 10, 13_100, 13_000, 13_000))  # not its stream
        assert controller.latest_rate == 20000.0
        ssc.stop(stopSparkContext=False)
        assert controller not in ssc._scheduler.listeners
    finally:
        sc.stop()


def test_without_backpressure_no_controller_and_no_limit(sc):
    ssc = StreamingContext(sc, 1)
    stream = ssc.socketTextStream("127.0.0.1", 9)
    assert stream.rate_controller is None
    assert stream._receiver.rate == 0


class Waits:
    """Stands in for the receiver's stop event: records how long the pacing would sleep."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def wait(self, seconds: float) -> bool:
        self.waits.append(round(seconds, 6))
        return False

    def is_set(self) -> bool:
        return False


def paced(max_rate: float) -> tuple[SocketReceiver, Waits]:
    receiver = SocketReceiver("127.0.0.1", 9, LineBuffer(1 << 20), 1 << 20, max_rate, lambda *_: None)
    receiver._now = lambda: 100.0  # no time passes
    receiver._started = 100.0
    waits = Waits()
    receiver._stop = waits  # type: ignore[assignment]
    return receiver, waits


def test_max_rate_paces_the_lines_taken_in():
    receiver, waits = paced(100)
    block = b"\n".join([b"line"] * 50)
    for _ in range(3):
        assert receiver._deliver(block)
    # 100 lines/s: a tenth of a second's lines (10) at a time, each run due 0.1 s after the one before
    assert waits.waits == [round(0.1 * k, 6) for k in range(1, 16)]
    assert receiver.buffer.received == 150
    assert receiver.buffer.take()[1] == [10] * 15


def test_a_new_rate_paces_from_now_and_stays_under_max_rate():
    receiver, waits = paced(100)
    block = b"\n".join([b"line"] * 50)
    receiver._deliver(block)
    assert waits.waits[-1] == 0.5
    receiver.set_rate(50)  # 5 lines at a time, from 0 s again
    receiver._deliver(block)
    assert waits.waits[5:] == [round(0.1 * k, 6) for k in range(1, 11)]
    receiver.set_rate(1_000_000)  # capped at maxRate
    receiver._deliver(block)
    assert waits.waits[-1] == 0.5
    receiver.set_rate(0)  # no estimate: the rate stays
    receiver._deliver(block)
    assert receiver.rate == 100
    assert waits.waits[-1] == 1.0
    assert receiver.buffer.received == 200


def test_unlimited_receiver_takes_a_block_at_once():
    receiver, waits = paced(0)
    receiver._deliver(b"\n".join([b"line"] * 50) + b"\n")  # ends with a newline: an empty line after it
    assert waits.waits == []
    assert receiver.buffer.take()[1] == [51]


def _recoverable(port: int):
    def setup():
        from ember import SparkContext

        ssc = StreamingContext(SparkContext._active_spark_context, 1)
        ssc.socketTextStream("127.0.0.1", port).count().foreachRDD(lambda rdd: None)
        return ssc

    return setup


def test_a_recovered_stream_keeps_its_rate_controller(tmp_path):
    import socket

    from ember.testing import BatchDriver

    sc = backpressured({"spark.streaming.backpressure.initialRate": "500"})
    server = socket.create_server(("127.0.0.1", 0))
    ckpt = str(tmp_path / "ckpt")
    try:
        ssc = StreamingContext.getOrCreate(ckpt, _recoverable(server.getsockname()[1]))
        ssc.checkpoint(ckpt)
        driver = BatchDriver(ssc)
        ssc.start()
        driver.advance(1)
        ssc.stop(stopSparkContext=False)

        again = StreamingContext.getOrCreate(ckpt, lambda: pytest.fail("not recovered"))
        stream = again._graph.inputs[0]
        assert stream.rate_controller is not None
        assert stream._receiver.rate == 500
        again.start()
        assert stream.rate_controller in again._scheduler.listeners
        again.stop(stopSparkContext=False)
    finally:
        server.close()
        sc.stop()
