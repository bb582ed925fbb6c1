"""``f(...) OVER (PARTITION BY ... ORDER BY ... ROWS|RANGE BETWEEN ...)`` as ``F.f(...).over(Window...)``.

The window specification is built with the engine's public ``Window`` class
(``<root>.sql.window.Window``), like any other part of the translation.

Examples
--------
>>> from ember.sql.sqlparse.dialect import parse_one_expression
>>> frame_bound(parse_one_expression("sum(n) over (rows between 2 preceding and current row)")
...             .args["spec"], "start", None)
-2
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Callable

from sqlglot import exp

from ember.sql.sqlparse.literals import literal_value

if TYPE_CHECKING:
    from ember.sql.sqlparse.expressions import ExprTranslator


def direct(column: Any, ordered: exp.Ordered) -> Any:
    """An ORDER BY entry's direction and null ordering applied to ``column`` (Spark's defaults:
    ascending puts NULLs first, descending last)."""
    desc = bool(ordered.args.get("desc"))
    nulls_first = ordered.args.get("nulls_first")
    if nulls_first is None:
        nulls_first = not desc
    if desc:
        return column.desc_nulls_first() if nulls_first else column.desc_nulls_last()
    return column.asc_nulls_first() if nulls_first else column.asc_nulls_last()


def frame_bound(spec: exp.WindowSpec, side: str, window: Any) -> Any:
    """One end of a ROWS/RANGE frame as the number ``rowsBetween`` takes (``Window`` constants)."""
    bound = spec.args.get(side)
    direction = str(spec.args.get(f"{side}_side") or "").lower()
    text = bound if isinstance(bound, str) else None
    if text is not None and text.upper() == "UNBOUNDED":
        if window is None:
            return "unbounded"
        return window.unboundedPreceding if direction == "preceding" else window.unboundedFollowing
    if text is not None and text.upper() == "CURRENT ROW":
        return 0 if window is None else window.currentRow
    value = literal_value(bound).value if bound is not None else None
    if not isinstance(value, int):
        raise ValueError(f"unsupported frame bound {bound!r}")
    return -value if direction == "preceding" else value


def over(tr: ExprTranslator, node: exp.Window) -> Any:
    """The Column for a window function call."""
    named = node.args.get("alias") is not None
    if named and not node.args.get("partition_by") and not node.args.get("order"):
        raise tr.unsupported(node, "named windows (OVER w)")
    root = tr.F.__name__.split(".", 1)[0]
    try:
        window = importlib.import_module(f"{root}.sql.window").Window
    except ImportError:
        raise tr.unsupported(node, "window functions (OVER) on this engine") from None
    partition = [tr.column(p) for p in node.args.get("partition_by") or []]
    spec = window.partitionBy(*partition)
    order = node.args.get("order")
    if order is not None:
        spec = spec.orderBy(*[direct(tr.column(o.this), o) for o in order.expressions])
    frame = node.args.get("spec")
    if frame is not None:
        try:
            start, end = frame_bound(frame, "start", window), frame_bound(frame, "end", window)
        except ValueError:
            raise tr.unsupported(node, "this window frame") from None
        kind = str(frame.args.get("kind") or "").lower()
        spec = spec.rangeBetween(start, end) if kind == "range" else spec.rowsBetween(start, end)
    tr.renamed = True  # SQL prints its frame offsets as PRECEDING/FOLLOWING: see window_name
    return tr.column(node.this).over(spec)


_RANKING = {"row_number": "row_number", "rank": "RANK", "dense_rank": "DENSE_RANK",
            "percent_rank": "PERCENT_RANK", "cume_dist": "cume_dist"}
_ROWS_FRAME = {"row_number", "rank", "dense_rank", "percent_rank", "ntile"}


def window_name(node: exp.Window, name: Callable[[exp.Expr], str]) -> str:
    """Spark's column name for ``f(...) OVER (...)``: the call, then the spec with its frame, the
    default one spelled out (``RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW``)."""
    func = node.this
    call = str(func.this).lower() if isinstance(func, exp.Anonymous) else ""
    args = func.expressions if isinstance(func, exp.Anonymous) else []
    if call in _RANKING:
        text = f"{_RANKING[call]}()"
    elif call == "ntile":
        text = f"ntile({name(args[0])})"
    elif call in ("lag", "lead"):
        offset = name(args[1]) if len(args) > 1 else "1"
        default = name(args[2]) if len(args) > 2 else "NULL"
        text = f"{call}({name(args[0])}, {offset}, {default})"
    else:
        text = name(func)
    parts = []
    if node.args.get("partition_by"):
        parts.append("PARTITION BY " + ", ".join(name(p) for p in node.args["partition_by"]))
    order = node.args.get("order")
    if order is not None:
        parts.append("ORDER BY " + ", ".join(_order_name(o, name) for o in order.expressions))
    parts.append(_frame_name(node, call, args, order is not None, name))
    return f"{text} OVER ({' '.join(parts)})"


def _order_name(o: exp.Ordered, name: Callable[[exp.Expr], str]) -> str:
    desc = bool(o.args.get("desc"))
    nulls_first = o.args.get("nulls_first")
    if nulls_first is None:
        nulls_first = not desc
    return f"{name(o.this)} {'DESC' if desc else 'ASC'} NULLS {'FIRST' if nulls_first else 'LAST'}"


def _frame_name(node: exp.Window, call: str, args: list, ordered: bool, name) -> str:
    frame = node.args.get("spec")
    if frame is not None:
        kind = str(frame.args.get("kind") or "rows").upper()
        return f"{kind} BETWEEN {_bound_name(frame, 'start')} AND {_bound_name(frame, 'end')}"
    if call in ("lag", "lead"):
        k = int(literal_value(args[1]).value) if len(args) > 1 else 1
        k = k if call == "lead" else -k
        return f"ROWS BETWEEN {k} FOLLOWING AND {k} FOLLOWING"
    if call in _ROWS_FRAME:
        return "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
    if ordered:
        return "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
    return "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"


def _bound_name(spec: exp.WindowSpec, side: str) -> str:
    bound = spec.args.get(side)
    direction = str(spec.args.get(f"{side}_side") or "").upper()
    if isinstance(bound, str):
        return "CURRENT ROW" if bound.upper() == "CURRENT ROW" else f"{bound.upper()} {direction}"
    return f"{literal_value(bound).value} {direction}"
