"""``ember.sql.functions``: PySpark's built-in column functions (``from ember.sql import functions as F``).

Every built-in becomes a Polars expression at execution time; none loops over rows in Python.

Examples
--------
>>> from ember.sql import functions as F
>>> F.explode(F.split(F.col("value"), " "))
Column<'col'>
"""

from __future__ import annotations

from typing import Any, Callable

from ember.errors import PySparkTypeError
from ember.sql import expressions as E
from ember.sql.column import Column, _lit_expr, col_expr, to_expr


def _c(x) -> E.Expr:
    return col_expr(x)


def _f(name: str, *args, params: tuple = ()) -> Column:
    return Column(E.Func(name, tuple(_c(a) for a in args), params))


# -- columns and literals ----------------------------------------------------------------------
def col(col: str) -> Column:
    """A column by name: ``col("word")``."""
    return Column(col_expr(col))


column = col


def lit(col: Any) -> Column:
    """A literal value as a column: ``lit(1)``."""
    if isinstance(col, Column):
        return col
    if isinstance(col, (list, tuple)):
        return array(*[lit(v) for v in col])
    return Column(_lit_expr(col))


def expr(str: str) -> Column:  # noqa: A002 - PySpark's parameter name
    """A SQL expression string as a column: ``expr("n + 1")``."""
    from ember.sql import functions
    from ember.sql.sqlparser import parse_expression

    return parse_expression(str, functions)


def asc(col) -> Column:
    return Column(_c(col)).asc()


def desc(col) -> Column:
    return Column(_c(col)).desc()


def asc_nulls_first(col) -> Column:
    return Column(_c(col)).asc_nulls_first()


def asc_nulls_last(col) -> Column:
    return Column(_c(col)).asc_nulls_last()


def desc_nulls_first(col) -> Column:
    return Column(_c(col)).desc_nulls_first()


def desc_nulls_last(col) -> Column:
    return Column(_c(col)).desc_nulls_last()


def when(condition: Column, value) -> Column:
    """``when(cond, value).when(...).otherwise(default)``."""
    if not isinstance(condition, Column):
        raise PySparkTypeError(
            f"Argument `condition` should be a Column, got {type(condition).__name__}.",
            errorClass="NOT_COLUMN",
        )
    return Column(E.CaseWhen(((condition._expr, to_expr(value)),)))


def coalesce(*cols) -> Column:
    return _f("coalesce", *cols)


def greatest(*cols) -> Column:
    return _f("greatest", *cols)


def least(*cols) -> Column:
    return _f("least", *cols)


def isnull(col) -> Column:
    return Column(_c(col)).isNull()


def isnotnull(col) -> Column:
    return Column(_c(col)).isNotNull()


def bitwise_not(col) -> Column:
    return Column(E.Unary("BITNOT", _c(col)))


bitwiseNOT = bitwise_not


def isnan(col) -> Column:
    return _f("isnan", col)


def nanvl(col1, col2) -> Column:
    return _f("nanvl", col1, col2)


def struct(*cols) -> Column:
    """A struct of the given columns; field names are the columns' names."""
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        cols = tuple(cols[0])
    return Column(E.Func("struct", tuple(_c(c) for c in cols), ("__names__",)))


def array(*cols) -> Column:
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        cols = tuple(cols[0])
    return _f("array", *cols)


def create_map(*cols) -> Column:
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        cols = tuple(cols[0])
    return _f("create_map", *cols)


# -- strings -----------------------------------------------------------------------------------
def split(str, pattern: str, limit: int = -1) -> Column:  # noqa: A002
    """Split by a (Java) regex; empty and trailing empty tokens are kept as in Spark."""
    return _f("split", str, params=(pattern, limit))


def lower(col) -> Column:
    return _f("lower", col)


def upper(col) -> Column:
    return _f("upper", col)


def trim(col, trim: str | None = None) -> Column:
    return _f("trim", col)


def ltrim(col, trim: str | None = None) -> Column:
    return _f("ltrim", col)


def rtrim(col, trim: str | None = None) -> Column:
    return _f("rtrim", col)


def initcap(col) -> Column:
    return _f("initcap", col)


def reverse(col) -> Column:
    return _f("reverse", col)


def length(col) -> Column:
    return _f("length", col)


def concat(*cols) -> Column:
    return _f("concat", *cols)


def concat_ws(sep: str, *cols) -> Column:
    return _f("concat_ws", *cols, params=(sep,))


def regexp_replace(string, pattern, replacement) -> Column:
    return _f("regexp_replace", string, params=(pattern, replacement, 1))


def regexp_extract(str, pattern: str, idx: int) -> Column:  # noqa: A002
    return _f("regexp_extract", str, params=(pattern, idx))


def substring(str, pos: int, len: int) -> Column:  # noqa: A002
    return _f("substring", str, params=(pos, len))


def instr(str, substr: str) -> Column:  # noqa: A002
    return _f("instr", str, params=(substr,))


def lpad(col, len: int, pad: str) -> Column:  # noqa: A002
    return _f("lpad", col, params=(len, pad))


def rpad(col, len: int, pad: str) -> Column:  # noqa: A002
    return _f("rpad", col, params=(len, pad))


def repeat(col, n: int) -> Column:
    return _f("repeat", col, params=(n,))


def translate(srcCol, matching: str, replace: str) -> Column:
    return _f("translate", srcCol, params=(matching, replace))


def md5(col) -> Column:
    return _f("md5", col)


# -- arrays ------------------------------------------------------------------------------------
def size(col) -> Column:
    return _f("size", col)


def array_contains(col, value) -> Column:
    return Column(E.Func("array_contains", (_c(col), to_expr(value))))


def array_join(col, delimiter: str, null_replacement: str | None = None) -> Column:
    return _f(
        "array_join", col, params=(delimiter,) + ((null_replacement,) if null_replacement is not None else ())
    )


def array_distinct(col) -> Column:
    return _f("array_distinct", col)


def sort_array(col, asc: bool = True) -> Column:
    return _f("sort_array", col, params=(asc,))


def element_at(col, extraction) -> Column:
    return Column(E.Func("element_at", (_c(col), to_expr(extraction))))


def explode(col) -> Column:
    """One row per element (no row for a null or empty array); output column ``col``."""
    return Column(E.Generator("explode", _c(col)))


def explode_outer(col) -> Column:
    return Column(E.Generator("explode_outer", _c(col)))


def posexplode(col) -> Column:
    return Column(E.Generator("posexplode", _c(col)))


def posexplode_outer(col) -> Column:
    return Column(E.Generator("posexplode_outer", _c(col)))


# -- maths -------------------------------------------------------------------------------------
def abs(col) -> Column:  # noqa: A001
    return _f("abs", col)


def round(col, scale: int = 0) -> Column:  # noqa: A001
    return _f("round", col, params=(scale,))


def bround(col, scale: int = 0) -> Column:
    return _f("bround", col, params=(scale,))


def sqrt(col) -> Column:
    return _f("sqrt", col)


def exp(col) -> Column:
    return _f("exp", col)


def log(arg1, arg2=None) -> Column:
    return _f("log", arg1)


def pow(col1, col2) -> Column:  # noqa: A001
    return Column(
        E.Func(
            "pow",
            (
                _c(col1) if isinstance(col1, (str, Column)) else to_expr(col1),
                _c(col2) if isinstance(col2, (str, Column)) else to_expr(col2),
            ),
        )
    )


def floor(col) -> Column:
    return _f("floor", col)


def ceil(col) -> Column:
    return _f("ceil", col)


def signum(col) -> Column:
    return _f("signum", col)


def monotonically_increasing_id() -> Column:
    return _f("monotonically_increasing_id")


def spark_partition_id() -> Column:
    return _f("spark_partition_id")


def hash(*cols) -> Column:  # noqa: A001
    """Spark's Murmur3 hash (x86_32, seed 42) of the columns, as an int.

    Examples
    --------
    >>> spark.range(1).select(hash(lit(1))).first()[0]
    -559580957
    """
    return _f("hash", *cols)


def xxhash64(*cols) -> Column:
    """Spark's xxHash64 (seed 42) of the columns, as a long."""
    return _f("xxhash64", *cols)


# -- dates and times ---------------------------------------------------------------------------
def current_timestamp() -> Column:
    return _f("current_timestamp")


now = current_timestamp


def current_date() -> Column:
    return _f("current_date")


def to_timestamp(col, format: str | None = None) -> Column:  # noqa: A002
    return _f("to_timestamp", col, params=(format,) if format else ())


def to_date(col, format: str | None = None) -> Column:  # noqa: A002
    return _f("to_date", col, params=(format,) if format else ())


def date_format(date, format: str) -> Column:  # noqa: A002
    return _f("date_format", date, params=(format,))


def unix_timestamp(timestamp=None, format: str = "yyyy-MM-dd HH:mm:ss") -> Column:  # noqa: A002
    if timestamp is None:
        return Column(E.Func("unix_timestamp", (E.Func("current_timestamp"),), (format,)))
    return _f("unix_timestamp", timestamp, params=(format,))


def from_unixtime(timestamp, format: str = "yyyy-MM-dd HH:mm:ss") -> Column:  # noqa: A002
    return _f("from_unixtime", timestamp, params=(format,))


def year(col) -> Column:
    return _f("year", col)


def month(col) -> Column:
    return _f("month", col)


def dayofmonth(col) -> Column:
    return _f("dayofmonth", col)


def dayofweek(col) -> Column:
    return _f("dayofweek", col)


def dayofyear(col) -> Column:
    return _f("dayofyear", col)


def hour(col) -> Column:
    return _f("hour", col)


def minute(col) -> Column:
    return _f("minute", col)


def second(col) -> Column:
    return _f("second", col)


def date_add(start, days: int) -> Column:
    return _f("date_add", start, params=(days,))


def date_sub(start, days: int) -> Column:
    return _f("date_sub", start, params=(days,))


def datediff(end, start) -> Column:
    return _f("datediff", end, start)


def window(
    timeColumn, windowDuration: str, slideDuration: str | None = None, startTime: str | None = None
) -> Column:
    """Event-time windows ``struct<start, end>``: tumbling, or sliding when ``slideDuration`` is given.

    An event at ``t`` belongs to every window ``[start, start + w)`` with
    ``start = t - (t - startTime) mod slide - k * slide``.
    """
    from ember.sql.durations import parse_duration

    for name, v in (
        ("windowDuration", windowDuration),
        ("slideDuration", slideDuration),
        ("startTime", startTime),
    ):
        if v is not None and not isinstance(v, str):
            raise PySparkTypeError(
                f"Argument `{name}` should be a str, got {type(v).__name__}.", errorClass="NOT_STR"
            )
    w = parse_duration(windowDuration)
    s = parse_duration(slideDuration) if slideDuration else w
    st = parse_duration(startTime) if startTime else 0
    return _f("window", timeColumn, params=(w, s, st))


def window_time(windowColumn) -> Column:
    return _f("window_time", windowColumn)


def session_window(timeColumn, gapDuration) -> Column:
    from ember.sql.durations import parse_duration

    return _f("session_window", timeColumn, params=(parse_duration(gapDuration),))


# -- aggregates --------------------------------------------------------------------------------
def _agg(name: str, col, distinct: bool = False, params: tuple = ()) -> Column:
    return Column(E.AggFunc(name, (_c(col),), distinct, params))


def count(col) -> Column:
    """Rows where ``col`` is not null; ``count("*")`` counts all rows (named ``count(1)``)."""
    if isinstance(col, str) and col == "*":
        return Column(E.AggFunc("count", (E.Literal(1, _int()),)))
    return _agg("count", col)


def _int():
    from ember.sql.types import IntegerType

    return IntegerType()


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


# -- window functions (used with .over(Window...)) -----------------------------------------------
from ember.sql import window_funcs as _window_funcs  # noqa: E402

row_number = _window_funcs.row_number
rank = _window_funcs.rank
dense_rank = _window_funcs.dense_rank
percent_rank = _window_funcs.percent_rank
cume_dist = _window_funcs.cume_dist
ntile = _window_funcs.ntile
lag = _window_funcs.lag
lead = _window_funcs.lead
nth_value = _window_funcs.nth_value


# -- user-defined functions --------------------------------------------------------------------
def udf(f: Callable | None = None, returnType="string", useArrow: bool | None = None):
    """A Python function as a column function, applied to whole batches (``map_elements``).

    Usable as ``udf(f, IntegerType())`` or as a decorator ``@udf(returnType=...)``.
    """
    from ember.sql.udf import make_udf

    if f is None or isinstance(f, str) or not callable(f):
        rt = f if f is not None and not callable(f) else returnType
        return lambda g: make_udf(g, rt)
    return make_udf(f, returnType)


def pandas_udf(*args, **kwargs):
    from ember.errors import PySparkNotImplementedError

    raise PySparkNotImplementedError("pandas_udf is not supported by ember; use udf().")


def broadcast(df):
    """A hint in Spark; the same DataFrame in ember."""
    return df
