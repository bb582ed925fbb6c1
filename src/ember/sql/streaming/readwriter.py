"""``spark.readStream`` (:class:`DataStreamReader`) and ``df.writeStream`` (:class:`DataStreamWriter`).

Examples
--------
>>> from ember.sql import SparkSession
>>> spark = SparkSession.builder.getOrCreate()
>>> df = spark.readStream.format("rate").option("rowsPerSecond", 5).load()
>>> df.isStreaming
True
>>> q = df.writeStream.format("memory").queryName("ticks").start()
>>> q.stop()
"""

from __future__ import annotations

import os
import uuid
from typing import Any, Callable

from ember.errors import AnalysisException, IllegalArgumentException, PySparkValueError
from ember.sql.streaming import _compat
from ember.sql.streaming.sources.base import SourceSpec, get_option
from ember.sql.streaming.triggers import DEFAULT, Trigger, parse_trigger

FILE_FORMATS = ("text", "csv", "json", "parquet")
_MODES = ("append", "complete", "update")


def _to_str(value: Any) -> str | None:
    if isinstance(value, bool):
        return str(value).lower()
    return None if value is None else str(value)


def _non_empty(name: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise PySparkValueError(errorClass="VALUE_NOT_NON_EMPTY_STR",
                                messageParameters={"arg_name": name, "arg_value": str(value)},
                                message=f"Value for `{name}` must be a non-empty string, got '{value}'.")


class DataStreamReader:
    """Builds a streaming DataFrame from a source (``spark.readStream``)."""

    def __init__(self, session: Any) -> None:
        self._spark = session
        self._format: str | None = None
        self._schema: Any = None
        self._options: dict[str, str] = {}

    def format(self, source: str) -> DataStreamReader:  # noqa: A003 - Spark's name
        """The source: ``socket``, ``rate``, ``rate-micro-batch``, ``text``, ``csv``, ``json``..."""
        self._format = source
        return self

    def schema(self, schema: Any) -> DataStreamReader:
        """The rows' schema, a ``StructType`` or a DDL string."""
        self._schema = _compat.parse_schema(schema)
        return self

    def option(self, key: str, value: Any) -> DataStreamReader:
        self._options[key] = _to_str(value)
        return self

    def options(self, **options: Any) -> DataStreamReader:
        for k, v in options.items():
            self.option(k, v)
        return self

    def name(self, source_name: str) -> DataStreamReader:
        """Name the source (kept for the offset log)."""
        _non_empty("source_name", source_name)
        self._source_name = source_name
        return self

    def load(self, path: str | None = None, format: str | None = None, schema: Any = None,  # noqa: A002
             **options: Any) -> Any:
        """The streaming DataFrame of the configured source."""
        if format is not None:
            self.format(format)
        if schema is not None:
            self.schema(schema)
        self.options(**options)
        opts = dict(self._options)
        if path is not None:
            _non_empty("path", path)
            opts["path"] = path
        fmt = (self._format or _default_format(self._spark)).lower()
        from ember.sql.streaming.sources import python_source  # user data sources (spark.dataSource)

        spec = (python_source.spec_for(self._spark, fmt, opts, self._schema)
                or _make_spec(fmt, opts, self._schema))
        return _compat.streaming_dataframe(self._spark, spec)

    def _file(self, fmt: str, path: str, schema: Any, options: dict) -> Any:
        for k, v in options.items():
            if v is not None:
                self.option(k, v)
        return self.load(path=path, format=fmt, schema=schema)

    def text(self, path: str, wholetext: bool = False, lineSep: str | None = None, **options: Any) -> Any:
        """Lines of new text files in ``path`` as ``value STRING``."""
        return self._file("text", path, None, {"wholetext": wholetext, "lineSep": lineSep, **options})

    def csv(self, path: str, schema: Any = None, sep: str | None = None, header: Any = None,
            **options: Any) -> Any:
        """Rows of new CSV files in ``path`` (``schema`` required)."""
        return self._file("csv", path, schema, {"sep": sep, "header": header, **options})

    def json(self, path: str, schema: Any = None, **options: Any) -> Any:
        """Rows of new JSON-lines files in ``path`` (``schema`` required)."""
        return self._file("json", path, schema, options)

    def parquet(self, path: str, **options: Any) -> Any:
        """Rows of new Parquet files in ``path`` (``schema`` required)."""
        return self._file("parquet", path, None, options)

    def table(self, tableName: str) -> Any:
        """New files of the managed parquet table ``tableName`` as a stream."""
        from ember.sql import tables

        if not tables.exists(self._spark, tableName):
            self._spark.table(tableName)  # raises Spark's TABLE_OR_VIEW_NOT_FOUND
        schema = tables.schema_of(self._spark, tableName)
        opts = dict(self._options, path=tables.table_path(self._spark, tableName))
        return _compat.streaming_dataframe(self._spark, _make_spec("parquet", opts, schema))


def _default_format(session: Any) -> str:
    try:
        return session.conf.get("spark.sql.sources.default", "parquet")
    except Exception:  # no conf: Spark's default
        return "parquet"


def _make_spec(fmt: str, opts: dict, schema: Any) -> SourceSpec:
    from ember.sql.streaming.sources import files, rate, socket

    if fmt == "socket":
        socket.validate(opts)
        return SourceSpec(fmt, opts, socket.schema_for(opts), socket.SocketSource)
    if fmt == "rate":
        rate.validate_rate(opts)
        return SourceSpec(fmt, opts, rate.rate_schema(), rate.RateSource)
    if fmt == "rate-micro-batch":
        rate.validate_rate_micro_batch(opts)
        return SourceSpec(fmt, opts, rate.rate_schema(), rate.RateMicroBatchSource)
    if fmt in FILE_FORMATS:
        if fmt == "text":
            from ember.sql.types import StringType, StructField, StructType

            schema = schema or StructType([StructField("value", StringType(), True)])
        if schema is None:
            raise IllegalArgumentException(files.SCHEMA_REQUIRED)
        if get_option(opts, "path") is None:
            raise IllegalArgumentException("'path' is not specified")
        return SourceSpec(fmt, opts, schema, files.FileSource)
    raise AnalysisException(
        errorClass="DATA_SOURCE_NOT_FOUND", messageParameters={"provider": fmt},
        message=f"Failed to find the data source: {fmt}. Make sure the provider name is correct and the "
                "package is properly registered and compatible with your Spark version. SQLSTATE: 42K02")


class DataStreamWriter:
    """Configures and starts a streaming query over a streaming DataFrame (``df.writeStream``)."""

    def __init__(self, df: Any) -> None:
        if not getattr(df, "isStreaming", False):
            raise AnalysisException(
                errorClass="WRITE_STREAM_NOT_ALLOWED", messageParameters={},
                message="`writeStream` can be called only on streaming Dataset/DataFrame. SQLSTATE: 42601")
        self._df = df
        self._spark = df.sparkSession
        self._format: str | None = None
        self._mode = "append"
        self._options: dict[str, str] = {}
        self._partition_by: list[str] = []
        self._name: str | None = None
        self._trigger: Trigger | None = None
        self._foreach: Callable | None = None
        self._foreach_batch: Callable | None = None

    def outputMode(self, outputMode: str) -> DataStreamWriter:
        """``append`` (default), ``complete`` or ``update`` (any case)."""
        _non_empty("outputMode", outputMode)
        if outputMode.lower() not in _MODES:
            raise IllegalArgumentException(
                errorClass="STREAMING_OUTPUT_MODE.INVALID", messageParameters={"outputMode": outputMode},
                message=f"Invalid streaming output mode: {outputMode}. Accepted output modes are 'Append', "
                        "'Complete', 'Update'. SQLSTATE: 42KDE")
        self._mode = outputMode.lower()
        return self

    def format(self, source: str) -> DataStreamWriter:  # noqa: A003 - Spark's name
        self._format = source
        return self

    def option(self, key: str, value: Any) -> DataStreamWriter:
        self._options[key] = _to_str(value)
        return self

    def options(self, **options: Any) -> DataStreamWriter:
        for k, v in options.items():
            self.option(k, v)
        return self

    def partitionBy(self, *cols: Any) -> DataStreamWriter:
        if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
            cols = tuple(cols[0])
        self._partition_by = list(cols)
        return self

    def clusterBy(self, *cols: Any) -> DataStreamWriter:
        return self

    def queryName(self, queryName: str) -> DataStreamWriter:
        """A name unique among the session's active queries (the memory sink's table name)."""
        _non_empty("queryName", queryName)
        self._name = queryName.strip()
        return self

    def trigger(self, *, processingTime: str | None = None, once: bool | None = None,
                continuous: str | None = None, availableNow: bool | None = None,
                realTime: str | None = None) -> DataStreamWriter:
        """When batches run: ``processingTime='5 seconds'``, ``once=True`` or ``availableNow=True``."""
        self._trigger = parse_trigger(processingTime=processingTime, once=once, continuous=continuous,
                                      availableNow=availableNow, realTime=realTime)
        return self

    def foreach(self, f: Any) -> DataStreamWriter:
        """Process each row with ``f(row)`` or a writer object's ``open``/``process``/``close``."""
        from ember.sql.streaming.sinks import foreach_writer

        self._foreach = foreach_writer(f)
        self._format = "foreach"
        return self

    def foreachBatch(self, func: Callable) -> DataStreamWriter:
        """Call ``func(batch_df, batch_id)`` for each micro-batch."""
        self._foreach_batch = func
        self._format = "foreachBatch"
        return self

    def start(self, path: str | None = None, format: str | None = None,  # noqa: A002
              outputMode: str | None = None, partitionBy: Any = None, queryName: str | None = None,
              **options: Any) -> Any:
        """Start the query; returns its :class:`~ember.sql.streaming.query.StreamingQuery`."""
        self.options(**options)
        if outputMode is not None:
            self.outputMode(outputMode)
        if partitionBy is not None:
            self.partitionBy(partitionBy)
        if format is not None:
            self.format(format)
        if queryName is not None:
            self.queryName(queryName)
        if path is not None:
            self._options["path"] = path
        return self._start()

    def toTable(self, tableName: str, format: str | None = None, outputMode: str | None = None,  # noqa: A002
                partitionBy: Any = None, queryName: str | None = None, **options: Any) -> Any:
        """Start the query writing each batch to the table ``tableName``."""
        from ember.sql.streaming.sinks import TableSink

        self.options(**options)
        if outputMode is not None:
            self.outputMode(outputMode)
        if queryName is not None:
            self.queryName(queryName)
        return self._start(TableSink(self._spark, tableName))

    def _start(self, sink: Any = None) -> Any:
        from ember.sql.streaming import sinks
        from ember.sql.streaming.query import StreamingQuery

        opts = self._options
        # a "format" among the options is only an option: Spark 4.3 still writes its default format
        fmt = (self._format or _default_format(self._spark)).lower()
        fmt = {"foreachbatch": "foreachBatch"}.get(fmt, fmt)
        if sink is None:
            if fmt == "memory" and not self._name:
                raise AnalysisException("queryName must be specified for memory sink.")
            if fmt in FILE_FORMATS + ("orc",) and get_option(opts, "path") is None:
                raise IllegalArgumentException("'path' is not specified.")
        durable = sink is not None or fmt in FILE_FORMATS + ("orc",)
        checkpoint = self._checkpoint(durable)
        plan = self._df._plan
        if sink is None:
            sink = self._make_sink(fmt, opts, sinks)
        if self._mode not in sink.modes:
            raise AnalysisException(
                errorClass="STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE",
                messageParameters={"outputMode": self._mode, "className": fmt},
                message=f"Invalid streaming output mode: {self._mode}. This output mode is not supported in "
                        f"Data Source {fmt}. SQLSTATE: 42KDE")
        manager = self._spark.streams
        try:
            query = StreamingQuery(manager, self._spark, plan, sink, self._mode, self._trigger or DEFAULT,
                                   checkpoint, self._name, plan.schema)
            manager._register(query)
        except BaseException:
            checkpoint.cleanup()
            raise
        query._start()
        return query

    def _checkpoint(self, durable: bool) -> Any:
        from ember.sql.streaming.checkpoint import Checkpoint

        location = get_option(self._options, "checkpointLocation")
        if location is None:
            try:
                root = self._spark.conf.get("spark.sql.streaming.checkpointLocation", None)
            except Exception:  # a conf without the key
                root = None
            if root:
                location = os.path.join(root, self._name or str(uuid.uuid4()))
        if location is None:
            if durable:
                raise AnalysisException(
                    'checkpointLocation must be specified either through option("checkpointLocation", ...) '
                    'or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...).')
            return Checkpoint.make_temporary()
        return Checkpoint(location)

    def _make_sink(self, fmt: str, opts: dict, sinks: Any) -> Any:
        if fmt == "console":
            return sinks.ConsoleSink(opts)
        if fmt == "memory":
            return sinks.MemorySink(self._spark, self._name)
        if fmt == "noop":
            return sinks.NoopSink()
        if fmt == "foreach" and self._foreach is not None:
            return sinks.ForeachSink(self._foreach)
        if fmt == "foreachBatch" and self._foreach_batch is not None:
            return sinks.ForeachBatchSink(self._spark, self._foreach_batch)
        if fmt in FILE_FORMATS:
            return sinks.FileSink(fmt, get_option(opts, "path"), opts, self._partition_by)
        from ember.sql import datasource, datasource_write  # user data sources (spark.dataSource)

        if datasource.lookup(self._spark, fmt) is not None:
            return datasource_write.PythonStreamSink(datasource.lookup(self._spark, fmt), opts, self._mode)
        raise AnalysisException(
            errorClass="DATA_SOURCE_NOT_FOUND", messageParameters={"provider": fmt},
            message=f"Failed to find the data source: {fmt}. Make sure the provider name is correct and the "
                    "package is properly registered and compatible with your Spark version. SQLSTATE: 42K02")
