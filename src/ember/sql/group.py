"""GroupedData: ``df.groupBy(...)`` and its aggregations."""

from __future__ import annotations

from ember.errors import AnalysisException, PySparkTypeError, PySparkValueError
from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql.column import Column


class GroupedData:
    """What ``groupBy`` returns: call ``agg``, ``count``, ``sum``, ... to get a DataFrame."""

    def __init__(self, df, keys: tuple[E.Expr, ...], pivot: tuple | None = None) -> None:
        self._df = df
        self._keys = keys
        self._pivot = pivot  # (pivot expression, values) after ``pivot()``

    def agg(self, *exprs):
        """Aggregate with columns (``F.count("*")``) or a dict ``{"n": "sum"}``."""
        from ember.sql import functions as F

        if len(exprs) == 1 and isinstance(exprs[0], dict):
            cols = []
            for name, fn in _java_hashmap_order(exprs[0]):
                fn = {"average": "avg", "std": "stddev", "variance": "variance"}.get(fn, fn)
                if name == "*" and fn == "count":
                    cols.append(F.count("*"))
                    continue
                f = getattr(F, fn, None)
                if f is None or not callable(f) or fn.startswith("_"):
                    raise AnalysisException(
                        f"Cannot resolve routine `{fn}` on search path [`system`.`builtin`, "
                        "`system`.`session`, "
                        "`spark_catalog`.`default`]. SQLSTATE: 42883",
                        errorClass="UNRESOLVED_ROUTINE",
                        messageParameters={
                            "routineName": f"`{fn}`",
                            "searchPath": "[`system`.`builtin`, `system`.`session`, "
                            "`spark_catalog`.`default`]",
                        },
                    )
                cols.append(f(name))
            exprs = tuple(cols)
        if not exprs:
            raise PySparkValueError("exprs should not be empty", errorClass="CANNOT_BE_EMPTY")
        for c in exprs:
            if not isinstance(c, Column):
                raise PySparkTypeError(
                    f"Argument `exprs` should be a list of Column, got {type(c).__name__}.",
                    errorClass="NOT_LIST_OF_COLUMN",
                )
        return self._aggregate(tuple(c._expr for c in exprs))

    def _aggregate(self, aggs: tuple) -> object:
        if self._pivot is None:
            return self._df._new(P.Aggregate(self._df._plan, self._keys, aggs))
        pivot_expr, values = self._pivot
        inner = P.Aggregate(self._df._plan, self._keys + (pivot_expr,), aggs)
        return self._df._new(P.Pivot(inner, len(self._keys), tuple(values)))

    def count(self):
        """Rows per group, in a column named ``count``."""
        from ember.sql import functions as F

        return self.agg(F.count("*").alias("count"))

    def _numeric(self, fn: str, cols):
        from ember.sql import functions as F
        from ember.sql.typerules import is_numeric

        df = self._df
        if not cols:
            keys = {id(k) for k in self._keys}
            key_names = {k.name.lower() for k in self._keys if isinstance(k, E.ColumnRef)}
            cols = [
                a.name for a in df._plan.output if is_numeric(a.dtype) and a.name.lower() not in key_names
            ]
            del keys
        else:
            types = {a.name: a.dtype for a in df._plan.output}
            for c in cols:
                if c in types and not is_numeric(types[c]):
                    raise AnalysisException(
                        f'"{c}" is not a numeric column. Aggregation function can only be '
                        "applied on a numeric column."
                    )
        return (
            self.agg(*[getattr(F, fn)(c) for c in cols])
            if cols
            else self._aggregate(())
        )

    def sum(self, *cols):  # noqa: A003
        return self._numeric("sum", cols)

    def avg(self, *cols):
        return self._numeric("avg", cols)

    mean = avg

    def min(self, *cols):  # noqa: A003
        return self._numeric("min", cols)

    def max(self, *cols):  # noqa: A003
        return self._numeric("max", cols)

    def __repr__(self) -> str:
        from ember.sql.analyzer import analyze

        keys = ", ".join(analyze(k, self._df._plan.output).name for k in self._keys)
        fields = self._df.dtypes
        shown = ", ".join(f"{n}: {t}" for n, t in fields[:2])
        if len(fields) > 2:
            more = len(fields) - 2
            shown += f" ... {more} more field" + ("s" if more > 1 else "")
        kind = "GroupBy" if self._pivot is None else "Pivot"
        return f"GroupedData[grouping expressions: [{keys}], value: [{shown}], type: {kind}]"

    def pivot(self, pivot_col, values=None):
        """One output column per value of ``pivot_col`` (per aggregate when there are several).

        Without ``values`` the column's distinct values are computed first, ascending, null first.

        Examples
        --------
        >>> df = spark.createDataFrame([("a", "x", 1), ("a", "y", 2)], "k STRING, p STRING, v INT")
        >>> df.groupBy("k").pivot("p").sum("v").collect()
        [Row(k='a', x=1, y=2)]
        """
        from ember.errors import UnsupportedOperationException
        from ember.sql.analyzer import analyze
        from ember.sql.column import col_expr
        from ember.sql.pivot import distinct_values

        if self._pivot is not None:
            raise UnsupportedOperationException(
                "The PIVOT clause may be used at most once per SUBQUERY operation. SQLSTATE: 42614",
                errorClass="REPEATED_CLAUSE",
                messageParameters={"clause": "PIVOT", "operation": "SUBQUERY"},
            )
        expr = col_expr(pivot_col)
        analyze(expr, self._df._plan.output)  # an unknown column fails now, as in Spark
        if values is None:
            values = distinct_values(self._df, expr)
        return GroupedData(self._df, self._keys, (expr, list(values)))

    def applyInPandas(self, func, schema):
        from ember.errors import PySparkNotImplementedError

        raise PySparkNotImplementedError("applyInPandas is not supported by ember.")

    def applyInPandasWithState(self, func, outputStructType, stateStructType, outputMode, timeoutConf):
        """Run ``func(key, pdfs, state)`` per group of a streaming DataFrame, keeping a state per key.

        ``func`` gets the key as a tuple, an iterator of pandas DataFrames with the group's rows and a
        :class:`~ember.sql.streaming.state.GroupState`; it returns an iterator of pandas DataFrames
        shaped as ``outputStructType``. ``stateStructType`` is the state's schema, ``outputMode``
        ``"append"`` or ``"update"``, ``timeoutConf`` a :class:`GroupStateTimeout` value. Schemas may
        be StructTypes or DDL strings. Needs pandas.

        Examples
        --------
        >>> def count(key, pdfs, state):
        ...     n = sum(len(p) for p in pdfs) + (state.get[0] if state.exists else 0)
        ...     state.update((n,))
        ...     yield pd.DataFrame({"word": [key[0]], "n": [n]})
        >>> counts = words.groupBy("word").applyInPandasWithState(  # doctest: +SKIP
        ...     count, "word STRING, n LONG", "n LONG", "update", "NoTimeout")
        """
        from ember.errors import IllegalArgumentException, PySparkTypeError
        from ember.sql._ddl import _parse_datatype_string
        from ember.sql.streaming.operators.pandas_state import FlatMapGroupsInPandasWithState
        from ember.sql.streaming.state import GroupStateTimeout
        from ember.sql.types import DataType, StructType

        if not callable(func):
            raise TypeError("unsupported callable")
        if isinstance(outputStructType, str):
            outputStructType = _parse_datatype_string(outputStructType)
        if not isinstance(outputStructType, DataType):
            raise PySparkTypeError(
                f"Argument `returnType` should be DataType or str, got {type(outputStructType).__name__}.",
                errorClass="NOT_EXPECTED_TYPE",
                messageParameters={"expected_type": "DataType or str", "arg_name": "returnType",
                                   "arg_type": type(outputStructType).__name__})
        if isinstance(stateStructType, str):
            stateStructType = _parse_datatype_string(stateStructType)
        if not isinstance(stateStructType, StructType):
            raise AttributeError(f"'{type(stateStructType).__name__}' object has no attribute 'json'")
        assert timeoutConf in (GroupStateTimeout.NoTimeout, GroupStateTimeout.ProcessingTimeTimeout,
                               GroupStateTimeout.EventTimeTimeout)
        mode = str(outputMode).lower()
        if mode not in ("append", "update", "complete"):
            raise IllegalArgumentException(
                f"Invalid streaming output mode: {outputMode}. Accepted output modes are 'Append', "
                "'Complete', 'Update'. SQLSTATE: 42KDE", errorClass="STREAMING_OUTPUT_MODE.INVALID",
                messageParameters={"outputMode": str(outputMode)})
        if mode == "complete":
            raise IllegalArgumentException("The output mode of function should be append or update")
        node = FlatMapGroupsInPandasWithState(self._df._plan, self._keys, func, outputStructType,
                                              stateStructType, mode, timeoutConf)
        return self._df._new(node)


def _java_string_hash(s: str) -> int:
    h = 0
    for ch in s.encode("utf-16-be").decode("utf-16-be"):
        h = (31 * h + ord(ch)) & 0xFFFFFFFF
    return h


def _java_hashmap_order(mapping: dict) -> list:
    """PySpark hands ``agg(dict)`` to the JVM as a java.util.HashMap: its iteration order (bucket of
    the spread String hash, then insertion) decides the output column order."""
    capacity = 16
    while len(mapping) > capacity * 0.75:
        capacity *= 2

    def bucket(key: str) -> int:
        h = _java_string_hash(key)
        return (h ^ (h >> 16)) & (capacity - 1)

    items = list(mapping.items())
    return sorted(items, key=lambda kv: bucket(kv[0]))
