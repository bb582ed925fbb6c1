"""Python data sources (``pyspark.sql.datasource``): user classes read with ``spark.read`` / ``readStream``.

A :class:`DataSource` subclass names a format (``name()``, the class name by default), gives a schema
(a DDL string or a ``StructType``) and makes readers: :meth:`DataSource.reader` for batch reads,
:meth:`DataSource.streamReader` (or the simpler :meth:`DataSource.simpleStreamReader`) for streams.
``spark.dataSource.register(cls)`` makes the format known to that session. Rows come back as tuples,
lists or ``Row`` objects and are checked against the schema as Spark checks them. The streaming side
is in :mod:`ember.sql.streaming.sources.python_source`.

Examples
--------
>>> from ember.sql import SparkSession
>>> from ember.sql.datasource import DataSource, DataSourceReader
>>> class Counter(DataSource):
...     @classmethod
...     def name(cls):
...         return "counter"
...     def schema(self):
...         return "n INT"
...     def reader(self, schema):
...         return CounterReader()
>>> class CounterReader(DataSourceReader):
...     def read(self, partition):
...         yield from ((i,) for i in range(3))
>>> spark = SparkSession.builder.getOrCreate()
>>> spark.dataSource.register(Counter)
>>> spark.read.format("counter").load().collect()
[Row(n=0), Row(n=1), Row(n=2)]
"""

from __future__ import annotations

import traceback
from abc import ABC, abstractmethod
from collections import UserDict
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from ember.errors import AnalysisException, PySparkNotImplementedError, PySparkRuntimeError, PySparkTypeError

__all__ = [
    "DataSource", "DataSourceReader", "DataSourceStreamReader", "SimpleDataSourceStreamReader",
    "DataSourceWriter", "DataSourceStreamWriter", "InputPartition", "WriterCommitMessage",
    "DataSourceRegistration", "CaseInsensitiveDict", "Filter", "EqualTo", "EqualNullSafe", "GreaterThan",
    "GreaterThanOrEqual", "LessThan", "LessThanOrEqual", "In", "IsNull", "IsNotNull", "Not",
    "StringStartsWith", "StringEndsWith", "StringContains",
]


def _not_implemented(feature: str) -> PySparkNotImplementedError:
    return PySparkNotImplementedError(errorClass="NOT_IMPLEMENTED", messageParameters={"feature": feature},
                                      message=f"{feature} is not implemented.")


class DataSource(ABC):  # noqa: B024 - an ABC without abstract methods, as in PySpark
    """A user-defined data source; subclasses implement ``schema`` and one or more readers or writers.

    Parameters
    ----------
    options : CaseInsensitiveDict
        The reader's options (``path`` among them when ``load(path)`` gave one).
    """

    def __init__(self, options: Any) -> None:
        self.options = options

    @classmethod
    def name(cls) -> str:
        """The format name; the class name unless overridden."""
        return cls.__name__

    def schema(self) -> Any:
        """The rows' schema: a DDL string (``"a INT, b STRING"``) or a ``StructType``."""
        raise _not_implemented("schema")

    def reader(self, schema: Any) -> DataSourceReader:
        raise _not_implemented("reader")

    def writer(self, schema: Any, overwrite: bool) -> DataSourceWriter:
        raise _not_implemented("writer")

    def streamWriter(self, schema: Any, overwrite: bool) -> DataSourceStreamWriter:
        raise _not_implemented("streamWriter")

    def simpleStreamReader(self, schema: Any) -> SimpleDataSourceStreamReader:
        raise _not_implemented("simpleStreamReader")

    def streamReader(self, schema: Any) -> DataSourceStreamReader:
        raise _not_implemented("streamReader")


# -- filters (what pushFilters would get; ember pushes none, as Spark by default) ------------------


class Filter(ABC):  # noqa: B024 - a marker base, as in PySpark
    """A predicate a reader could evaluate itself; ``attribute`` is a column path tuple."""


@dataclass(frozen=True)
class EqualTo(Filter):
    attribute: tuple
    value: Any


@dataclass(frozen=True)
class EqualNullSafe(Filter):
    attribute: tuple
    value: Any


@dataclass(frozen=True)
class GreaterThan(Filter):
    attribute: tuple
    value: Any


@dataclass(frozen=True)
class GreaterThanOrEqual(Filter):
    attribute: tuple
    value: Any


@dataclass(frozen=True)
class LessThan(Filter):
    attribute: tuple
    value: Any


@dataclass(frozen=True)
class LessThanOrEqual(Filter):
    attribute: tuple
    value: Any


@dataclass(frozen=True)
class In(Filter):
    attribute: tuple
    value: tuple


@dataclass(frozen=True)
class IsNull(Filter):
    attribute: tuple


@dataclass(frozen=True)
class IsNotNull(Filter):
    attribute: tuple


@dataclass(frozen=True)
class Not(Filter):
    child: Filter


@dataclass(frozen=True)
class StringStartsWith(Filter):
    attribute: tuple
    value: str


@dataclass(frozen=True)
class StringEndsWith(Filter):
    attribute: tuple
    value: str


@dataclass(frozen=True)
class StringContains(Filter):
    attribute: tuple
    value: str


class InputPartition:
    """One unit of reading, handed to ``read``; subclasses add their own fields.

    Examples
    --------
    >>> InputPartition(3)
    InputPartition(value=3)
    """

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({fields})"


class DataSourceReader(ABC):
    """Reads a batch: ``partitions()`` (one ``InputPartition(None)`` by default), then ``read`` each."""

    def pushFilters(self, filters: list) -> Iterable:
        return filters

    def partitions(self) -> list:
        return [InputPartition(None)]

    @abstractmethod
    def read(self, partition: InputPartition) -> Iterator:
        """The rows of one partition: an iterator of tuples, lists or ``Row`` objects."""


class DataSourceStreamReader(ABC):
    """Reads a stream: offsets are JSON-able dicts; rows between two offsets come from ``read``."""

    def initialOffset(self) -> dict:
        raise _not_implemented("initialOffset")

    def latestOffset(self, start: dict, limit: Any) -> dict:
        """The end offset of the next batch, starting at ``start`` and within ``limit``."""
        raise _not_implemented("latestOffset")

    def getDefaultReadLimit(self) -> Any:
        from ember.sql.streaming.datasource import ReadAllAvailable

        return ReadAllAvailable()

    def reportLatestOffset(self) -> dict | None:
        return None

    def partitions(self, start: dict, end: dict) -> list:
        raise _not_implemented("partitions")

    @abstractmethod
    def read(self, partition: InputPartition) -> Iterator:
        """The rows of one partition of a batch."""

    def commit(self, end: dict) -> None:
        """Everything up to ``end`` is processed."""
        return None

    def stop(self) -> None:
        """The query stopped: release resources."""
        return None


class SimpleDataSourceStreamReader(ABC):  # noqa: B024 - as in PySpark
    """A stream reader that reads and advances in one call (``read(start) -> (rows, end)``)."""

    def initialOffset(self) -> dict:
        raise _not_implemented("initialOffset")

    def read(self, start: dict) -> tuple:
        raise _not_implemented("read")

    def readBetweenOffsets(self, start: dict, end: dict) -> Iterator:
        """The rows between two offsets again (a restarted query replays its last batch)."""
        raise _not_implemented("readBetweenOffsets")

    def commit(self, end: dict) -> None:
        """Everything up to ``end`` is processed."""
        return None


class WriterCommitMessage:
    """What a writer's ``write`` returns to ``commit``/``abort``; subclass it to carry data."""


class DataSourceWriter(ABC):
    """Writes a batch DataFrame: ``write(rows)`` per partition, then ``commit(messages)``."""

    @abstractmethod
    def write(self, iterator: Iterator) -> WriterCommitMessage:
        """Write one partition's rows."""

    def commit(self, messages: list) -> None:
        """All partitions were written."""
        return None

    def abort(self, messages: list) -> None:
        """A partition failed."""
        return None


class DataSourceStreamWriter(ABC):
    """Writes each micro-batch: ``write(rows)`` per partition, then ``commit(messages, batchId)``."""

    @abstractmethod
    def write(self, iterator: Iterator) -> WriterCommitMessage:
        """Write one partition's rows."""

    def commit(self, messages: list, batchId: int) -> None:
        """The batch was written."""
        return None

    def abort(self, messages: list, batchId: int) -> None:
        """Writing the batch failed."""
        return None


class CaseInsensitiveDict(UserDict):
    """The options a data source gets: keys are matched (and kept) in lower case."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.update(*args, **kwargs)

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key.lower(), value)

    def __getitem__(self, key: str) -> Any:
        return super().__getitem__(key.lower())

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def update(self, *args: Any, **kwargs: Any) -> None:
        for k, v in dict(*args, **kwargs).items():
            self[k] = v

    def copy(self) -> CaseInsensitiveDict:
        return type(self)(self)


class DataSourceRegistration:
    """``spark.dataSource``: registers :class:`DataSource` classes by their ``name()``."""

    def __init__(self, sparkSession: Any) -> None:
        self.sparkSession = sparkSession

    def register(self, dataSource: type) -> None:
        """Make ``dataSource`` readable as ``format(dataSource.name())`` (any case) in this session.

        Examples
        --------
        >>> spark.dataSource.register(Counter)  # doctest: +SKIP
        """
        name = dataSource.name()
        _registry(self.sparkSession)[name.lower()] = dataSource


def _registry(session: Any) -> dict:
    # the session object carries its own registry: sources registered in one session stay there
    found = session.__dict__.get("_python_data_sources")
    if found is None:
        found = {}
        session.__dict__["_python_data_sources"] = found
    return found


def lookup(session: Any, fmt: str | None) -> type | None:
    """The registered data source class for ``fmt`` (any case), or None."""
    if not fmt or session is None:
        return None
    return _registry(session).get(fmt.lower())


# -- errors as Spark reports them ---------------------------------------------------------------


def _trace(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def data_source_error(action: str, exc: BaseException) -> AnalysisException:
    """``[PYTHON_DATA_SOURCE_ERROR] Failed to <action>: <traceback>`` (planning-time failures)."""
    return AnalysisException(
        errorClass="PYTHON_DATA_SOURCE_ERROR", messageParameters={"action": action, "msg": _trace(exc)},
        message=f"Failed to {action}: {_trace(exc)} SQLSTATE: 38000")


def worker_error(exc: BaseException) -> Exception:
    """A failure while reading rows: Spark's PythonException with the worker's traceback."""
    from ember.sql.exec_expr import python_exception

    return python_exception(exc)


def type_mismatch(expected: str, actual: str) -> PySparkRuntimeError:
    return PySparkRuntimeError(errorClass="DATA_SOURCE_TYPE_MISMATCH",
                               messageParameters={"expected": expected, "actual": actual},
                               message=f"Expected {expected}, but got {actual}.")


def _schema_mismatch(expected: str, actual: str) -> PySparkRuntimeError:
    return PySparkRuntimeError(
        errorClass="DATA_SOURCE_RETURN_SCHEMA_MISMATCH",
        messageParameters={"expected": expected, "actual": actual},
        message=f"Return schema mismatch in the result from 'read' method. Expected: {expected} columns, "
                f"Found: {actual} columns. Make sure the returned values match the required output schema.")


def invalid_return_type(type_name: str, source_name: str, supported: str) -> PySparkRuntimeError:
    return PySparkRuntimeError(
        errorClass="DATA_SOURCE_INVALID_RETURN_TYPE",
        messageParameters={"type": type_name, "name": source_name, "supported_types": supported},
        message=f"Unsupported return type ('{type_name}') from Python data source '{source_name}'. "
                f"Expected types: {supported}.")


# -- instances and rows -------------------------------------------------------------------------


def instantiate(cls: type, options: dict, user_schema: Any) -> tuple[DataSource, Any]:
    """The data source object for one read and its schema (the user's, else ``schema()``)."""
    from ember.sql.streaming import _compat
    from ember.sql.types import StructType

    if not isinstance(cls, type) or not issubclass(cls, DataSource):
        raise PySparkTypeError(errorClass="DATA_SOURCE_TYPE_MISMATCH",
                               messageParameters={"expected": "a subclass of DataSource",
                                                  "actual": f"'{type(cls).__name__}'"},
                               message=f"Expected a subclass of DataSource, but got '{type(cls).__name__}'.")
    try:
        source = cls(options=CaseInsensitiveDict(options))
        schema = user_schema if user_schema is not None else source.schema()
        if not isinstance(schema, (str, StructType)):
            raise type_mismatch("a schema of type 'StructType' or 'str'", f"'{type(schema).__name__}'")
    except Exception as e:
        raise data_source_error("create Python data source instance", e) from None
    return source, _compat.parse_schema(schema)


def rows_to_frame(rows: Any, schema: Any, source_name: str) -> Any:
    """A Polars frame of ``schema`` from what ``read`` returned, checked as Spark checks it.

    Raises Spark's PythonException (the worker's error) for a non-iterator, a row of the wrong width
    or type, a ``Row`` with other field names, or a value the column type cannot hold.
    """
    try:
        return _convert(rows, schema, source_name)
    except Exception as e:
        raise worker_error(e) from None


def _convert(rows: Any, schema: Any, source_name: str) -> Any:
    import polars as pl

    from ember.sql.streaming.sources.base import polars_schema
    from ember.sql.types import Row

    if not isinstance(rows, Iterator):
        raise invalid_return_type(type(rows).__name__, source_name, "iterator")
    names = [f.name for f in schema.fields]
    width = len(names)
    columns: list[list] = [[] for _ in names]
    dtypes = polars_schema(schema)
    frames = []
    for record in rows:
        if type(record).__module__.startswith("pyarrow"):
            frames.append(pl.from_arrow(record))
            continue
        if hasattr(record, "__len__") and len(record) != width:
            raise _schema_mismatch(str(width), str(len(record)))
        if not isinstance(record, (list, tuple)):
            raise invalid_return_type(type(record).__name__, source_name,
                                      "tuple, list, `pyspark.sql.types.Row`, `pyarrow.RecordBatch`")
        fields = getattr(record, "__fields__", None) if isinstance(record, Row) else None
        if fields:
            if set(fields) != set(names):
                raise _schema_mismatch(str(names), str(list(fields)))
            for i, n in enumerate(names):
                columns[i].append(record[n])
        else:
            for i in range(width):
                columns[i].append(record[i])
    if frames:
        return pl.concat(frames, how="vertical").cast(dtypes)
    return pl.DataFrame({n: pl.Series(n, c, dtype=dtypes[n], strict=True) for n, c in zip(names, columns)})


# -- batch reads --------------------------------------------------------------------------------


def load(session: Any, cls: type, options: dict, user_schema: Any) -> Any:
    """``spark.read.format(<registered name>).load()``: every partition read now, as one DataFrame."""
    import polars as pl

    from ember.sql.streaming import _compat

    source, schema = instantiate(cls, options, user_schema)
    try:
        reader = source.reader(schema=schema)
        if not isinstance(reader, DataSourceReader):
            raise type_mismatch("an instance of DataSourceReader", f"'{type(reader).__name__}'")
        _check_pushdown(session, reader)
    except Exception as e:
        raise data_source_error("initialize Python data source reader", e) from None
    try:
        parts = reader.partitions()
        if not isinstance(parts, list):
            raise type_mismatch("'partitions' to return a list", f"'{type(parts).__name__}'")
        if not all(isinstance(p, InputPartition) for p in parts):
            kinds = ", ".join(f"'{type(p).__name__}'" for p in parts)
            raise type_mismatch("elements in 'partitions' to be of type 'InputPartition'", kinds)
    except Exception as e:
        raise data_source_error("generate Python data source read partitions", e) from None
    frames = []
    for part in parts or [InputPartition(None)]:
        try:
            rows = reader.read(part)
        except Exception as e:
            raise worker_error(e) from None
        frames.append(rows_to_frame(rows, schema, cls.name()))
    return _compat.static_df(session, pl.concat(frames, how="vertical"), schema)


def _check_pushdown(session: Any, reader: Any) -> None:
    """A reader with its own ``pushFilters`` needs the pushdown setting on, as in Spark (ember then
    pushes no filter: the reader reads everything and the filters run after it)."""
    if getattr(type(reader).pushFilters, "__code__", None) is DataSourceReader.pushFilters.__code__:
        return
    conf = "spark.sql.python.filterPushdown.enabled"
    try:
        enabled = str(session.conf.get(conf, "false")).lower() == "true"
    except Exception:  # a conf without the key: Spark's default
        enabled = False
    if not enabled:
        raise PySparkRuntimeError(
            errorClass="DATA_SOURCE_PUSHDOWN_DISABLED",
            messageParameters={"type": type(reader).__name__, "conf": conf},
            message=f"{type(reader).__name__} implements pushFilters() but filter pushdown is disabled "
                    f"because configuration '{conf}' is false. Set it to true to enable filter pushdown.")
