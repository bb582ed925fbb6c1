"""Streaming listeners and the batch reports they receive, with the accessors PySpark exposes.

In PySpark the events are JVM objects reached through py4j, so most fields are *methods*
(``batchInfo().batchTime().milliseconds()``); a few are plain fields (``streamingStarted.time``,
``streamInputInfo.numRecords``). ember keeps exactly that shape so a listener written for Spark
runs unchanged. Times are in milliseconds of the streaming clock; ``-1`` means "not known yet".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class StreamingListener:
    """Receives the life events of a StreamingContext; override the methods you need.

    Examples
    --------
    >>> class Done(StreamingListener):
    ...     def __init__(self):
    ...         self.batches = 0
    ...     def onBatchCompleted(self, batchCompleted):
    ...         self.batches += 1
    >>> Done().batches
    0
    """

    def onStreamingStarted(self, streamingStarted: Any) -> None:
        """The context started."""

    def onReceiverStarted(self, receiverStarted: Any) -> None:
        """A receiver started."""

    def onReceiverError(self, receiverError: Any) -> None:
        """A receiver reported an error."""

    def onReceiverStopped(self, receiverStopped: Any) -> None:
        """A receiver stopped."""

    def onBatchSubmitted(self, batchSubmitted: Any) -> None:
        """The jobs of a batch were generated and queued."""

    def onBatchStarted(self, batchStarted: Any) -> None:
        """The first job of a batch started."""

    def onBatchCompleted(self, batchCompleted: Any) -> None:
        """Every job of a batch finished (successfully or not)."""

    def onOutputOperationStarted(self, outputOperationStarted: Any) -> None:
        """One output operation of a batch started."""

    def onOutputOperationCompleted(self, outputOperationCompleted: Any) -> None:
        """One output operation of a batch finished."""

    class Java:
        implements = ["org.apache.spark.streaming.api.java.PythonStreamingListener"]


class Time:
    """A batch time, as Spark's ``Time``: ``milliseconds()``."""

    __slots__ = ("_ms",)

    def __init__(self, ms: int) -> None:
        self._ms = ms

    def milliseconds(self) -> int:
        return self._ms

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Time) and other._ms == self._ms

    def __hash__(self) -> int:
        return hash(self._ms)

    def __repr__(self) -> str:
        return f"{self._ms} ms"


class StreamInputInfo:
    """What one input stream contributed to a batch."""

    def __init__(self, input_stream_id: int, num_records: int, metadata: dict | None = None) -> None:
        self._id = input_stream_id
        self.numRecords = num_records  # a field in Spark's Java wrapper, not a method
        self._metadata = dict(metadata or {})

    def inputStreamId(self) -> int:
        return self._id

    def metadata(self) -> dict:
        return dict(self._metadata)

    def metadataDescription(self) -> str:
        return str(self._metadata.get("Description", ""))


@dataclass
class OutputOperationInfo:
    """One output operation (``pprint``, ``foreachRDD``, ...) within one batch."""

    _batch_ms: int
    _id: int
    _name: str
    _description: str
    _start: int = -1
    _end: int = -1
    _failure: str | None = None

    def batchTime(self) -> Time:
        return Time(self._batch_ms)

    def id(self) -> int:  # noqa: A003 - Spark's name
        return self._id

    def name(self) -> str:
        return self._name

    def description(self) -> str:
        return self._description

    def startTime(self) -> int:
        return self._start

    def endTime(self) -> int:
        return self._end

    def failureReason(self) -> str | None:
        return self._failure

    def duration(self) -> int:
        return -1 if self._start < 0 or self._end < 0 else self._end - self._start


@dataclass
class BatchInfo:
    """Timings of one batch; a snapshot is handed to each listener event."""

    _batch_ms: int
    _submission: int
    _inputs: dict = field(default_factory=dict)
    _start: int = -1
    _end: int = -1
    _outputs: dict = field(default_factory=dict)

    def batchTime(self) -> Time:
        return Time(self._batch_ms)

    def submissionTime(self) -> int:
        return self._submission

    def processingStartTime(self) -> int:
        return self._start

    def processingEndTime(self) -> int:
        return self._end

    def streamIdToInputInfo(self) -> dict:
        return dict(self._inputs)

    def outputOperationInfos(self) -> dict:
        return dict(self._outputs)

    def numRecords(self) -> int:
        return sum(i.numRecords for i in self._inputs.values())

    def schedulingDelay(self) -> int:
        """Time the batch waited before its first job started (-1 until then)."""
        return -1 if self._start < 0 else self._start - self._submission

    def processingDelay(self) -> int:
        """Time its jobs took (-1 until the batch completes)."""
        return -1 if self._start < 0 or self._end < 0 else self._end - self._start

    def totalDelay(self) -> int:
        """Scheduling plus processing delay (-1 until the batch completes)."""
        return -1 if self._end < 0 else self._end - self._submission

    def snapshot(self) -> BatchInfo:
        return BatchInfo(self._batch_ms, self._submission, dict(self._inputs), self._start, self._end,
                         {k: OutputOperationInfo(**vars(v)) for k, v in self._outputs.items()})


class _BatchEvent:
    def __init__(self, info: BatchInfo) -> None:
        self._info = info

    def batchInfo(self) -> BatchInfo:
        return self._info


class StreamingListenerBatchSubmitted(_BatchEvent):
    """Event for :meth:`StreamingListener.onBatchSubmitted`."""


class StreamingListenerBatchStarted(_BatchEvent):
    """Event for :meth:`StreamingListener.onBatchStarted`."""


class StreamingListenerBatchCompleted(_BatchEvent):
    """Event for :meth:`StreamingListener.onBatchCompleted`."""


class _OutputEvent:
    def __init__(self, info: OutputOperationInfo) -> None:
        self._info = info

    def outputOperationInfo(self) -> OutputOperationInfo:
        return self._info


class StreamingListenerOutputOperationStarted(_OutputEvent):
    """Event for :meth:`StreamingListener.onOutputOperationStarted`."""


class StreamingListenerOutputOperationCompleted(_OutputEvent):
    """Event for :meth:`StreamingListener.onOutputOperationCompleted`."""


class StreamingListenerStreamingStarted:
    """Event for :meth:`StreamingListener.onStreamingStarted`; ``time`` is a field, as in Spark."""

    def __init__(self, time_ms: int) -> None:
        self.time = time_ms


class ReceiverInfo:
    """A receiver's identity and last error, as ``receiverInfo()`` returns it."""

    def __init__(self, stream_id: int, name: str, active: bool, location: str = "localhost",
                 last_error_message: str = "", last_error: str = "", last_error_time: int = -1) -> None:
        self._values = (stream_id, name, active, location, last_error_message, last_error, last_error_time)

    def streamId(self) -> int:
        return self._values[0]

    def name(self) -> str:
        return self._values[1]

    def active(self) -> bool:
        return self._values[2]

    def location(self) -> str:
        return self._values[3]

    def lastErrorMessage(self) -> str:
        return self._values[4]

    def lastError(self) -> str:
        return self._values[5]

    def lastErrorTime(self) -> int:
        return self._values[6]


class StreamingListenerReceiverEvent:
    """Event for the ``onReceiver*`` callbacks."""

    def __init__(self, info: ReceiverInfo) -> None:
        self._info = info

    def receiverInfo(self) -> ReceiverInfo:
        return self._info
