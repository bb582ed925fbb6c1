"""The one place where the streaming engine meets the DataFrame engine.

Streaming needs a handful of services from ``ember.sql``: types to Polars dtypes, a static DataFrame
over a Polars frame, temp views, ``show()``'s text, rows, and plan execution. Keeping those calls here
means a change of the DataFrame engine's internals touches one file.
"""

from __future__ import annotations

from typing import Any

import polars as pl


def polars_dtype(dt: Any) -> Any:
    """The Polars dtype ember's DataFrame engine uses for a Spark ``DataType``."""
    from ember.sql.dtypes import to_polars

    return to_polars(dt)


def millis_to_timestamp(expr: pl.Expr) -> pl.Expr:
    """Epoch milliseconds -> the engine's timestamp representation."""
    from ember.sql.types import TimestampType

    return expr.cast(pl.Int64).mul(1000).cast(pl.Datetime("us")).cast(polars_dtype(TimestampType()))


def timestamp_to_micros(expr: pl.Expr) -> pl.Expr:
    """The engine's timestamp -> epoch microseconds (Int64)."""
    return expr.dt.epoch("us")


def parse_schema(schema: Any) -> Any:
    """A ``StructType`` from a StructType or a DDL string (``"a INT, b STRING"``)."""
    from ember.sql.types import StructType, _parse_datatype_string

    if isinstance(schema, StructType):
        return schema
    if isinstance(schema, str):
        parsed = _parse_datatype_string(schema)
        if not isinstance(parsed, StructType):
            from ember.sql.types import StructField

            parsed = StructType([StructField("value", parsed, True)])
        return parsed
    from ember.errors import PySparkTypeError

    raise PySparkTypeError(errorClass="NOT_STR_OR_STRUCT",
                           messageParameters={"arg_name": "schema", "arg_type": type(schema).__name__},
                           message="Argument `schema` should be a str or StructType, got "
                                   f"{type(schema).__name__}.")


def empty_frame(schema: Any) -> pl.DataFrame:
    return pl.DataFrame(schema={f.name: polars_dtype(f.dataType) for f in schema.fields})


def rows_to_frame(records: list[tuple], schema: Any) -> pl.DataFrame:
    """Python rows (tuples in schema order) -> a Polars frame, through the engine's converter."""
    from ember.sql.convert import rows_to_frame as convert

    frame = convert(records, schema)
    frame.columns = [f.name for f in schema.fields]
    return frame


def streaming_dataframe(session: Any, spec: Any) -> Any:
    """A streaming DataFrame whose plan is one StreamSource leaf over ``spec``."""
    from ember.sql.dataframe import DataFrame
    from ember.sql.plan import StreamSource

    return DataFrame(StreamSource(spec, spec.schema), session)


def static_df(session: Any, frame: pl.DataFrame, schema: Any) -> Any:
    """A batch DataFrame over a Polars frame (foreachBatch, memory sink)."""
    from ember.sql.dataframe import DataFrame
    from ember.sql.plan import LocalRelation

    return DataFrame(LocalRelation(frame, schema), session)


def register_temp_view(session: Any, name: str, frame: pl.DataFrame, schema: Any) -> None:
    static_df(session, frame, schema).createOrReplaceTempView(name)


def frame_rows(frame: pl.DataFrame, schema: Any) -> list:
    """``Row`` objects of a frame, as ``collect()`` makes them."""
    from ember.sql.convert import frame_to_tuples
    from ember.sql.types import Row

    names = [f.name for f in schema.fields]
    new = tuple.__new__
    out = []
    for t in frame_to_tuples(frame, schema):
        r = new(Row, t)
        r.__dict__["__fields__"] = names
        out.append(r)
    return out


def show_string(frame: pl.DataFrame, schema: Any, n: int, truncate: int) -> str:
    """``show(n, truncate)``'s table for a frame (without the trailing newline of print)."""
    from ember.sql import show
    from ember.sql.convert import frame_to_tuples
    from ember.sql.session import current_time_zone

    rows = frame_to_tuples(frame.head(n + 1), schema, current_time_zone())
    names = [f.name for f in schema.fields]
    types = [f.dataType for f in schema.fields]
    return show.show_string(names, rows, types, n, truncate, False)


def to_lazy(plan: Any, bindings: dict) -> pl.LazyFrame:
    from ember.sql import execution

    return execution.to_lazy(plan, bindings)


def read_file(fmt: str, path: str | list[str], schema: Any, options: dict) -> pl.DataFrame:
    """One file (or several, read as one) of a file source as a frame of ``schema``, as ``spark.read``."""
    from ember.sql import execution
    from ember.sql.plan import FileScan

    opts = tuple((k, v) for k, v in options.items() if v is not None and k.lower() != "path")
    paths = (path,) if isinstance(path, str) else tuple(path)
    return execution.to_lazy(FileScan(fmt, paths, schema, opts)).collect()


def write_file(fmt: str, frame: pl.DataFrame, schema: Any, path: str, options: dict,
               partition_by: list[str]) -> None:
    """One part file of a file sink, written by the engine's ``df.write`` code (same formats)."""
    from ember.sql.filewrite import write_part
    from ember.sql.types import StructType

    fields = [f for f in schema.fields if f.name not in partition_by]
    if fmt == "text" and len(fields) != 1:
        from ember.errors import AnalysisException

        raise AnalysisException("Text data source supports only a single column, and you have "
                                f"{len(fields)} columns.")
    opts = {k.lower(): v for k, v in options.items()}
    write_part(static_df(None, frame, StructType(fields)), fmt, path, opts)
