"""A schema inferred from Python values (``createDataFrame`` without a schema), by Spark's rules.

:func:`_infer_type`, :func:`_infer_schema`, :func:`_merge_type` and :func:`_has_nulltype`;
``ember.sql.types`` re-exports them.
"""

from __future__ import annotations

import array as _array
import datetime
import decimal
from typing import Any

from ember.errors import (
    PySparkTypeError,
)
from ember.sql.types import (
    ArrayType,
    AtomicType,
    BinaryType,
    BooleanType,
    ByteType,
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
    Row,
    ShortType,
    StringType,
    StructField,
    StructType,
    TimestampNTZType,
    TimestampType,
    _error,
)

_TYPE_OF: dict[type, type] = {
    bool: BooleanType, int: LongType, float: DoubleType, str: StringType, bytes: BinaryType,
    bytearray: BinaryType, datetime.date: DateType, datetime.datetime: TimestampType,
}
_ARRAY_CODES: dict[str, type] = {
    "b": ByteType, "h": ShortType, "i": IntegerType, "l": LongType, "q": LongType, "f": FloatType,
    "d": DoubleType,
}


def _infer_type(obj: Any, infer_dict_as_struct: bool = False, infer_array_from_first_element: bool = False,
                infer_map_from_first_pair: bool = False, prefer_timestamp_ntz: bool = False) -> DataType:
    """The Spark type ``createDataFrame`` infers for the Python value ``obj``.

    The flags mirror Spark's ``spark.sql.pyspark.inferNestedDictAsStruct.enabled``,
    ``...legacy.inferArrayTypeFromFirstElement.enabled``, ``...legacy.inferMapTypeFromFirstPair.enabled``
    and ``spark.sql.timestampType=TIMESTAMP_NTZ``.

    Examples
    --------
    >>> _infer_type([1, None]), _infer_type({"a": 1.5})
    (ArrayType(LongType(), True), MapType(StringType(), DoubleType(), True))
    """
    flags = (infer_dict_as_struct, infer_array_from_first_element, infer_map_from_first_pair,
             prefer_timestamp_ntz)

    def infer(value: Any) -> DataType:
        return _infer_type(value, *flags)

    if obj is None:
        return NullType()
    simple = _TYPE_OF.get(type(obj))
    if simple is not None:
        if simple is TimestampType and prefer_timestamp_ntz and obj.tzinfo is None:
            return TimestampNTZType()
        return simple()
    if type(obj) is decimal.Decimal:
        return DecimalType(38, 18)  # rows may differ in precision, so take the widest
    if type(obj) is datetime.timedelta:
        return DayTimeIntervalType()
    if isinstance(obj, dict):
        if infer_dict_as_struct:
            return StructType([StructField(k, infer(v), True) for k, v in obj.items()
                               if k is not None and v is not None])
        if infer_map_from_first_pair:
            for k, v in obj.items():
                if k is not None and v is not None:
                    return MapType(infer(k), infer(v), True)
            return MapType(NullType(), NullType(), True)
        key_type: DataType = NullType()
        value_type: DataType = NullType()
        for k, v in obj.items():
            if k is not None:
                key_type = _merge_type(key_type, infer(k))
            if v is not None:
                value_type = _merge_type(value_type, infer(v))
        return MapType(key_type, value_type, True)
    if isinstance(obj, list):
        if obj and infer_array_from_first_element:
            return ArrayType(infer(obj[0]), True)
        element: DataType = NullType()
        for i, v in enumerate(obj):
            element = infer(v) if i == 0 else _merge_type(element, infer(v))
        return ArrayType(element, True)
    if isinstance(obj, _array.array):
        if obj.typecode in _ARRAY_CODES:
            return ArrayType(_ARRAY_CODES[obj.typecode](), False)
        raise _unsupported(f"array({obj.typecode})")
    try:
        return _infer_schema(obj, None, *flags)
    except TypeError:
        raise _unsupported(type(obj).__name__) from None


def _unsupported(name: str) -> PySparkTypeError:
    return _error(PySparkTypeError, "UNSUPPORTED_DATA_TYPE", "Unsupported DataType `{data_type}`.",
                  data_type=name)


def _infer_schema(row: Any, names: list[str] | None = None, infer_dict_as_struct: bool = False,
                  infer_array_from_first_element: bool = False, infer_map_from_first_pair: bool = False,
                  prefer_timestamp_ntz: bool = False) -> StructType:
    """The StructType of one row: a Row, namedtuple, tuple/list (named by ``names`` or ``_1``,
    ``_2``, ...), dict (keys sorted) or object (its ``__dict__``, sorted).

    Examples
    --------
    >>> _infer_schema((1, "a"), ["n"])
    StructType([StructField('n', LongType(), True), StructField('_2', StringType(), True)])
    """
    if isinstance(row, dict):
        items = sorted(row.items())
    elif isinstance(row, (tuple, list)):
        fields = row.__dict__.get("__fields__") if isinstance(row, Row) else getattr(row, "_fields", None)
        if fields is not None:
            items = list(zip(fields, tuple(row)))
        else:
            given = list(names or [])
            given += [f"_{i}" for i in range(len(given) + 1, len(row) + 1)]
            items = list(zip(given, row))
    elif hasattr(row, "__dict__"):
        items = sorted(vars(row).items())
    else:
        raise _error(PySparkTypeError, "CANNOT_INFER_SCHEMA_FOR_TYPE", "Can not infer schema for type: "
                     "`{data_type}`.", data_type=type(row).__name__)
    flags = (infer_dict_as_struct, infer_array_from_first_element, infer_map_from_first_pair,
             prefer_timestamp_ntz)
    out = []
    for name, value in items:
        try:
            out.append(StructField(name, _infer_type(value, *flags), True))
        except TypeError:
            raise _error(PySparkTypeError, "CANNOT_INFER_TYPE_FOR_FIELD", "Unable to infer the type of "
                         "the field `{field_name}`.", field_name=name) from None
    return StructType(out)


def _has_nulltype(dt: DataType) -> bool:
    """Whether a NullType is left anywhere in ``dt`` (then createDataFrame cannot decide a type)."""
    if isinstance(dt, StructType):
        return any(_has_nulltype(f.dataType) for f in dt.fields)
    if isinstance(dt, ArrayType):
        return _has_nulltype(dt.elementType)
    if isinstance(dt, MapType):
        return _has_nulltype(dt.keyType) or _has_nulltype(dt.valueType)
    return isinstance(dt, NullType)


def _merge_type(a: DataType, b: DataType, name: str | None = None) -> DataType:
    """The type covering both ``a`` and ``b`` when inferring over many rows.

    NullType gives way to the other type; an atomic type meets StringType as StringType; structs
    merge field by field (new fields appended); otherwise the types must be equal.

    Examples
    --------
    >>> _merge_type(NullType(), LongType()), _merge_type(LongType(), StringType())
    (LongType(), StringType())
    """
    if isinstance(a, NullType):
        return b
    if isinstance(b, NullType):
        return a
    if isinstance(a, TimestampType) and isinstance(b, TimestampNTZType):
        return a
    if isinstance(a, TimestampNTZType) and isinstance(b, TimestampType):
        return b
    if isinstance(a, AtomicType) and isinstance(b, StringType):
        return b
    if isinstance(a, StringType) and isinstance(b, AtomicType):
        return a
    if type(a) is not type(b):
        raise _error(PySparkTypeError, "CANNOT_MERGE_TYPE", "Can not merge type `{data_type1}` and "
                     "`{data_type2}`.", data_type1=type(a).__name__, data_type2=type(b).__name__)
    if isinstance(a, StructType):
        theirs = {f.name: f.dataType for f in b.fields}  # type: ignore[attr-defined]
        fields = [StructField(f.name, _merge_type(f.dataType, theirs.get(f.name, NullType())))
                  for f in a.fields]
        mine = {f.name for f in fields}
        fields += [StructField(n, t) for n, t in theirs.items() if n not in mine]
        return StructType(fields)
    if isinstance(a, ArrayType):
        return ArrayType(_merge_type(a.elementType, b.elementType), True)  # type: ignore[attr-defined]
    if isinstance(a, MapType):
        return MapType(_merge_type(a.keyType, b.keyType),  # type: ignore[attr-defined]
                       _merge_type(a.valueType, b.valueType), True)  # type: ignore[attr-defined]
    return a
