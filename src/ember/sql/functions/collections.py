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


def array_size(col) -> Column:
    return _f("array_size", col)


def cardinality(col) -> Column:
    return _f("cardinality", col)


def array_max(col) -> Column:
    return _f("array_max", col)


def array_min(col) -> Column:
    return _f("array_min", col)


def array_position(col, value) -> Column:
    """The 1-based position of the first ``value`` in the array, 0 when absent (a long)."""
    return Column(E.Func("array_position", (_c(col), to_expr(value))))


def array_remove(col, element) -> Column:
    return Column(E.Func("array_remove", (_c(col), to_expr(element))))


def array_compact(col) -> Column:
    """The array without its nulls."""
    return _f("array_compact", col)


def array_union(col1, col2) -> Column:
    return _f("array_union", col1, col2)


def array_intersect(col1, col2) -> Column:
    return _f("array_intersect", col1, col2)


def array_except(col1, col2) -> Column:
    return _f("array_except", col1, col2)


def array_append(col, value) -> Column:
    return Column(E.Func("array_append", (_c(col), to_expr(value))))


def array_prepend(col, value) -> Column:
    return Column(E.Func("array_prepend", (_c(col), to_expr(value))))


def array_repeat(col, count) -> Column:
    return Column(E.Func("array_repeat", (_c(col), to_expr(count) if isinstance(count, int) else _c(count))))


def array_sort(col, comparator=None) -> Column:
    """The array sorted ascending, nulls last (a comparator function is not supported by ember)."""
    if comparator is not None:
        from ember.errors import PySparkNotImplementedError

        raise PySparkNotImplementedError("ember's array_sort takes no comparator")
    return _f("array_sort", col)


def slice(x, start, length) -> Column:  # noqa: A001
    """``length`` elements of ``x`` from the 1-based ``start`` (negative counts from the end)."""

    def arg(v):
        return to_expr(v) if isinstance(v, int) else _c(v)

    return Column(E.Func("slice", (_c(x), arg(start), arg(length))))


def flatten(col) -> Column:
    """An array of arrays as one array."""
    return _f("flatten", col)


def arrays_overlap(a1, a2) -> Column:
    return _f("arrays_overlap", a1, a2)


def sequence(start, stop, step=None) -> Column:
    """The integers from ``start`` to ``stop`` inclusive, by ``step`` (1 or -1 by default)."""
    return _f("sequence", start, stop, *(() if step is None else (step,)))


def get(col, index) -> Column:
    """The element at the 0-based ``index``, null outside the array."""
    return Column(E.Func("get", (_c(col), to_expr(index) if isinstance(index, int) else _c(index))))


def try_element_at(col, extraction) -> Column:
    return Column(E.Func("try_element_at", (_c(col), _c(extraction))))


def map_keys(col) -> Column:
    return _f("map_keys", col)


def map_values(col) -> Column:
    return _f("map_values", col)


def map_entries(col) -> Column:
    return _f("map_entries", col)


def map_contains_key(col, value) -> Column:
    return Column(E.Func("map_contains_key", (_c(col), to_expr(value))))


def map_from_arrays(col1, col2) -> Column:
    return _f("map_from_arrays", col1, col2)


def named_struct(*cols) -> Column:
    """A struct from name/value pairs: ``named_struct(lit("a"), col("x"), lit("b"), col("y"))``."""
    exprs = tuple(_c(c) for c in _flat(cols))
    names = tuple(str(e.value) if isinstance(e, E.Literal) else "" for e in exprs[0::2])
    return Column(E.Func("named_struct", exprs, (names,)))


# -- higher-order functions --------------------------------------------------------------------------
def _lambda_call(name: str, col, f, kind: str = "array") -> Column:
    import inspect

    array = _c(col)
    n = len(inspect.signature(f).parameters)
    variables = [Column(E.Func("lambda_var", (array,), (i, kind))) for i in range(n)]
    body = f(*variables)
    if not isinstance(body, Column):
        from ember.sql.functions.columns import lit

        body = lit(body)
    return Column(E.Func(name, (array, body._expr), (n,)))


def transform(col, f) -> Column:
    """``f`` applied to every element (``f(x)`` or ``f(x, i)`` with the 0-based index).

    Examples
    --------
    >>> transform("a", lambda x: x * 2)
    Column<'transform(a, lambdafunction((namedlambdavariable() * 2), namedlambdavariable()))'>
    """
    return _lambda_call("transform", col, f)


def filter(col, f) -> Column:  # noqa: A001
    """The elements for which ``f`` is true."""
    return _lambda_call("filter", col, f)


def exists(col, f) -> Column:
    """Whether ``f`` is true for some element (null when it is not, but null for some)."""
    return _lambda_call("exists", col, f)


def forall(col, f) -> Column:
    """Whether ``f`` is true for every element (null when it is never false, but null for some)."""
    return _lambda_call("forall", col, f)


def transform_values(col, f) -> Column:
    """The map with each value replaced by ``f(key, value)``."""
    return _lambda_call("transform_values", col, f, "map")


def transform_keys(col, f) -> Column:
    """The map with each key replaced by ``f(key, value)``."""
    return _lambda_call("transform_keys", col, f, "map")


def map_filter(col, f) -> Column:
    """The entries for which ``f(key, value)`` is true."""
    return _lambda_call("map_filter", col, f, "map")
