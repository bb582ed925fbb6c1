"""Backpressure: a receiver's ingestion rate follows how fast the batches are processed.

With ``spark.streaming.backpressure.enabled=true`` each receiver stream gets a
:class:`RateController`, a streaming listener that hears every completed batch and asks a
:class:`PIDRateEstimator` for a new rate (records per second), which the receiver then keeps to
(capped by ``spark.streaming.receiver.maxRate``). The estimator is Spark's PID controller, with its
settings and defaults:

- ``spark.streaming.backpressure.rateEstimator``: ``pid``, the only one;
- ``spark.streaming.backpressure.pid.proportional`` (1.0), ``.integral`` (0.2), ``.derived`` (0.0),
  ``.minRate`` (100 records/s);
- ``spark.streaming.backpressure.initialRate``: the rate before the first estimate (none: unlimited).

ember's receiver buffer is bounded whether or not backpressure is on (TCP holds the producer back when
it is full); backpressure adds what Spark's adds, a scheduling delay that stays near zero because the
receiver takes in about what a batch interval can process.

Examples
--------
>>> pid = PIDRateEstimator(1000)
>>> pid.compute(1000, 10_000, 500, 0) is None  # the first batch only measures
True
>>> pid.compute(2000, 10_000, 2000, 0)  # 5,000 records/s processed: slow down towards it
5000.0
"""

from __future__ import annotations

from typing import Callable

from ember.conf import conf_flag, conf_number
from ember.errors import IllegalArgumentException
from ember.streaming.listener import StreamingListener

ENABLED_KEY = "spark.streaming.backpressure.enabled"
INITIAL_RATE_KEY = "spark.streaming.backpressure.initialRate"
_PID = "spark.streaming.backpressure.pid."


def backpressure_enabled(conf) -> bool:
    """Whether ``spark.streaming.backpressure.enabled`` is on in a SparkConf."""
    return conf_flag(conf, ENABLED_KEY, False)


def initial_rate(conf) -> float:
    """The records per second a receiver takes before the first estimate (0: no limit)."""
    return conf_number(conf, INITIAL_RATE_KEY, 0.0)


class PIDRateEstimator:
    """A proportional-integral-derivative controller of the records a stream takes in per second.

    After each batch the error is the last rate set minus the rate the batch was processed at; the
    integral term is the backlog the scheduling delay shows, as a rate over one batch interval. The
    new rate is the last one corrected by the three terms, never below ``min_rate``.

    Parameters
    ----------
    batch_ms : int
        The batch interval in milliseconds.
    proportional, integral, derivative : float
        The weights of the current error, of the backlog and of the error's change (all >= 0).
    min_rate : float
        The lowest rate it sets (> 0: some records must flow for the next estimate).

    Examples
    --------
    >>> PIDRateEstimator(1000, min_rate=0)
    Traceback (most recent call last):
    ...
    ember.errors.IllegalArgumentException: requirement failed: Minimum rate in PIDRateEstimator should be > 0
    """

    def __init__(self, batch_ms: int, proportional: float = 1.0, integral: float = 0.2,
                 derivative: float = 0.0, min_rate: float = 100.0) -> None:
        proportional, integral, derivative = float(proportional), float(integral), float(derivative)
        min_rate = float(min_rate)
        checks = [
            (batch_ms > 0, f"Specified batch interval {batch_ms} in PIDRateEstimator is invalid."),
            (proportional >= 0, f"Proportional term {proportional} in PIDRateEstimator should be >= 0."),
            (integral >= 0, f"Integral term {integral} in PIDRateEstimator should be >= 0."),
            (derivative >= 0, f"Derivative term {derivative} in PIDRateEstimator should be >= 0."),
            (min_rate > 0, "Minimum rate in PIDRateEstimator should be > 0"),
        ]
        for ok, message in checks:
            if not ok:
                raise IllegalArgumentException(f"requirement failed: {message}")
        self.batch_ms = batch_ms
        self.weights = (proportional, integral, derivative)
        self.min_rate = min_rate
        self._last_ms = -1
        self._last_rate = -1.0
        self._last_error = -1.0
        self._measured = False

    def compute(self, time_ms: int, elements: int, processing_ms: int, scheduling_ms: int) -> float | None:
        """The new rate after a batch that ended at ``time_ms`` (None: no estimate from this batch).

        A batch with no records, or one that took no time, says nothing about the processing rate;
        the first batch that does is only measured.
        """
        if time_ms <= self._last_ms or elements <= 0 or processing_ms <= 0:
            return None
        since_s = (time_ms - self._last_ms) / 1000
        processed = elements / processing_ms * 1000
        error = self._last_rate - processed
        backlog = scheduling_ms * processed / self.batch_ms
        change = (error - self._last_error) / since_s
        p, i, d = self.weights
        self._last_ms = time_ms
        if not self._measured:
            self._measured = True
            self._last_rate, self._last_error = processed, 0.0
            return None
        rate = max(self._last_rate - p * error - i * backlog - d * change, self.min_rate)
        self._last_rate, self._last_error = rate, error
        return rate


def estimator_from_conf(conf, batch_ms: int) -> PIDRateEstimator:
    """The estimator ``spark.streaming.backpressure.rateEstimator`` names (``pid``), with its settings."""
    name = conf.get("spark.streaming.backpressure.rateEstimator", "pid")
    if name != "pid":
        raise IllegalArgumentException(f"Unknown rate estimator: {name}")
    return PIDRateEstimator(batch_ms, conf_number(conf, _PID + "proportional", 1.0),
                            conf_number(conf, _PID + "integral", 0.2),
                            conf_number(conf, _PID + "derived", 0.0),
                            conf_number(conf, _PID + "minRate", 100.0))


class RateController(StreamingListener):
    """Hears each completed batch and hands the stream's new rate to ``publish``.

    Parameters
    ----------
    stream_id : int
        The input stream whose records the batches report.
    estimator : PIDRateEstimator
        Computes the rates.
    publish : callable
        Takes each new rate (records per second).
    """

    def __init__(self, stream_id: int, estimator: PIDRateEstimator, publish: Callable[[float], None]) -> None:
        self.stream_id = stream_id
        self.estimator = estimator
        self.publish = publish
        self.latest_rate: float | None = None

    def onBatchCompleted(self, batchCompleted) -> None:
        info = batchCompleted.batchInfo()
        inputs = info.streamIdToInputInfo()
        if self.stream_id not in inputs or info.processingEndTime() < 0:
            return
        rate = self.estimator.compute(info.processingEndTime(), inputs[self.stream_id].numRecords,
                                      info.processingDelay(), info.schedulingDelay())
        if rate is not None:
            self.latest_rate = rate
            self.publish(rate)
