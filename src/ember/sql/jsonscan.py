"""JSON lines for ``spark.read.json``: schema inference and reading.

The common case goes through Polars' NDJSON reader. Where Polars and Spark could disagree (a value
Polars would coerce or re-serialise, a type Spark infers differently, a malformed line) the read
falls back to parsing each line in Python with Spark's rules, so answers never depend on the path.
"""

from __future__ import annotations

import json

import polars as pl

from ember.sql import types as T
from ember.sql.dtypes import to_polars

# a string value that may be a number, boolean or object Polars turned into text
_COERCED = r"^(\s*[\[{]|-?[0-9]|true$|false$)"


# -- the Python path (Spark's rules, one line at a time) --------------------------------------------
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


def _records(files: list[str]):
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def _top_level(schema) -> T.StructType:
    return T.StructType([
        T.StructField(x.name, T.StringType() if isinstance(x.dataType, T.NullType) else x.dataType, True)
        for x in schema.fields
    ])


# -- the Polars path ---------------------------------------------------------------------------------
def _read_polars(files: list[str]) -> pl.DataFrame | None:
    """All files as one NDJSON frame (types inferred over every line), or None where Polars refuses."""
    chunks = []
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read()
        if data and not data.endswith(b"\n"):
            data += b"\n"
        chunks.append(data)
    blob = b"".join(chunks)
    if not blob.strip():
        return None
    try:
        return pl.read_ndjson(blob, infer_schema_length=None)
    except Exception:  # malformed or mixed-type input: Spark's rules decide, in Python
        return None


def _spark_type(dtype: pl.DataType, nested: bool = False):
    """The Spark type inference would give a Polars-inferred column, or None when they may differ."""
    if dtype == pl.Int64:
        return T.LongType()
    if dtype == pl.Float64:
        return T.DoubleType()
    if dtype == pl.Boolean:
        return T.BooleanType()
    if dtype == pl.String:
        return T.StringType()
    if dtype == pl.Null:
        return None if nested else T.StringType()
    if isinstance(dtype, pl.List):
        inner = _spark_type(dtype.inner, True)
        return None if inner is None else T.ArrayType(inner, True)
    if isinstance(dtype, pl.Struct):
        fields = []
        for f in sorted(dtype.fields, key=lambda f: f.name):
            t = _spark_type(f.dtype, True)
            if t is None:
                return None
            fields.append(T.StructField(f.name, t, True))
        return T.StructType(fields)
    return None


def _string_leaves(expr: pl.Expr, dtype: pl.DataType) -> list[pl.Expr]:
    if dtype == pl.String:
        return [expr]
    if isinstance(dtype, pl.List):
        return _string_leaves(expr.list.explode(), dtype.inner)
    if isinstance(dtype, pl.Struct):
        return [e for f in dtype.fields for e in _string_leaves(expr.struct.field(f.name), f.dtype)]
    return []


def _faithful(frame: pl.DataFrame) -> bool:
    """No string Polars may have produced from a number, boolean or object (Spark keeps raw text)."""
    leaves = [e for c, d in frame.schema.items() for e in _string_leaves(pl.col(c), d)]
    if not leaves:
        return True
    checks = [e.str.contains(_COERCED).fill_null(False).any().alias(f"s{i}") for i, e in enumerate(leaves)]
    return not any(frame.select(checks).row(0))


def _fast_frame(files: list[str]) -> tuple[pl.DataFrame, dict] | None:
    frame = _read_polars(files)
    if frame is None:
        return None
    types = {c: _spark_type(d) for c, d in frame.schema.items()}
    if any(t is None for t in types.values()) or not _faithful(frame):
        return None
    return frame, types


# -- the API --------------------------------------------------------------------------------------------
def infer_json_schema(files: list[str], options: dict) -> T.StructType:
    """Spark's inferred schema of JSON lines: fields sorted by name, numbers widened, nulls as string."""
    fast = _fast_frame(files)
    if fast is not None:
        _, types = fast
        return T.StructType([T.StructField(n, types[n], True) for n in sorted(types)])
    schema = T.StructType([])
    for rec in _records(files):
        schema = _json_merge(schema, _json_type(rec))
    return _top_level(schema)


def read_json(files: list[str], schema) -> pl.DataFrame:
    """The rows of ``files`` as a frame whose columns follow ``schema``'s fields by position."""
    fields = schema.fields
    fast = _fast_frame(files) if fields else None
    if fast is not None:
        frame, types = fast
        cols = []
        for i, fd in enumerate(fields):
            target = to_polars(fd.dataType)
            name = f"__ember_json_{i}"
            if fd.name not in types or frame.schema[fd.name] == pl.Null:
                cols.append(pl.lit(None, target).alias(name))
            elif types[fd.name] == fd.dataType and frame.schema[fd.name] == target:
                cols.append(pl.col(fd.name).alias(name))
            else:  # a type the schema asks for that the data does not hold: Spark's conversions
                break
        else:
            # with_columns keeps the frame's height even when every column is a literal
            return frame.with_columns(cols).select([c.meta.output_name() for c in cols])
    from ember.sql.convert import rows_to_frame

    rows = [tuple(rec.get(fd.name) for fd in fields) for rec in _records(files)]
    return rows_to_frame(rows, schema)
