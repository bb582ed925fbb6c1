"""DataFrame: PySpark's ``pyspark.sql.DataFrame``; every transformation adds a node to a logical plan.

Examples
--------
>>> from ember.sql import SparkSession, functions as F
>>> spark = SparkSession.builder.getOrCreate()
>>> df = spark.createDataFrame([("a b a",)], ["value"])
>>> words = df.select(F.explode(F.split("value", " ")).alias("word"))
>>> words.groupBy("word").count().orderBy("word").collect()
[Row(word='a', count=2), Row(word='b', count=1)]
"""

from __future__ import annotations

from typing import Any

from ember.errors import AnalysisException, PySparkTypeError, PySparkValueError
from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql.actions import ActionsMixin
from ember.sql.column import Column, col_expr
from ember.sql.types import PySparkAttributeError


def _flatten(cols) -> list:
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        return list(cols[0])
    return list(cols)


class DataFrame(ActionsMixin):
    """A distributed collection of rows under named columns (here: a plan run by Polars)."""

    def __init__(self, plan: P.Plan, session) -> None:
        self._plan = P.check(plan)
        self._session = session

    def _new(self, plan: P.Plan) -> DataFrame:
        return DataFrame(plan, self._session)

    # -- metadata ------------------------------------------------------------------------------
    @property
    def sparkSession(self):
        return self._session

    @property
    def schema(self):
        return self._plan.schema

    @property
    def columns(self) -> list[str]:
        return [a.name for a in self._plan.output]

    @property
    def dtypes(self) -> list[tuple[str, str]]:
        return [(a.name, a.dtype.simpleString()) for a in self._plan.output]

    @property
    def isStreaming(self) -> bool:
        return P.is_streaming(self._plan)

    def printSchema(self, level: int | None = None) -> None:
        print(self.schema.treeString(level) if level else self.schema.treeString())

    def explain(self, extended: Any = None, mode: str | None = None) -> None:
        from ember.sql.explain import explain_string

        print(explain_string(self._plan, extended, mode))

    # -- column access -------------------------------------------------------------------------
    def _col(self, name: str) -> Column:
        from ember.sql.analyzer import resolve_ref

        found = resolve_ref(E.ColumnRef(name), self._plan.output)
        if found is None:
            raise _unresolved_plain(name, self._plan.output)
        attr, path = found
        if path:
            return Column(E.ColumnRef(name))
        return Column(E.ColumnRef(attr.name, attr.id))

    def __getitem__(self, item):
        if isinstance(item, str):
            return self._col(item)
        if isinstance(item, Column):
            return self.filter(item)
        if isinstance(item, (list, tuple)):
            return self.select(*item)
        if isinstance(item, int):
            return self._col(self.columns[item])
        raise PySparkTypeError(
            f"Unexpected item type: {type(item).__name__}",
            errorClass="NOT_COLUMN_OR_INT_OR_LIST_OR_STR_OR_TUPLE",
        )

    def __getattr__(self, name: str) -> Column:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self.columns:
            raise PySparkAttributeError(
                f"Attribute `{name}` is not supported.",
                errorClass="ATTRIBUTE_NOT_SUPPORTED",
                messageParameters={"attr_name": name},
            )
        return self._col(name)

    def colRegex(self, colName: str) -> Column:
        import re

        pat = re.compile(colName.strip("`"))
        return [Column(E.ColumnRef(a.name, a.id)) for a in self._plan.output if pat.fullmatch(a.name)]

    # -- projections ---------------------------------------------------------------------------
    def select(self, *cols) -> DataFrame:
        exprs = tuple(col_expr(c) for c in _flatten(cols))
        aggs = [E.contains_agg(e) for e in exprs]
        if any(aggs):
            if not all(aggs):
                bad = next(e for e, a in zip(exprs, aggs) if not a)
                from ember.sql.analyzer import analyze

                name = analyze(bad, self._plan.output).name
                raise AnalysisException(
                    "The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window "
                    "functions using OVER clauses. SQLSTATE: 42803",
                    errorClass="MISSING_GROUP_BY",
                    messageParameters={"expr": name},
                )
            return self._new(P.Aggregate(self._plan, (), exprs))
        return self._new(P.Project(self._plan, exprs))

    def selectExpr(self, *expr) -> DataFrame:
        from ember.sql import functions
        from ember.sql.sqlparser import parse_expression

        return self.select(*[parse_expression(e, functions) for e in _flatten(expr)])

    def withColumns(self, *colsMap) -> DataFrame:
        mapping = colsMap[0] if colsMap else {}
        if not isinstance(mapping, dict):
            raise PySparkTypeError("Argument `colsMap` should be a dict.", errorClass="NOT_DICT")
        out = [E.ColumnRef(a.name, a.id) for a in self._plan.output]
        low = [a.name.lower() for a in self._plan.output]
        for name, c in mapping.items():
            if not isinstance(c, Column):
                raise PySparkTypeError(
                    f"Argument `col` should be Column, got {type(c).__name__}.",
                    errorClass="NOT_EXPECTED_TYPE",
                    messageParameters={"arg_name": "col", "arg_type": type(c).__name__},
                )
            e = E.Alias(c._expr, name)
            if name.lower() in low:
                for i, n in enumerate(low):
                    if n == name.lower():
                        out[i] = e
            else:
                out.append(e)
                low.append(name.lower())
        return self._new(P.Project(self._plan, tuple(out)))

    def withColumn(self, colName: str, col: Column) -> DataFrame:
        return self.withColumns({colName: col})

    def withColumnsRenamed(self, colsMap: dict) -> DataFrame:
        out, changed = [], False
        low = {k.lower(): v for k, v in colsMap.items()}
        for a in self._plan.output:
            ref = E.ColumnRef(a.name, a.id)
            if a.name.lower() in low:
                out.append(E.Alias(ref, low[a.name.lower()]))
                changed = True
            else:
                out.append(ref)
        return self._new(P.Project(self._plan, tuple(out))) if changed else self

    def withColumnRenamed(self, existing: str, new: str) -> DataFrame:
        return self.withColumnsRenamed({existing: new})

    def toDF(self, *cols: str) -> DataFrame:
        if len(cols) != len(self.columns):
            raise PySparkValueError(
                f"Number of column names ({len(cols)}) does not match the number of columns "
                f"({len(self.columns)})."
            )
        return self._new(
            P.Project(
                self._plan,
                tuple(E.Alias(E.ColumnRef(a.name, a.id), n) for a, n in zip(self._plan.output, cols)),
            )
        )

    def drop(self, *cols) -> DataFrame:
        from ember.sql.analyzer import resolve_ref

        drop_ids = set()
        for c in cols:
            if isinstance(c, str):
                drop_ids |= {a.id for a in self._plan.output if a.name.lower() == c.lower()}
            elif isinstance(c, Column):
                e = c._expr
                if isinstance(e, E.ColumnRef):
                    found = resolve_ref(e, self._plan.output)
                    if found is not None and not found[1]:
                        drop_ids.add(found[0].id)
            else:
                raise PySparkTypeError(
                    f"Argument `col` should be a Column or str, got {type(c).__name__}.",
                    errorClass="NOT_COLUMN_OR_STR",
                )
        if not drop_ids:
            return self
        keep = tuple(E.ColumnRef(a.name, a.id) for a in self._plan.output if a.id not in drop_ids)
        return self._new(P.Project(self._plan, keep))

    def alias(self, alias: str) -> DataFrame:
        return self._new(P.SubqueryAlias(self._plan, alias))

    # -- filtering and ordering ----------------------------------------------------------------
    def filter(self, condition) -> DataFrame:
        if isinstance(condition, str):
            from ember.sql import functions
            from ember.sql.sqlparser import parse_expression

            condition = parse_expression(condition, functions)
        if not isinstance(condition, Column):
            raise PySparkTypeError(
                f"Argument `condition` should be a Column or str, got {type(condition).__name__}.",
                errorClass="NOT_COLUMN_OR_STR",
            )
        cond = condition._expr
        return self._new(_through_project(self._plan, (cond,), lambda child: P.Filter(child, cond)))

    where = filter

    def _orders(self, cols, ascending) -> tuple:
        cols = _flatten(cols)
        if not cols:
            raise PySparkValueError("should sort by at least one column", errorClass="CANNOT_BE_EMPTY")
        if isinstance(ascending, (list, tuple)):
            flags = list(ascending)
        else:
            flags = [ascending] * len(cols)
        out = []
        for c, asc in zip(cols, flags):
            e = col_expr(c) if not isinstance(c, int) else E.ColumnRef(self.columns[c - 1])
            if isinstance(e, E.SortOrder):
                out.append(e)
            else:
                out.append(E.SortOrder(e, bool(asc), bool(asc)))
        return tuple(out)

    def orderBy(self, *cols, **kwargs) -> DataFrame:
        orders = self._orders(cols, kwargs.get("ascending", True))
        return self._new(_through_project(self._plan, orders, lambda child: P.Sort(child, orders)))

    sort = orderBy

    def sortWithinPartitions(self, *cols, **kwargs) -> DataFrame:
        return self.orderBy(*cols, **kwargs)

    def limit(self, num: int) -> DataFrame:
        if int(num) < 0:
            raise AnalysisException(
                f'The limit like expression "{num}" is invalid. '
                "The limit expression must be equal to or greater "
                f"than 0, but got {num}. SQLSTATE: 42K0E",
                errorClass="INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE",
                messageParameters={"expr": f'"{num}"', "name": "limit", "v": str(num)},
            )
        return self._new(P.Limit(self._plan, int(num)))

    def offset(self, num: int) -> DataFrame:
        return self._new(P.Limit(self._plan, None, int(num)))

    def distinct(self) -> DataFrame:
        return self._new(P.Distinct(self._plan, None))

    def dropDuplicates(self, subset: list[str] | None = None) -> DataFrame:
        return self._dedup(subset, False)

    def _dedup(self, subset: list[str] | None, within_watermark: bool) -> DataFrame:
        if subset is not None and not isinstance(subset, (list, tuple)):
            raise PySparkTypeError(
                f"Argument `subset` should be a list or tuple, got {type(subset).__name__}.",
                errorClass="NOT_LIST_OR_TUPLE",
            )
        return self._new(P.Distinct(self._plan, tuple(subset) if subset else None, within_watermark))

    drop_duplicates = dropDuplicates

    def dropDuplicatesWithinWatermark(self, subset: list[str] | None = None) -> DataFrame:
        return self._dedup(subset, True)

    def sample(self, withReplacement=None, fraction=None, seed=None) -> DataFrame:
        if isinstance(withReplacement, float):
            withReplacement, fraction, seed = False, withReplacement, fraction
        return self._new(P.Sample(self._plan, float(fraction), bool(withReplacement), seed))

    # -- combining -----------------------------------------------------------------------------
    def union(self, other: DataFrame) -> DataFrame:
        return self._new(P.Union(self._plan, P.fresh_if_overlapping(self._plan, other._plan)))

    unionAll = union

    def unionByName(self, other: DataFrame, allowMissingColumns: bool = False) -> DataFrame:
        return self._new(
            P.Union(self._plan, P.fresh_if_overlapping(self._plan, other._plan), True, allowMissingColumns)
        )

    def join(self, other: DataFrame, on: Any = None, how: str | None = None) -> DataFrame:
        from ember.sql.joins import normalize_how

        kind = normalize_how(how)
        right = P.fresh_if_overlapping(self._plan, other._plan)
        if on is None:
            if kind not in ("inner", "cross"):
                return self._new(P.Join(self._plan, right, kind, None, None))
            return self._new(P.Join(self._plan, right, "cross", None, None))
        if isinstance(on, str):
            on = [on]
        if isinstance(on, (list, tuple)) and all(isinstance(o, str) for o in on):
            return self._new(P.Join(self._plan, right, kind, tuple(on), None))
        if isinstance(on, (list, tuple)):
            cond = None
            for c in on:
                cond = c if cond is None else (cond & c)
            on = cond
        if not isinstance(on, Column):
            raise PySparkTypeError(
                "on should be a str, a list of str or a Column", errorClass="NOT_COLUMN_OR_STR"
            )
        if right is not other._plan:
            # a self-join: references to the other side keep their names but lose their ids
            on = Column(_unpin(on._expr, {a.id for a in other._plan.output}))
        return self._new(P.Join(self._plan, right, kind if kind != "cross" else "inner", None, on._expr))

    def crossJoin(self, other: DataFrame) -> DataFrame:
        return self._new(P.Join(self._plan, P.fresh_if_overlapping(self._plan, other._plan), "cross"))

    def _setop(self, other: DataFrame, kind: str, all_: bool) -> DataFrame:
        return self._new(P.SetOp(self._plan, P.fresh_if_overlapping(self._plan, other._plan), kind, all_))

    def intersect(self, other: DataFrame) -> DataFrame:
        """Distinct rows found in both frames (nulls equal), named as this frame's columns."""
        return self._setop(other, "intersect", False)

    def intersectAll(self, other: DataFrame) -> DataFrame:
        """Rows in both frames, each as many times as it is in both (``min`` of its two counts)."""
        return self._setop(other, "intersect", True)

    def subtract(self, other: DataFrame) -> DataFrame:
        """Distinct rows of this frame not found in ``other`` (EXCEPT DISTINCT)."""
        return self._setop(other, "except", False)

    def exceptAll(self, other: DataFrame) -> DataFrame:
        """Rows of this frame less one copy per matching row of ``other`` (EXCEPT ALL).

        Examples
        --------
        >>> a = spark.createDataFrame([(1,), (1,), (2,)], "k INT")
        >>> sorted(a.exceptAll(spark.createDataFrame([(1,)], "k INT")).collect())
        [Row(k=1), Row(k=2)]
        """
        return self._setop(other, "except", True)

    # -- grouping ------------------------------------------------------------------------------
    def groupBy(self, *cols):
        from ember.sql.group import GroupedData

        exprs = []
        for c in _flatten(cols):
            if isinstance(c, int) and not isinstance(c, bool):
                c = self.columns[c - 1]
            exprs.append(col_expr(c))
        return GroupedData(self, tuple(exprs))

    groupby = groupBy

    def agg(self, *exprs):
        return self.groupBy().agg(*exprs)

    def withWatermark(self, eventTime: str, delayThreshold: str) -> DataFrame:
        from ember.sql.durations import parse_duration

        if not eventTime or not isinstance(eventTime, str):
            raise PySparkTypeError(
                f"Argument `eventTime` should be a str, got {type(eventTime).__name__}.", errorClass="NOT_STR"
            )
        if not isinstance(delayThreshold, str):
            raise PySparkTypeError(
                f"Argument `delayThreshold` should be a str, got {type(delayThreshold).__name__}.",
                errorClass="NOT_STR",
            )
        delay = parse_duration(delayThreshold)
        if delay < 0:
            from ember.errors import IllegalArgumentException

            raise IllegalArgumentException(
                f"requirement failed: delay threshold ({delayThreshold}) should not be negative."
            )
        return self._new(P.Watermark(self._plan, eventTime, delayThreshold, delay))

    def observe(self, observation: str, *exprs) -> DataFrame:
        """Name aggregate metrics of the rows passing through; the rows are unchanged.

        On a streaming query the metrics are computed per micro-batch and reported in the progress's
        ``observedMetrics``; on a batch DataFrame the plan simply carries them.

        Examples
        --------
        >>> df = spark.range(3).observe("m", F.count(F.lit(1)).alias("rows"))  # doctest: +SKIP
        """
        if not isinstance(observation, str):
            raise PySparkTypeError(
                f"Argument `observation` should be an Observation or str, got {type(observation).__name__}.",
                errorClass="NOT_OBSERVATION_OR_STR",
            )
        if not exprs:
            raise PySparkValueError("exprs should not be empty", errorClass="CANNOT_BE_EMPTY")
        if not all(isinstance(c, Column) for c in exprs):
            raise PySparkTypeError("Argument `exprs` should be a list of Column, got "
                                   f"{type(exprs[0]).__name__}.", errorClass="NOT_LIST_OF_COLUMN")
        return self._new(P.Observe(self._plan, observation, tuple(c._expr for c in exprs)))

    # -- misc ----------------------------------------------------------------------------------
    def transform(self, func, *args, **kwargs) -> DataFrame:
        return func(self, *args, **kwargs)

    def cache(self) -> DataFrame:
        return self

    def persist(self, storageLevel: Any = None) -> DataFrame:
        return self

    def unpersist(self, blocking: bool = False) -> DataFrame:
        return self

    def checkpoint(self, eager: bool = True) -> DataFrame:
        return self

    localCheckpoint = checkpoint

    def repartition(self, numPartitions: Any = None, *cols) -> DataFrame:
        return self

    def coalesce(self, numPartitions: int) -> DataFrame:
        return self

    def hint(self, name: str, *parameters) -> DataFrame:
        return self

    @property
    def storageLevel(self):
        from ember import StorageLevel

        return StorageLevel(False, False, False, False, 1)

    @property
    def na(self):
        from ember.sql.na import DataFrameNaFunctions

        return DataFrameNaFunctions(self)

    def fillna(self, value, subset=None) -> DataFrame:
        return self.na.fill(value, subset)

    def dropna(self, how: str = "any", thresh: int | None = None, subset=None) -> DataFrame:
        return self.na.drop(how, thresh, subset)

    def createOrReplaceTempView(self, name: str) -> None:
        self._session._views[name.lower()] = self._plan

    def createTempView(self, name: str) -> None:
        if name.lower() in self._session._views:
            raise AnalysisException(
                f"Cannot create the temporary view `{name}` because it already exists.\nChoose a different "
                "name, drop or replace the existing view,  or add the IF NOT EXISTS clause to tolerate "
                "pre-existing views. SQLSTATE: 42P07",
                errorClass="TEMP_TABLE_OR_VIEW_ALREADY_EXISTS",
            )
        self.createOrReplaceTempView(name)

    def createOrReplaceGlobalTempView(self, name: str) -> None:
        from ember.sql.session import _global_views

        _global_views[name.lower()] = self._plan

    def createGlobalTempView(self, name: str) -> None:
        from ember.sql.session import _global_views

        if name.lower() in _global_views:
            raise AnalysisException(
                f"Temporary view '{name}' already exists", errorClass="TEMP_TABLE_OR_VIEW_ALREADY_EXISTS"
            )
        self.createOrReplaceGlobalTempView(name)

    registerTempTable = createOrReplaceTempView

    @property
    def write(self):
        from ember.sql.readwriter import DataFrameWriter

        return DataFrameWriter(self)

    @property
    def writeStream(self):
        from ember.sql.streaming.readwriter import DataStreamWriter

        return DataStreamWriter(self)

    def __repr__(self) -> str:
        return "DataFrame[" + ", ".join(f"{n}: {t}" for n, t in self.dtypes) + "]"


def _unresolved_plain(name: str, attrs) -> AnalysisException:
    cols = ", ".join(f"`{a.name}`" for a in attrs)
    return AnalysisException(
        f"A column, variable, or function parameter with name `{name}` cannot be resolved. Did you mean one "
        f"of the following? [{cols}]. SQLSTATE: 42703",
        errorClass="UNRESOLVED_COLUMN.WITH_SUGGESTION",
        messageParameters={"objectName": f"`{name}`"},
    )


def _unpin(expr: E.Expr, ids: set) -> E.Expr:
    """``expr`` with references pinned to ``ids`` turned into plain name references."""
    import dataclasses

    if isinstance(expr, E.ColumnRef):
        return E.ColumnRef(expr.name) if expr.attr_id in ids else expr
    changes = {}
    for f in dataclasses.fields(expr):
        v = getattr(expr, f.name)
        if isinstance(v, E.Expr):
            changes[f.name] = _unpin(v, ids)
        elif isinstance(v, tuple) and v and all(isinstance(x, E.Expr) for x in v):
            changes[f.name] = tuple(_unpin(x, ids) for x in v)
        elif isinstance(v, tuple) and v and all(isinstance(x, tuple) for x in v):
            changes[f.name] = tuple(
                tuple(_unpin(y, ids) if isinstance(y, E.Expr) else y for y in x) for x in v
            )
    return dataclasses.replace(expr, **changes) if changes else expr


def _through_project(plan: P.Plan, exprs, build) -> P.Plan:
    """``build(plan)``; when ``exprs`` name columns a projection dropped (``select("a").orderBy("b")``),
    Spark resolves them below it: project them too, apply the operator, project them away again."""
    try:
        return P.check(build(plan))
    except AnalysisException as exc:
        if exc.getErrorClass() != "UNRESOLVED_COLUMN.WITH_SUGGESTION" or not isinstance(plan, P.Project):
            raise
        from ember.sql.analyzer import resolve_ref

        below = plan.child.output
        extra = []
        for e in exprs:
            for ref in E.walk(e):
                if isinstance(ref, E.ColumnRef) and resolve_ref(ref, plan.output) is None:
                    found = resolve_ref(ref, below)
                    if found is None:
                        raise
                    if all(x.id != found[0].id for x in extra):
                        extra.append(found[0])
        if not extra or any(E.contains_agg(x) for x in plan.exprs):
            raise
        wide = P.Project(plan.child, plan.exprs + tuple(E.ColumnRef(a.name, a.id) for a in extra))
        n = len(plan.output)
        inner = P.check(build(wide))
        return P.Project(inner, tuple(E.ColumnRef(a.name, a.id) for a in wide.output[:n]))
