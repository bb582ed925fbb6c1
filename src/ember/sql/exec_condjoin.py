"""Outer, semi and anti joins on any condition (execution layer).

Polars joins on equal keys only, so the matching pairs are found first (an equi-join on the
condition's equalities, or every pair, then the rest of the condition as a filter) and each side's
rows that matched nothing are added back with nulls for the other side, as Spark's outer joins do.
"""

from __future__ import annotations

import polars as pl

_LI, _RI = "__join_li", "__join_ri"


def condition_join(left: pl.LazyFrame, right: pl.LazyFrame, how: str, keys, rest, translate, ctx):
    """``left`` joined to ``right`` where the ``keys`` pairs are equal and ``rest`` holds.

    ``keys`` are (left expr, right expr) pairs, ``rest`` the remaining condition (or None);
    ``translate(expr, ctx)`` turns them into Polars expressions. ``how`` is Spark's join type.
    """
    left = left.with_row_index(_LI)
    right = right.with_row_index(_RI)
    if keys:
        pairs = left.join(
            right,
            left_on=[translate(a, ctx) for a, _ in keys],
            right_on=[translate(b, ctx) for _, b in keys],
            how="inner",
            coalesce=False,
            maintain_order="left_right",
        )
    else:
        pairs = left.join(right, how="cross")
    if rest is not None:
        pairs = pairs.filter(translate(rest, ctx).fill_null(False))
    if how in ("semi", "anti"):
        matched = pairs.select(_LI).unique()
        return left.join(matched, on=_LI, how=how, maintain_order="left").drop(_LI)
    parts = [pairs]
    if how in ("left", "full"):
        parts.append(left.join(pairs.select(_LI), on=_LI, how="anti", maintain_order="left"))
    if how in ("right", "full"):
        parts.append(right.join(pairs.select(_RI), on=_RI, how="anti", maintain_order="left"))
    out = pl.concat(parts, how="diagonal") if len(parts) > 1 else parts[0]
    return out.drop(_LI, _RI)
