"""Writing one part file of a DataFrame (execution layer)."""

from __future__ import annotations

import polars as pl

from ember.sql import types as T


def write_part(df, fmt: str, path: str, options: dict) -> None:
    frame = df._polars()
    schema = df.schema
    if fmt == "parquet":
        frame.write_parquet(path, compression="snappy")
        return
    if fmt == "csv":
        header = options.get("header", "false").lower() == "true"
        sep = options.get("sep", options.get("delimiter", ","))
        out = frame.select([_csv_col(pl.col(f.name), f.dataType) for f in schema.fields])
        out.write_csv(path, include_header=header, separator=sep, null_value="")
        return
    if fmt == "json":
        import json

        from ember.sql.convert import frame_to_tuples

        names = [f.name for f in schema.fields]
        with open(path, "w", encoding="utf-8") as fh:
            for r in frame_to_tuples(frame, schema):
                rec = {n: _json_value(v) for n, v in zip(names, r) if v is not None}
                fh.write(json.dumps(rec, separators=(",", ":"), ensure_ascii=False) + "\n")
        return
    if fmt == "text":
        with open(path, "w", encoding="utf-8") as fh:
            for (v,) in frame.rows():
                fh.write(("" if v is None else str(v)) + "\n")
        return
    raise ValueError(f"unsupported format {fmt}")


def _csv_col(e: pl.Expr, dtype) -> pl.Expr:
    if isinstance(dtype, T.BooleanType):
        return pl.when(e).then(pl.lit("true")).when(~e).then(pl.lit("false")).otherwise(None)
    return e


def _json_value(v):
    import datetime

    if isinstance(v, datetime.datetime):
        return v.isoformat(timespec="milliseconds") + "Z"
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, tuple) and hasattr(v, "asDict"):
        return {k: _json_value(x) for k, x in v.asDict().items() if x is not None}
    if isinstance(v, list):
        return [_json_value(x) for x in v]
    return v
