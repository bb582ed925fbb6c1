"""DStreams: ``pyspark.streaming``'s API on ember's engine (StreamingContext, DStream, StreamingListener)."""

from ember.streaming.context import StreamingContext
from ember.streaming.dstream import DStream
from ember.streaming.listener import StreamingListener

__all__ = ["StreamingContext", "DStream", "StreamingListener"]
