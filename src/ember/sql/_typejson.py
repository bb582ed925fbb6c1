"""Schemas from their JSON form (``DataType.json()`` / ``jsonValue()``), as PySpark parses them."""

from __future__ import annotations

import json as _json
import re
from typing import Any

from ember.errors import PySparkValueError
from ember.sql.types import (
    _FIELD_INDEX,
    ArrayType,
    BinaryType,
    BooleanType,
    ByteType,
    CharType,
    DataType,
    DateType,
    DayTimeIntervalType,
    DecimalType,
    DoubleType,
    FloatType,
    IntegerType,
    LongType,
    MapType,
    NullType,
    ShortType,
    StringType,
    StructType,
    TimestampNTZType,
    TimestampType,
    VarcharType,
    _error,
)

_ATOMIC_BY_NAME: dict[str, type] = {
    c.typeName(): c for c in (NullType, StringType, BinaryType, BooleanType, DateType, TimestampType,
                              TimestampNTZType, DoubleType, FloatType, ByteType, ShortType, IntegerType,
                              LongType)
}
_PARAM_JSON = re.compile(r"(decimal|char|varchar)\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)")
_INTERVAL_JSON = re.compile(r"interval (day|hour|minute|second)(?: to (day|hour|minute|second))?")


def _parse_datatype_json_string(json_string: str) -> DataType:
    """Parse a schema from its JSON text (``DataType.json()``)."""
    return _parse_datatype_json_value(_json.loads(json_string))


def _parse_datatype_json_value(value: Any) -> DataType:
    """Parse a schema from its JSON form (``DataType.jsonValue()``)."""
    if isinstance(value, str):
        if value in _ATOMIC_BY_NAME:
            return _ATOMIC_BY_NAME[value]()
        if value == "decimal":
            return DecimalType()
        m = _PARAM_JSON.fullmatch(value)
        if m and m.group(1) == "decimal":
            return DecimalType(int(m.group(2)), int(m.group(3) or 0))
        if m and m.group(3) is None:
            return CharType(int(m.group(2))) if m.group(1) == "char" else VarcharType(int(m.group(2)))
        m = _INTERVAL_JSON.fullmatch(value)
        if m:
            return DayTimeIntervalType(_FIELD_INDEX[m.group(1)], _FIELD_INDEX[m.group(2) or m.group(1)])
        raise _error(PySparkValueError, "CANNOT_PARSE_DATATYPE", "Unable to parse datatype. {error}.",
                     error=value)
    kind = value.get("type") if isinstance(value, dict) else None
    builders = {"struct": StructType, "array": ArrayType, "map": MapType}
    if kind in builders:
        return builders[kind].fromJson(value)
    raise _error(PySparkValueError, "UNSUPPORTED_DATA_TYPE", "Unsupported DataType `{data_type}`.",
                 data_type=kind)
