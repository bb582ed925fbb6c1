"""Reading files for ``spark.read`` (execution layer: Polars readers, Spark's options and layouts)."""

from __future__ import annotations

import glob
import os

import polars as pl

from ember.errors import AnalysisException
from ember.javautf8 import decode_utf8  # noqa: F401 - readers import it from here too
from ember.sql import types as T
from ember.sql.dtypes import to_polars

_EXT_SKIP = ("_", ".")


def expand_paths(paths, fmt: str) -> list[str]:
    """Files under ``paths`` (directories are listed; hidden and ``_`` files skipped), sorted."""
    return [f for f, _ in list_files(paths)]


def list_files(paths) -> list[tuple[str, str | None]]:
    """Each file to read with the directory it was listed from (None for a path naming a file).

    A directory a streaming file sink wrote holds ``_spark_metadata``: only the files its log
    committed are read, so a batch that failed half-way leaves no trace (Spark does the same).
    """
    out: list[tuple[str, str | None]] = []
    for p in paths:
        matches = sorted(glob.glob(p)) if any(ch in p for ch in "*?[") else [p]
        if not matches:
            raise _not_found(p)
        for m in matches:
            if os.path.isdir(m):
                out += [(f, m) for f in _list_dir(m)]
            elif os.path.exists(m):
                out.append((m, None))
            else:
                raise _not_found(m)
    return out


def _not_found(p: str) -> AnalysisException:
    return AnalysisException(
        f"Path does not exist: file:{os.path.abspath(p)}. SQLSTATE: 42K03", errorClass="PATH_NOT_FOUND"
    )


def _list_dir(root: str) -> list[str]:
    if os.path.isdir(os.path.join(root, "_spark_metadata")):
        from ember.sql.streaming.sinks import committed_files

        return sorted(committed_files(root))
    out = []
    for base, dirs, files in os.walk(root):
        # Spark reads the files of the directory itself and of Hive-style ``k=v`` partition folders
        # only: other subdirectories are skipped (unless recursiveFileLookup, not plumbed here yet)
        dirs[:] = sorted(d for d in dirs if not d.startswith(_EXT_SKIP) and "=" in d)
        keep = [f for f in sorted(files) if not f.startswith(_EXT_SKIP) and not f.endswith(".crc")]
        out += [os.path.join(base, f) for f in keep]
    return out


# -- partition discovery -------------------------------------------------------------------------
_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"


def partition_values(paths) -> tuple[list[str], dict[str, tuple[str | None, ...]]]:
    """Hive-style ``k=v`` folders between each listed directory and its files.

    Returns the partition column names (from the first partitioned file, in folder order) and, per
    file, its raw values (None for ``__HIVE_DEFAULT_PARTITION__``); files outside any partition
    folder get no entry.
    """
    from urllib.parse import unquote

    names: list[str] = []
    values: dict[str, tuple[str | None, ...]] = {}
    for f, root in list_files(paths):
        if root is None:
            continue
        parts = os.path.relpath(os.path.dirname(os.path.abspath(f)), os.path.abspath(root)).split(os.sep)
        pairs = [q.split("=", 1) for q in parts if "=" in q]
        if not pairs:
            continue
        if not names:
            names = [unquote(k) for k, _ in pairs]
        found = {unquote(k): unquote(v) for k, v in pairs}
        values[f] = tuple(None if found.get(n) in (None, _DEFAULT_PARTITION) else found[n] for n in names)
    return names, values


def _partition_type(raw: list[str | None]):
    """Spark's inference for partition values: integers, then longs, then doubles, else strings."""
    present = [v for v in raw if v is not None]
    for dtype, conv, ok in (
        (T.IntegerType(), int, lambda x: -(2**31) <= x < 2**31),
        (T.LongType(), int, lambda x: -(2**63) <= x < 2**63),
        (T.DoubleType(), float, lambda x: True),
    ):
        try:
            if all(ok(conv(v)) for v in present):
                return dtype
        except ValueError:
            continue
    return T.StringType()


def partition_fields(paths) -> list:
    """The partition columns of ``paths`` as nullable fields with their inferred types."""
    names, values = partition_values(paths)
    return [
        T.StructField(n, _partition_type([vals[i] for vals in values.values()]), True)
        for i, n in enumerate(names)
    ]


def read_text_lines(files: list[str], wholetext: bool = False, line_sep: str | None = None) -> pl.DataFrame:
    """The ``value`` column ``spark.read.text`` gives for ``files`` (eager; see :func:`scan_text`)."""
    return scan_text(files, wholetext, line_sep).collect()


def scan_text(files: list[str], wholetext: bool = False, line_sep: str | None = None) -> pl.LazyFrame:
    """Spark's text source as a LazyFrame: one row per line (``\\n``, ``\\r\\n`` and ``\\r`` end a line; a
    final line end adds no empty row), or per ``line_sep``, or one row per non-empty file with
    ``wholetext``. Files come largest first, the order in which Spark packs them into partitions.

    The lines are cut by Polars' own line reader, so the query that follows runs on them in parallel
    without a pass in Python; only invalid UTF-8 and custom separators take a slower road.
    """
    if line_sep is not None and not line_sep:
        from ember.errors import IllegalArgumentException

        raise IllegalArgumentException("requirement failed: 'lineSep' cannot be an empty string.")
    files = sorted(files, key=lambda f: -os.path.getsize(f))
    frames = [_text_file(f, wholetext, line_sep) for f in files]
    frames = [f for f in frames if f is not None]
    if not frames:
        return pl.LazyFrame({"value": pl.Series([], dtype=pl.String)})
    return pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]


_BOM = b"\xef\xbb\xbf"


def _text_file(path: str, wholetext: bool, line_sep: str | None) -> pl.LazyFrame | None:
    with open(path, "rb") as fh:
        data = fh.read()
    if not data:
        return None
    if wholetext:
        return pl.LazyFrame({"value": [decode_utf8(data)]}, schema={"value": pl.String})
    if data.startswith(_BOM):  # Hadoop's line reader skips a UTF-8 byte order mark (wholetext keeps it)
        data = data[len(_BOM) :]
    if line_sep:
        return _split_on(decode_utf8(data), line_sep)
    if b"\r" in data:  # Polars ends lines at \n (dropping a \r before it); Spark also at a lone \r
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data = decode_utf8(data).encode("utf-8")
    return pl.scan_lines(data, name="value")


def _split_on(text: str, sep: str) -> pl.LazyFrame | None:
    """Records cut at ``sep``; a separator at the very end adds no empty record."""
    if text.endswith(sep):
        text = text[: -len(sep)]
    return pl.LazyFrame({"value": [text]}).select(pl.col("value").str.split(sep, literal=True).explode())


def _opt(options: dict, key: str, default=None):
    for k, v in options.items():
        if k.lower() == key.lower():
            return v
    return default


def _flag(options: dict, key: str, default: bool = False) -> bool:
    v = _opt(options, key)
    if v is None:
        return default
    return str(v).lower() == "true"


def infer_csv_schema(files: list[str], options: dict):
    from ember.sql.csvio import infer_schema

    return infer_schema(files, options)


def infer_json_schema(files: list[str], options: dict):
    from ember.sql.jsonscan import infer_json_schema

    return infer_json_schema(files, options)


def infer_parquet_schema(files: list[str], paths=()):
    """The first file's columns, then the partition columns found under ``paths``."""
    from ember.sql.dtypes import from_polars

    sch = pl.read_parquet_schema(files[0])
    fields = [T.StructField(n, from_polars(d), True) for n, d in sch.items()]
    seen = {f.name.lower() for f in fields}
    return T.StructType(fields + [f for f in partition_fields(paths) if f.name.lower() not in seen])


def _scan_parquet(files: list[str], paths, fields) -> pl.LazyFrame:
    names, values = partition_values(paths)
    wanted = {f.name.lower() for f in fields}
    part = [n for n in names if n.lower() in wanted]
    if not files:
        return pl.LazyFrame()
    if not part:
        lf = pl.scan_parquet(files)
        return lf.select([pl.col(f.name).cast(to_polars(f.dataType), strict=False) for f in fields])
    # partition columns come from each file's folders, not from the file
    index = {n.lower(): names.index(n) for n in part}
    frames = []
    for f in files:
        vals = values.get(f, (None,) * len(names))
        cols = []
        for fd in fields:
            target = to_polars(fd.dataType)
            if fd.name.lower() in index:
                raw = vals[index[fd.name.lower()]]
                cols.append(pl.lit(raw, pl.String).cast(target, strict=False).alias(fd.name))
            else:
                cols.append(pl.col(fd.name).cast(target, strict=False))
        frames.append(pl.scan_parquet(f).select(cols))
    return pl.concat(frames, how="vertical")


def scan(plan, tz: str) -> pl.LazyFrame:
    opts = dict(plan.options)
    files = expand_paths(plan.paths, plan.fmt)
    fields = plan.schema_.fields
    if plan.fmt == "text":
        return scan_text(files, _flag(opts, "wholetext"), _opt(opts, "lineSep"))
    if plan.fmt == "csv":
        from ember.sql.csvio import read_frame

        return read_frame(files, opts, plan.schema_, tz).lazy()
    if plan.fmt == "json":
        from ember.sql.jsonscan import read_json

        return read_json(files, plan.schema_, opts, tz).lazy()
    if plan.fmt == "parquet":
        return _scan_parquet(files, plan.paths, fields)
    raise AnalysisException(
        f"[DATA_SOURCE_NOT_FOUND] Failed to find the data source: {plan.fmt}. SQLSTATE: 42K02"
    )
