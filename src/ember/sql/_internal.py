"""Spark's internal forms of Python values: ``DataType.toInternal`` / ``fromInternal``.

Spark stores a date as days since 1970-01-01, a timestamp as microseconds since the epoch and a
struct as a plain tuple; PySpark's types expose these conversions publicly, and programs ported
from PySpark (UDF helpers, custom serializers) call them. ember's engine never needs them itself:
its values travel as Polars columns.

Examples
--------
>>> import datetime
>>> date_to_internal(datetime.date(1970, 1, 3))
2
>>> date_from_internal(2)
datetime.date(1970, 1, 3)
"""

from __future__ import annotations

import calendar
import datetime
import time
from typing import Any

_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


def date_to_internal(value: Any) -> int | None:
    """A date as days since the epoch."""
    return None if value is None else value.toordinal() - _EPOCH_ORDINAL


def date_from_internal(value: int | None) -> datetime.date | None:
    """Days since the epoch as a date."""
    return None if value is None else datetime.date.fromordinal(value + _EPOCH_ORDINAL)


def timestamp_to_internal(value: Any) -> int | None:
    """An instant as epoch microseconds; a naive datetime is this process's local time, as in PySpark."""
    if value is None:
        return None
    seconds = calendar.timegm(value.utctimetuple()) if value.tzinfo else time.mktime(value.timetuple())
    return int(seconds) * 1_000_000 + value.microsecond


def timestamp_from_internal(value: int | None) -> datetime.datetime | None:
    """Epoch microseconds as a naive local datetime."""
    if value is None:
        return None
    return datetime.datetime.fromtimestamp(value // 1_000_000).replace(microsecond=value % 1_000_000)


def ntz_to_internal(value: Any) -> int | None:
    """A wall-clock datetime (no zone) as microseconds, read as if it were UTC."""
    if value is None:
        return None
    return calendar.timegm(value.timetuple()) * 1_000_000 + value.microsecond


def ntz_from_internal(value: int | None) -> datetime.datetime | None:
    """Microseconds as a naive wall-clock datetime."""
    if value is None:
        return None
    base = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=value // 1_000_000)
    return base.replace(microsecond=value % 1_000_000)


def array_need_conversion(self: Any) -> bool:
    """Whether an array's elements need converting."""
    return self.elementType.needConversion()


def array_to_internal(self: Any, obj: Any) -> Any:
    """A list with each element converted, when the element type needs it."""
    if obj is None or not self.needConversion():
        return obj
    return [self.elementType.toInternal(v) for v in obj]


def array_from_internal(self: Any, obj: Any) -> Any:
    """The inverse of :func:`array_to_internal`."""
    if obj is None or not self.needConversion():
        return obj
    return [self.elementType.fromInternal(v) for v in obj]


def map_need_conversion(self: Any) -> bool:
    """Whether a map's keys or values need converting."""
    return self.keyType.needConversion() or self.valueType.needConversion()


def map_to_internal(self: Any, obj: Any) -> Any:
    """A dict with keys and values converted, when their types need it."""
    if obj is None or not self.needConversion():
        return obj
    return {self.keyType.toInternal(k): self.valueType.toInternal(v) for k, v in obj.items()}


def map_from_internal(self: Any, obj: Any) -> Any:
    """The inverse of :func:`map_to_internal`."""
    if obj is None or not self.needConversion():
        return obj
    return {self.keyType.fromInternal(k): self.valueType.fromInternal(v) for k, v in obj.items()}


def field_need_conversion(self: Any) -> bool:
    """Whether a struct field's type needs converting."""
    return self.dataType.needConversion()


def field_to_internal(self: Any, obj: Any) -> Any:
    """A field's value converted by its type."""
    return self.dataType.toInternal(obj)


def field_from_internal(self: Any, obj: Any) -> Any:
    """The inverse of :func:`field_to_internal`."""
    return self.dataType.fromInternal(obj)


def struct_to_internal(struct: Any, obj: Any) -> tuple | None:
    """A dict, tuple, list, Row or plain object as the struct's tuple, converting the fields that need it.

    Tuples and Rows are taken by position, dicts and objects by field name, as PySpark does.
    """
    if obj is None:
        return None
    fields = struct.fields
    convert = [f.needConversion() for f in fields]
    if isinstance(obj, dict):
        values = [obj.get(f.name) for f in fields]
    elif isinstance(obj, (tuple, list)):
        if not any(convert):
            return tuple(obj)
        values = obj
    elif hasattr(obj, "__dict__"):
        values = [obj.__dict__.get(f.name) for f in fields]
    else:
        from ember.errors import PySparkValueError

        raise PySparkValueError(f"Unexpected tuple {obj} with StructType.",
                                errorClass="UNEXPECTED_TUPLE_WITH_STRUCT",
                                messageParameters={"tuple": str(obj)})
    return tuple(f.toInternal(v) if c else v for f, v, c in zip(fields, values, convert))


def struct_from_internal(struct: Any, obj: Any) -> Any:
    """A struct's tuple as a Row with the struct's field names; a Row is returned as it is."""
    from ember.sql.row import Row, _create_row

    if obj is None or isinstance(obj, Row):
        return obj
    values = [f.fromInternal(v) if f.needConversion() else v for f, v in zip(struct.fields, obj)]
    return _create_row(struct.names, values)
