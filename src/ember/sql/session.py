"""SparkSession: the entry point of DataFrames and SQL (PySpark's ``pyspark.sql.SparkSession``).

Polars is imported only when data is first touched, so ``builder.getOrCreate()`` stays fast.

Examples
--------
>>> from ember.sql import SparkSession
>>> spark = SparkSession.builder.master("local[1]").appName("doc").getOrCreate()
>>> spark.createDataFrame([("a", 1)], ["word", "n"]).collect()
[Row(word='a', n=1)]
"""

from __future__ import annotations

import threading
from typing import Any

from ember.errors import AnalysisException, PySparkTypeError, PySparkValueError
from ember.sql.conf import RuntimeConfig

_lock = threading.RLock()


class _classproperty:
    def __init__(self, f) -> None:
        self.f = f

    def __get__(self, obj, owner):
        return self.f(owner)


class Builder:
    """``SparkSession.builder``: collect settings, then ``getOrCreate()``."""

    def __init__(self) -> None:
        self._options: dict[str, str] = {}

    def config(
        self, key: str | None = None, value: Any = None, conf: Any = None, *, map: dict | None = None
    ) -> Builder:  # noqa: A002
        if conf is not None:
            for k, v in conf.getAll():
                self._options[k] = v
        if map:
            for k, v in map.items():
                self._options[k] = str(v)
        if key is not None:
            self._options[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
        return self

    def master(self, master: str) -> Builder:
        return self.config("spark.master", master)

    def appName(self, name: str) -> Builder:
        return self.config("spark.app.name", name)

    def remote(self, url: str) -> Builder:
        return self

    def enableHiveSupport(self) -> Builder:
        return self

    def getOrCreate(self) -> SparkSession:
        from ember import SparkConf, SparkContext

        with _lock:
            session = SparkSession._instantiatedSession
            sc = SparkContext._active_spark_context
            if session is None or session._sc is not sc or sc is None or getattr(sc, "_stopped", False):
                if sc is None:
                    conf = SparkConf()
                    for k, v in self._options.items():
                        conf.set(k, v)
                    sc = SparkContext.getOrCreate(conf)
                session = SparkSession(sc, options=self._options)
            else:
                for k, v in self._options.items():
                    if not k.startswith("spark.master") and k != "spark.app.name":
                        session.conf.set(k, v)
            SparkSession._activeSession = session
            return session

    create = getOrCreate


class SparkSession:
    """DataFrames and SQL over a SparkContext."""

    _instantiatedSession: SparkSession | None = None
    _activeSession: SparkSession | None = None

    def __init__(self, sparkContext, jsparkSession: Any = None, options: dict | None = None) -> None:
        from ember.sql.tz import local_tz

        self._sc = sparkContext
        defaults = {"spark.sql.session.timeZone": local_tz()}
        defaults.update({k: v for k, v in (options or {}).items()})
        for k, v in sparkContext.getConf().getAll():
            if k.startswith("spark.sql."):
                defaults.setdefault(k, v)
        self._conf = RuntimeConfig(defaults)
        self._views: dict[str, Any] = {}
        self._streams = None
        with _lock:
            if (
                SparkSession._instantiatedSession is None
                or SparkSession._instantiatedSession._sc is not sparkContext
            ):
                SparkSession._instantiatedSession = self
            SparkSession._activeSession = self

    builder = _classproperty(lambda cls: Builder())

    @classmethod
    def getActiveSession(cls) -> SparkSession | None:
        s = cls._activeSession
        if s is not None and getattr(s._sc, "_stopped", False):
            return None
        return s

    @classmethod
    def active(cls) -> SparkSession:
        s = cls.getActiveSession()
        if s is None:
            return cls.builder.getOrCreate()
        return s

    # -- properties ----------------------------------------------------------------------------
    @property
    def sparkContext(self):
        return self._sc

    @property
    def conf(self) -> RuntimeConfig:
        return self._conf

    @property
    def version(self) -> str:
        return self._sc.version

    @property
    def catalog(self):
        from ember.sql.catalog import Catalog

        return Catalog(self)

    @property
    def read(self):
        from ember.sql.readwriter import DataFrameReader

        return DataFrameReader(self)

    @property
    def dataSource(self):
        """Registers Python data sources: ``spark.dataSource.register(MyDataSource)``."""
        from ember.sql.datasource import DataSourceRegistration

        return DataSourceRegistration(self)

    @property
    def readStream(self):
        from ember.sql.streaming.readwriter import DataStreamReader

        return DataStreamReader(self)

    @property
    def streams(self):
        if self._streams is None:
            from ember.sql.streaming.query import StreamingQueryManager

            self._streams = StreamingQueryManager(self)
        return self._streams

    @property
    def udf(self):
        from ember.sql.udf import UDFRegistration

        return UDFRegistration(self)

    # -- DataFrames ----------------------------------------------------------------------------
    def createDataFrame(
        self, data: Any, schema: Any = None, samplingRatio: float | None = None, verifySchema: bool = True
    ):
        """A DataFrame from rows (tuples, Rows, dicts), an RDD or a pandas DataFrame."""
        from ember.sql.create import create_dataframe

        return create_dataframe(self, data, schema)

    def range(
        self,
        start: int,
        end: int | None = None,
        step: int = 1,  # noqa: A003
        numPartitions: int | None = None,
    ):
        from ember.sql.dataframe import DataFrame
        from ember.sql.plan import RangeRelation

        if end is None:
            start, end = 0, start
        if step == 0:
            raise PySparkValueError("step must not be 0")
        return DataFrame(RangeRelation(int(start), int(end), int(step)), self)

    def table(self, tableName: str):
        from ember.sql.dataframe import DataFrame

        plan = self._lookup_view(tableName)
        return DataFrame(plan, self)

    def _lookup_view(self, name: str):
        from ember.sql.plan import SubqueryAlias

        key = name.strip("`")
        low = key.lower()
        if low.startswith("global_temp."):
            views = _global_views
            short = low.split(".", 1)[1]
        else:
            views = self._views
            short = low
        if short in views:
            return SubqueryAlias(views[short], short)
        if short in self._views:
            return SubqueryAlias(self._views[short], short)
        from ember.sql import tables

        if not low.startswith("global_temp.") and tables.exists(self, key):
            return SubqueryAlias(tables.read(self, key)._plan, tables.table_dir_name(key))
        raise AnalysisException(
            f"The table or view `{key}` cannot be found. Verify the spelling and correctness of the schema "
            "and catalog.\nIf you did not qualify the name with a schema, verify the current_schema() "
            "output, or qualify the name with the correct schema and catalog.\nTo tolerate the error on "
            "drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS. SQLSTATE: 42P01",
            errorClass="TABLE_OR_VIEW_NOT_FOUND",
            messageParameters={"relationName": f"`{key}`"},
        )

    def sql(self, sqlQuery: str, args: Any = None, **kwargs: Any):
        """Run a SQL query over the session's temp views."""
        from ember.sql.sqlparser import run_sql

        if not isinstance(sqlQuery, str):
            raise PySparkTypeError(
                f"Argument `sqlQuery` should be a str, got {type(sqlQuery).__name__}.", errorClass="NOT_STR"
            )
        return run_sql(self, sqlQuery)

    def newSession(self) -> SparkSession:
        s = SparkSession.__new__(SparkSession)
        s._sc = self._sc
        s._conf = RuntimeConfig(dict(self._conf._values))
        s._views = {}
        s._streams = None
        return s

    def stop(self) -> None:
        from ember import SparkContext

        if self._streams is not None:
            for q in list(getattr(self._streams, "active", [])):
                try:
                    q.stop()
                except Exception:
                    pass
        self._sc.stop()
        with _lock:
            if SparkSession._instantiatedSession is self:
                SparkSession._instantiatedSession = None
            if SparkSession._activeSession is self:
                SparkSession._activeSession = None
        del SparkContext

    def __enter__(self) -> SparkSession:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<ember.sql.session.SparkSession object at {hex(id(self))}>"


_global_views: dict[str, Any] = {}


def current_time_zone() -> str:
    """The session time zone of the active session (local zone when there is none)."""
    s = SparkSession._activeSession
    if s is None:
        from ember.sql.tz import local_tz

        return local_tz()
    return s._conf.get("spark.sql.session.timeZone")


def current_conf(key: str, default: str) -> str:
    """A setting of the active session (``default`` when there is none)."""
    s = SparkSession._activeSession
    if s is None:
        return default
    return s._conf.get(key, default)
