"""Normal and sort functions: columns by name, literals, SQL expressions, orderings."""

from __future__ import annotations

from typing import Any

from ember.sql.column import Column, _lit_expr, col_expr
from ember.sql.functions._util import c as _c
from ember.sql.functions._util import f as _f


def col(col: str) -> Column:
    """A column by name.

    Examples
    --------
    >>> col("word")
    Column<'word'>
    """
    return Column(col_expr(col))


column = col


def lit(col: Any) -> Column:
    """A literal value as a column: ``lit(1)``; a list or tuple becomes an array literal."""
    if isinstance(col, Column):
        return col
    if isinstance(col, (list, tuple)):
        from ember.sql.functions.collections import array

        return array(*[lit(v) for v in col])
    return Column(_lit_expr(col))


def expr(str: str) -> Column:  # noqa: A002 - PySpark's parameter name
    """A SQL expression string as a column: ``expr("n + 1")``."""
    from ember.sql import functions
    from ember.sql.sqlparser import parse_expression

    return parse_expression(str, functions)


def broadcast(df):
    """A hint in Spark; the same DataFrame in ember."""
    return df


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


def monotonically_increasing_id() -> Column:
    return _f("monotonically_increasing_id")


def spark_partition_id() -> Column:
    return _f("spark_partition_id")


def typeof(col) -> Column:
    """The column's type as DDL text (``int``, ``array<string>``, ...)."""
    return _f("typeof", col)


def call_function(funcName: str, *cols) -> Column:
    """The built-in ``funcName`` (case-insensitive) called with column arguments.

    Examples
    --------
    >>> call_function("upper", "s")
    Column<'upper(s)'>
    """
    from ember.sql import functions

    fn = getattr(functions, funcName.lower(), None)
    if fn is None or not callable(fn) or funcName.lower() in ("call_function", "col", "column", "lit"):
        from ember.errors import AnalysisException

        raise AnalysisException(
            f"[UNRESOLVED_ROUTINE] Cannot resolve routine `{funcName}` on search path [`system`.`builtin`, "
            "`system`.`session`, `spark_catalog`.`default`]. SQLSTATE: 42883",
            errorClass="UNRESOLVED_ROUTINE",
        )
    return fn(*cols)


def current_database() -> Column:
    """The current database: ``default`` (ember has one)."""
    return _f("current_schema")


current_schema = current_database


def current_catalog() -> Column:
    return _f("current_catalog")


def current_user() -> Column:
    """The user running the session (the operating-system user)."""
    return _f("current_user")


def user() -> Column:
    return _f("user")


def session_user() -> Column:
    return _f("session_user")


def assert_true(col, errMsg=None) -> Column:
    """Null where ``col`` is true; fails the query (``USER_RAISED_EXCEPTION``) on a row where it is not."""
    from ember.sql import expressions as E
    from ember.sql.column import to_expr

    args = (_c(col),) if errMsg is None else (_c(col), to_expr(errMsg))
    return Column(E.Func("assert_true", args))
