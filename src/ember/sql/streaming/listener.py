"""Listeners of streaming queries and the progress reports they receive, with Spark's JSON keys.

Progress objects are ``dict`` subclasses with attribute access (PySpark 4.x): ``p["id"]`` is a string,
``p.id`` a ``uuid.UUID``; ``str(p)`` is the pretty JSON.

Examples
--------
>>> p = StreamingQueryProgress.fromJson({"id": "00000000-0000-0000-0000-000000000001",
...     "runId": "00000000-0000-0000-0000-000000000002", "name": None, "timestamp": "",
...     "batchId": 0, "batchDuration": 1, "stateOperators": [], "sources": [],
...     "sink": {"description": "x", "numOutputRows": 0}})
>>> p.batchId, p["id"]
(0, '00000000-0000-0000-0000-000000000001')
"""

from __future__ import annotations

import json
import uuid
from typing import Any


class _Report(dict):
    """A JSON object with attribute access; subclasses list their keys in ``_keys``."""

    _keys: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return dict.__getitem__(self, name)
        except KeyError:
            raise AttributeError(name) from None

    def _plain(self) -> dict:
        return {k: _plain(v) for k, v in dict.items(self)}

    @property
    def json(self) -> str:
        """The compact JSON text."""
        return json.dumps(self._plain(), separators=(",", ":"))

    @property
    def prettyJson(self) -> str:
        """The indented JSON text."""
        return json.dumps(self._plain(), indent=2)

    def __str__(self) -> str:
        return self.prettyJson

    __repr__ = __str__

    @classmethod
    def fromJson(cls, j: dict) -> _Report:
        return cls({k: j.get(k) for k in cls._keys if k in j})


def _row(values: dict) -> Any:
    """An observed metric's JSON object as the Row PySpark gives (fields in the JSON's order)."""
    from ember.sql.types import Row

    return Row(*values.keys())(*values.values())


def _plain(v: Any) -> Any:
    if isinstance(v, _Report):
        return v._plain()
    if isinstance(v, tuple) and hasattr(v, "asDict"):  # a Row of observed metrics
        return {k: _plain(x) for k, x in v.asDict().items()}
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


class StateOperatorProgress(_Report):
    """One stateful operator's figures in a progress report."""

    _keys = ("operatorName", "numRowsTotal", "numRowsUpdated", "allUpdatesTimeMs", "numRowsRemoved",
             "allRemovalsTimeMs", "commitTimeMs", "memoryUsedBytes", "numRowsDroppedByWatermark",
             "numShufflePartitions", "numStateStoreInstances", "customMetrics")


class SourceProgress(_Report):
    """One source's offsets and rates in a progress report."""

    _keys = ("description", "startOffset", "endOffset", "latestOffset", "numInputRows",
             "inputRowsPerSecond", "processedRowsPerSecond", "metrics")
    _offsets = ("startOffset", "endOffset", "latestOffset")

    def __getattr__(self, name: str) -> Any:
        # the JSON keeps each offset as the source wrote it; the attribute is its text, as in PySpark
        value = _Report.__getattr__(self, name)
        return str(value) if name in self._offsets else value


class SinkProgress(_Report):
    """The sink's figures in a progress report."""

    _keys = ("description", "numOutputRows", "metrics")


class StreamingQueryProgress(_Report):
    """What one micro-batch did: ids, batch, durations, event time, state, sources and sink."""

    _keys = ("id", "runId", "name", "timestamp", "batchId", "batchDuration", "numInputRows",
             "inputRowsPerSecond", "processedRowsPerSecond", "durationMs", "eventTime", "stateOperators",
             "sources", "sink", "observedMetrics")

    def __getitem__(self, key: str) -> Any:
        value = dict.__getitem__(self, key)
        return str(value) if key in ("id", "runId") else value

    @classmethod
    def fromJson(cls, j: dict) -> StreamingQueryProgress:
        out = cls({k: j[k] for k in cls._keys if k in j})
        out["id"], out["runId"] = uuid.UUID(j["id"]), uuid.UUID(j["runId"])
        out["stateOperators"] = [StateOperatorProgress.fromJson(s) for s in j.get("stateOperators", [])]
        out["sources"] = [SourceProgress.fromJson(s) for s in j.get("sources", [])]
        out["sink"] = SinkProgress.fromJson(j["sink"])
        out.setdefault("durationMs", {})
        out.setdefault("eventTime", {})
        out["observedMetrics"] = {k: _row(v) for k, v in (j.get("observedMetrics") or {}).items()}
        for k in ("numInputRows", "inputRowsPerSecond", "processedRowsPerSecond"):
            out.setdefault(k, None)
        return out


class _Event:
    _fields: tuple[str, ...] = ()

    def __init__(self, **values: Any) -> None:
        for f in self._fields:
            setattr(self, "_" + f, values.get(f))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, '_' + f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"


def _uuid(v: Any) -> uuid.UUID:
    return v if isinstance(v, uuid.UUID) else uuid.UUID(str(v))


class QueryStartedEvent(_Event):
    """A query started: ``id``, ``runId``, ``name``, ``timestamp``, ``jobTags``."""

    _fields = ("id", "runId", "name", "timestamp", "jobTags")
    id = property(lambda self: self._id)  # noqa: A003
    runId = property(lambda self: self._runId)
    name = property(lambda self: self._name)
    timestamp = property(lambda self: self._timestamp)
    jobTags = property(lambda self: self._jobTags)

    @classmethod
    def fromJson(cls, j: dict) -> QueryStartedEvent:
        return cls(id=_uuid(j["id"]), runId=_uuid(j["runId"]), name=j["name"], timestamp=j["timestamp"],
                   jobTags=set(j.get("jobTags", [])))


class QueryProgressEvent(_Event):
    """A micro-batch finished: ``progress`` is its :class:`StreamingQueryProgress`."""

    _fields = ("progress",)
    progress = property(lambda self: self._progress)

    @classmethod
    def fromJson(cls, j: dict) -> QueryProgressEvent:
        return cls(progress=StreamingQueryProgress.fromJson(j["progress"]))


class QueryIdleEvent(_Event):
    """The query found no new data: ``id``, ``runId``, ``timestamp``."""

    _fields = ("id", "runId", "timestamp")
    id = property(lambda self: self._id)  # noqa: A003
    runId = property(lambda self: self._runId)
    timestamp = property(lambda self: self._timestamp)

    @classmethod
    def fromJson(cls, j: dict) -> QueryIdleEvent:
        return cls(id=_uuid(j["id"]), runId=_uuid(j["runId"]), timestamp=j["timestamp"])


class QueryTerminatedEvent(_Event):
    """A query stopped: ``exception`` is the error text or None, with ``errorClassOnException``."""

    _fields = ("id", "runId", "exception", "errorClassOnException")
    id = property(lambda self: self._id)  # noqa: A003
    runId = property(lambda self: self._runId)
    exception = property(lambda self: self._exception)
    errorClassOnException = property(lambda self: self._errorClassOnException)

    @classmethod
    def fromJson(cls, j: dict) -> QueryTerminatedEvent:
        return cls(id=_uuid(j["id"]), runId=_uuid(j["runId"]), exception=j["exception"],
                   errorClassOnException=j["errorClassOnException"])


class StreamingQueryListener:
    """Receives the events of every query of a session (``spark.streams.addListener``).

    Examples
    --------
    >>> class Printer(StreamingQueryListener):
    ...     def onQueryStarted(self, event): print("started", event.name)
    ...     def onQueryProgress(self, event): pass
    ...     def onQueryTerminated(self, event): pass
    """

    def onQueryStarted(self, event: QueryStartedEvent) -> None:
        """A query started."""

    def onQueryProgress(self, event: QueryProgressEvent) -> None:
        """A micro-batch finished."""

    def onQueryIdle(self, event: QueryIdleEvent) -> None:
        """A trigger found no new data (optional)."""

    def onQueryTerminated(self, event: QueryTerminatedEvent) -> None:
        """A query stopped, with or without an error."""
