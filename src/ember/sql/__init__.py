"""``ember.sql``: PySpark's DataFrame and SQL API (``pyspark.sql``) on Polars.

Examples
--------
>>> from ember.sql import SparkSession, functions as F
>>> spark = SparkSession.builder.getOrCreate()
>>> spark.range(3).select((F.col("id") * 2).alias("x")).collect()
[Row(x=0), Row(x=2), Row(x=4)]
"""

from __future__ import annotations

from ember._page_cache import shed_polars_pages

shed_polars_pages()  # before Polars loads (ember/_page_cache.py says why)

from ember.sql.session import SparkSession  # noqa: E402

__all__ = [
    "SparkSession",
    "DataFrame",
    "Column",
    "Row",
    "GroupedData",
    "DataFrameReader",
    "DataFrameWriter",
    "functions",
    "types",
    "Catalog",
    "UDFRegistration",
    "Observation",
    "Window",
    "WindowSpec",
]


def __getattr__(name: str):
    # Reader, writer and catalog load on first use (keeps ``import ember.sql`` light)
    if name in ("DataFrameReader", "DataFrameWriter"):
        from ember.sql import readwriter

        return getattr(readwriter, name)
    if name == "Row":
        from ember.sql.types import Row

        return Row
    if name == "Column":
        from ember.sql.column import Column

        return Column
    if name == "DataFrame":
        from ember.sql.dataframe import DataFrame

        return DataFrame
    if name == "GroupedData":
        from ember.sql.group import GroupedData

        return GroupedData
    if name == "UDFRegistration":
        from ember.sql.udf import UDFRegistration

        return UDFRegistration
    if name == "Catalog":
        from ember.sql.catalog import Catalog

        return Catalog
    if name in ("Window", "WindowSpec"):
        from ember.sql import window

        return getattr(window, name)
    if name in ("functions", "types"):
        import importlib

        return importlib.import_module(f"ember.sql.{name}")
    raise AttributeError(f"module 'ember.sql' has no attribute {name!r}")
