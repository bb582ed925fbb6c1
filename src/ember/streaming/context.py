"""StreamingContext: the entry point of DStream programs, with Spark's life cycle and errors."""

from __future__ import annotations

import logging
import os
import threading
import warnings
from typing import Any, Callable, Iterable

from ember.core import callsite
from ember.core.context import SparkContext
from ember.core.rdd import RDD
from ember.errors import IllegalArgumentException, IllegalStateException
from ember.storagelevel import StorageLevel
from ember.streaming.clock import clock_from_conf
from ember.streaming.dstream import DStream
from ember.streaming.listener import StreamingListener
from ember.streaming.scheduler import DStreamGraph, JobScheduler

log = logging.getLogger("ember.streaming")

_INITIALIZED, _ACTIVE, _STOPPED = "INITIALIZED", "ACTIVE", "STOPPED"
_ACTIVATION_LOCK = threading.RLock()


class StreamingContext:
    """Runs DStream computations in batches of ``batchDuration`` seconds over a SparkContext.

    Examples
    --------
    >>> from ember import SparkContext
    >>> from ember.streaming import StreamingContext
    >>> sc = SparkContext("local[2]", "doc")
    >>> ssc = StreamingContext(sc, 1)
    >>> ssc.queueStream([["hello world"]]).flatMap(str.split).pprint()
    >>> ssc.start()
    >>> ssc.stop(stopSparkContext=True)
    """

    _activeContext: StreamingContext | None = None

    def __init__(self, sparkContext: SparkContext, batchDuration: float | None = None,
                 jssc: Any = None) -> None:
        warnings.warn("DStream is deprecated as of Spark 3.4.0. Migrate to Structured Streaming.",
                      FutureWarning, stacklevel=2)
        if batchDuration is None:
            raise TypeError("StreamingContext needs a batchDuration in seconds, e.g. StreamingContext(sc, 1)")
        batch_ms = int(batchDuration * 1000)
        if batch_ms <= 0:
            raise IllegalArgumentException(f"requirement failed: batchDuration must be positive, got "
                                           f"{batchDuration!r} seconds")
        self._sc = sparkContext
        self._batch_ms = batch_ms
        self._graph = DStreamGraph(batch_ms)
        self._graph_lock = threading.RLock()
        self._clock = clock_from_conf(sparkContext.getConf().get("spark.streaming.clock"))
        self._scheduler = JobScheduler(self)
        self._state = _INITIALIZED
        self._checkpoint_dir: str | None = None
        self._start_site: str | None = None
        self._recovered = None  # a checkpoint.Saved when made by getOrCreate from a checkpoint
        self._graph_blob: bytes | None = None  # the graph as checkpoints save it, pickled once

    # -- construction helpers -----------------------------------------------------------------

    def _check_can_add(self) -> None:
        if self._state == _ACTIVE:
            raise IllegalStateException("Adding new inputs, transformations, and output operations after "
                                        "starting a context is not supported")
        if self._state == _STOPPED:
            raise IllegalStateException("Adding new inputs, transformations, and output operations after "
                                        "stopping a context is not supported")

    @property
    def _jssc(self) -> _JavaContextStandIn:
        """What PySpark code reaches as ``ssc._jssc`` (the JVM context); only ``stop`` is offered.

        Spark's own tests stop the JVM side behind the Python object's back with
        ``ssc._jssc.stop(False)`` and expect :meth:`getActive` to say None afterwards.
        """
        return _JavaContextStandIn(self)

    @property
    def sparkContext(self) -> SparkContext:
        """The SparkContext this StreamingContext runs on."""
        return self._sc

    @classmethod
    def getActive(cls) -> StreamingContext | None:
        """The started and not yet stopped StreamingContext, if any."""
        active = cls._activeContext
        if active is not None and active._state != _ACTIVE:
            cls._activeContext = None
        return cls._activeContext

    @classmethod
    def getOrCreate(cls, checkpointPath: str, setupFunc: Callable[[], StreamingContext]) -> StreamingContext:
        """Recover the context saved in ``checkpointPath``, or make one with ``setupFunc()``.

        With checkpoint files in the directory the stream graph and its running state come back from
        the newest one and ``setupFunc`` is not called; the active SparkContext is used if there is one,
        else one is made with the saved settings. Otherwise ``setupFunc()`` builds the context and its
        checkpoint directory is set to ``checkpointPath``.
        """
        from ember.conf import SparkConf
        from ember.streaming import checkpoint

        saved = checkpoint.read(checkpointPath)
        if saved is None:
            ssc = setupFunc()
            ssc.checkpoint(checkpointPath)
            return ssc
        sc = SparkContext._active_spark_context or SparkContext(conf=SparkConf(loadDefaults=False).setAll(
            saved.conf))
        ssc = cls(sc, saved.batch_ms / 1000.0)
        ssc._adopt(saved)
        ssc.checkpoint(checkpointPath)
        return ssc

    def _adopt(self, saved: Any) -> None:
        from ember.streaming.state import StateDStream
        from ember.streaming.window import ReducedWindowedDStream, WindowedDStream

        graph = self._graph
        graph.inputs, graph.outputs = list(saved.inputs), list(saved.outputs)
        graph.remember_ms = saved.remember_ms
        for stream in [*graph.inputs, *graph.all_streams()]:
            stream._attach(self)
            if isinstance(stream, (WindowedDStream, ReducedWindowedDStream)):
                graph.eager.append(stream._parents[0])
            if isinstance(stream, StateDStream):
                stream._saved_state = saved.states.get(stream._state_key)
        self._recovered = saved

    @classmethod
    def getActiveOrCreate(cls, checkpointPath: str | None,
                          setupFunc: Callable[[], StreamingContext]) -> StreamingContext:
        """The active context, else :meth:`getOrCreate` (or ``setupFunc()`` without a path)."""
        if not callable(setupFunc):
            raise TypeError("setupFunc should be callable.")
        active = cls.getActive()
        if active is not None:
            return active
        if checkpointPath is not None:
            return cls.getOrCreate(checkpointPath, setupFunc)
        return setupFunc()

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start running the batches (returns at once; see :meth:`awaitTermination`)."""
        if self._state == _ACTIVE:
            log.warning("StreamingContext has already been started")
            return
        if self._state == _STOPPED:
            raise IllegalStateException("StreamingContext has already been stopped")
        from ember._allocators import one_malloc_arena

        one_malloc_arena()  # before the receivers' and the batches' threads start
        with _ACTIVATION_LOCK:
            other = StreamingContext.getActive()
            if other is not None:
                raise IllegalStateException(
                    "Only one StreamingContext may be started in this JVM. Currently running "
                    f"StreamingContext was started at{other._start_site}")
            try:
                self._validate()
                self._scheduler.start()
            except BaseException:
                self._state = _STOPPED
                raise
            self._start_site = "\n" + callsite.user_callsite()
            self._state = _ACTIVE
            StreamingContext._activeContext = self

    def _validate(self) -> None:
        if not self._graph.outputs:
            raise IllegalArgumentException(
                "requirement failed: No output operations registered, so nothing to execute")
        if self._checkpoint_dir is not None:
            self._check_serializable()

    def _check_serializable(self) -> None:
        """With checkpointing on, Spark saves the stream graph, so every function must pickle."""
        import cloudpickle

        for stream in self._graph.all_streams():
            for fn in stream._user_functions():
                try:
                    cloudpickle.dumps(fn)
                except Exception as e:
                    user = getattr(fn, "__wrapped__", fn)
                    name = getattr(user, "__qualname__", repr(user))
                    raise type(e)(f"DStream checkpointing has been enabled but the DStreams with their "
                                  f"functions are not serializable: the function {name} given at "
                                  f"{stream._site} cannot be pickled: {e}") from e

    def awaitTermination(self, timeout: float | None = None) -> None:
        """Wait until the context stops; raise the error of a failed batch if there was one."""
        self._scheduler.waiter.wait(timeout)

    def awaitTerminationOrTimeout(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds: True if stopped, False if still running; raises a batch error."""
        return self._scheduler.waiter.wait(timeout)

    def stop(self, stopSparkContext: bool = True, stopGraceFully: bool = False) -> None:
        """Stop the batches (and by default the SparkContext); a stopped context cannot restart.

        With ``stopGraceFully`` the data already received is processed first.
        """
        if self._state == _ACTIVE:
            self._state = _STOPPED
            self._scheduler.stop(stopGraceFully)
        else:
            if self._state == _INITIALIZED:
                log.info("StreamingContext has not been started yet")
            self._state = _STOPPED
        if StreamingContext._activeContext is self:
            StreamingContext._activeContext = None
        self._scheduler.waiter.notify_stop()
        if stopSparkContext:
            self._sc.stop()

    def remember(self, duration: float) -> None:
        """Keep every stream's RDDs for at least ``duration`` seconds (what ``slice`` can reach)."""
        if self._graph.remember_ms is not None:
            raise IllegalArgumentException(
                f"requirement failed: Remember duration already set as {self._graph.remember_ms} ms. "
                "Cannot set it again.")
        self._graph.remember_ms = int(duration * 1000)

    def checkpoint(self, directory: str | None) -> None:
        """Where stateful streams save their RDDs (also the SparkContext's checkpoint directory)."""
        if directory is None:
            self._checkpoint_dir = None
            return
        os.makedirs(directory, exist_ok=True)
        self._checkpoint_dir = os.path.abspath(directory)
        self._sc.setCheckpointDir(self._checkpoint_dir)

    def addStreamingListener(self, streamingListener: StreamingListener) -> None:
        """Report batch and output-operation events to ``streamingListener``."""
        self._scheduler.listeners.append(streamingListener)

    # -- input streams -------------------------------------------------------------------------

    def queueStream(self, rdds: list, oneAtATime: bool = True, default: Any = None) -> DStream:
        """A stream that takes its batches from ``rdds`` (RDDs or lists), one per batch by default.

        The list is copied: later changes to it are not seen. Once it is used up each batch gets
        ``default`` if given, else an empty RDD.
        """
        from ember.streaming.sources.queue import QueueInputDStream

        if default is not None and not isinstance(default, RDD):
            default = self._sc.parallelize(default) if default else None
        rdds = [r if isinstance(r, RDD) else self._sc.parallelize(r) for r in rdds]
        return QueueInputDStream(self, rdds, oneAtATime, default)

    def socketTextStream(self, hostname: str, port: int,
                         storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK_2) -> DStream:
        """Lines read from the TCP server at ``hostname:port`` (ember connects to it as a client).

        ``storageLevel`` is accepted for compatibility: a batch's first MiB waits in memory, the rest
        on disk, as with a storage level of memory and disk.
        """
        from ember.streaming.sources.socket import SocketInputDStream

        return SocketInputDStream(self, hostname, port)

    def socketStream(self, hostname: str, port: int, converter: Callable[[Any], Iterable],
                     storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK_2) -> DStream:
        """Records that ``converter`` reads from the TCP server at ``hostname:port``.

        Spark's Scala ``socketStream``, which PySpark lacks: ``converter`` gets the connection as a
        binary file object and yields records (see :mod:`ember.streaming.sources.socket_records`). A
        program using it runs on ember only.

        Examples
        --------
        >>> def frames(stream):  # length-prefixed messages
        ...     while len(head := stream.read(2)) == 2:
        ...         yield stream.read(int.from_bytes(head, "big")).decode()
        >>> # ssc.socketStream("localhost", 9999, frames)
        """
        from ember.streaming.sources.socket_records import SocketStreamInputDStream

        return SocketStreamInputDStream(self, hostname, port, converter)

    def textFileStream(self, directory: str) -> DStream:
        """Lines of the text files that appear in ``directory`` after the start (one batch per file set)."""
        from ember.streaming.sources.files import FileInputDStream

        return FileInputDStream(self, directory)

    def binaryRecordsStream(self, directory: str, recordLength: int) -> DStream:
        """Fixed-length ``bytes`` records of the files that appear in ``directory`` after the start."""
        from ember.streaming.sources.files import FileInputDStream

        return FileInputDStream(self, directory, recordLength)

    # -- combining streams ---------------------------------------------------------------------

    def union(self, *dstreams: DStream) -> DStream:
        """The batches of several streams, one after the other."""
        from ember.streaming.transformed import UnionDStream

        if not dstreams:
            raise ValueError("should have at least one DStream to union")
        if len(dstreams) == 1:
            return dstreams[0]
        if len({s._slideDuration for s in dstreams}) > 1:
            raise ValueError("All DStreams should have same slide duration")
        return UnionDStream(self, list(dstreams))

    def transform(self, dstreams: list[DStream], transformFunc: Callable) -> DStream:
        """``transformFunc(rdds)`` over the batch's RDDs of several streams (a tuple, in list order)."""
        from ember.streaming.transformed import MultiTransformedDStream

        return MultiTransformedDStream(self, list(dstreams), transformFunc)


class _JavaContextStandIn:
    """Stands where PySpark keeps its JVM StreamingContext: ember has one context, so stop stops it."""

    def __init__(self, ssc: StreamingContext) -> None:
        self._ssc = ssc

    def stop(self, stopSparkContext: bool = True) -> None:
        self._ssc.stop(stopSparkContext=stopSparkContext)
