"""``repr(Column)`` as Spark 4 prints an unresolved column: ``Column<'+(a, 1)'>``.

Operators print as functions of their operands (``+(a, 1)``, ``and(a, b)``, ``!(=(a, 1))``), string
literals in single quotes, longs with an ``L``; nothing needs a schema.
"""

from __future__ import annotations

import datetime
from typing import Any

from ember.sql import expressions as E
from ember.sql import types as T

_BIN = {"AND": "and", "OR": "or"}
_UNARY = {"NOT": "!", "NEG": "negative", "ISNULL": "isNull", "ISNOTNULL": "isNotNull", "ISNAN": "isNaN",
          "BITNOT": "~"}
_FUNC_NAMES = {"pow": "power"}
_PARAMS_FIRST = {"concat_ws"}  # the separator is a parameter but comes first


def column_repr(expr: E.Expr) -> str:
    return f"Column<'{render(expr)}'>"


def _literal(value: Any, dtype=None) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, int):
        return f"{value}L" if isinstance(dtype, T.LongType) else str(value)
    if isinstance(value, float):
        from ember.sql.show import java_double_str

        return java_double_str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    return str(value)


def _args(items) -> str:
    return ", ".join(items)


def render(e: E.Expr) -> str:
    """Spark's text of ``e``; unknown node kinds fall back to their class name."""
    if isinstance(e, (E.WindowExpr, E.WindowFunc)):
        from ember.sql.window_rules import display

        return display(e, render)
    if isinstance(e, E.ColumnRef):
        return e.name
    if isinstance(e, E.Star):
        return f"{e.target}.*" if e.target else "*"
    if isinstance(e, E.Literal):
        return _literal(e.value, e.dtype)
    if isinstance(e, E.Alias):
        names = f"({', '.join(e.names)})" if e.names else e.name
        return f"{render(e.child)} AS {names}"
    if isinstance(e, E.Cast):
        return f"{'TRY_CAST' if e.try_ else 'CAST'}({render(e.child)} AS {e.to.simpleString().upper()})"
    if isinstance(e, E.BinOp):
        if e.op == "!=":
            return f"!(=({render(e.left)}, {render(e.right)}))"
        return f"{_BIN.get(e.op, e.op)}({render(e.left)}, {render(e.right)})"
    if isinstance(e, E.Unary):
        return f"{_UNARY.get(e.op, e.op.lower())}({render(e.child)})"
    if isinstance(e, E.CaseWhen):
        parts = [f"WHEN {render(c)} THEN {render(v)}" for c, v in e.branches]
        tail = f" ELSE {render(e.otherwise)}" if e.otherwise is not None else ""
        return f"CASE {' '.join(parts)}{tail} END"
    if isinstance(e, E.Func):
        params = [_literal(p) for p in e.params if p != "__names__"]
        if e.name == "regexp_replace" and e.params[-1:] == (1,):
            params = params[:-1]  # the default position is not shown
        args = [render(a) for a in e.args]
        items = params + args if e.name in _PARAMS_FIRST else args + params
        return f"{_FUNC_NAMES.get(e.name, e.name)}({_args(items)})"
    if isinstance(e, E.AggFunc):
        if e.name == "count" and len(e.args) == 1 and isinstance(e.args[0], E.Literal) and not e.distinct:
            return "count(*)"
        return f"{e.name}({_args([render(a) for a in e.args] + [_literal(p) for p in e.params])})"
    if isinstance(e, E.Generator):
        return f"{e.kind}({render(e.child)})"
    if isinstance(e, E.SortOrder):
        nulls_first = e.ascending if e.nulls_first is None else e.nulls_first
        direction = "ASC" if e.ascending else "DESC"
        return f"{render(e.child)} {direction} NULLS {'FIRST' if nulls_first else 'LAST'}"
    if isinstance(e, E.GetField):
        return f"{render(e.child)}[{_literal(e.field_name)}]"
    if isinstance(e, E.GetItem):
        return f"{render(e.child)}[{render(e.key)}]"
    if isinstance(e, E.In):
        return f"in({_args([render(e.child)] + [render(v) for v in e.values])})"
    if isinstance(e, E.UdfCall):
        return f"{e.fname}({_args([render(a) for a in e.args])})"
    return type(e).__name__
