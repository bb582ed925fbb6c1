"""Spark SQL data types and ``Row``, with ``pyspark.sql.types``' names, reprs and JSON forms.

A schema is a :class:`StructType` of :class:`StructField`; every value a DataFrame holds has one of
the types below. ``repr``, ``simpleString``, ``json`` and ``treeString`` print exactly what PySpark 4
prints, so schemas can be compared as text between the engines.

Re-exported here, as PySpark has them: the DDL parser behind ``createDataFrame(data, "word STRING,
n INT")`` (:func:`_parse_datatype_string`, in ``_ddl``) and the inference of a schema from Python
values (:func:`_infer_type`, :func:`_infer_schema`, :func:`_merge_type`, in ``_infer``).
"""

from __future__ import annotations

import json as _json
from typing import Any, Iterator

from ember.errors import (
    PySparkAttributeError,  # noqa: F401 - re-exported: dataframe.py imports it from here
    PySparkException,
    PySparkIndexError,
    PySparkKeyError,
    PySparkRuntimeError,
    PySparkTypeError,
    PySparkValueError,
)
from ember.sql import _internal, _typetext

__all__ = [
    "DataType", "NullType", "AtomicType", "NumericType", "IntegralType", "FractionalType", "StringType",
    "CharType", "VarcharType", "BinaryType", "BooleanType", "DatetimeType", "DateType", "TimestampType",
    "TimestampNTZType", "DecimalType", "DoubleType", "FloatType", "ByteType", "ShortType", "IntegerType",
    "LongType", "DayTimeIntervalType", "ArrayType", "MapType", "StructField", "StructType", "Row",
]


def _error(cls: type, error_class: str, template: str, **params: Any) -> PySparkException:
    """An ember error carrying Spark's error class, its message filled from ``params``."""
    return cls(template.format(**params), errorClass=error_class, messageParameters=params)




def _from_json(value: Any) -> DataType:
    """A nested type from its JSON form (the parser lives in ``_typejson``, which builds on this module)."""
    from ember.sql._typejson import _parse_datatype_json_value

    return _parse_datatype_json_value(value)


# -- base classes ------------------------------------------------------------------------------


class DataType:
    """Base of all Spark SQL types.

    Examples
    --------
    >>> LongType().simpleString(), LongType.typeName()
    ('bigint', 'long')
    """

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __hash__(self) -> int:
        return hash(str(self))

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, type(self)) and self.__dict__ == other.__dict__

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    @classmethod
    def typeName(cls) -> str:
        """The type's JSON name: ``LongType.typeName() == 'long'``."""
        return cls.__name__[:-4].lower()

    def simpleString(self) -> str:
        """The type as Spark SQL writes it (``bigint``, ``array<string>``)."""
        return self.typeName()

    def jsonValue(self) -> Any:
        """The JSON-ready form of the type (a string or a dict)."""
        return self.typeName()

    def json(self) -> str:
        """The type as compact JSON with sorted keys, as Spark stores schemas."""
        return _json.dumps(self.jsonValue(), separators=(",", ":"), sort_keys=True)

    def needConversion(self) -> bool:
        """Whether Python values of this type differ from Spark's internal ones."""
        return False

    def toInternal(self, obj: Any) -> Any:
        """Python value to internal value (the identity for most types)."""
        return obj

    def fromInternal(self, obj: Any) -> Any:
        """Internal value to Python value (the identity for most types)."""
        return obj

    @classmethod
    def fromDDL(cls, ddl: str) -> DataType:
        """Parse a DDL string such as ``"a INT, b STRING"`` or ``"array<int>"``."""
        from ember.sql._ddl import _parse_datatype_string

        return _parse_datatype_string(ddl)

    def _tree_name(self) -> str:
        # printSchema names atomic types by Scala's typeName, which is PySpark's JSON name.
        return self.jsonValue() if isinstance(self, AtomicType) or isinstance(self, NullType) \
            else self.typeName()

    def _sql(self) -> str:
        return self.simpleString().upper()


class _Singleton(type):
    """Metaclass making parameterless types singletons: ``LongType() is LongType()``."""

    _instances: dict = {}

    def __call__(cls):  # type: ignore[override]
        inst = _Singleton._instances.get(cls)
        if inst is None:
            inst = _Singleton._instances[cls] = super().__call__()
        return inst


class NullType(DataType, metaclass=_Singleton):
    """The type of ``None`` (Spark's ``void``)."""

    @classmethod
    def typeName(cls) -> str:
        return "void"


class AtomicType(DataType):
    """A type that is not a container."""


class NumericType(AtomicType):
    """Numbers."""


class IntegralType(NumericType, metaclass=_Singleton):
    """Whole numbers."""


class FractionalType(NumericType):
    """Floating point and decimal numbers."""


class StringType(AtomicType):
    """Text (``string``); ``collation`` other than UTF8_BINARY is kept but not applied."""

    def __init__(self, collation: str = "UTF8_BINARY") -> None:
        self.collation = collation

    def simpleString(self) -> str:
        return "string" if self.collation == "UTF8_BINARY" else f"string collate {self.collation}"

    def jsonValue(self) -> str:
        return self.simpleString()

    def __repr__(self) -> str:
        return "StringType()" if self.collation == "UTF8_BINARY" else f"StringType('{self.collation}')"


class CharType(AtomicType):
    """Fixed-length text ``char(n)``; values behave as strings."""

    def __init__(self, length: int) -> None:
        self.length = length

    def simpleString(self) -> str:
        return f"char({self.length})"

    def jsonValue(self) -> str:
        return self.simpleString()

    def __repr__(self) -> str:
        return f"CharType({self.length})"


class VarcharType(AtomicType):
    """Bounded text ``varchar(n)``; values behave as strings."""

    def __init__(self, length: int) -> None:
        self.length = length

    def simpleString(self) -> str:
        return f"varchar({self.length})"

    def jsonValue(self) -> str:
        return self.simpleString()

    def __repr__(self) -> str:
        return f"VarcharType({self.length})"


class BinaryType(AtomicType, metaclass=_Singleton):
    """Bytes."""


class BooleanType(AtomicType, metaclass=_Singleton):
    """``True`` / ``False``."""


class DatetimeType(AtomicType):
    """Dates and timestamps."""

    def needConversion(self) -> bool:
        return True


class DateType(DatetimeType, metaclass=_Singleton):
    """A calendar date (``datetime.date``)."""

    toInternal = staticmethod(_internal.date_to_internal)
    fromInternal = staticmethod(_internal.date_from_internal)


class TimestampType(DatetimeType, metaclass=_Singleton):
    """An instant, shown in the session time zone (``datetime.datetime``)."""

    toInternal = staticmethod(_internal.timestamp_to_internal)
    fromInternal = staticmethod(_internal.timestamp_from_internal)


class TimestampNTZType(DatetimeType, metaclass=_Singleton):
    """A local date-time without time zone."""

    toInternal = staticmethod(_internal.ntz_to_internal)
    fromInternal = staticmethod(_internal.ntz_from_internal)

    @classmethod
    def typeName(cls) -> str:
        return "timestamp_ntz"


class DecimalType(FractionalType):
    """A fixed-point number with ``precision`` digits, ``scale`` of them after the point.

    Examples
    --------
    >>> DecimalType(10, 2)
    DecimalType(10,2)
    """

    def __init__(self, precision: int = 10, scale: int = 0) -> None:
        self.precision = precision
        self.scale = scale
        self.hasPrecisionInfo = True

    def simpleString(self) -> str:
        return f"decimal({self.precision},{self.scale})"

    def jsonValue(self) -> str:
        return self.simpleString()

    def __repr__(self) -> str:
        return f"DecimalType({self.precision},{self.scale})"


class DoubleType(FractionalType, metaclass=_Singleton):
    """64-bit floating point."""


class FloatType(FractionalType, metaclass=_Singleton):
    """32-bit floating point."""


class ByteType(IntegralType):
    """8-bit signed integer (``tinyint``)."""

    def simpleString(self) -> str:
        return "tinyint"


class IntegerType(IntegralType):
    """32-bit signed integer (``int``)."""

    def simpleString(self) -> str:
        return "int"


class LongType(IntegralType):
    """64-bit signed integer (``bigint``)."""

    def simpleString(self) -> str:
        return "bigint"


class ShortType(IntegralType):
    """16-bit signed integer (``smallint``)."""

    def simpleString(self) -> str:
        return "smallint"


class DayTimeIntervalType(AtomicType):
    """A duration in days to seconds (``datetime.timedelta``); fields DAY=0 .. SECOND=3.

    Examples
    --------
    >>> DayTimeIntervalType().simpleString()
    'interval day to second'
    """

    DAY, HOUR, MINUTE, SECOND = 0, 1, 2, 3
    _fields = {0: "day", 1: "hour", 2: "minute", 3: "second"}

    def __init__(self, startField: int | None = None, endField: int | None = None) -> None:
        if startField is None and endField is None:
            startField, endField = 0, 3
        elif endField is None:
            endField = startField
        if startField not in self._fields or endField not in self._fields:
            raise _error(PySparkRuntimeError, "INVALID_INTERVAL_CASTING", "Interval {start_field} to "
                         "{end_field} is invalid.", start_field=startField, end_field=endField)
        self.startField = startField
        self.endField = endField

    @classmethod
    def typeName(cls) -> str:
        return "daytimeinterval"

    def simpleString(self) -> str:
        start, end = self._fields[self.startField], self._fields[self.endField]
        return f"interval {start}" if start == end else f"interval {start} to {end}"

    def jsonValue(self) -> str:
        return self.simpleString()

    def __repr__(self) -> str:
        return f"DayTimeIntervalType({self.startField}, {self.endField})"


# -- containers --------------------------------------------------------------------------------


def _check_type(value: Any, what: str) -> None:
    if not isinstance(value, DataType):
        raise PySparkTypeError(f"{what} {value} should be an instance of {DataType!r}",
                               errorClass=None)


class ArrayType(DataType):
    """A list of ``elementType`` values, which may be ``None`` when ``containsNull``.

    Examples
    --------
    >>> ArrayType(StringType())
    ArrayType(StringType(), True)
    """

    def __init__(self, elementType: DataType, containsNull: bool = True) -> None:
        _check_type(elementType, "elementType")
        self.elementType = elementType
        self.containsNull = containsNull

    needConversion = _internal.array_need_conversion
    toInternal = _internal.array_to_internal
    fromInternal = _internal.array_from_internal

    def simpleString(self) -> str:
        return f"array<{self.elementType.simpleString()}>"

    def __repr__(self) -> str:
        return f"ArrayType({self.elementType!r}, {self.containsNull})"

    def jsonValue(self) -> dict:
        return {"type": "array", "elementType": self.elementType.jsonValue(),
                "containsNull": self.containsNull}

    @classmethod
    def fromJson(cls, json: dict) -> ArrayType:
        """Build from :meth:`jsonValue`'s form."""
        return cls(_from_json(json["elementType"]), json["containsNull"])

    def _sql(self) -> str:
        return f"ARRAY<{self.elementType._sql()}>"


class MapType(DataType):
    """A dict from ``keyType`` to ``valueType``; values may be ``None`` when ``valueContainsNull``.

    Examples
    --------
    >>> MapType(StringType(), LongType()).simpleString()
    'map<string,bigint>'
    """

    def __init__(self, keyType: DataType, valueType: DataType, valueContainsNull: bool = True) -> None:
        _check_type(keyType, "keyType")
        _check_type(valueType, "valueType")
        self.keyType = keyType
        self.valueType = valueType
        self.valueContainsNull = valueContainsNull

    needConversion = _internal.map_need_conversion
    toInternal = _internal.map_to_internal
    fromInternal = _internal.map_from_internal

    def simpleString(self) -> str:
        return f"map<{self.keyType.simpleString()},{self.valueType.simpleString()}>"

    def __repr__(self) -> str:
        return f"MapType({self.keyType!r}, {self.valueType!r}, {self.valueContainsNull})"

    def jsonValue(self) -> dict:
        return {"type": "map", "keyType": self.keyType.jsonValue(),
                "valueType": self.valueType.jsonValue(), "valueContainsNull": self.valueContainsNull}

    @classmethod
    def fromJson(cls, json: dict) -> MapType:
        """Build from :meth:`jsonValue`'s form."""
        return cls(_from_json(json["keyType"]),
                   _from_json(json["valueType"]), json["valueContainsNull"])

    def _sql(self) -> str:
        return f"MAP<{self.keyType._sql()}, {self.valueType._sql()}>"


class StructField(DataType):
    """A named, typed field of a :class:`StructType`.

    Examples
    --------
    >>> StructField("a", LongType())
    StructField('a', LongType(), True)
    """

    def __init__(self, name: str, dataType: DataType, nullable: bool = True,
                 metadata: dict | None = None) -> None:
        if not isinstance(name, str):
            raise PySparkTypeError(f"field name {name} should be a string")
        _check_type(dataType, "dataType")
        self.name = name
        self.dataType = dataType
        self.nullable = nullable
        self.metadata = metadata or {}

    needConversion = _internal.field_need_conversion
    toInternal = _internal.field_to_internal
    fromInternal = _internal.field_from_internal

    def simpleString(self) -> str:
        return f"{self.name}:{self.dataType.simpleString()}"

    def __repr__(self) -> str:
        return f"StructField('{self.name}', {self.dataType!r}, {self.nullable})"

    def jsonValue(self) -> dict:
        return {"name": self.name, "type": self.dataType.jsonValue(), "nullable": self.nullable,
                "metadata": self.metadata}

    @classmethod
    def fromJson(cls, json: dict) -> StructField:
        """Build from :meth:`jsonValue`'s form."""
        return cls(json["name"], _from_json(json["type"]), json["nullable"],
                   json.get("metadata"))

    def typeName(self) -> str:  # type: ignore[override]
        raise _error(PySparkTypeError, "INVALID_TYPENAME_CALL", "StructField does not have typeName. "
                     "Use typeName on its type explicitly instead.")


class StructType(DataType):
    """A row type: an ordered list of :class:`StructField`.

    Examples
    --------
    >>> s = StructType().add("word", StringType()).add("n", "int")
    >>> s.simpleString()
    'struct<word:string,n:int>'
    >>> s["n"]
    StructField('n', IntegerType(), True)
    """

    def __init__(self, fields: list[StructField] | None = None) -> None:
        self.fields = list(fields) if fields else []
        for f in self.fields:
            if not isinstance(f, StructField):
                raise PySparkTypeError(f"fields should be a list of StructField, got {type(f).__name__}")
        self.names = [f.name for f in self.fields]

    def add(self, field: str | StructField, data_type: str | DataType | None = None,
            nullable: bool = True, metadata: dict | None = None) -> StructType:
        """Append a field (a StructField, or a name with a type or DDL type string); returns self."""
        if isinstance(field, StructField):
            self.fields.append(field)
            self.names.append(field.name)
            return self
        if data_type is None:
            raise _error(PySparkValueError, "ARGUMENT_REQUIRED", "Argument `{arg_name}` is required when "
                         "passing name of struct_field to create.", arg_name="data_type")
        if isinstance(data_type, str):
            from ember.sql._ddl import _parse_datatype_string

            data_type = _parse_datatype_string(data_type)
        return self.add(StructField(field, data_type, nullable, metadata))  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[StructField]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __getitem__(self, key: str | int | slice) -> Any:
        if isinstance(key, str):
            for f in self.fields:
                if f.name == key:
                    return f
            raise _error(PySparkKeyError, "KEY_NOT_EXISTS", "Key `{key}` does not exist.", key=key)
        if isinstance(key, int):
            try:
                return self.fields[key]
            except IndexError:
                raise _error(PySparkIndexError, "INDEX_OUT_OF_RANGE", "StructType index out of range, "
                             "got '{index}'.", arg_name="StructType", index=key) from None
        if isinstance(key, slice):
            return StructType(self.fields[key])
        raise _error(PySparkTypeError, "NOT_EXPECTED_TYPE", "Argument `{arg_name}` should be int, slice "
                     "or str, got {arg_type}.", arg_name="key", arg_type=type(key).__name__)

    def fieldNames(self) -> list[str]:
        """The field names, in order."""
        return list(self.names)

    def simpleString(self) -> str:
        return f"struct<{','.join(f.simpleString() for f in self.fields)}>"

    def __repr__(self) -> str:
        return f"StructType([{', '.join(repr(f) for f in self.fields)}])"

    def jsonValue(self) -> dict:
        return {"type": "struct", "fields": [f.jsonValue() for f in self.fields]}

    @classmethod
    def fromJson(cls, json: dict) -> StructType:
        """Build from :meth:`jsonValue`'s form."""
        return cls([StructField.fromJson(f) for f in json["fields"]])

    def needConversion(self) -> bool:
        return True

    toInternal = _internal.struct_to_internal
    fromInternal = _internal.struct_from_internal

    def treeString(self, maxDepth: int = 2**31 - 1) -> str:
        """The schema as ``printSchema()`` prints it: ``root`` then `` |-- name: type (nullable = x)``.

        ``maxDepth`` <= 0 means no limit.
        """
        lines = ["root"]
        _typetext.tree(self, " |", lines, maxDepth if maxDepth > 0 else 2**31 - 1)
        return "\n".join(lines) + "\n"

    def toDDL(self) -> str:
        """The schema as a DDL string (``a INT NOT NULL,b STRING``)."""
        return ",".join(_typetext.field_sql(f) for f in self.fields)

    def _sql(self) -> str:
        inner = ", ".join(f"{_typetext.quote(f.name)}: {f.dataType._sql()}{'' if f.nullable else ' NOT NULL'}"
                          for f in self.fields)
        return f"STRUCT<{inner}>"


# -- JSON schemas ------------------------------------------------------------------------------

# interval field names to DayTimeIntervalType field indexes (the DDL and JSON parsers share it)
_FIELD_INDEX = {"day": 0, "hour": 1, "minute": 2, "second": 3}

# Row lives in its own module; PySpark users import it from here too
from ember.sql.row import Row, _as_plain, _create_row  # noqa: E402,F401

# the DDL parser and the inference live in their own modules (they build on the types above), and
# are re-exported here where PySpark has them; lazily, so either module may be imported first
_MOVED = {
    "_parse_datatype_string": "ember.sql._ddl",
    "_infer_type": "ember.sql._infer",
    "_infer_schema": "ember.sql._infer",
    "_merge_type": "ember.sql._infer",
    "_has_nulltype": "ember.sql._infer",
    "_parse_datatype_json_string": "ember.sql._typejson",
    "_parse_datatype_json_value": "ember.sql._typejson",
}


def __getattr__(name: str) -> Any:
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
