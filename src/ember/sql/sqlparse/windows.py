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
from typing import TYPE_CHECKING, Any

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
    return tr.column(node.this).over(spec)
