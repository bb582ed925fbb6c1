"""File sources: ``text``, ``csv``, ``json`` and ``parquet`` directories read as streams.

Each batch takes the files that appeared since the last one (names starting with ``_`` or ``.`` are
ignored, as Spark ignores them), oldest first or ``latestFirst``, at most ``maxFilesPerTrigger``. The
files of each new batch are logged in ``sources/<i>/<logOffset>`` (``v1`` then one JSON line per file,
Spark's layout) before the batch runs, so a restart reads exactly the same files again and a file is
never processed twice. ``fileNameOnly`` recognises a file by its name alone; ``cleanSource`` archives
(to ``sourceArchiveDir``) or deletes a batch's files after that batch committed.
"""

from __future__ import annotations

import fnmatch
import json
import os
import pathlib
import shutil
from typing import Any

import polars as pl

from ember.sql.streaming.checkpoint import atomic_write, file_uri, uri_path
from ember.sql.streaming.sources.base import Source, SourceSpec, empty_frame, get_option, option_bool

SCHEMA_REQUIRED = (
    "Schema must be specified when creating a streaming source DataFrame. If some files already exist in "
    "the directory, then depending on the file format you may be able to create a static DataFrame on "
    "that directory with 'spark.read.load(directory)' and infer schema from it.")


def _uri(path: str) -> str:
    return file_uri(path)


def _from_uri(uri: str) -> str:
    return uri_path(uri)


class FileSource(Source):
    """A directory watched for new files; offsets ``{"logOffset": N}``."""

    runs_empty_first_batch = False

    def __init__(self, spec: SourceSpec, session: Any) -> None:
        super().__init__(spec)
        opts = spec.options
        self.session = session
        self.path = str(get_option(opts, "path"))
        self.max_files = get_option(opts, "maxFilesPerTrigger")
        self.max_files = None if self.max_files is None else int(self.max_files)
        self.latest_first = bool(option_bool(opts, "latestFirst", False))
        self.name_only = bool(option_bool(opts, "fileNameOnly", False))
        self.glob = get_option(opts, "pathGlobFilter")
        self.recursive = bool(option_bool(opts, "recursiveFileLookup", False))
        self.clean = str(get_option(opts, "cleanSource", "off")).lower()
        self.archive = get_option(opts, "sourceArchiveDir")
        self.log_dir: pathlib.Path | None = None
        self.log: dict[int, list[dict]] = {}
        self.seen: set[str] = set()
        self.log_offset = -1
        self.cleaned = -1
        self.allowed: set[str] | None = None

    def description(self) -> str:
        return f"FileStreamSource[{_uri(self.path)}]"

    def parse_offset(self, text: str | None) -> Any:
        return None if text is None else json.loads(text)["logOffset"]

    def offset_json(self, offset: Any) -> str | None:
        return None if offset is None else json.dumps({"logOffset": offset}, separators=(",", ":"))

    def start(self, source_dir: str | None) -> None:
        if source_dir is not None:
            self.log_dir = pathlib.Path(source_dir)
            if self.log_dir.is_dir():
                for p in sorted(self.log_dir.iterdir()):
                    if p.name.isdigit():
                        lines = p.read_text(encoding="utf-8").split("\n")[1:]
                        entries = [json.loads(ln) for ln in lines if ln.strip()]
                        self.log[int(p.name)] = entries
                        self.seen.update(self._key(_from_uri(e["path"])) for e in entries)
                        self.log_offset = max(self.log_offset, int(p.name))

    def _key(self, path: str) -> str:
        return os.path.basename(path) if self.name_only else str(pathlib.Path(path).resolve())

    def _list(self) -> list[tuple[float, str]]:
        root = pathlib.Path(self.path)
        if not root.is_dir():
            return []
        walker = root.rglob("*") if self.recursive else root.iterdir()
        found = []
        for p in walker:
            if p.name.startswith(("_", ".")) or not p.is_file():
                continue
            if self.glob and not fnmatch.fnmatch(p.name, self.glob):
                continue
            try:
                found.append((p.stat().st_mtime, str(p.resolve())))
            except FileNotFoundError:  # removed while listing
                continue
        return found

    def ignore_limits(self) -> None:
        self.max_files = None

    def prepare_available_now(self) -> bool:
        self.allowed = {p for _, p in self._list()}
        return True

    def latest_offset(self) -> Any:
        new = [(m, p) for m, p in self._list() if self._key(p) not in self.seen]
        if self.allowed is not None:
            new = [(m, p) for m, p in new if p in self.allowed]
        if new:
            new.sort(key=lambda mp: (mp[0], mp[1]), reverse=self.latest_first)
            if self.max_files is not None:
                new = new[: self.max_files]
            self.log_offset += 1
            entries = [{"path": _uri(p), "timestamp": int(m * 1000), "batchId": self.log_offset}
                       for m, p in new]
            if self.log_dir is not None:
                body = "\n".join(json.dumps(e, separators=(",", ":")) for e in entries)
                atomic_write(self.log_dir / str(self.log_offset), "v1\n" + body)
            self.log[self.log_offset] = entries
            self.seen.update(self._key(p) for _, p in new)
        return None if self.log_offset < 0 else self.log_offset

    def get_batch(self, start: Any, end: Any) -> pl.DataFrame:
        lo = -1 if start is None else int(start)
        paths = [_from_uri(e["path"]) for n in range(lo + 1, int(end) + 1) for e in self.log.get(n, [])]
        if self.spec.format == "json" and len(paths) > 1:
            # one read for all of a batch's files (the JSON reader keeps their order): a Polars
            # call per small file costs more than parsing it
            frame = read_file(self.spec.format, [p for p in paths if os.path.exists(p)], self.schema,
                              self.spec.options)
            if frame is not None:
                return frame
        frames = [read_file(self.spec.format, p, self.schema, self.spec.options) for p in paths]
        frames = [f for f in frames if f is not None]
        if not frames:
            return empty_frame(self.schema)
        return pl.concat(frames, how="vertical_relaxed")

    def commit(self, end: Any) -> None:
        if self.clean not in ("archive", "delete"):
            return
        for n in range(self.cleaned + 1, int(end) + 1):
            for e in self.log.get(n, []):
                path = pathlib.Path(_from_uri(e["path"]))
                if not path.exists():
                    continue
                if self.clean == "delete":
                    path.unlink()
                elif self.archive:
                    target = pathlib.Path(self.archive) / str(path).lstrip("/")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(str(path), target)
        self.cleaned = int(end)


def read_file(fmt: str, path: str | list[str], schema: Any, options: dict) -> pl.DataFrame | None:
    """One file (or a list read as one) as a Polars frame of ``schema``, by the DataFrame engine's reader.

    None when a file went away meanwhile (archived or deleted by another query)."""
    from ember.sql.streaming import _compat

    if not path:
        return None
    try:
        return _compat.read_file(fmt, path, schema, options)
    except FileNotFoundError:  # archived or deleted by another query: nothing to read
        return None
