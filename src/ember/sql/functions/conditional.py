"""Conditional and predicate functions: ``when``, ``coalesce``, null and NaN tests."""

from __future__ import annotations

from ember.errors import PySparkTypeError
from ember.sql import expressions as E
from ember.sql.column import Column, to_expr
from ember.sql.functions._util import c as _c
from ember.sql.functions._util import f as _f


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


def isnan(col) -> Column:
    return _f("isnan", col)


def nanvl(col1, col2) -> Column:
    return _f("nanvl", col1, col2)


def ifnull(col1, col2) -> Column:
    """``col2`` where ``col1`` is null, else ``col1`` (as ``coalesce``, named ``ifnull(a, b)``)."""
    return _f("ifnull", col1, col2)


def nvl(col1, col2) -> Column:
    """``col2`` where ``col1`` is null, else ``col1``."""
    return _f("nvl", col1, col2)


def nvl2(col1, col2, col3) -> Column:
    """``col2`` where ``col1`` is not null, else ``col3``.

    Examples
    --------
    >>> nvl2("a", "b", "c")
    Column<'nvl2(a, b, c)'>
    """
    return _f("nvl2", col1, col2, col3)


def nullif(col1, col2) -> Column:
    """Null where ``col1`` equals ``col2``, else ``col1``."""
    return _f("nullif", col1, col2)


def equal_null(col1, col2) -> Column:
    """``col1 = col2`` with nulls equal to each other (never null itself)."""
    return _f("equal_null", col1, col2)


def nullifzero(col) -> Column:
    """Null where ``col`` is 0, else ``col``."""
    return _f("nullifzero", col)


def zeroifnull(col) -> Column:
    """0 where ``col`` is null, else ``col``."""
    return _f("zeroifnull", col)
