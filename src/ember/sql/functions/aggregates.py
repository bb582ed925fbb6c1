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


def _agg_n(name: str, *cols, params: tuple = ()) -> Column:
    return Column(E.AggFunc(name, tuple(_c(c) for c in cols), False, params))


def count_if(col) -> Column:
    """Rows where the boolean ``col`` is true."""
    return _agg("count_if", col)


def bool_and(col) -> Column:
    """Whether ``col`` is true on every (non-null) row."""
    return _agg("bool_and", col)


def bool_or(col) -> Column:
    """Whether ``col`` is true on some row."""
    return _agg("bool_or", col)


def every(col) -> Column:
    return _agg("every", col)


def some(col) -> Column:
    return _agg("some", col)


def max_by(col, ord) -> Column:  # noqa: A002
    """The value of ``col`` on the row where ``ord`` is largest.

    Examples
    --------
    >>> max_by("url", "hits")
    Column<'max_by(url, hits)'>
    """
    return _agg_n("max_by", col, ord)


def min_by(col, ord) -> Column:  # noqa: A002
    """The value of ``col`` on the row where ``ord`` is smallest."""
    return _agg_n("min_by", col, ord)


def product(col) -> Column:
    """The product of the (non-null) values, as a double."""
    return _agg("product", col)


def median(col) -> Column:
    """The exact median, interpolated between the middle values, as a double."""
    return _agg("median", col)


def skewness(col) -> Column:
    return _agg("skewness", col)


def kurtosis(col) -> Column:
    """The excess kurtosis (a normal distribution has 0)."""
    return _agg("kurtosis", col)


def corr(col1, col2) -> Column:
    """The Pearson correlation coefficient of the two columns."""
    return _agg_n("corr", col1, col2)


def covar_pop(col1, col2) -> Column:
    return _agg_n("covar_pop", col1, col2)


def covar_samp(col1, col2) -> Column:
    return _agg_n("covar_samp", col1, col2)


def std(col) -> Column:
    return _agg("std", col)


def array_agg(col) -> Column:
    """The non-null values as an array (as ``collect_list``)."""
    return _agg("collect_list", col)


def first_value(col, ignoreNulls=None) -> Column:
    return _agg("first_value", col, params=(bool(ignoreNulls),))


def last_value(col, ignoreNulls=None) -> Column:
    return _agg("last_value", col, params=(bool(ignoreNulls),))


def percentile_approx(col, percentage, accuracy=10000) -> Column:
    """The smallest value with at least ``percentage`` of the rows at or below it (a list of
    percentages gives an array); exact in ember, which Spark's sketch is up to ``accuracy`` rows.
    """
    from ember.sql.column import to_expr

    return Column(E.AggFunc("percentile_approx", (_c(col), to_expr(_pct(percentage)), to_expr(accuracy))))


def percentile(col, percentage, frequency=1) -> Column:
    """The exact percentile (linear interpolation between the closest values), as a double."""
    from ember.sql.column import to_expr

    return Column(E.AggFunc("percentile", (_c(col), to_expr(_pct(percentage)), to_expr(frequency))))


def _pct(p):
    if isinstance(p, Column):
        return p
    from ember.sql.functions.collections import array
    from ember.sql.functions.columns import lit

    return array(*[lit(float(v)) for v in p]) if isinstance(p, (list, tuple)) else float(p)


def listagg(col, delimiter=None) -> Column:
    """The non-null values joined into one string by ``delimiter`` (none by default)."""
    from ember.sql.column import to_expr

    return Column(E.AggFunc("listagg", (_c(col), to_expr(delimiter))))


def string_agg(col, delimiter=None) -> Column:
    from ember.sql.column import to_expr

    return Column(E.AggFunc("string_agg", (_c(col), to_expr(delimiter))))


def mode(col, deterministic: bool = False) -> Column:
    """The most frequent non-null value (the smallest of equally frequent ones)."""
    return _agg("mode", col)


def bit_and(col) -> Column:
    return _agg("bit_and", col)


def bit_or(col) -> Column:
    return _agg("bit_or", col)


def bit_xor(col) -> Column:
    return _agg("bit_xor", col)
