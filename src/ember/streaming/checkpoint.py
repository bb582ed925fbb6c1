"""What survives a restart: the stream graph with the user's functions, and the running state.

With ``ssc.checkpoint(dir)`` set, every finished batch writes ``checkpoint-<batch ms>`` into ``dir``:
the graph pickled with cloudpickle (as PySpark pickles the functions), the batch time, the settings
of the SparkContext, and the latest state of every ``updateStateByKey`` stream. Files are written to a
temporary name and renamed, so a crash never leaves half a file; the two newest are kept.

``StreamingContext.getOrCreate(dir, setupFunc)`` reads the newest file back. A directory without
checkpoint files means a fresh start; a file that cannot be read is an error naming it, never a silent
fresh start. Not kept across a restart: window contents (windows start empty again) and, unless the
receiver write-ahead log is on, lines that were received but not yet in a finished batch. With the log
on, each checkpoint also records the last log block its batch consumed; the blocks after it are
replayed after a recovery (:mod:`ember.streaming.wal`).
"""

from __future__ import annotations

import glob
import os
import pickle
import re
from dataclasses import dataclass, field
from typing import Any

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

    def streams(self) -> tuple[list, list]:
        """The input and output streams, unpickled (user functions included)."""
        import cloudpickle

        return cloudpickle.loads(self.graph)


class CheckpointError(Exception):
    """A checkpoint directory that holds something ember cannot read."""


def write(ssc: Any, t: int) -> str:
    """Write the checkpoint of batch ``t`` (ms) and drop all but the newest ``KEEP`` files."""
    import cloudpickle

    from ember.streaming.state import StateDStream

    graph = ssc._graph
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
    saved = Saved(FORMAT, t, graph.batch_ms, graph.zero_ms, graph.remember_ms, ssc._sc.getConf().getAll(),
                  ssc._graph_blob, states, wal=marks)
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
    for stream in graph.inputs:
        if stream.id in marks:  # only now, with the checkpoint on disk, are those blocks done
            stream.wal_done(marks[stream.id])
    return final


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
