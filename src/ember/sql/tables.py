"""Managed tables: one parquet directory per table under ``spark.sql.warehouse.dir``.

Spark keeps a table's schema in its metastore; ember keeps it beside the data in ``_schema.json``
(a ``_`` file, so readers of the directory skip it), which is all a parquet table needs here.

Examples
--------
>>> table_dir_name("Input_Table")
'input_table'
"""

from __future__ import annotations

import json
import os
import shutil
from typing import Any

from ember.errors import AnalysisException

SCHEMA_FILE = "_schema.json"


def table_dir_name(name: str) -> str:
    """The folder of table ``name`` (Spark lower-cases unquoted identifiers; ``default.`` is implied)."""
    short = name.strip("`").lower()
    if short.startswith(("default.", "spark_catalog.default.")):
        short = short.rsplit(".", 1)[1]
    return short


def warehouse(session: Any) -> str:
    try:
        root = session.conf.get("spark.sql.warehouse.dir", None)
    except Exception:  # a session without that setting: Spark's default
        root = None
    if not root:
        root = "spark-warehouse"
    root = str(root)
    if root.startswith("file:"):
        root = root[len("file:"):]
        while root.startswith("//"):
            root = root[1:]
    return os.path.abspath(root)


def table_path(session: Any, name: str) -> str:
    return os.path.join(warehouse(session), table_dir_name(name))


def exists(session: Any, name: str) -> bool:
    return os.path.isfile(os.path.join(table_path(session, name), SCHEMA_FILE))


def list_tables(session: Any) -> list[str]:
    """The managed tables' names, sorted."""
    root = warehouse(session)
    if not os.path.isdir(root):
        return []
    return sorted(n for n in os.listdir(root) if os.path.isfile(os.path.join(root, n, SCHEMA_FILE)))


def schema_of(session: Any, name: str) -> Any:
    from ember.sql.types import StructType

    with open(os.path.join(table_path(session, name), SCHEMA_FILE), encoding="utf-8") as f:
        return StructType.fromJson(json.load(f))


def create(session: Any, name: str, schema: Any, if_not_exists: bool = False) -> None:
    """``CREATE TABLE name (...) USING parquet``: an empty table with ``schema``."""
    if exists(session, name):
        if if_not_exists:
            return
        raise AnalysisException(
            f"[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `spark_catalog`.`default`."
            f"`{table_dir_name(name)}` because it already exists.\nChoose a different name, drop or replace "
            "the existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects. "
            "SQLSTATE: 42P07", errorClass="TABLE_OR_VIEW_ALREADY_EXISTS")
    path = table_path(session, name)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, SCHEMA_FILE), "w", encoding="utf-8") as f:
        json.dump(schema.jsonValue(), f)


def drop(session: Any, name: str) -> bool:
    """``DROP TABLE``: remove the table and its files; False when there was none."""
    if not exists(session, name):
        return False
    shutil.rmtree(table_path(session, name))
    return True


def read(session: Any, name: str) -> Any:
    """The table's rows as a DataFrame (its data files, or no rows)."""
    schema = schema_of(session, name)
    path = table_path(session, name)
    if _data_files(path):
        return session.read.schema(schema).parquet(path)
    return session.createDataFrame([], schema)


def save(df: Any, name: str, mode: str = "errorifexists") -> None:
    """``saveAsTable`` / ``INSERT INTO``: write ``df`` as parquet into the table's folder."""
    session = df.sparkSession
    there = exists(session, name)
    if there and mode in ("error", "errorifexists", "default"):
        raise AnalysisException(
            f"[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `spark_catalog`.`default`."
            f"`{table_dir_name(name)}` because it already exists.\nChoose a different name, drop or replace "
            "the existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects. "
            "SQLSTATE: 42P07", errorClass="TABLE_OR_VIEW_ALREADY_EXISTS")
    if there and mode == "ignore":
        return
    if there and mode == "overwrite":
        drop(session, name)
        there = False
    if not there:
        create(session, name, df.schema)
    elif [f.name.lower() for f in schema_of(session, name).fields] != [c.lower() for c in df.columns]:
        df = df.toDF(*[f.name for f in schema_of(session, name).fields])  # INSERT matches by position
    df.write.mode("append").parquet(table_path(session, name))


def _data_files(path: str) -> list[str]:
    return [f for f in os.listdir(path) if not f.startswith(("_", "."))]
