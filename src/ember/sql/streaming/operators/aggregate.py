"""A streaming ``groupBy().agg()``: partial aggregates of each batch merged into a keyed state.

Each aggregate is split into partials that merge (count -> sum of counts, avg -> sum and count, ...),
so the state holds one row per key and never the rows themselves; a ``__n`` column counts the rows
behind a key and ``__u`` marks the keys a batch touched (for update mode and the progress).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import polars as pl

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql.streaming.operators.base import Operator, operator_metrics, watermark_key, wm_literal

if TYPE_CHECKING:
    from ember.sql.streaming.incremental import IncrementalExecution


def _null_sum(c: str) -> pl.Expr:
    return pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).otherwise(None).alias(c)


_MERGE = {
    "count": lambda c: pl.col(c).sum().alias(c),
    "sum": _null_sum,
    "min": lambda c: pl.col(c).min().alias(c),
    "max": lambda c: pl.col(c).max().alias(c),
    "first": lambda c: pl.col(c).drop_nulls().first().alias(c),
    "any_value": lambda c: pl.col(c).drop_nulls().first().alias(c),
    "last": lambda c: pl.col(c).drop_nulls().last().alias(c),
    "collect_list": lambda c: pl.col(c).explode().drop_nulls().alias(c),
    "collect_set": lambda c: pl.col(c).explode().drop_nulls().unique(maintain_order=True).alias(c),
}


def _flags(value: bool, n: int) -> pl.Series:
    # extend_constant works on the Series directly; pl.repeat(eager=True) would run a whole query
    return pl.Series("__u", [], dtype=pl.Boolean).extend_constant(value, n)


class Aggregation(Operator):
    """A streaming ``groupBy().agg()``: partial aggregates per batch merged into a keyed state."""

    def __init__(self, node: P.Aggregate, child: P.Plan, owner: IncrementalExecution) -> None:
        from ember.sql.dtypes import to_polars

        self.node = node
        self.owner = owner
        nk = len(node.keys)
        self.keys = [f"k{i}" for i in range(nk)]
        partial_aggs: list[E.Expr] = []
        self.merge: list[pl.Expr] = []
        self.finals: list[pl.Expr] = []
        out_attrs = node.output[nk:]
        self.wrapped: list[tuple[int, E.Expr, dict]] = []  # aggregates inside expressions
        for i, (agg, attr) in enumerate(zip(node.aggs, out_attrs)):
            inner = E.strip_alias(agg)
            target = to_polars(attr.dtype)
            funcs = [x for x in E.walk(inner) if isinstance(x, E.AggFunc)]
            if isinstance(inner, E.AggFunc):
                funcs = [inner]
            if not funcs:
                raise AnalysisException(f"ember streams only aggregate expressions, not {agg!r}")
            finals = {}
            for j, f in enumerate(funcs):
                name = f"p{i}_{j}"
                if f.name in ("avg", "mean"):
                    s, n = f"{name}s", f"{name}n"
                    partial_aggs += [E.Alias(E.AggFunc("sum", f.args), s),
                                     E.Alias(E.AggFunc("count", f.args), n)]
                    self.merge += [_null_sum(s), pl.col(n).sum().alias(n)]
                    finals[id(f)] = pl.col(s).cast(pl.Float64) / pl.col(n)
                elif f.name in _MERGE and not f.distinct:
                    partial_aggs.append(E.Alias(f, name))
                    self.merge.append(_MERGE[f.name](name))
                    finals[id(f)] = pl.col(name)
                else:
                    raise AnalysisException(f"ember cannot aggregate {f.name}() incrementally in a "
                                            "streaming query")
            if isinstance(inner, E.AggFunc):
                self.finals.append(finals[id(inner)].cast(target).alias(f"a{i}"))
            else:
                self.wrapped.append((i, inner, finals))
                self.finals.append(pl.lit(None).cast(target).alias(f"a{i}"))  # replaced below
        if self.wrapped:
            self._translate_wrapped(node)
        from ember.sql.types import IntegerType

        partial_aggs.append(E.Alias(E.AggFunc("count", (E.Literal(1, IntegerType()),)), "__n"))
        self.merge.append(pl.col("__n").sum().alias("__n"))
        self.partial_plan = P.Aggregate(child, node.keys, tuple(partial_aggs))
        self.partial_names = self.keys + [a.name for a in self.partial_plan.output[nk:]]
        self.key_types = [to_polars(a.dtype) for a in node.output[:nk]]
        self.window_key = None
        for i, k in enumerate(node.keys):
            inner = E.strip_alias(k)
            if isinstance(inner, E.Func) and inner.name == "window" and len(inner.params) == 3:
                self.window_key = (i, inner)
                break
        found = watermark_key(node.keys, owner.watermark_nodes, node.child)
        self.wm_key = found
        self.evicts = found is not None and owner.mode in ("append", "update")

    def _translate_wrapped(self, node: P.Aggregate) -> None:
        """``sort_array(collect_list(x))`` and the like: the expression over the merged aggregates."""
        from ember.sql.dtypes import to_polars
        from ember.sql.exec_expr import Ctx, translate
        from ember.sql.session import current_time_zone

        nk = len(node.keys)
        for i, inner, finals in self.wrapped:
            ctx = Ctx(tuple(node.child.output), current_time_zone(), False)
            ctx.subst.update(finals)
            target = to_polars(node.output[nk + i].dtype)
            self.finals[i] = translate(inner, ctx).cast(target).alias(f"a{i}")

    def _fast_partial(self, bindings: dict) -> pl.LazyFrame | None:
        """The partial aggregate of a window key: windows expanded as integer starts, grouped as
        integers and made structs only once per group (much cheaper than structs per row)."""
        from ember.sql import execution
        from ember.sql.exec_expr import Ctx, translate
        from ember.sql.exec_funcs import expand_window_starts
        from ember.sql.session import current_time_zone

        idx, e = self.window_key
        w, s, start = e.params
        child = self.partial_plan.child
        ctx = Ctx(tuple(child.output), current_time_zone(), True)
        try:
            t = translate(e.args[0], ctx).cast(pl.Int64)
            keys = [pl.col("__ws").alias(k) if i == idx else translate(kx, ctx).alias(k)
                    for i, (k, kx) in enumerate(zip(self.keys, self.node.keys))]
            names = self.partial_names[len(self.keys):]
            aggs = [translate(a, ctx).alias(n) for a, n in zip(self.partial_plan.aggs, names)]
        except Exception:  # anything the shortcut does not know: the engine's own path
            return None
        if ctx.checks:
            return None
        lf = expand_window_starts(execution.internal_lazy(child, bindings), t, e.params, "__ws")
        key = self.keys[idx]
        window = pl.struct(pl.col(key).cast(pl.Datetime("us")).alias("start"),
                           (pl.col(key) + w).cast(pl.Datetime("us")).alias("end"))
        return lf.group_by(keys, maintain_order=True).agg(aggs).with_columns(window.alias(key))

    def _late(self, wm_ms: int) -> pl.Expr:
        assert self.wm_key is not None
        idx, is_window = self.wm_key
        col = pl.col(self.keys[idx])
        when = col.struct.field("end") if is_window else col
        return when <= wm_literal(wm_ms)

    def step(self, bindings: dict, wm_ms: int, batch_id: int) -> tuple[Any, dict]:
        from ember.sql import execution
        from ember.sql.exec_expr import cname

        store = self.owner.store
        assert store is not None
        t0 = time.perf_counter()
        # everything up to the merged state is one Polars query: few collects keep a batch cheap
        lf = self._fast_partial(bindings) if self.window_key is not None else None
        if lf is None:
            lf = execution.internal_lazy(self.partial_plan, bindings)
            pairs = zip(self.partial_plan.output, self.partial_names)
            lf = lf.select([pl.col(cname(a)).alias(n) for a, n in pairs])
        mode = self.owner.mode
        dropped = 0
        if self.wm_key is not None and mode != "complete":
            partial = lf.with_columns(self._late(wm_ms).fill_null(False).alias("__late")).collect()
            late = partial.get_column("__late")
            dropped = int(late.sum())
            partial = partial.filter(~late) if dropped else partial
            lf = partial.drop("__late").lazy()
        # eager from here: on small frames Polars' eager calls cost far less than a lazy union
        partial = lf.collect()
        partial.hstack([_flags(True, partial.height)], in_place=True)
        aggs = self.merge + [pl.col("__u").any()]
        state = store.frame
        if state is None or state.height == 0:
            merged = partial if self.keys else partial.select(aggs)
        else:
            # the state has no "__u": its rows count as not updated
            try:  # same columns and types (the state keeps a "__u" of False): a plain, cheap concat
                both = pl.concat([state, partial], how="vertical")
            except (pl.exceptions.SchemaError, pl.exceptions.ShapeError):
                both = pl.concat([state, partial], how="diagonal_relaxed")
            if self.keys:
                merged = both.group_by(self.keys, maintain_order=True).agg(aggs)
            else:
                merged = both.select(aggs)
        if not self.keys:
            merged = merged.with_columns(pl.col("__u").fill_null(False) & (pl.col("__n") > 0))
        flags = merged.get_column("__u")
        updated = int(flags.sum()) if merged.height else 0
        t1 = time.perf_counter()
        removed = 0
        out_lf = merged.lazy()
        if self.evicts:
            gone = merged.select(self._late(wm_ms).fill_null(False)).to_series() if merged.height else None
            removed = 0 if gone is None else int(gone.sum())
            if mode == "append":
                out_lf = out_lf.filter(self._late(wm_ms).fill_null(False))
            else:
                out_lf = out_lf.filter(pl.col("__u"))
            if removed:
                merged = merged.filter(~gone)
        elif mode == "update":
            out_lf = out_lf.filter(pl.col("__u"))
        merged = merged.clone()
        merged.drop_in_place("__u")
        merged.hstack([_flags(False, merged.height)], in_place=True)
        t2 = time.perf_counter()
        store.commit(batch_id + 1, merged)
        t3 = time.perf_counter()
        result = out_lf.select([pl.col(k).cast(t).alias(k) for k, t in zip(self.keys, self.key_types)]
                               + self.finals)
        metrics = operator_metrics("stateStoreSave", store, updated, removed, dropped, (t1 - t0) * 1000,
                                   (t2 - t1) * 1000, (t3 - t2) * 1000, self.owner.shuffle_partitions)
        return result, metrics
