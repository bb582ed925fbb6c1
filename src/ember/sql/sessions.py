"""``groupBy(..., session_window(ts, gap))``: gap-based sessions per group key (execution layer).

Within a key, events sorted by time join the current session while they start before its end
(the latest ``ts + gap`` so far; touching counts as inside); the session is ``[first ts, last ts + gap)``.
"""

from __future__ import annotations

import polars as pl

from ember.sql import expressions as E
from ember.sql.exec_expr import cname, translate


def session_aggregate(tr, lf: pl.LazyFrame, ctx, plan, sw: E.Func) -> pl.LazyFrame:
    (gap,) = sw.params
    nk = len(plan.keys)
    ts = translate(sw.args[0], ctx).cast(pl.Int64)
    other = [(k, a) for k, a in zip(plan.keys, plan.output[:nk]) if E.strip_alias(k) is not sw]
    key_cols = [translate(k, ctx).alias(cname(a)) for k, a in other]
    key_names = [cname(a) for _, a in other]
    lf = lf.filter(ts.is_not_null()).with_columns([*key_cols, ts.alias("__t")])
    lf = lf.sort([*key_names, "__t"], nulls_last=False, maintain_order=True)
    end = pl.col("__t") + gap
    prev_end = end.cum_max().shift(1)
    if key_names:
        prev_end = prev_end.over(key_names)
    new = prev_end.is_null() | (pl.col("__t") > prev_end)
    sid = new.cast(pl.Int64).cum_sum()
    if key_names:
        sid = sid.over(key_names)
    lf = lf.with_columns(sid.alias("__sid"))
    aggs = [translate(g, ctx).alias(cname(a)) for g, a in zip(plan.aggs, plan.output[nk:])]
    sw_attr = next(a for k, a in zip(plan.keys, plan.output[:nk]) if E.strip_alias(k) is sw)
    grouped = lf.group_by([*key_names, "__sid"], maintain_order=True).agg(
        [pl.col("__t").min().alias("__start"), (pl.col("__t").max() + gap).alias("__end"), *aggs]
    )
    window = pl.struct(
        pl.col("__start").cast(pl.Datetime("us")).alias("start"),
        pl.col("__end").cast(pl.Datetime("us")).alias("end"),
    ).alias(cname(sw_attr))
    return grouped.with_columns(window).select([pl.col(cname(a)) for a in plan.output])
