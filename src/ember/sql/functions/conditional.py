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
