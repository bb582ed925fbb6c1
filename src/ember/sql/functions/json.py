"""JSON functions: parse JSON text into structs, write structs as JSON, pick values by JSON path."""

from __future__ import annotations

from ember.sql import expressions as E
from ember.sql.column import Column
from ember.sql.functions._util import c as _c


def from_json(col, schema, options=None) -> Column:
    """The JSON text of ``col`` as a struct of ``schema`` (a StructType or a DDL string such as
    ``"user STRING, n INT"``). A value the schema refuses is null; malformed text gives a struct of nulls.

    Examples
    --------
    >>> from_json("value", "word STRING, n INT")
    Column<'from_json(value)'>
    """
    from ember.sql import types as T

    if isinstance(schema, Column):
        expr = schema._expr
        schema = expr.value if isinstance(expr, E.Literal) else schema
    if isinstance(schema, str):
        from ember.sql._ddl import _parse_datatype_string

        schema = _parse_datatype_string(schema)
    if not isinstance(schema, T.StructType):
        from ember.errors import PySparkNotImplementedError

        raise PySparkNotImplementedError("ember's from_json reads into a struct schema only")
    opts = tuple(sorted((str(k), None if v is None else str(v)) for k, v in (options or {}).items()))
    return Column(E.Func("from_json", (_c(col),), (schema, opts)))


def to_json(col, options=None) -> Column:
    """A struct, array or map as JSON text (null struct fields are left out)."""
    return Column(E.Func("to_json", (_c(col),)))


def get_json_object(col, path: str) -> Column:
    """The value at JSON ``path`` (``$.a.b``, ``$.items[0]``) of the JSON text, as a string."""
    return Column(E.Func("get_json_object", (_c(col),), (path,)))
