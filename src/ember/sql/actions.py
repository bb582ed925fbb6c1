"""DataFrame actions: collect, show, count, take, toPandas, ... (they run the plan on Polars)."""

from __future__ import annotations

from typing import Any, Iterator

from ember.sql import plan as P


class ActionsMixin:
    """Actions shared by :class:`~ember.sql.dataframe.DataFrame`; ``self._plan`` is the plan."""

    _plan: P.Plan

    def _frame(self, plan: P.Plan | None = None):
        from ember.sql.execution import collect_frame

        plan = plan or self._plan
        P.assert_not_streaming(plan)
        return collect_frame(plan)

    def _tuples(self, plan: P.Plan | None = None, show: bool = False) -> list[tuple]:
        from ember.sql.convert import frame_to_tuples

        plan = plan or self._plan
        tz = self._session.conf.get("spark.sql.session.timeZone") if show else None
        return frame_to_tuples(self._frame(plan), plan.schema, tz)

    def collect(self) -> list:
        """All rows as a list of :class:`~ember.sql.types.Row`."""
        return to_rows(self._tuples(), [a.name for a in self._plan.output])

    def toLocalIterator(self, prefetchPartitions: bool = False) -> Iterator:
        return iter(self.collect())

    def take(self, num: int) -> list:
        return self.limit(num).collect()

    def head(self, n: int | None = None):
        if n is None:
            rows = self.take(1)
            return rows[0] if rows else None
        return self.take(n)

    def first(self):
        return self.head()

    def tail(self, num: int) -> list:
        rows = self.collect()
        return rows[-num:] if num > 0 else []

    def count(self) -> int:
        from ember.sql.execution import internal_lazy

        P.assert_not_streaming(self._plan)
        import polars as pl

        return int(internal_lazy(self._plan).select(pl.len()).collect().item())

    def isEmpty(self) -> bool:
        return len(self.take(1)) == 0

    def show(self, n: int = 20, truncate: bool | int = True, vertical: bool = False) -> None:
        """Print the first ``n`` rows as Spark's table."""
        print(self._show_string(n, truncate, vertical))

    def _show_string(self, n: int = 20, truncate: bool | int = True, vertical: bool = False) -> str:
        from ember.sql.show import check_show_args, show_string

        width = check_show_args(n, truncate, vertical)  # before running anything, as PySpark does
        plan = P.Limit(self._plan, max(n, 0) + 1)
        rows = self._tuples(plan, show=True)
        names = [a.name for a in self._plan.output]
        types = [a.dtype for a in self._plan.output]
        return show_string(names, rows, types, n, width, vertical)

    def toPandas(self):
        """The rows as a pandas DataFrame (pandas is optional: PySpark's error when it is missing)."""
        from ember.sql._pandas import require_pandas

        pd = require_pandas()
        rows = self._tuples()
        pdf = pd.DataFrame.from_records(rows, columns=[a.name for a in self._plan.output])
        return _spark_pandas_dtypes(pdf, self._plan.schema)

    def toArrow(self):
        return self._frame().to_arrow()

    def foreach(self, f) -> None:
        for r in self.collect():
            f(r)

    def foreachPartition(self, f) -> None:
        f(iter(self.collect()))

    @property
    def rdd(self):
        """The rows as an ember RDD of Rows."""
        return self._session.sparkContext.parallelize(self.collect())

    def _polars(self):
        """The result as a Polars DataFrame with the schema's names (ember's own extra)."""
        from ember.sql.execution import to_lazy

        P.assert_not_streaming(self._plan)
        return to_lazy(self._plan).collect()

    def _repr_html_(self) -> Any:
        return None


def to_rows(tuples: list[tuple], names: list[str]) -> list:
    """Rows named ``names``: every row shares one attribute dict (rows are read-only), and the cyclic
    garbage collector is paused meanwhile, which otherwise dominates building many small objects."""
    import gc

    from ember.sql.types import Row

    shared = {"__fields__": names}
    new, setattr_ = tuple.__new__, object.__setattr__

    def make(t):
        r = new(Row, t)
        setattr_(r, "__dict__", shared)
        return r

    enabled = gc.isenabled()
    gc.disable()
    try:
        return list(map(make, tuples))
    finally:
        if enabled:
            gc.enable()


_INT_DTYPES = {"IntegerType": "int32", "LongType": "int64", "ShortType": "int16", "ByteType": "int8"}


def _spark_pandas_dtypes(pdf, schema):
    """Columns with the dtypes PySpark's ``toPandas`` gives: sized integers (float64 when a column holds
    a null), float32 for FloatType, bool for a BooleanType column without nulls."""
    for i, field in enumerate(schema.fields):
        kind = type(field.dataType).__name__
        col = pdf.iloc[:, i]
        nulls = bool(col.isna().any())
        if kind in _INT_DTYPES:
            pdf.isetitem(i, col.astype("float64" if nulls else _INT_DTYPES[kind]))
        elif kind == "FloatType":
            pdf.isetitem(i, col.astype("float32"))
        elif kind == "DoubleType":
            pdf.isetitem(i, col.astype("float64"))
        elif kind == "BooleanType" and not nulls and len(col):
            pdf.isetitem(i, col.astype("bool"))
        elif kind == "StringType" and not len(col):
            pdf.isetitem(i, col.astype("str"))  # pandas infers its string dtype only from values
    return pdf
