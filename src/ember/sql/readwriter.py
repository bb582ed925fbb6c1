"""``spark.read`` (DataFrameReader) and ``df.write`` (DataFrameWriter) for files.

Writing follows Spark's layout: a directory holding ``part-00000-<uuid>-c000.<ext>`` files and an
empty ``_SUCCESS`` marker; modes error/errorifexists (default), overwrite, append, ignore.
"""

from __future__ import annotations

import os
import shutil
import uuid
from typing import Any

from ember.errors import AnalysisException, PySparkTypeError


def _to_str(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class DataFrameReader:
    def __init__(self, session) -> None:
        self._session = session
        self._format = None
        self._schema = None
        self._options: dict[str, str] = {}

    def format(self, source: str) -> DataFrameReader:  # noqa: A003
        self._format = source.lower()
        return self

    def schema(self, schema) -> DataFrameReader:
        from ember.sql import types as T

        if isinstance(schema, str):
            schema = T._parse_datatype_string(schema)
        if not isinstance(schema, T.StructType):
            raise PySparkTypeError(
                "Argument `schema` should be a StructType or str.", errorClass="NOT_STR_OR_STRUCT"
            )
        self._schema = schema
        return self

    def option(self, key: str, value: Any) -> DataFrameReader:
        self._options[key] = _to_str(value)
        return self

    def options(self, **options: Any) -> DataFrameReader:
        for k, v in options.items():
            if v is not None:
                self.option(k, v)
        return self

    def load(self, path=None, format: str | None = None, schema=None, **options: Any):  # noqa: A002
        from ember.sql import types as T
        from ember.sql.dataframe import DataFrame
        from ember.sql.plan import FileScan

        if format:
            self.format(format)
        if schema is not None:
            self.schema(schema)
        self.options(**options)
        fmt = self._format or self._session.conf.get("spark.sql.sources.default", "parquet")
        from ember.sql import datasource  # user data sources (spark.dataSource)

        if fmt not in ("text", "csv", "json", "parquet") and datasource.lookup(self._session, fmt):
            opts = dict(self._options, **({} if path is None else {"path": path}))
            return datasource.load(self._session, datasource.lookup(self._session, fmt), opts, self._schema)
        if path is None:
            path = self._options.get("path")
        if path is None:
            raise AnalysisException(
                "[UNABLE_TO_INFER_SCHEMA] Unable to infer schema. It must be specified manually."
            )
        paths = tuple([path] if isinstance(path, str) else list(path))
        from ember.sql import filescan

        opts = dict(self._options)
        if fmt in ("text", "csv", "json", "parquet"):
            filescan.expand_paths(paths, fmt)  # a missing path fails now, as in Spark
        if fmt == "text":
            schema_ = T.StructType([T.StructField("value", T.StringType(), True)])
        elif self._schema is not None:
            schema_ = self._schema
        else:
            files = filescan.expand_paths(paths, fmt)
            if fmt == "csv":
                schema_ = filescan.infer_csv_schema(files, opts)
            elif fmt == "json":
                schema_ = filescan.infer_json_schema(files, opts)
            elif fmt == "parquet":
                schema_ = filescan.infer_parquet_schema(files, paths)
            else:
                raise AnalysisException(f"[DATA_SOURCE_NOT_FOUND] Failed to find the data source: {fmt}.")
        return DataFrame(FileScan(fmt, paths, schema_, tuple(opts.items())), self._session)

    def text(self, paths, wholetext: bool = False, lineSep: str | None = None, **kw: Any):
        return self.options(wholetext=wholetext if wholetext else None, lineSep=lineSep).load(paths, "text")

    def csv(self, path, schema=None, sep=None, header=None, inferSchema=None, **kw: Any):
        self.options(sep=sep, header=header, inferSchema=inferSchema, **kw)
        return self.load(path, "csv", schema)

    def json(self, path, schema=None, **kw: Any):
        self.options(**kw)
        return self.load(path, "json", schema)

    def parquet(self, *paths: str, **kw: Any):
        self.options(**kw)
        return self.load(list(paths), "parquet")

    def table(self, tableName: str):
        return self._session.table(tableName)


_EXT = {"parquet": ".snappy.parquet", "csv": ".csv", "json": ".json", "text": ".txt"}


class DataFrameWriter:
    def __init__(self, df) -> None:
        self._df = df
        self._format = None
        self._mode = "errorifexists"
        self._options: dict[str, str] = {}
        self._partition_by: list[str] = []

    def mode(self, saveMode: str | None) -> DataFrameWriter:
        if saveMode is None:
            return self
        m = saveMode.lower()
        if m not in ("append", "overwrite", "error", "errorifexists", "ignore", "default"):
            raise AnalysisException(
                f'The specified save mode "{saveMode}" is invalid. Valid save modes include "append", '
                '"overwrite", "ignore", "error", "errorifexists", and "default". SQLSTATE: 42000',
                errorClass="INVALID_SAVE_MODE",
                messageParameters={"mode": f'"{saveMode}"'},
            )
        self._mode = "errorifexists" if m in ("error", "default") else m
        return self

    def format(self, source: str) -> DataFrameWriter:  # noqa: A003
        self._format = source.lower()
        return self

    def option(self, key: str, value: Any) -> DataFrameWriter:
        self._options[key] = _to_str(value)
        return self

    def options(self, **options: Any) -> DataFrameWriter:
        for k, v in options.items():
            if v is not None:
                self.option(k, v)
        return self

    def partitionBy(self, *cols) -> DataFrameWriter:
        self._partition_by = list(cols[0]) if len(cols) == 1 and isinstance(cols[0], list) else list(cols)
        return self

    def save(
        self,
        path: str | None = None,
        format: str | None = None,
        mode: str | None = None,  # noqa: A002
        **options: Any,
    ) -> None:
        if format:
            self.format(format)
        self.mode(mode)
        self.options(**options)
        fmt = self._format or "parquet"
        from ember.sql import datasource  # user data sources (spark.dataSource)

        found = datasource.lookup(self._df.sparkSession, fmt) if fmt not in _EXT else None
        if found is not None:
            from ember.sql.datasource_write import save

            opts = dict(self._options, **({} if path is None else {"path": path}))
            return save(self._df, found, opts, self._mode)
        path = path or self._options.get("path")
        if os.path.exists(path):
            if self._mode == "errorifexists":
                raise AnalysisException(
                    f"Path file:{os.path.abspath(path)} already exists. "
                    'Set mode as "overwrite" to overwrite the existing path. SQLSTATE: 42K04',
                    errorClass="PATH_ALREADY_EXISTS",
                )
            if self._mode == "ignore":
                return
            if self._mode == "overwrite":
                shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
        os.makedirs(path, exist_ok=True)
        from ember.sql.filewrite import write_part

        name = f"part-00000-{uuid.uuid4()}-c000{_EXT.get(fmt, '.' + fmt)}"
        write_part(self._df, fmt, os.path.join(path, name), self._options)
        open(os.path.join(path, "_SUCCESS"), "w").close()

    def parquet(self, path: str, mode: str | None = None, partitionBy=None, compression=None) -> None:
        self.save(path, "parquet", mode)

    def csv(
        self, path: str, mode: str | None = None, compression=None, sep=None, header=None, **kw: Any
    ) -> None:
        self.options(sep=sep, header=header)
        self.save(path, "csv", mode)

    def json(self, path: str, mode: str | None = None, **kw: Any) -> None:
        self.save(path, "json", mode)

    def text(self, path: str, compression=None, lineSep=None) -> None:
        from ember.sql import types as T

        if len(self._df.columns) != 1:
            raise AnalysisException(
                "Text data source supports only a single column, and you have "
                f"{len(self._df.columns)} columns."
            )
        field = self._df.schema.fields[0]
        if not isinstance(field.dataType, T.StringType):
            shown = field.dataType.simpleString().upper()
            raise AnalysisException(
                f'The Text datasource doesn\'t support the column `{field.name}` of the type "{shown}". '
                "SQLSTATE: 0A000",
                errorClass="UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE",
                messageParameters={
                    "columnName": f"`{field.name}`",
                    "columnType": f'"{shown}"',
                    "format": "Text",
                },
            )
        self.save(path, "text")

    def saveAsTable(self, name: str, format: str | None = None, mode: str | None = None, **kw: Any) -> None:  # noqa: A002
        """Write the rows as the managed parquet table ``name`` under ``spark.sql.warehouse.dir``."""
        from ember.sql import tables

        if mode is not None:
            self.mode(mode)
        tables.save(self._df, name, self._mode)

    def insertInto(self, tableName: str, overwrite: bool | None = None) -> None:
        from ember.sql import tables

        tables.save(self._df, tableName, "overwrite" if overwrite else "append")
