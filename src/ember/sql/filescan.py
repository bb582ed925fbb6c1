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
                f"[PATH_NOT_FOUND] Path does not exist: file:{os.path.abspath(p)}. SQLSTATE: 42K03",
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
                    f"[PATH_NOT_FOUND] Path does not exist: file:{os.path.abspath(m)}. SQLSTATE: 42K03",
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
    header = _flag(options, "header")
    sep = _opt(options, "sep", _opt(options, "delimiter", ","))
    infer = _flag(options, "inferSchema")
    df = pl.read_csv(
        files[0],
        has_header=header,
        separator=sep,
        infer_schema=infer,
        infer_schema_length=None if infer else 0,
        quote_char=_opt(options, "quote", '"'),
        null_values=_opt(options, "nullValue", None) or None,
        try_parse_dates=False,
    )
    names = df.columns if header else [f"_c{i}" for i in range(len(df.columns))]
    from ember.sql.dtypes import from_polars

    return T.StructType(
        [
            T.StructField(n, from_polars(d) if infer else T.StringType(), True)
            for n, d in zip(names, df.dtypes)
        ]
    )


def infer_json_schema(files: list[str], options: dict):
    import json

    schema = None
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                rec = json.loads(line)
                s = T._infer_schema(rec)
                schema = s if schema is None else T._merge_type(schema, s)
    if schema is None:
        return T.StructType([])
    # Spark sorts JSON fields by name and reads integers as bigint
    return T.StructType(sorted(schema.fields, key=lambda f: f.name))


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
        header = _flag(opts, "header")
        sep = _opt(opts, "sep", _opt(opts, "delimiter", ","))
        frames = []
        for f in files:
            df = pl.read_csv(
                f,
                has_header=header,
                separator=sep,
                infer_schema=False,
                quote_char=_opt(opts, "quote", '"'),
                new_columns=None,
            )
            df = df.select([pl.col(c).alias(fd.name) for c, fd in zip(df.columns, fields)])
            frames.append(df)
        df = pl.concat(frames) if frames else pl.DataFrame({f.name: [] for f in fields})
        from ember.sql.exec_expr import cast

        return df.lazy().select(
            [
                cast(pl.col(f.name), T.StringType(), f.dataType, tz).alias(f.name)
                if not isinstance(f.dataType, T.StringType)
                else pl.col(f.name)
                for f in fields
            ]
        )
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
