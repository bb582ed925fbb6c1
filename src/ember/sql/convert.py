"""Python values <-> Polars frames (execution layer): createDataFrame's input and collect()'s output."""

from __future__ import annotations

import datetime
import time

import polars as pl

from ember.sql import types as T
from ember.sql.dtypes import to_polars

_UTC = datetime.timezone.utc


def local_tz() -> str:
    """The IANA name of this process's local zone (what PySpark's collect() uses)."""
    from ember.sql.tz import local_tz as _tz

    return _tz()


def py_to_utc(value):
    """A Python datetime (naive = local time, as PySpark reads it) as a naive UTC datetime."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return datetime.datetime.fromtimestamp(time.mktime(value.timetuple()), _UTC).replace(
                tzinfo=None, microsecond=value.microsecond
            )
        return value.astimezone(_UTC).replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return py_to_utc(datetime.datetime(value.year, value.month, value.day))
    return value


def _to_cell(value, dtype):
    """A Python value in the shape Polars wants for ``dtype``."""
    if value is None:
        return None
    if isinstance(dtype, (T.TimestampType, T.TimestampNTZType)):
        return py_to_utc(value) if isinstance(dtype, T.TimestampType) else value
    if isinstance(dtype, T.BinaryType):
        return bytes(value)
    if isinstance(dtype, T.StructType):
        if isinstance(value, dict):
            vals = [value.get(f.name) for f in dtype.fields]
        elif isinstance(value, T.Row) and "__fields__" in value.__dict__:
            d = dict(zip(value.__fields__, value))
            vals = [d.get(f.name) for f in dtype.fields]
        else:
            vals = list(value)
        return {f.name: _to_cell(v, f.dataType) for f, v in zip(dtype.fields, vals)}
    if isinstance(dtype, T.ArrayType):
        return [_to_cell(v, dtype.elementType) for v in value]
    if isinstance(dtype, T.MapType):
        return [
            {"key": _to_cell(k, dtype.keyType), "value": _to_cell(v, dtype.valueType)}
            for k, v in value.items()
        ]
    return value


def _simple(dtype) -> bool:
    return not isinstance(dtype, (T.TimestampType, T.StructType, T.ArrayType, T.MapType, T.BinaryType))


def rows_to_frame(rows: list, schema) -> pl.DataFrame:
    """Rows (tuples) as a Polars frame with columns ``c0, c1, ...`` of the schema's types."""
    fields = schema.fields
    cols = {}
    for i, f in enumerate(fields):
        values = [r[i] for r in rows]
        if not _simple(f.dataType):
            values = [_to_cell(v, f.dataType) for v in values]
        cols[f"c{i}"] = pl.Series(f"c{i}", values, dtype=to_polars(f.dataType), strict=False)
    if not fields:
        return pl.DataFrame(height=len(rows))  # no columns, but the rows still count
    return pl.DataFrame(cols)


def _from_cell(value, dtype):
    if value is None:
        return None
    if isinstance(dtype, T.StructType):
        return T._create_row(
            [f.name for f in dtype.fields], [_from_cell(value.get(f.name), f.dataType) for f in dtype.fields]
        )
    if isinstance(dtype, T.ArrayType):
        if _simple(dtype.elementType):
            return value
        return [_from_cell(v, dtype.elementType) for v in value]
    if isinstance(dtype, T.MapType):
        return {
            _from_cell(kv["key"], dtype.keyType): _from_cell(kv["value"], dtype.valueType) for kv in value
        }
    return value


def _shift(e: pl.Expr, dtype, tz: str) -> pl.Expr | None:
    """``e`` with its UTC timestamps (top level or in a struct) moved to wall time in ``tz``."""
    if isinstance(dtype, T.TimestampType):
        return e.dt.replace_time_zone("UTC").dt.convert_time_zone(tz).dt.replace_time_zone(None)
    if isinstance(dtype, T.StructType) and any(isinstance(f.dataType, T.TimestampType) for f in dtype.fields):
        parts = []
        for f in dtype.fields:
            inner = e.struct.field(f.name)
            shifted = _shift(inner, f.dataType, tz)
            parts.append((shifted if shifted is not None else inner).alias(f.name))
        return pl.when(e.is_null()).then(None).otherwise(pl.struct(parts))
    return None


def frame_to_tuples(df: pl.DataFrame, schema, tz: str | None = None) -> list[tuple]:
    """The rows of ``df`` as Python tuples, shaped as PySpark gives them; timestamps as naive wall
    time in ``tz`` (default: the process's local zone, as ``collect()`` does)."""
    fields = schema.fields
    tz = tz or local_tz()
    if tz not in ("UTC", "Etc/UTC", "GMT"):
        exprs, changed = [], False
        for name, f in zip(df.columns, fields):
            shifted = _shift(pl.col(name), f.dataType, tz)
            changed = changed or shifted is not None
            exprs.append(shifted.alias(name) if shifted is not None else pl.col(name))
        if changed:
            df = df.select(exprs)
    rows = df.rows()
    nested = [
        i for i, f in enumerate(fields) if isinstance(f.dataType, (T.StructType, T.ArrayType, T.MapType))
    ]
    if nested:
        out = []
        for r in rows:
            r = list(r)
            for i in nested:
                r[i] = _from_cell(r[i], fields[i].dataType)
            out.append(tuple(r))
        rows = out
    return rows


def to_python_fn(dtype):
    """Post-processing for a UDF's results so Polars accepts them as ``dtype``."""
    if _simple(dtype):
        return lambda v: v
    return lambda v: _to_cell(v, dtype)
