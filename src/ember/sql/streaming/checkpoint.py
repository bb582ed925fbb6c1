"""The checkpoint directory of a streaming query, in Spark's layout.

``metadata`` holds the query id; ``offsets/N`` is written before batch N runs (the write-ahead log)
and ``commits/N`` after its sink committed. A restart re-runs the last batch whose offsets have no
commit, over the same offset range, so replayable sources and idempotent sinks give exactly-once
output. Every file is written to a temporary name and renamed, so a kill leaves either the old file
or the new one, never half of one.

Examples
--------
>>> import tempfile
>>> cp = Checkpoint(tempfile.mkdtemp())
>>> cp.write_offsets(0, {"batchWatermarkMs": 0, "batchTimestampMs": 0, "conf": {}}, ["0"])
>>> cp.latest_offsets()[0]
0
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import tempfile
import uuid

VERSION = "v1"


def atomic_write(path: pathlib.Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (never a torn file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def file_uri(path: str | os.PathLike) -> str:
    """``file:///abs/path`` as Hadoop prints a local path: ``=`` (partition folders) stays readable."""
    from urllib.parse import quote

    return "file://" + quote(str(pathlib.Path(path).resolve()), safe="/=:,@+$-_.!~*'()")


def uri_path(uri: str) -> str:
    """The local path of a ``file:`` URI (or the text itself when it is a plain path)."""
    from urllib.parse import unquote

    return unquote(uri[len("file://"):]) if uri.startswith("file://") else uri


def _batch_ids(directory: pathlib.Path) -> list[int]:
    if not directory.is_dir():
        return []
    return sorted(int(p.name) for p in directory.iterdir() if p.name.isdigit())


class Checkpoint:
    """A query's checkpoint directory: metadata, offsets log, commits log and the state's root.

    Parameters
    ----------
    location : str
        The directory; created when missing.
    temporary : bool
        A directory ember made itself; :meth:`cleanup` removes it when the query stops.
    """

    def __init__(self, location: str, temporary: bool = False) -> None:
        self.root = pathlib.Path(location)
        self.root.mkdir(parents=True, exist_ok=True)
        self.temporary = temporary
        self.offsets_dir = self.root / "offsets"
        self.commits_dir = self.root / "commits"
        self.state_dir = self.root / "state"
        self.sources_dir = self.root / "sources"

    @classmethod
    def make_temporary(cls) -> Checkpoint:
        return cls(tempfile.mkdtemp(prefix="temporary-"), temporary=True)

    # -- metadata ------------------------------------------------------------------------------

    def query_id(self) -> str:
        """The query's id: read from ``metadata``, or made and written on the first start."""
        meta = self.root / "metadata"
        if meta.exists():
            return json.loads(meta.read_text(encoding="utf-8").strip())["id"]
        qid = str(uuid.uuid4())
        atomic_write(meta, json.dumps({"id": qid}, separators=(",", ":")) + "\n")
        return qid

    # -- offsets and commits -------------------------------------------------------------------

    def write_offsets(self, batch_id: int, metadata: dict, offsets: list[str | None]) -> None:
        lines = [VERSION, json.dumps(metadata, separators=(",", ":"))]
        lines += ["-" if o is None else o for o in offsets]
        atomic_write(self.offsets_dir / str(batch_id), "\n".join(lines))

    def read_offsets(self, batch_id: int) -> tuple[dict, list[str | None]]:
        text = (self.offsets_dir / str(batch_id)).read_text(encoding="utf-8")
        lines = text.split("\n")
        if lines[0] != VERSION:
            raise ValueError(f"{self.offsets_dir / str(batch_id)}: unsupported offset log version "
                             f"{lines[0]!r} (expected {VERSION})")
        return json.loads(lines[1]), [None if ln == "-" else ln for ln in lines[2:]]

    def latest_offsets(self) -> tuple[int, dict, list[str | None]] | None:
        ids = _batch_ids(self.offsets_dir)
        if not ids:
            return None
        return (ids[-1], *self.read_offsets(ids[-1]))

    def write_commit(self, batch_id: int, next_watermark_ms: int) -> None:
        body = json.dumps({"nextBatchWatermarkMs": next_watermark_ms}, separators=(",", ":"))
        atomic_write(self.commits_dir / str(batch_id), f"{VERSION}\n{body}")

    def latest_commit(self) -> tuple[int, dict] | None:
        ids = _batch_ids(self.commits_dir)
        if not ids:
            return None
        text = (self.commits_dir / str(ids[-1])).read_text(encoding="utf-8").split("\n")
        return ids[-1], json.loads(text[1]) if len(text) > 1 and text[1] else {}

    def purge(self, keep_from: int) -> None:
        """Drop offsets and commits of batches before ``keep_from`` (Spark keeps the last 100)."""
        for d in (self.offsets_dir, self.commits_dir):
            for b in _batch_ids(d):
                if b < keep_from:
                    (d / str(b)).unlink(missing_ok=True)

    def is_empty(self) -> bool:
        return not any(self.root.iterdir())

    def cleanup(self) -> None:
        if self.temporary:
            shutil.rmtree(self.root, ignore_errors=True)
