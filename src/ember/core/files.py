"""Text files in and out: Hadoop's input splits and line rules, and Spark's output layout.

``textFile`` cuts files into byte ranges exactly as Hadoop's ``FileInputFormat`` does for the local
file system (goal size from ``minPartitions``, 32 MiB blocks, the 1.1 slop), and a line belongs to
the split in which it starts, so partitions hold the same lines as in Spark.
"""

from __future__ import annotations

import glob
import gzip
import os
import shutil
import subprocess
from typing import TYPE_CHECKING, Iterable, Iterator

from ember.core.rdd import RDD
from ember.core.serialization import dumps, loads

if TYPE_CHECKING:
    from ember.core.context import SparkContext

_LOCAL_BLOCK_SIZE = 32 * 1024 * 1024  # fs.local.block.size
_SPLIT_SLOP = 1.1
_READ_CHUNK = 1 << 20


def _strip_scheme(path: str) -> str:
    if path.startswith("file://"):
        return path[len("file://"):]
    if path.startswith("file:"):
        return path[len("file:"):]
    return path


def _hidden(name: str) -> bool:
    return name.startswith("_") or name.startswith(".")


def list_input_files(path: str) -> list[str]:
    """The files a Hadoop input path names: comma-separated paths, globs and directories.

    Raises the error Spark raises at the first action when a path matches nothing.
    """
    from ember.errors import AnalysisException

    files: list[str] = []
    for part in path.split(","):
        local = os.path.abspath(os.path.expanduser(_strip_scheme(part.strip())))
        matches = sorted(glob.glob(local)) if glob.has_magic(local) else [local]
        matches = [m for m in matches if os.path.exists(m)]
        if not matches:
            # Hadoop's InvalidInputException texts, which Spark passes on.
            if glob.has_magic(local):
                raise AnalysisException(f"Input Pattern file:{local} matches 0 files")
            raise AnalysisException(f"Input path does not exist: file:{local}")
        for m in matches:
            if os.path.isdir(m):
                for name in sorted(os.listdir(m)):
                    full = os.path.join(m, name)
                    if not _hidden(name) and os.path.isfile(full):
                        files.append(full)
            elif not _hidden(os.path.basename(m)):
                files.append(m)
    return files


def compute_splits(files: list[str], min_partitions: int) -> list[tuple[str, int, int]]:
    """Hadoop's ``(path, start, length)`` input splits for these files."""
    sizes = [os.path.getsize(f) for f in files]
    goal = sum(sizes) // max(min_partitions, 1)
    splits = []
    for f, size in zip(files, sizes):
        if size == 0:
            splits.append((f, 0, 0))
            continue
        if f.endswith(".gz"):  # not splittable
            splits.append((f, 0, size))
            continue
        split_size = max(1, min(goal, _LOCAL_BLOCK_SIZE))
        remaining = size
        while remaining / split_size > _SPLIT_SLOP:
            splits.append((f, size - remaining, split_size))
            remaining -= split_size
        if remaining:
            splits.append((f, size - remaining, remaining))
    return splits


def _split_lines(data: bytes) -> list[bytes]:
    # bytes.splitlines breaks on \n, \r and \r\n only: exactly Hadoop's LineRecordReader.
    return data.splitlines()


def read_split(path: str, start: int, length: int) -> list[str]:
    """The lines of one split, by Hadoop's rule: a line belongs to the split in which it starts.

    A split ``[start, end)`` owns the lines starting at positions ``p`` with ``start < p <= end``
    (``0 <= p`` for the first split); the line starting exactly at ``end`` is read by this split
    and skipped by the next, which always drops its first, partial line.
    """
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as fh:
            return [line.decode("utf-8", "replace") for line in _split_lines(fh.read())]
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(length)
        # Read on past the end to the first line terminator, which ends the last line we own.
        while True:
            chunk = fh.read(_READ_CHUNK)
            if not chunk:
                break
            cuts = [i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0]
            if cuts:
                data += chunk[:min(cuts) + 1]
                break
            data += chunk
    lines = _split_lines(data)
    if start > 0:
        lines = lines[1:]
    return [line.decode("utf-8", "replace") for line in lines]


class TextFileRDD(RDD):
    """Lines of text files, partitioned by Hadoop input splits; the input is listed lazily."""

    _kind = "HadoopRDD"

    def __init__(self, ctx: SparkContext, path: str, min_partitions: int) -> None:
        super().__init__(ctx)
        self._path = path
        self._min_partitions = min_partitions
        self._splits: list[tuple[str, int, int]] | None = None

    def _input_splits(self) -> list[tuple[str, int, int]]:
        if self._splits is None:
            self._splits = compute_splits(list_input_files(self._path), self._min_partitions)
        return self._splits

    def getNumPartitions(self) -> int:
        return len(self._input_splits())

    def _compute(self, split: int) -> Iterable:
        path, start, length = self._input_splits()[split]
        return read_split(path, start, length)

    def _ship_compute(self, split: int):
        from ember.core.shipping import FileSplitSource

        return FileSplitSource(split, *self._input_splits()[split])

    def __repr__(self) -> str:
        return f"{self._name or self._path} MapPartitionsRDD[{self._id}] at textFile at {self._site}"


class WholeTextFilesRDD(RDD):
    """``(file URI, content)`` pairs, files grouped into at most ``minPartitions`` partitions."""

    _kind = "WholeTextFileRDD"

    def __init__(self, ctx: SparkContext, path: str, min_partitions: int, binary: bool = False) -> None:
        super().__init__(ctx)
        self._path = path
        self._min_partitions = min_partitions
        self._binary = binary
        self._groups: list[list[str]] | None = None

    def _file_groups(self) -> list[list[str]]:
        if self._groups is None:
            files = list_input_files(self._path)
            total = sum(os.path.getsize(f) for f in files)
            max_size = -(-total // max(self._min_partitions, 1)) if total else 1
            groups: list[list[str]] = []
            current: list[str] = []
            size = 0
            for f in files:
                current.append(f)
                size += os.path.getsize(f)
                if size >= max_size:
                    groups.append(current)
                    current, size = [], 0
            if current:
                groups.append(current)
            self._groups = groups
        return self._groups

    def getNumPartitions(self) -> int:
        return len(self._file_groups())

    def _compute(self, split: int) -> Iterator:
        for f in self._file_groups()[split]:
            with open(f, "rb") as fh:
                data = fh.read()
            yield ("file:" + f, data if self._binary else data.decode("utf-8", "replace"))


class PickleFileRDD(RDD):
    """Partitions written by ``saveAsPickleFile``."""

    _kind = "PickleFileRDD"

    def __init__(self, ctx: SparkContext, path: str) -> None:
        super().__init__(ctx)
        self._path = path
        self._files: list[str] | None = None

    def _parts(self) -> list[str]:
        if self._files is None:
            self._files = [f for f in list_input_files(self._path) if os.path.basename(f).startswith("part-")]
        return self._files

    def getNumPartitions(self) -> int:
        return len(self._parts())

    def _compute(self, split: int) -> Iterable:
        with open(self._parts()[split], "rb") as fh:
            return loads(fh.read())


def _prepare_output_dir(path: str) -> str:
    local = os.path.abspath(_strip_scheme(path))
    if os.path.exists(local):
        from ember.errors import SparkException

        raise SparkException(f"Output directory file:{local} already exists",
                             errorClass=None)
    return local


def _write_parts(local: str, parts: list[bytes], suffix: str = "") -> None:
    # Write under _temporary and move into place, so readers never see half a job's output.
    tmp = os.path.join(local, "_temporary")
    os.makedirs(tmp)
    try:
        for i, data in enumerate(parts):
            with open(os.path.join(tmp, f"part-{i:05d}{suffix}"), "wb") as fh:
                fh.write(data)
        for name in sorted(os.listdir(tmp)):
            os.replace(os.path.join(tmp, name), os.path.join(local, name))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    open(os.path.join(local, "_SUCCESS"), "wb").close()


def _text_line(x) -> bytes:
    if isinstance(x, bytes):
        return x
    return (x if isinstance(x, str) else str(x)).encode("utf-8")


def save_as_text_file(rdd: RDD, path: str, codec: str | None = None) -> None:
    """Spark's text output: ``part-NNNNN`` per partition (even empty ones) and ``_SUCCESS``."""
    from ember.core import scheduler

    local = _prepare_output_dir(path)
    parts = scheduler.run_job(rdd, lambda it: b"".join(_text_line(x) + b"\n" for x in it))
    suffix = ""
    if codec and "Gzip" in codec:
        parts = [gzip.compress(p) for p in parts]
        suffix = ".gz"
    _write_parts(local, parts, suffix)


def save_as_pickle_file(rdd: RDD, path: str) -> None:
    """Each partition pickled into ``part-NNNNN``."""
    from ember.core import scheduler

    local = _prepare_output_dir(path)
    _write_parts(local, scheduler.run_job(rdd, lambda it: dumps(list(it))))


def pipe_partition(it: Iterable, command: str, env: dict, check_code: bool) -> Iterator[str]:
    """Feed elements to a shell command one per line; yield its output lines."""
    data = "".join(f"{x}\n" for x in it).encode("utf-8")
    proc = subprocess.run(command, shell=True, input=data, capture_output=True,
                          env={**os.environ, **env})
    if check_code and proc.returncode:
        raise RuntimeError(f"Pipe function `{command}' exited with error code {proc.returncode}")
    yield from (line.rstrip("\n") for line in proc.stdout.decode("utf-8", "replace").splitlines())
