"""Join conditions: the equality pairs Polars can hash-join on, and what is left over."""

from __future__ import annotations

from ember.sql import expressions as E
from ember.sql.analyzer import analyze


def _side(expr: E.Expr, left, right) -> str | None:
    refs = [e for e in E.walk(expr) if isinstance(e, E.ColumnRef)]
    if not refs:
        return None
    sides = set()
    lids = {a.id for a in left}
    rids = {a.id for a in right}
    for r in refs:
        if r.attr_id is not None and r.attr_id in lids:
            sides.add("l")
        elif r.attr_id is not None and r.attr_id in rids:
            sides.add("r")
        else:
            try:
                analyze(r, tuple(left))
                in_left = True
            except Exception:
                in_left = False
            try:
                analyze(r, tuple(right))
                in_right = True
            except Exception:
                in_right = False
            if in_left and not in_right:
                sides.add("l")
            elif in_right and not in_left:
                sides.add("r")
            else:
                return None
    return sides.pop() if len(sides) == 1 else None


def _conjuncts(expr: E.Expr):
    if isinstance(expr, E.BinOp) and expr.op == "AND":
        yield from _conjuncts(expr.left)
        yield from _conjuncts(expr.right)
    else:
        yield expr


def equi_keys(cond: E.Expr, left, right):
    """([(left expr, right expr)], remaining condition or None)."""
    keys, rest = [], []
    for c in _conjuncts(cond):
        if isinstance(c, E.BinOp) and c.op == "=":
            a, b = _side(c.left, left, right), _side(c.right, left, right)
            if a == "l" and b == "r":
                keys.append((c.left, c.right))
                continue
            if a == "r" and b == "l":
                keys.append((c.right, c.left))
                continue
        rest.append(c)
    remaining = None
    for r in rest:
        remaining = r if remaining is None else E.BinOp("AND", remaining, r)
    return keys, remaining


_HOW = {
    "inner": "inner",
    "cross": "cross",
    "outer": "full",
    "full": "full",
    "fullouter": "full",
    "full_outer": "full",
    "left": "left",
    "leftouter": "left",
    "left_outer": "left",
    "right": "right",
    "rightouter": "right",
    "right_outer": "right",
    "semi": "semi",
    "leftsemi": "semi",
    "left_semi": "semi",
    "anti": "anti",
    "leftanti": "anti",
    "left_anti": "anti",
}


def normalize_how(how: str | None) -> str:
    from ember.errors import AnalysisException

    if how is None:
        return "inner"
    key = how.lower()
    if key not in _HOW:
        raise AnalysisException(
            f"Unsupported join type '{how}'. Supported join types include: 'inner', 'outer', 'full', "
            "'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', "
            "'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'. "
            "SQLSTATE: 0A000",
            errorClass="UNSUPPORTED_JOIN_TYPE",
        )
    return _HOW[key]
