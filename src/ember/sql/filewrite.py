"""Writing one part file of a DataFrame (execution layer)."""

from __future__ import annotations

from ember.sql import types as T


def write_part(df, fmt: str, path: str, options: dict) -> None:
    frame = df._polars()
    schema = df.schema
    if fmt == "parquet":
        frame.write_parquet(path, compression="snappy")
        return
    if fmt in ("csv", "json"):
        from ember.sql.convert import frame_to_tuples
        from ember.sql.session import current_time_zone

        tz = current_time_zone()
        rows = frame_to_tuples(frame, schema, tz)
        if fmt == "csv":
            from ember.sql import csvio

            texts = [tuple(_text(v, f.dataType, tz) for v, f in zip(r, schema.fields)) for r in rows]
            csvio.write(path, [f.name for f in schema.fields], texts, options)
        else:
            with open(path, "w", encoding="utf-8") as fh:
                for r in rows:
                    fh.write(_json(r, schema, tz) + "\n")
        return
    if fmt == "text":
        with open(path, "w", encoding="utf-8") as fh:
            for (v,) in frame.rows():
                fh.write(("" if v is None else str(v)) + "\n")
        return
    raise ValueError(f"unsupported format {fmt}")


def _iso(v, tz: str) -> str:
    """A timestamp (wall time in ``tz``) as Spark's writers print it: millis and the zone offset."""
    import datetime
    import zoneinfo

    off = v.replace(tzinfo=zoneinfo.ZoneInfo(tz)).utcoffset() or datetime.timedelta(0)
    text = v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}"
    if not off:
        return text + "Z"
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return text + f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _text(v, dtype, tz: str):
    """A CSV field value: doubles as Java prints them, ISO timestamps, the rest as is."""
    from ember.sql.show import java_double_str, java_float_str

    if v is None or isinstance(v, bool):
        return v
    if isinstance(dtype, T.DoubleType):
        return java_double_str(v)
    if isinstance(dtype, T.FloatType):
        return java_float_str(v)
    if isinstance(dtype, T.TimestampType):
        return _iso(v, tz)
    if isinstance(dtype, T.DateType):
        return v.isoformat()
    return v


def _json(value, dtype, tz: str) -> str:
    """One JSON value written as Spark writes it (nulls in structs omitted, Java doubles)."""
    import json

    from ember.sql.show import java_double_str

    if value is None:
        return "null"
    if isinstance(dtype, T.StructType):
        vals = list(value)
        parts = [
            f"{json.dumps(f.name, ensure_ascii=False)}:{_json(v, f.dataType, tz)}"
            for f, v in zip(dtype.fields, vals)
            if v is not None
        ]
        return "{" + ",".join(parts) + "}"
    if isinstance(dtype, T.ArrayType):
        return "[" + ",".join(_json(v, dtype.elementType, tz) for v in value) + "]"
    if isinstance(dtype, T.MapType):
        return (
            "{"
            + ",".join(
                f"{json.dumps(str(k), ensure_ascii=False)}:{_json(v, dtype.valueType, tz)}"
                for k, v in value.items()
            )
            + "}"
        )
    if isinstance(dtype, (T.DoubleType, T.FloatType)):
        text = java_double_str(value)
        return text if value == value and text not in ("Infinity", "-Infinity") else json.dumps(text)
    if isinstance(dtype, T.TimestampType):
        return json.dumps(_iso(value, tz))
    if isinstance(dtype, T.DateType):
        return json.dumps(value.isoformat())
    if isinstance(dtype, T.DecimalType):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray)):
        import base64

        return json.dumps(base64.b64encode(value).decode())
    return json.dumps(value, ensure_ascii=False)
