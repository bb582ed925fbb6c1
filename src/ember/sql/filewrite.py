"""Writing one part file of a DataFrame (execution layer)."""

from __future__ import annotations


def write_part(df, fmt: str, path: str, options: dict) -> None:
    frame = df._polars()
    schema = df.schema
    if fmt == "parquet":
        frame.write_parquet(path, compression="snappy")
        return
    if fmt == "csv":
        from ember.sql import csvio
        from ember.sql.convert import frame_to_tuples

        csvio.write(path, [f.name for f in schema.fields], frame_to_tuples(frame, schema), options)
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
