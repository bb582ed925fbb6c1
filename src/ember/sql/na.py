"""``df.na``: fill, drop and replace of missing values (DataFrameNaFunctions)."""

from __future__ import annotations

from ember.errors import PySparkTypeError
from ember.sql import expressions as E
from ember.sql import types as T
from ember.sql.column import Column


def _matches(value, dtype) -> bool:
    if isinstance(value, bool):
        return isinstance(dtype, T.BooleanType)
    if isinstance(value, (int, float)):
        return type(dtype).__name__ in (
            "ByteType",
            "ShortType",
            "IntegerType",
            "LongType",
            "FloatType",
            "DoubleType",
            "DecimalType",
        )
    if isinstance(value, str):
        return isinstance(dtype, T.StringType)
    return False


class DataFrameNaFunctions:
    def __init__(self, df) -> None:
        self._df = df

    def fill(self, value, subset=None):
        """Replace NULLs with ``value`` (or a dict column -> value) in columns of a matching type."""
        from ember.sql import functions as F

        df = self._df
        if isinstance(value, dict):
            mapping = value
        else:
            if not isinstance(value, (bool, int, float, str)):
                raise PySparkTypeError(
                    "Argument `value` should be a bool, dict, float, int or str, "
                    f"got {type(value).__name__}.",
                    errorClass="NOT_BOOL_OR_DICT_OR_FLOAT_OR_INT_OR_STR",
                )
            if isinstance(subset, str):
                subset = [subset]
            names = subset or df.columns
            mapping = {n: value for n in names}
        out = []
        low = {k.lower(): v for k, v in mapping.items()}
        for a in df._plan.output:
            ref = E.ColumnRef(a.name, a.id)
            v = low.get(a.name.lower(), None)
            if a.name.lower() in low and _matches(v, a.dtype):
                filled = F.coalesce(Column(ref), F.lit(v).cast(a.dtype))
                out.append(E.Alias(filled._expr, a.name))
            else:
                out.append(ref)
        return df.select(*[Column(e) for e in out])

    def drop(self, how: str = "any", thresh: int | None = None, subset=None):
        """Drop rows with NULLs: ``any`` / ``all`` of ``subset``, or fewer than ``thresh`` non-nulls."""
        from ember.sql import functions as F

        df = self._df
        if isinstance(subset, str):
            subset = [subset]
        names = subset or df.columns
        if thresh is None:
            thresh = len(names) if how == "any" else 1
        count = None
        for n in names:
            term = F.when(F.col(n).isNotNull(), 1).otherwise(0)
            count = term if count is None else count + term
        if count is None:
            return df
        return df.filter(count >= thresh)

    def replace(self, to_replace, value=None, subset=None):
        from ember.sql import functions as F

        df = self._df
        mapping = (
            to_replace
            if isinstance(to_replace, dict)
            else (
                dict(
                    zip(to_replace, value if isinstance(value, (list, tuple)) else [value] * len(to_replace))
                )
                if isinstance(to_replace, (list, tuple))
                else {to_replace: value}
            )
        )
        names = [subset] if isinstance(subset, str) else (subset or df.columns)
        cols = []
        for a in df._plan.output:
            c = F.col(a.name) if a.id is None else Column(E.ColumnRef(a.name, a.id))
            if a.name in names:
                pairs = [(k, v) for k, v in mapping.items() if _matches(k, a.dtype)]
                if pairs:
                    expr = None
                    for k, v in pairs:
                        expr = F.when(c == k, F.lit(v)) if expr is None else expr.when(c == k, F.lit(v))
                    c = expr.otherwise(c).alias(a.name)
            cols.append(c)
        return df.select(*cols)
