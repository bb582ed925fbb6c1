"""``groupBy(keys).pivot(col, values).agg(...)``: one column per pivot value (and aggregate).

The rows are aggregated per (keys, pivot value) first, then each value's results move into its own
columns, so a (keys, value) pair without rows is null for every aggregate, ``count`` included, as
in Spark. Without ``values`` the distinct values of the column are found first (one query), sorted
ascending with null first.
"""

from __future__ import annotations

from typing import Any


def value_name(value: Any, dtype) -> str:
    """A pivot value as Spark names its column: ``null``, ``true``, ``1.0``, ``2024-01-02``, ..."""
    from ember.sql.show import format_cell

    return "null" if value is None else format_cell(value, dtype)


def distinct_values(df, pivot_expr) -> list:
    """The pivot column's distinct values, ascending with null first (Spark's order)."""
    from ember.sql.column import Column

    rows = df.select(Column(pivot_expr)).distinct().collect()
    values = [r[0] for r in rows]
    return sorted(values, key=lambda v: (v is not None, v))


def output(plan) -> list:
    """Keys, then per value (in order) per aggregate: a nullable column of the aggregate's type."""
    from ember.sql.attributes import make

    agg_out = plan.child.output
    nk = plan.n_keys
    keys, pivot_attr, aggs = agg_out[:nk], agg_out[nk], agg_out[nk + 1 :]
    out = list(keys)
    for v in plan.values:
        name = value_name(v, pivot_attr.dtype)
        for a in aggs:
            out.append(make(name if len(aggs) == 1 else f"{name}_{a.name}", a.dtype, True))
    return out


def execute(translator, plan):
    """The pivoted LazyFrame: one group per key, one column per (value, aggregate)."""
    import polars as pl

    from ember.sql.dtypes import to_polars
    from ember.sql.exec_expr import cname

    lf = translator.run(plan.child)
    agg_out = plan.child.output
    nk = plan.n_keys
    keys, pivot_attr, aggs = agg_out[:nk], agg_out[nk], agg_out[nk + 1 :]
    pcol = pl.col(cname(pivot_attr))
    ptype = to_polars(pivot_attr.dtype)
    exprs, out = [], iter(plan.output[nk:])
    for v in plan.values:
        hit = pcol.is_null() if v is None else (pcol == pl.lit(v).cast(ptype))
        for a in aggs:
            exprs.append(pl.col(cname(a)).filter(hit).first().alias(cname(next(out))))
    if not keys:
        return lf.select(exprs) if exprs else lf.select([]).head(1)
    return lf.group_by([cname(k) for k in keys]).agg(exprs)
