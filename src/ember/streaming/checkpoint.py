"""What survives a restart: the stream graph with the user's functions, and the running state.

With ``ssc.checkpoint(dir)`` set, every finished batch writes ``checkpoint-<batch ms>`` into ``dir``:
the graph pickled with cloudpickle (as PySpark pickles the functions), the batch time, the settings
of the SparkContext, and the latest state of every ``updateStateByKey`` stream. Files are written to a
temporary name and renamed, so a crash never leaves half a file; the two newest are kept.

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
    """Write the checkpoint of batch ``t`` (ms) and drop all but the newest ``KEEP`` files."""
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
            if rdd is not None:  # plain pickle for the data: C speed
                states[stream._state_key] = pickle.dumps(
                    [list(rdd._iterator(p)) for p in range(rdd.getNumPartitions())], pickle.HIGHEST_PROTOCOL)
    marks = {}
    for stream in graph.inputs:
        mark = getattr(stream, "wal_mark", lambda: None)()
        if mark is not None:
            marks[stream.id] = mark
    windows = _write_windows(ssc, t, spans)
    saved = Saved(FORMAT, t, graph.batch_ms, graph.zero_ms, graph.remember_ms, ssc._sc.getConf().getAll(),
                  ssc._graph_blob, states, wal=marks, windows=windows)
    blob = pickle.dumps(saved, pickle.HIGHEST_PROTOCOL)
    final = os.path.join(ssc._checkpoint_dir, f"checkpoint-{t}")
    tmp = final + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    for old in _files(ssc._checkpoint_dir)[KEEP:]:
        try:
            os.remove(old)
        except OSError:
            pass
    _drop_unnamed_windows(ssc, t, windows)
    for stream in graph.inputs:
        if stream.id in marks:  # only now, with the checkpoint on disk, are those blocks done
            stream.wal_done(marks[stream.id])
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


def _write_windows(ssc: Any, t: int, spans: dict) -> dict:
    """Write the window batches not yet on disk; the names of all that this checkpoint needs."""
    if not spans:
        return {}
    directory = os.path.join(ssc._checkpoint_dir, WINDOWS)
    os.makedirs(directory, exist_ok=True)
    written = ssc.__dict__.setdefault("_windows_written", set())
    out: dict = {}
    for key, (stream, span) in spans.items():
        times = [k for k in stream._generated if t - span < k <= t]
        if span == 0:
            times = [max(k for k in stream._generated if k <= t)] if any(
                k <= t for k in stream._generated) else []
        named = out[key] = {}
        for k in sorted(times):
            name = f"{key}-{k}"
            if name not in written:
                blobs = _partition_blobs(stream._generated[k])
                _write_atomically(os.path.join(directory, name), pickle.dumps(blobs, pickle.HIGHEST_PROTOCOL))
                written.add(name)
            named[k] = name
    return out


def _partition_blobs(rdd: RDD) -> list[bytes]:
    """An RDD's partitions pickled: the blobs its cache or checkpoint already holds where it has them."""
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
