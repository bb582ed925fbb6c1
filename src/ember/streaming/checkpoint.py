"""What survives a restart: the stream graph with the user's functions, and the running state.

With ``ssc.checkpoint(dir)`` set, every finished batch writes ``checkpoint-<batch ms>`` into ``dir``:
the graph pickled with cloudpickle (as PySpark pickles the functions), the batch time, the settings
of the SparkContext, and the latest state of every ``updateStateByKey`` stream. Files are written to a
temporary name, fsync'd and renamed, so a crash never leaves half a file; the two newest are kept.
The job thread only takes the checkpoint (:func:`snapshot`); the checkpoint writer
(:mod:`ember.streaming.checkpoint_writer`) pickles the state and writes the files in the background,
as Spark's CheckpointWriter does.

``StreamingContext.getOrCreate(dir, setupFunc)`` reads the newest file back. A directory without
checkpoint files means a fresh start; a file that cannot be read is an error naming it, never a silent
fresh start.

Windows survive too. The batches a window still needs (the RDDs of its parent stream in the last window
plus one slide, and for ``reduceByKeyAndWindow`` with an inverse function its own latest window) are
written once each, when their batch is checkpointed, to ``dir/windows/<stream key>-<batch ms>`` (their
partitions as already pickled, temp file + rename, before the checkpoint that names them); files no
kept checkpoint names are deleted. After a recovery they are the streams' RDDs of those times again, so
the first windows hold the batches from before the crash.

Not kept across a restart, unless the receiver write-ahead log is on: lines that were received but not
yet in a finished batch. With the log on, each checkpoint also records the last log block its batch
consumed; the blocks after it are replayed after a recovery (:mod:`ember.streaming.wal`).
"""

from __future__ import annotations

import glob
import os
import pickle
import re
from dataclasses import dataclass, field
from typing import Any

from ember.core.rdd import RDD
from ember.core.serialization import dumps, loads
from ember.core.shipping import ListSource

FORMAT = "ember-dstream-checkpoint-1"
_NAME = re.compile(r"^checkpoint-(\d+)$")
KEEP = 2


@dataclass
class Saved:
    """One checkpoint: the graph, where it stood, and the state of its stateful streams."""

    format: str
    time_ms: int
    batch_ms: int
    zero_ms: int
    remember_ms: int | None
    conf: list
    graph: bytes  # cloudpickle of (inputs, outputs), made once when the context starts
    states: dict  # StateDStream._state_key -> pickled partitions
    path: str = ""
    wal: dict = field(default_factory=dict)  # input stream id -> last write-ahead log block consumed
    windows: dict = field(default_factory=dict)  # stream _window_key -> {batch ms: file under windows/}

    def streams(self) -> tuple[list, list]:
        """The input and output streams, unpickled (user functions included)."""
        import cloudpickle

        return cloudpickle.loads(self.graph)


WINDOWS = "windows"


class RestoredRDD(RDD):
    """A batch's RDD read back from a checkpoint: its partitions, still pickled (reads are fresh copies)."""

    _kind = "CheckpointRDD"

    def __init__(self, ctx: Any, blobs: list[bytes]) -> None:
        super().__init__(ctx)
        self._blobs = blobs

    def getNumPartitions(self) -> int:
        return len(self._blobs)

    def _compute(self, split: int) -> Any:
        return loads(self._blobs[split])

    def _ship_compute(self, split: int) -> Any:
        blob = self._blobs[split]
        return ListSource(split, blob, True, len(blob) // 64)


class CheckpointError(Exception):
    """A checkpoint directory that holds something ember cannot read."""


def write(ssc: Any, t: int) -> str:
    """Write the checkpoint of batch ``t`` (ms) now, on this thread (see :func:`snapshot`)."""
    return snapshot(ssc, t).write(ssc)


def snapshot(ssc: Any, t: int) -> Pending:
    """What the checkpoint of batch ``t`` must hold, taken on the job thread between two batches.

    Only references are taken (the graph pickled once, the state's partitions, the window batches'
    pickled partitions, the write-ahead log marks): the pickling of the state and all file work happen
    in :meth:`Pending.write`, on the checkpoint writer's thread.
    """
    import cloudpickle

    from ember.streaming.state import StateDStream

    graph = ssc._graph
    spans = window_spans(graph)  # names the window streams before the graph is pickled with the names
    if ssc._graph_blob is None:
        # the functions are pickled once: a closure that captures a growing list would otherwise make
        # every checkpoint bigger and slower than the last
        ssc._graph_blob = cloudpickle.dumps((graph.inputs, graph.outputs))
    states = {}
    for stream in graph.all_streams():
        if isinstance(stream, StateDStream):
            rdd = stream._generated.get(t)
            if rdd is not None:
                states[stream._state_key] = state_source(rdd)
    marks = {}
    for stream in graph.inputs:
        mark = getattr(stream, "wal_mark", lambda: None)()
        if mark is not None:
            marks[stream.id] = mark
    windows, blobs = _window_batches(ssc, t, spans)
    return Pending(t, Saved(FORMAT, t, graph.batch_ms, graph.zero_ms, graph.remember_ms,
                            ssc._sc.getConf().getAll(), ssc._graph_blob, states, wal=marks, windows=windows),
                   blobs)


def state_source(rdd: RDD) -> Any:
    """A state RDD's partitions as the writer can pickle them later: a callable giving the blobs.

    The state of a finished batch never changes (the next batch builds new lists), so the writer may
    read it while the job thread goes on.
    """
    materialized = getattr(rdd, "_materialized", None)
    if materialized is not None and materialized():
        return rdd._pickled_parts  # type: ignore[attr-defined]
    parts = [list(rdd._iterator(p)) for p in range(rdd.getNumPartitions())]  # computed on the job thread
    return lambda: [dumps(part) for part in parts]


@dataclass
class Pending:
    """A checkpoint taken on the job thread, to be written by the checkpoint writer."""

    time_ms: int
    saved: Saved
    window_blobs: dict  # file name under windows/ -> pickled partitions, for the files not yet written

    def absorb(self, older: Pending) -> None:
        """Take over the window batches of an older checkpoint that is skipped for this one."""
        named = {name for named in self.saved.windows.values() for name in named.values()}
        for name, blobs in older.window_blobs.items():
            if name in named:
                self.window_blobs.setdefault(name, blobs)

    def write(self, ssc: Any) -> str:
        """Write the files (temp + rename each), drop old ones, and release the log blocks it covers."""
        saved = self.saved
        saved.states = {key: source() if callable(source) else source for key, source in saved.states.items()}
        _write_windows(ssc, self.window_blobs)
        blob = pickle.dumps(saved, pickle.HIGHEST_PROTOCOL)
        final = os.path.join(ssc._checkpoint_dir, f"checkpoint-{self.time_ms}")
        _write_atomically(final, blob)
        for old in _files(ssc._checkpoint_dir)[KEEP:]:
            try:
                os.remove(old)
            except OSError:
                pass
        _drop_unnamed_windows(ssc, self.time_ms, saved.windows)
        for stream in ssc._graph.inputs:
            if stream.id in saved.wal:  # only now, with the checkpoint on disk, are those blocks done
                stream.wal_done(saved.wal[stream.id])
        return final


def window_spans(graph: Any) -> dict:
    """The streams whose batches windows need after a restart: ``_window_key`` -> (stream, span ms).

    A window's parent keeps its last window plus one slide (what the first window after a restart
    slices, and what an incremental window subtracts); an incremental window keeps its latest result.
    """
    from ember.streaming.window import ReducedWindowedDStream, WindowedDStream

    spans: dict = {}
    for w in graph.all_streams():
        if isinstance(w, (WindowedDStream, ReducedWindowedDStream)):
            parent = w._parents[0]
            key = parent.__dict__.setdefault("_window_key", id(parent))
            span = w._window_ms + w._slide_ms
            spans[key] = (parent, max(span, spans.get(key, (None, 0))[1]))
            if isinstance(w, ReducedWindowedDStream):
                own = w.__dict__.setdefault("_window_key", id(w))
                spans[own] = (w, 0)  # only its newest window
    return spans


def _window_batches(ssc: Any, t: int, spans: dict) -> tuple[dict, dict]:
    """The window batches checkpoint ``t`` names, and the pickled partitions of those not yet on disk."""
    if not spans:
        return {}, {}
    written = ssc.__dict__.setdefault("_windows_written", set())  # kept by the writer
    out: dict = {}
    blobs: dict = {}
    for key, (stream, span) in spans.items():
        times = [k for k in stream._generated if t - span < k <= t]
        if span == 0:
            times = [max(k for k in stream._generated if k <= t)] if any(
                k <= t for k in stream._generated) else []
        named = out[key] = {}
        for k in sorted(times):
            name = f"{key}-{k}"
            if name not in written:
                blobs[name] = _partition_blobs(stream._generated[k])
            named[k] = name
    return out, blobs


def _write_windows(ssc: Any, blobs: dict) -> None:
    """Write the window batches not yet on disk (each before the checkpoint that names it)."""
    if not blobs:
        return
    directory = os.path.join(ssc._checkpoint_dir, WINDOWS)
    os.makedirs(directory, exist_ok=True)
    written = ssc.__dict__.setdefault("_windows_written", set())
    for name, parts in blobs.items():
        if name not in written:
            if callable(parts):
                parts = parts()
            _write_atomically(os.path.join(directory, name), pickle.dumps(parts, pickle.HIGHEST_PROTOCOL))
            written.add(name)


def _partition_blobs(rdd: RDD) -> Any:
    """An RDD's partitions pickled: the blobs its cache or checkpoint already holds where it has them.

    A window or state computed in the driver is pickled by the writer instead (a callable is returned):
    its data does not change once computed.
    """
    materialized = getattr(rdd, "_materialized", None)
    if materialized is not None and materialized():
        return rdd._pickled_parts  # type: ignore[attr-defined]
    blobs = []
    for split in range(rdd.getNumPartitions()):
        if rdd._checkpoint_parts is not None:
            blobs.append(rdd._checkpoint_parts[split])
            continue
        blob = rdd._cache.get(split)
        if blob is None:
            data = list(rdd._iterator(split))
            blob = rdd._cache.get(split) or dumps(data)
        blobs.append(blob)
    return blobs


def _write_atomically(path: str, blob: bytes) -> None:
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _drop_unnamed_windows(ssc: Any, t: int, windows: dict) -> None:
    """Delete the window files that no checkpoint still on disk names."""
    refs = ssc.__dict__.setdefault("_window_refs", {})
    refs[t] = {name for named in windows.values() for name in named.values()}
    kept = {int(_NAME.match(os.path.basename(p)).group(1)) for p in _files(ssc._checkpoint_dir)}  # type: ignore
    for old in [k for k in refs if k not in kept]:
        del refs[old]
    directory = os.path.join(ssc._checkpoint_dir, WINDOWS)
    if not os.path.isdir(directory):
        return
    named = set().union(*refs.values())
    written = ssc.__dict__.get("_windows_written", set())
    for name in os.listdir(directory):
        if name not in named and not name.endswith(".tmp"):
            try:
                os.remove(os.path.join(directory, name))
            except OSError:
                pass
            written.discard(name)


def restore_windows(ssc: Any, saved: Saved) -> None:
    """Give the window streams of a recovered graph their batches from before the restart."""
    windows = getattr(saved, "windows", None) or {}
    if not windows:
        return
    ssc.__dict__.setdefault("_window_refs", {})[saved.time_ms] = {
        name for named in windows.values() for name in named.values()}
    ssc.__dict__.setdefault("_windows_written", set()).update(ssc._window_refs[saved.time_ms])
    directory = os.path.join(os.path.dirname(saved.path), WINDOWS)
    for stream in ssc._graph.all_streams():
        named = windows.get(stream.__dict__.get("_window_key"))
        for k, name in (named or {}).items():
            path = os.path.join(directory, name)
            try:
                with open(path, "rb") as fh:
                    blobs = pickle.load(fh)
            except Exception as e:
                raise CheckpointError(f"cannot recover the window batch {path} named by {saved.path} "
                                      f"({type(e).__name__}: {e}). Move the directory away to start "
                                      "afresh.") from e
            stream._generated[k] = RestoredRDD(ssc._sc, blobs)


def _files(directory: str) -> list[str]:
    """Checkpoint files of ``directory``, newest batch first."""
    found = []
    for path in glob.glob(os.path.join(glob.escape(directory), "checkpoint-*")):
        m = _NAME.match(os.path.basename(path))
        if m:
            found.append((int(m.group(1)), path))
    return [p for _, p in sorted(found, reverse=True)]


def read(directory: str) -> Saved | None:
    """The newest checkpoint in ``directory``, or None when there is none."""
    files = _files(directory) if os.path.isdir(directory) else []
    if not files:
        return None
    path = files[0]
    try:
        with open(path, "rb") as fh:
            saved = pickle.load(fh)
        if isinstance(saved, Saved) and saved.format == FORMAT:
            saved.inputs, saved.outputs = saved.streams()  # type: ignore[attr-defined]
    except Exception as e:
        raise CheckpointError(f"cannot recover from {path}: it is not an ember checkpoint or it is damaged "
                              f"({type(e).__name__}: {e}). Move the directory away to start afresh.") from e
    if not isinstance(saved, Saved) or saved.format != FORMAT:
        raise CheckpointError(f"cannot recover from {path}: it is not an ember DStream checkpoint")
    saved.path = path
    return saved
