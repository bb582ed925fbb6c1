"""Collection functions: structs, arrays and maps, and the generators that explode them."""

from __future__ import annotations

from ember.sql import expressions as E
from ember.sql.column import Column, to_expr
from ember.sql.functions._util import c as _c
from ember.sql.functions._util import f as _f


def _flat(cols: tuple) -> tuple:
    return tuple(cols[0]) if len(cols) == 1 and isinstance(cols[0], (list, tuple)) else cols


def struct(*cols) -> Column:
    """A struct of the given columns; field names are the columns' names."""
    return Column(E.Func("struct", tuple(_c(c) for c in _flat(cols)), ("__names__",)))


def array(*cols) -> Column:
    return _f("array", *_flat(cols))


def create_map(*cols) -> Column:
    return _f("create_map", *_flat(cols))


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


# -- generators ----------------------------------------------------------------------------------
def explode(col) -> Column:
    """One row per element (no row for a null or empty array); output column ``col``.

    Examples
    --------
    >>> explode(col("words"))
    Column<'explode(words)'>
    """
    return Column(E.Generator("explode", _c(col)))


def explode_outer(col) -> Column:
    return Column(E.Generator("explode_outer", _c(col)))


def posexplode(col) -> Column:
    return Column(E.Generator("posexplode", _c(col)))


def posexplode_outer(col) -> Column:
    return Column(E.Generator("posexplode_outer", _c(col)))
