"""``textFileStream`` and ``binaryRecordsStream``: files that appear in a directory after the start.

Spark's rules: at batch time t, a file is new if its modification time is at or after the start (files
already there are ignored), not after t (a later batch takes it), within the last minute, and not taken
before; names starting with ``.`` are ignored. Times are on the streaming clock, so tests on the manual
clock set file times with ``os.utime``.

One rule is ember's: a file modified in the last half second is taken only once a second look finds it
unchanged, so a file still being written is neither read half nor read twice. Files moved in whole
(the way Spark asks for) carry an older time and are taken at once.
"""

from __future__ import annotations

import os

from ember.core.rdd import RDD
from ember.streaming.sources import InputDStream

_REMEMBER_MS = 60_000
_SETTLE_MS = 500


class FileInputDStream(InputDStream):
    """New files of ``directory``, read as text lines or as fixed-length binary records."""

    def __init__(self, ssc, directory: str, record_length: int | None = None) -> None:
        super().__init__(ssc)
        self.directory = directory
        self.record_length = record_length
        self._threshold: int | None = None
        self._taken: dict[str, int] = {}  # path -> mtime (ms), for the remember window
        self._last_look: dict[str, tuple[int, int]] = {}

    def start(self) -> None:
        if self._threshold is None:  # a recovered stream keeps the files it already took
            self._threshold = self._ssc._clock.getTimeMillis()

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state["_last_look"] = {}
        return state

    def _new_files(self, t: int) -> list[str]:
        slide = self._slide_ms
        remember = slide * -(-_REMEMBER_MS // slide)
        ignore_below = max(self._threshold or 0, t - remember)
        now = self._ssc._clock.getTimeMillis()
        found: list[tuple[int, str]] = []
        looks: dict[str, tuple[int, int]] = {}
        try:
            entries = list(os.scandir(self.directory))
        except FileNotFoundError:
            return []
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file():
                continue
            st = entry.stat()
            mtime = int(st.st_mtime * 1000)
            path = entry.path
            if mtime < ignore_below or mtime > t or path in self._taken:
                continue
            look = (st.st_size, st.st_mtime_ns)
            if mtime > now - _SETTLE_MS and self._last_look.get(path) != look:
                looks[path] = look  # maybe still being written: look again next batch
                continue
            found.append((mtime, path))
        self._last_look = looks
        found.sort()
        for mtime, path in found:
            self._taken[path] = mtime
        if found:  # the files taken are part of the graph a checkpoint saves: pickle it again
            self._ssc._graph_blob = None
        self._taken = {p: m for p, m in self._taken.items() if m >= ignore_below}
        return [path for _, path in found]

    def _compute(self, t: int) -> RDD | None:
        paths = self._new_files(t)
        if not paths:
            return self._sc.emptyRDD()
        if self.record_length is None:
            rdds = [self._sc.textFile(p) for p in paths]
        else:
            rdds = [self._sc.parallelize(_records(p, self.record_length), 1) for p in paths]
        return self._sc.union(rdds)


def _records(path: str, length: int) -> list[bytes]:
    with open(path, "rb") as fh:
        data = fh.read()
    if len(data) % length:
        raise ValueError(f"binaryRecordsStream: {path} is {len(data)} bytes, not a multiple of the record "
                         f"length {length}")
    return [data[i:i + length] for i in range(0, len(data), length)]
