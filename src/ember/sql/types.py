"""Spark SQL data types and ``Row``, with ``pyspark.sql.types``' names, reprs and JSON forms.

A schema is a :class:`StructType` of :class:`StructField`; every value a DataFrame holds has one of
the types below. ``repr``, ``simpleString``, ``json`` and ``treeString`` print exactly what PySpark 4
prints, so schemas can be compared as text between the engines.

Also here: the DDL parser behind ``createDataFrame(data, "word STRING, n INT")``
(:func:`_parse_datatype_string`) and the inference of a schema from Python values
(:func:`_infer_type`, :func:`_infer_schema`, :func:`_merge_type`), following Spark's rules.
"""

from __future__ import annotations

import array as _array
import datetime
import decimal
import json as _json
import re
from typing import Any, Iterator

from ember.errors import (
    ArithmeticException,
    ParseException,
    PySparkAttributeError,
    PySparkException,
    PySparkIndexError,
    PySparkKeyError,
    PySparkNotImplementedError,
    PySparkRuntimeError,
    PySparkTypeError,
    PySparkValueError,
)

__all__ = [
    "DataType", "NullType", "AtomicType", "NumericType", "IntegralType", "FractionalType", "StringType",
    "CharType", "VarcharType", "BinaryType", "BooleanType", "DatetimeType", "DateType", "TimestampType",
    "TimestampNTZType", "DecimalType", "DoubleType", "FloatType", "ByteType", "ShortType", "IntegerType",
    "LongType", "DayTimeIntervalType", "ArrayType", "MapType", "StructField", "StructType", "Row",
]


def _error(cls: type, error_class: str, template: str, **params: Any) -> PySparkException:
    """An ember error carrying Spark's error class, its message filled from ``params``."""
    return cls(template.format(**params), errorClass=error_class, messageParameters=params)




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


class DateType(DatetimeType, metaclass=_Singleton):
    """A calendar date (``datetime.date``)."""


class TimestampType(DatetimeType, metaclass=_Singleton):
    """An instant, shown in the session time zone (``datetime.datetime``)."""


class TimestampNTZType(DatetimeType, metaclass=_Singleton):
    """A local date-time without time zone."""

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
        return cls(_parse_datatype_json_value(json["elementType"]), json["containsNull"])

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
        return cls(_parse_datatype_json_value(json["keyType"]),
                   _parse_datatype_json_value(json["valueType"]), json["valueContainsNull"])

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
        return cls(json["name"], _parse_datatype_json_value(json["type"]), json["nullable"],
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

    def treeString(self, maxDepth: int = 2**31 - 1) -> str:
        """The schema as ``printSchema()`` prints it: ``root`` then `` |-- name: type (nullable = x)``.

        ``maxDepth`` <= 0 means no limit.
        """
        lines = ["root"]
        _tree(self, " |", lines, maxDepth if maxDepth > 0 else 2**31 - 1)
        return "\n".join(lines) + "\n"

    def toDDL(self) -> str:
        """The schema as a DDL string (``a INT NOT NULL,b STRING``)."""
        return ",".join(_field_sql(f) for f in self.fields)

    def _sql(self) -> str:
        inner = ", ".join(f"{_quote(f.name)}: {f.dataType._sql()}{'' if f.nullable else ' NOT NULL'}"
                          for f in self.fields)
        return f"STRUCT<{inner}>"


def _quote(name: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return "`" + name.replace("`", "``") + "`"


def _field_sql(f: StructField) -> str:
    comment = f.metadata.get("comment")
    tail = "" if comment is None else " COMMENT '" + str(comment).replace("'", "\\'") + "'"
    return f"{_quote(f.name)} {f.dataType._sql()}{'' if f.nullable else ' NOT NULL'}{tail}"


def _tree(dt: DataType, prefix: str, lines: list[str], depth: int) -> None:
    """Append the children of ``dt`` to ``lines``, ``depth`` levels deep at most."""
    if depth <= 0:
        return

    def child(name: str, t: DataType, note: str) -> None:
        lines.append(f"{prefix}-- {name}: {t._tree_name()}{note}")
        _tree(t, prefix + "    |", lines, depth - 1)

    if isinstance(dt, StructType):
        for f in dt.fields:
            child(f.name, f.dataType, f" (nullable = {str(f.nullable).lower()})")
    elif isinstance(dt, ArrayType):
        child("element", dt.elementType, f" (containsNull = {str(dt.containsNull).lower()})")
    elif isinstance(dt, MapType):
        child("key", dt.keyType, "")
        child("value", dt.valueType, f" (valueContainsNull = {str(dt.valueContainsNull).lower()})")


# -- JSON schemas ------------------------------------------------------------------------------

_ATOMIC_BY_NAME: dict[str, type] = {
    c.typeName(): c for c in (NullType, StringType, BinaryType, BooleanType, DateType, TimestampType,
                              TimestampNTZType, DoubleType, FloatType, ByteType, ShortType, IntegerType,
                              LongType)
}
_PARAM_JSON = re.compile(r"(decimal|char|varchar)\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)")
_INTERVAL_JSON = re.compile(r"interval (day|hour|minute|second)(?: to (day|hour|minute|second))?")
_FIELD_INDEX = {"day": 0, "hour": 1, "minute": 2, "second": 3}


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


# -- Row ---------------------------------------------------------------------------------------


def _create_row(fields: list[str], values: tuple | list) -> Row:
    row = Row(*values)
    object.__setattr__(row, "__fields__", list(fields))
    return row


class Row(tuple):
    """A row of a DataFrame: a tuple whose fields can be read by name.

    ``Row(word='a', count=1)`` keeps the keyword order; ``Row("word", "count")`` makes a factory
    whose call builds rows with those names.

    Examples
    --------
    >>> r = Row(word='a', count=1)
    >>> r, r.word, r["count"], r.asDict()
    (Row(word='a', count=1), 'a', 1, {'word': 'a', 'count': 1})
    >>> Person = Row("name", "age")
    >>> Person("Alice", 11)
    Row(name='Alice', age=11)
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Row:
        if args and kwargs:
            raise _error(PySparkValueError, "CANNOT_SET_TOGETHER", "{arg_list} should not be set "
                         "together.", arg_list="args and kwargs")
        if kwargs:
            row = tuple.__new__(cls, kwargs.values())
            object.__setattr__(row, "__fields__", list(kwargs))
            return row
        return tuple.__new__(cls, args)

    def _names(self) -> list[str]:
        fields = self.__dict__.get("__fields__")
        if fields is None:
            raise _error(PySparkAttributeError, "ATTRIBUTE_NOT_SUPPORTED", "Attribute `{attr_name}` is "
                         "not supported.", attr_name="__fields__")
        return fields

    def asDict(self, recursive: bool = False) -> dict[str, Any]:
        """The row as a dict of name to value; nested Rows too when ``recursive``.

        Examples
        --------
        >>> Row(a=Row(b=1)).asDict(True)
        {'a': {'b': 1}}
        """
        if "__fields__" not in self.__dict__:
            raise _error(PySparkTypeError, "CANNOT_CONVERT_TYPE", "Cannot convert {from_type} into "
                         "{to_type}.", from_type="Row", to_type="dict")
        if not recursive:
            return dict(zip(self.__fields__, self))
        return {k: _as_plain(v) for k, v in zip(self.__fields__, self)}

    def __contains__(self, item: Any) -> bool:
        fields = self.__dict__.get("__fields__")
        return item in fields if fields is not None else tuple.__contains__(self, item)

    def __call__(self, *args: Any) -> Row:
        """Build a row with this factory's names: ``Row("a", "b")(1, 2)``."""
        if len(args) > len(self):
            raise _error(PySparkValueError, "TOO_MANY_VALUES", "Expected {expected} values for `{item}`, "
                         "got {actual}.", expected=len(self), item="fields", actual=len(args))
        return _create_row(list(self), args)

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, (int, slice)):
            return tuple.__getitem__(self, item)
        try:
            index = self._names().index(item)
        except ValueError:
            raise PySparkValueError(str(item)) from None
        return tuple.__getitem__(self, index)

    def __getattr__(self, item: str) -> Any:
        if item == "__fields__":
            self._names()
        if item.startswith("__"):
            raise AttributeError(item)
        try:
            index = self._names().index(item)
        except ValueError:
            raise _error(PySparkAttributeError, "ATTRIBUTE_NOT_SUPPORTED", "Attribute `{attr_name}` is "
                         "not supported.", attr_name=item) from None
        return tuple.__getitem__(self, index)

    def __setattr__(self, key: Any, value: Any) -> None:
        if key == "__fields__":
            object.__setattr__(self, key, value)
            return
        raise _error(PySparkRuntimeError, "READ_ONLY", "{object} is read-only.", object="Row")

    def __reduce__(self) -> tuple:
        fields = self.__dict__.get("__fields__")
        if fields is not None:
            return _create_row, (fields, tuple(self))
        return Row, tuple(self)

    def __repr__(self) -> str:
        fields = self.__dict__.get("__fields__")
        if fields is not None:
            return "Row(" + ", ".join(f"{k}={v!r}" for k, v in zip(fields, self)) + ")"
        return "<Row(" + ", ".join(repr(v) for v in self) + ")>"


def _as_plain(value: Any) -> Any:
    """Rows inside ``value`` as dicts (for ``asDict(recursive=True)``)."""
    if isinstance(value, Row) and "__fields__" in value.__dict__:
        return value.asDict(True)
    if isinstance(value, list):
        return [_as_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_plain(v) for k, v in value.items()}
    return value


# -- DDL parsing -------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<bq>`(?:[^`]|``)*`)
  | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<num>\d+(?![A-Za-z_]))
  | (?P<ident>[A-Za-z_0-9]+)
  | (?P<op><>|<=|>=|!=|==|[<>(),:.;=\-+*/])
  | (?P<bad>.)
""", re.VERBOSE | re.DOTALL)

_SIMPLE_TYPES: dict[str, type] = {
    "boolean": BooleanType, "tinyint": ByteType, "byte": ByteType, "smallint": ShortType,
    "short": ShortType, "int": IntegerType, "integer": IntegerType, "bigint": LongType, "long": LongType,
    "float": FloatType, "real": FloatType, "double": DoubleType, "date": DateType,
    "timestamp": TimestampType, "timestamp_ltz": TimestampType, "timestamp_ntz": TimestampNTZType,
    "string": StringType, "binary": BinaryType, "void": NullType,
}
_DECIMAL_NAMES = ("decimal", "dec", "numeric")


class _Tok:
    __slots__ = ("kind", "text", "pos")

    def __init__(self, kind: str, text: str, pos: int) -> None:
        self.kind, self.text, self.pos = kind, text, pos

    def word(self) -> str:
        return self.text.lower() if self.kind == "ident" else ""


class _DDLParser:
    """Recursive descent over Spark's DDL grammar: a table schema or a single data type.

    Errors carry Spark's text: ``[PARSE_SYNTAX_ERROR] Syntax error at or near ...`` or
    ``[UNSUPPORTED_DATATYPE]``, with the position and the ``== SQL ==`` excerpt.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks: list[_Tok] = []
        for m in _TOKEN.finditer(text):
            if m.lastgroup != "ws":
                self.toks.append(_Tok(m.lastgroup or "bad", m.group(), m.start()))
        self.i = 0
        self.unsupported: tuple[str, int] | None = None

    # errors
    def _fail(self, error_class: str, message: str, pos: int) -> ParseException:
        state = "0A000" if error_class == "UNSUPPORTED_DATATYPE" else "42601"
        detail = (f"{message} SQLSTATE: {state} (line 1, pos {pos})\n\n== SQL ==\n{self.text}\n"
                  f"{'-' * pos}^^^\n")
        return ParseException(detail, errorClass=error_class)

    def syntax_error(self, missing: str = "") -> ParseException:
        tok = self.peek()
        near = "end of input" if tok is None else f"'{tok.text}'"
        pos = len(self.text.rstrip()) if tok is None else tok.pos
        tail = f": missing '{missing}'" if missing and tok is None else ""
        return self._fail("PARSE_SYNTAX_ERROR", f"Syntax error at or near {near}{tail}.", pos)

    # tokens
    def peek(self, k: int = 0) -> _Tok | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise self.syntax_error()
        self.i += 1
        return tok

    def at(self, text: str) -> bool:
        tok = self.peek()
        return tok is not None and (tok.text == text or tok.word() == text)

    def expect(self, text: str) -> None:
        if not self.at(text):
            raise self.syntax_error(missing=text.upper())
        self.i += 1

    def at_end(self) -> None:
        if self.peek() is not None:
            raise self.syntax_error()

    def check_semantics(self) -> None:
        if self.unsupported is not None:
            name, pos = self.unsupported
            raise self._fail("UNSUPPORTED_DATATYPE", f'Unsupported data type "{name}".', pos)

    # grammar
    def identifier(self) -> str:
        tok = self.peek()
        if tok is None or tok.kind not in ("ident", "bq") or tok.kind == "ident" and tok.text[0].isdigit():
            raise self.syntax_error()
        self.i += 1
        return tok.text[1:-1].replace("``", "`") if tok.kind == "bq" else tok.text

    def integer(self) -> int:
        tok = self.peek()
        if tok is None or tok.kind != "num":
            raise self.syntax_error()
        self.i += 1
        return int(tok.text)

    def table_schema(self) -> StructType:
        fields: list[StructField] = []
        if self.peek() is not None:
            fields.append(self.column(colon=False))
            while self.at(","):
                self.i += 1
                fields.append(self.column(colon=False))
        tok = self.peek()
        if tok is not None and tok.kind in ("ident", "bq") and self.unsupported is not None:
            # After an unknown type name Spark's parser sees the next word as surplus input.
            raise self._fail("PARSE_SYNTAX_ERROR", f"Syntax error at or near '{tok.text}': extra input "
                             f"'{tok.text}'.", tok.pos)
        self.at_end()
        return StructType(fields)

    def column(self, colon: bool) -> StructField:
        name = self.identifier()
        if colon and self.at(":"):
            self.i += 1
        dtype = self.data_type()
        nullable, metadata = True, {}
        while True:
            if self.at("not"):
                self.i += 1
                self.expect("null")
                nullable = False
            elif self.at("comment"):
                self.i += 1
                tok = self.peek()
                if tok is None or tok.kind != "str":
                    raise self.syntax_error()
                self.i += 1
                metadata["comment"] = _unquote(tok.text)
            else:
                return StructField(name, dtype, nullable, metadata)

    def data_type(self) -> DataType:
        tok = self.peek()
        if tok is None or tok.kind != "ident" or tok.text[0].isdigit():
            raise self.syntax_error()
        word = tok.word()
        self.i += 1
        if word in ("array", "map", "struct") and self.at("<"):
            # Spark's parser reports a bad complex type at its '<', not where the inside went wrong.
            start = self.i
            try:
                return self.complex_type(word)
            except ParseException as e:
                if e.getErrorClass() != "PARSE_SYNTAX_ERROR":
                    raise
                self.i = start
                raise self.syntax_error() from None
        if word == "struct" and self.at("<>"):
            self.i += 1
            return StructType()
        if word == "interval":
            return self.interval()
        args: list[int] = []
        if self.at("("):
            self.i += 1
            args.append(self.integer())
            while self.at(","):
                self.i += 1
                args.append(self.integer())
            self.expect(")")
        return self.primitive(word, args, tok)

    def complex_type(self, word: str) -> DataType:
        self.i += 1  # '<'
        if word == "array":
            element = self.data_type()
            self.expect(">")
            return ArrayType(element, True)
        if word == "map":
            key = self.data_type()
            self.expect(",")
            value = self.data_type()
            self.expect(">")
            return MapType(key, value, True)
        fields = [] if self.at(">") else [self.column(colon=True)]
        while self.at(","):
            self.i += 1
            fields.append(self.column(colon=True))
        self.expect(">")
        return StructType(fields)

    def primitive(self, word: str, args: list[int], tok: _Tok) -> DataType:
        if word in _SIMPLE_TYPES and not args:
            return _SIMPLE_TYPES[word]()
        if word in _DECIMAL_NAMES and len(args) <= 2:
            precision, scale = (args + [0])[:2] if args else (10, 0)
            if precision > 38:
                raise _error(ArithmeticException, "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION", "Decimal "
                             "precision {precision} exceeds max precision {maxPrecision}. SQLSTATE: 22003",
                             precision=precision, maxPrecision=38)
            if scale > precision:
                raise _error(PySparkValueError, "DECIMAL_SCALE_EXCEEDS_PRECISION", "Decimal scale ({scale})"
                             " cannot be greater than precision ({precision}).", scale=scale,
                             precision=precision)
            return DecimalType(precision, scale)
        if word in ("char", "character", "varchar") and len(args) == 1:
            return VarcharType(args[0]) if word == "varchar" else CharType(args[0])
        if self.unsupported is None:
            shown = tok.text.upper() + (f"({','.join(map(str, args))})" if args else "")
            self.unsupported = (shown, tok.pos)
        return NullType()

    def interval(self) -> DataType:
        start = self.peek()
        if start is None or start.word() not in _FIELD_INDEX:
            raise PySparkNotImplementedError("ember supports only day-time intervals, "
                                             f"not {self.text!r}")
        self.i += 1
        first = last = _FIELD_INDEX[start.word()]
        if self.at("to"):
            self.i += 1
            end = self.take()
            if end.word() not in _FIELD_INDEX:
                raise self.syntax_error()
            last = _FIELD_INDEX[end.word()]
        return DayTimeIntervalType(first, last)


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def _parse_whole(text: str, rule: str) -> DataType:
    parser = _DDLParser(text)
    result = parser.table_schema() if rule == "schema" else parser.data_type()
    parser.at_end()
    parser.check_semantics()
    return result


def _parse_datatype_string(s: str) -> DataType:
    """Parse a DDL type string as ``createDataFrame``'s ``schema`` argument accepts it.

    Tries, like Spark, a table schema (``"a INT, b STRING"``), then a single type (``"array<int>"``),
    then the text wrapped in ``struct<...>`` (``"a: int, b: string"``); when none parses, the table
    schema's error is raised.

    Examples
    --------
    >>> _parse_datatype_string("word STRING, n INT")
    StructType([StructField('word', StringType(), True), StructField('n', IntegerType(), True)])
    >>> _parse_datatype_string("map<string,int>")
    MapType(StringType(), IntegerType(), True)
    """
    try:
        return _parse_whole(s, "schema")
    except ParseException as schema_error:
        for text in (s, f"struct<{s.strip()}>"):
            try:
                return _parse_whole(text, "type")
            except (ParseException, PySparkValueError, ArithmeticException):
                continue
        raise schema_error from None


# -- inference ---------------------------------------------------------------------------------

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
