"""``spark.catalog``: temp views (the only tables ember keeps)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Table:
    name: str
    catalog: str | None
    namespace: list | None
    description: str | None
    tableType: str
    isTemporary: bool

    @property
    def database(self):
        return self.namespace[0] if self.namespace else None


@dataclass
class Column:
    name: str
    description: str | None
    dataType: str
    nullable: bool
    isPartition: bool
    isBucket: bool
    isCluster: bool = False


class Catalog:
    def __init__(self, session) -> None:
        self._session = session

    def listTables(self, dbName: str | None = None, pattern: str | None = None) -> list[Table]:
        import fnmatch

        from ember.sql.session import _global_views

        if dbName == "global_temp":
            names = sorted(_global_views)
            return [Table(n, None, ["global_temp"], None, "TEMPORARY", True) for n in names]
        from ember.sql import tables

        names = sorted(self._session._views)
        managed = tables.list_tables(self._session) if dbName in (None, "default") else []
        if pattern:
            names = [n for n in names if fnmatch.fnmatch(n, pattern.replace("%", "*"))]
            managed = [n for n in managed if fnmatch.fnmatch(n, pattern.replace("%", "*"))]
        return [Table(n, "spark_catalog", ["default"], None, "MANAGED", False) for n in managed] + [
            Table(n, None, [], None, "TEMPORARY", True) for n in names]

    def tableExists(self, tableName: str, dbName: str | None = None) -> bool:
        from ember.sql.session import _global_views

        name = tableName.lower()
        if dbName == "global_temp" or name.startswith("global_temp."):
            return name.split(".")[-1] in _global_views
        if name in self._session._views:
            return True
        from ember.sql import tables

        return dbName in (None, "default") and tables.exists(self._session, name)

    def dropTempView(self, viewName: str) -> bool:
        return self._session._views.pop(viewName.lower(), None) is not None

    def dropGlobalTempView(self, viewName: str) -> bool:
        from ember.sql.session import _global_views

        return _global_views.pop(viewName.lower(), None) is not None

    def listColumns(self, tableName: str, dbName: str | None = None) -> list[Column]:
        schema = self._session.table(tableName).schema
        return [
            Column(f.name, None, f.dataType.simpleString(), f.nullable, False, False) for f in schema.fields
        ]

    def currentDatabase(self) -> str:
        return "default"

    def currentCatalog(self) -> str:
        return "spark_catalog"

    def listDatabases(self, pattern: str | None = None) -> list:
        return []

    def isCached(self, tableName: str) -> bool:
        return False

    def cacheTable(self, tableName: str, storageLevel=None) -> None:
        return None

    def uncacheTable(self, tableName: str) -> None:
        return None

    def clearCache(self) -> None:
        return None
