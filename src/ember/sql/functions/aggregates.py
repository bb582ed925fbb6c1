"""Aggregate functions (for ``groupBy().agg(...)``, ``select`` over a whole DataFrame, or ``over``)."""

from __future__ import annotations

from ember.sql import expressions as E
from ember.sql.column import Column
from ember.sql.functions._util import agg as _agg
from ember.sql.functions._util import c as _c


def count(col) -> Column:
    """Rows where ``col`` is not null; ``count("*")`` counts all rows (named ``count(1)``).

    Examples
    --------
    >>> count("*")
    Column<'count(*)'>
    """
    if isinstance(col, str) and col == "*":
        from ember.sql.types import IntegerType

        return Column(E.AggFunc("count", (E.Literal(1, IntegerType()),)))
    return _agg("count", col)


def countDistinct(col, *cols) -> Column:
    return Column(E.AggFunc("count", tuple(_c(c) for c in (col, *cols)), True))


count_distinct = countDistinct


def sum(col) -> Column:  # noqa: A001
    return _agg("sum", col)


def sum_distinct(col) -> Column:
    return _agg("sum", col, True)


sumDistinct = sum_distinct


def avg(col) -> Column:
    return _agg("avg", col)


def mean(col) -> Column:
    return _agg("mean", col)


def min(col) -> Column:  # noqa: A001
    return _agg("min", col)


def max(col) -> Column:  # noqa: A001
    return _agg("max", col)


def first(col, ignorenulls: bool = False) -> Column:
    return _agg("first", col, params=(ignorenulls,))


def last(col, ignorenulls: bool = False) -> Column:
    return _agg("last", col, params=(ignorenulls,))


def any_value(col, ignoreNulls=None) -> Column:
    return _agg("any_value", col, params=(bool(ignoreNulls),))


def collect_list(col) -> Column:
    return _agg("collect_list", col)


def collect_set(col) -> Column:
    return _agg("collect_set", col)


def approx_count_distinct(col, rsd: float | None = None) -> Column:
    return _agg("approx_count_distinct", col)


approxCountDistinct = approx_count_distinct


def stddev(col) -> Column:
    return _agg("stddev", col)


def stddev_samp(col) -> Column:
    return _agg("stddev_samp", col)


def stddev_pop(col) -> Column:
    return _agg("stddev_pop", col)


def variance(col) -> Column:
    return _agg("variance", col)


def var_samp(col) -> Column:
    return _agg("var_samp", col)


def var_pop(col) -> Column:
    return _agg("var_pop", col)
