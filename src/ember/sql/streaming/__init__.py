"""Structured Streaming, ``pyspark.sql.streaming``'s surface: readers, writers, queries, listeners."""

from __future__ import annotations

from ember.sql.streaming.listener import (
    QueryIdleEvent,
    QueryProgressEvent,
    QueryStartedEvent,
    QueryTerminatedEvent,
    SinkProgress,
    SourceProgress,
    StateOperatorProgress,
    StreamingQueryListener,
    StreamingQueryProgress,
)

__all__ = ["DataStreamReader", "DataStreamWriter", "StreamingQuery", "StreamingQueryManager",
           "StreamingQueryListener", "StreamingQueryProgress", "StateOperatorProgress", "SourceProgress",
           "SinkProgress", "QueryStartedEvent", "QueryProgressEvent", "QueryIdleEvent",
           "QueryTerminatedEvent"]


def __getattr__(name: str):
    # readers, writers and queries import the DataFrame engine; load them only when asked
    if name in ("DataStreamReader", "DataStreamWriter"):
        from ember.sql.streaming import readwriter

        return getattr(readwriter, name)
    if name in ("StreamingQuery", "StreamingQueryManager"):
        from ember.sql.streaming import query

        return getattr(query, name)
    raise AttributeError(f"module 'ember.sql.streaming' has no attribute {name!r}")
