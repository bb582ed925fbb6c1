"""Spark DataType <-> Polars dtype (the execution side imports this lazily, with Polars).

Timestamps: a TimestampType column is ``Datetime("us")`` without a time zone holding the **UTC**
instant. Bucketing (``window``) works on those instants as Spark does; the session time zone
(``spark.sql.session.timeZone``) is applied only where Spark applies it: parsing and formatting
strings, calendar fields (hour, date), ``show()``; and ``collect()`` gives naive datetimes in the
process's local zone as PySpark does.
"""

from __future__ import annotations

import polars as pl

from ember.sql import types as T

_ATOMIC = {
    T.StringType: pl.String,
    T.LongType: pl.Int64,
    T.IntegerType: pl.Int32,
    T.ShortType: pl.Int16,
    T.ByteType: pl.Int8,
    T.DoubleType: pl.Float64,
    T.FloatType: pl.Float32,
    T.BooleanType: pl.Boolean,
    T.DateType: pl.Date,
    T.BinaryType: pl.Binary,
    T.NullType: pl.Null,
    T.DayTimeIntervalType: pl.Duration("us"),
}


def to_polars(dtype) -> pl.DataType:
    t = type(dtype)
    if t in _ATOMIC:
        return _ATOMIC[t]
    if isinstance(dtype, (T.TimestampType, T.TimestampNTZType)):
        return pl.Datetime("us")
    if isinstance(dtype, T.DecimalType):
        return pl.Decimal(dtype.precision, dtype.scale)
    if isinstance(dtype, T.ArrayType):
        return pl.List(to_polars(dtype.elementType))
    if isinstance(dtype, T.MapType):
        return pl.List(pl.Struct({"key": to_polars(dtype.keyType), "value": to_polars(dtype.valueType)}))
    if isinstance(dtype, T.StructType):
        return pl.Struct({f.name: to_polars(f.dataType) for f in dtype.fields})
    return pl.Object


def from_polars(dtype) -> object:
    """The Spark type of a Polars dtype (used for frames handed in from outside, e.g. pandas)."""
    if dtype == pl.String:
        return T.StringType()
    if dtype == pl.Int64 or dtype == pl.UInt32 or dtype == pl.UInt64:
        return T.LongType()
    if dtype == pl.Int32 or dtype == pl.UInt16:
        return T.IntegerType()
    if dtype == pl.Int16 or dtype == pl.UInt8:
        return T.ShortType()
    if dtype == pl.Int8:
        return T.ByteType()
    if dtype == pl.Float64:
        return T.DoubleType()
    if dtype == pl.Float32:
        return T.FloatType()
    if dtype == pl.Boolean:
        return T.BooleanType()
    if dtype == pl.Date:
        return T.DateType()
    if isinstance(dtype, pl.Datetime):
        return T.TimestampType()
    if dtype == pl.Binary:
        return T.BinaryType()
    if isinstance(dtype, pl.Decimal):
        return T.DecimalType(dtype.precision or 38, dtype.scale or 0)
    if isinstance(dtype, pl.List):
        return T.ArrayType(from_polars(dtype.inner), True)
    if isinstance(dtype, pl.Struct):
        return T.StructType([T.StructField(f.name, from_polars(f.dtype), True) for f in dtype.fields])
    if dtype == pl.Null:
        return T.NullType()
    return T.StringType()
