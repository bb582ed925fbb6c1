"""Reading files for ``spark.read`` (execution layer: Polars readers, Spark's options and layouts)."""

from __future__ import annotations

import glob
import os

import polars as pl

from ember.errors import AnalysisException
from ember.sql import types as T
from ember.sql.dtypes import to_polars

_EXT_SKIP = ("_", ".")


def expand_paths(paths, fmt: str) -> list[str]:
    """Files under ``paths`` (directories are listed; hidden and ``_`` files skipped), sorted."""
    out: list[str] = []
    for p in paths:
        matches = sorted(glob.glob(p)) if any(ch in p for ch in "*?[") else [p]
        if not matches:
            raise AnalysisException(
                f"Path does not exist: file:{os.path.abspath(p)}. SQLSTATE: 42K03",
                errorClass="PATH_NOT_FOUND",
            )
        for m in matches:
            if os.path.isdir(m):
                for root, dirs, files in os.walk(m):
                    dirs[:] = sorted(d for d in dirs if not d.startswith(_EXT_SKIP))
                    out += [
                        os.path.join(root, f)
                        for f in sorted(files)
                        if not f.startswith(_EXT_SKIP) and not f.endswith(".crc")
                    ]
            elif os.path.exists(m):
                out.append(m)
            else:
                raise AnalysisException(
                    f"Path does not exist: file:{os.path.abspath(m)}. SQLSTATE: 42K03",
                    errorClass="PATH_NOT_FOUND",
                )
    return out


def read_text_lines(files: list[str], wholetext: bool = False) -> pl.DataFrame:
    chunks = []
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read().decode("utf-8", errors="replace")
        if wholetext:
            chunks.append(pl.DataFrame({"value": [data]}))
            continue
        if data.endswith("\n"):
            data = data[:-1]
            if data.endswith("\r"):
                data = data[:-1]
        elif not data:
            continue
        s = pl.Series("value", [data]).str.split("\n").explode()
        if "\r" in data:
            s = s.str.strip_suffix("\r")
        chunks.append(s.to_frame())
    if not chunks:
        return pl.DataFrame({"value": pl.Series([], dtype=pl.String)})
    return pl.concat(chunks) if len(chunks) > 1 else chunks[0]


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


def _json_merge(a, b):
    """Spark's JSON schema merge: numbers widen to double, structs merge by field, NULL gives way."""
    if isinstance(a, T.NullType):
        return b
    if isinstance(b, T.NullType):
        return a
    if type(a) is type(b) and not isinstance(a, (T.StructType, T.ArrayType)):
        return a
    nums = (T.LongType, T.DoubleType)
    if isinstance(a, nums) and isinstance(b, nums):
        return T.DoubleType()
    if isinstance(a, T.StructType) and isinstance(b, T.StructType):
        fields = {f.name: f.dataType for f in a.fields}
        for f in b.fields:
            fields[f.name] = _json_merge(fields[f.name], f.dataType) if f.name in fields else f.dataType
        return T.StructType([T.StructField(n, fields[n], True) for n in sorted(fields)])
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        return T.ArrayType(_json_merge(a.elementType, b.elementType), True)
    return T.StringType()


def _json_type(value):
    if isinstance(value, dict):
        return T.StructType([T.StructField(k, _json_type(v), True) for k, v in sorted(value.items())])
    if isinstance(value, list):
        inner = T.NullType()
        for v in value:
            inner = _json_merge(inner, _json_type(v))
        return T.ArrayType(inner if not isinstance(inner, T.NullType) else T.StringType(), True)
    if value is None:
        return T.NullType()
    if isinstance(value, bool):
        return T.BooleanType()
    if isinstance(value, int):
        return T.LongType()
    if isinstance(value, float):
        return T.DoubleType()
    return T.StringType()


def infer_json_schema(files: list[str], options: dict):
    import json

    schema = T.StructType([])
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    schema = _json_merge(schema, _json_type(json.loads(line)))
    fields = [
        T.StructField(x.name, T.StringType() if isinstance(x.dataType, T.NullType) else x.dataType, True)
        for x in schema.fields
    ]
    return T.StructType(fields)


def infer_parquet_schema(files: list[str]):
    from ember.sql.dtypes import from_polars

    sch = pl.read_parquet_schema(files[0])
    return T.StructType([T.StructField(n, from_polars(d), True) for n, d in sch.items()])


def scan(plan, tz: str) -> pl.LazyFrame:
    opts = dict(plan.options)
    files = expand_paths(plan.paths, plan.fmt)
    fields = plan.schema_.fields
    if plan.fmt == "text":
        return read_text_lines(files, _flag(opts, "wholetext")).lazy()
    if plan.fmt == "csv":
        from ember.sql.csvio import read_frame

        return read_frame(files, opts, plan.schema_, tz).lazy()
    if plan.fmt == "json":
        import json

        from ember.sql.convert import rows_to_frame

        rows = []
        for f in files:
            with open(f, encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        rec = json.loads(line)
                        rows.append(tuple(rec.get(fd.name) for fd in fields))
        frame = rows_to_frame(rows, plan.schema_)
        return frame.lazy()
    if plan.fmt == "parquet":
        lf = pl.scan_parquet(files) if files else pl.LazyFrame()
        return lf.select([pl.col(f.name).cast(to_polars(f.dataType), strict=False) for f in fields])
    raise AnalysisException(
        f"[DATA_SOURCE_NOT_FOUND] Failed to find the data source: {plan.fmt}. SQLSTATE: 42K02"
    )
