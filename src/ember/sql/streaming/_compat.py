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


def read_file(fmt: str, path: str, schema: Any, options: dict) -> pl.DataFrame:
    """One file of a file source as a frame of ``schema``."""
    from ember.sql.streaming.sources.base import get_option, option_bool

    pl_schema = {f.name: polars_dtype(f.dataType) for f in schema.fields}
    if fmt == "text":
        text = open(path, encoding="utf-8", errors="replace").read()
        if option_bool(options, "wholetext", False):
            return pl.DataFrame({"value": [text]})
        sep = get_option(options, "lineSep")
        if sep is None:
            lines = text.splitlines() if "\r" in text else text.split("\n")
            if lines and lines[-1] == "" and sep is None and text.endswith("\n"):
                lines.pop()
        else:
            lines = text.split(sep)
        return pl.DataFrame({"value": pl.Series(lines, dtype=pl.String)})
    if fmt == "csv":
        header = bool(option_bool(options, "header", False))
        sep = get_option(options, "sep", get_option(options, "delimiter", ","))
        raw = pl.read_csv(path, has_header=header, separator=sep, new_columns=list(pl_schema),
                          schema_overrides={k: pl.String for k in pl_schema}, infer_schema=False)
        return _cast_strings(raw, pl_schema)
    if fmt == "json":
        raw = pl.read_ndjson(path, schema={k: pl.String for k in pl_schema}, ignore_errors=True)
        return _cast_strings(raw, pl_schema)
    if fmt == "parquet":
        return pl.read_parquet(path).select([pl.col(k).cast(v) for k, v in pl_schema.items()])
    raise ValueError(f"ember cannot stream files of format {fmt!r}")


def _cast_strings(raw: pl.DataFrame, pl_schema: dict) -> pl.DataFrame:
    out = []
    for name, dtype in pl_schema.items():
        c = pl.col(name)
        if isinstance(dtype, pl.Datetime):
            out.append(c.str.to_datetime(strict=False, time_unit="us").cast(dtype).alias(name))
        elif dtype == pl.String:
            out.append(c)
        else:
            out.append(c.str.strip_chars().cast(dtype, strict=False).alias(name))
    return raw.select(out)


def write_file(fmt: str, frame: pl.DataFrame, schema: Any, path: str, options: dict,
               partition_by: list[str]) -> None:
    """One part file of a file sink."""
    if fmt == "parquet":
        frame.write_parquet(path, compression="snappy")
    elif fmt == "json":
        frame.write_ndjson(path)
    elif fmt == "csv":
        frame.write_csv(path, include_header=False)
    elif fmt == "text":
        if frame.width != 1:
            from ember.errors import AnalysisException

            raise AnalysisException("Text data source supports only a single column, and you have "
                                    f"{frame.width} columns.")
        with open(path, "w", encoding="utf-8") as f:
            col = frame.to_series(0)
            f.write("".join(v + "\n" for v in col.to_list()))
    else:
        raise ValueError(f"ember cannot write streaming files of format {fmt!r}")
