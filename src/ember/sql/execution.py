"""Logical plan -> Polars LazyFrame. With ``exec_expr``/``exec_funcs``/``convert`` it is the only
part of ember.sql that imports Polars.

Inside a translated plan every column is named ``#<attribute id>`` so that duplicate names (after a
join) cannot collide; :func:`to_lazy` renames them to the schema's names at the end.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql import types as T
from ember.sql.exec_expr import Ctx, cname, translate
from ember.sql.exec_window import expand_windows
from ember.sql.resolve import join_keys


def schema_of(plan: P.Plan):
    """The StructType of ``plan`` without running it."""
    return plan.schema


def _session_tz() -> str:
    from ember.sql.session import current_time_zone

    return current_time_zone()


def to_lazy(plan: P.Plan, bindings: dict | None = None) -> pl.LazyFrame:
    """``plan`` as a LazyFrame with the schema's column names (duplicates get a ``#n`` suffix).

    ``bindings`` maps StreamSource leaves (the node or ``id(node)``) to the Polars frame to read.
    """
    lf = _Translator(bindings or {}, _session_tz()).run(plan)
    names, seen = [], {}
    for a in plan.output:
        n = a.name
        if n in seen:
            seen[n] += 1
            n = f"{n}#{seen[n]}"
        else:
            seen[n] = 0
        names.append(n)
    return lf.select([pl.col(cname(a)).alias(n) for a, n in zip(plan.output, names)])


def internal_lazy(plan: P.Plan, bindings: dict | None = None) -> pl.LazyFrame:
    """``plan`` as a LazyFrame with internal (``#id``) column names, in output order."""
    return _Translator(bindings or {}, _session_tz()).run(plan)


def collect_frame(plan: P.Plan, bindings: dict | None = None) -> pl.DataFrame:
    """Run ``plan``; columns in output order, named positionally ``c0, c1, ...``."""
    lf = internal_lazy(plan, bindings)
    return _project(lf, [pl.col(cname(a)).alias(f"c{i}") for i, a in enumerate(plan.output)]).collect()


def _project(lf: pl.LazyFrame, exprs: list) -> pl.LazyFrame:
    """``lf.select(exprs)``, except that no columns keeps the row count (a zero-width frame)."""
    if exprs:
        return lf.select(exprs)
    return lf.drop(lf.collect_schema().names())


def frame_with_names(frame, schema) -> pl.LazyFrame:
    lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    return lf


class _Translator:
    def __init__(self, bindings: dict, tz: str) -> None:
        from ember.sql.session import current_conf

        self.bindings = bindings
        self.tz = tz
        self.ansi = current_conf("spark.sql.ansi.enabled", "true").lower() == "true"

    def ctx(self, attrs, grouped: bool = False) -> Ctx:
        return Ctx(tuple(attrs), self.tz, grouped, ansi=self.ansi)

    def run(self, plan: P.Plan) -> pl.LazyFrame:
        method = getattr(self, "_" + type(plan).__name__, None)
        if method is None:
            raise AnalysisException(f"ember cannot execute plan node {type(plan).__name__}")
        return method(plan)

    # -- leaves --------------------------------------------------------------------------------
    def _rename_leaf(self, frame: Any, plan: P.Plan) -> pl.LazyFrame:
        lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
        cols = lf.collect_schema().names()
        if len(cols) != len(plan.output):
            by_name = {c: c for c in cols}
            cols = [by_name.get(a.name, a.name) for a in plan.output]
        return _project(lf, [pl.col(c).alias(cname(a)) for c, a in zip(cols, plan.output)])

    def _LocalRelation(self, plan: P.LocalRelation) -> pl.LazyFrame:
        return self._rename_leaf(plan.data, plan)

    def _StreamSource(self, plan: P.StreamSource) -> pl.LazyFrame:
        frame = self.bindings.get(plan, self.bindings.get(id(plan)))
        if frame is None:
            raise AnalysisException(f"{P.STREAMING_BATCH_ERROR};", errorClass="_LEGACY_ERROR_TEMP_3102")
        return self._rename_leaf(frame, plan)

    def _RangeRelation(self, plan: P.RangeRelation) -> pl.LazyFrame:
        (a,) = plan.output
        return pl.LazyFrame(
            {cname(a): pl.int_range(plan.start, plan.end, plan.step, dtype=pl.Int64, eager=True)}
        )

    def _FileScan(self, plan: P.FileScan) -> pl.LazyFrame:
        from ember.sql.filescan import scan

        return self._rename_leaf(scan(plan, self.tz), plan)

    # -- unary ---------------------------------------------------------------------------------
    def _Project(self, plan: P.Project) -> pl.LazyFrame:
        lf = self.run(plan.child)
        ctx = self.ctx(plan.child.output)
        lf, ctx = self._expand_sliding(lf, ctx, plan.exprs)
        lf = expand_windows(lf, ctx, plan.exprs)
        exprs, out = [], iter(plan.output)
        gens = []
        for kind, e, width in plan.items:
            attrs = [next(out) for _ in range(width)]
            if kind == "gen":
                name = f"__gen{len(gens)}"
                gens.append((E.strip_alias(e), attrs, name))
                exprs.append(translate(E.strip_alias(e).child, ctx).alias(name))
            else:
                exprs.append(translate(e, ctx).alias(cname(attrs[0])))
        # with_columns (not select) so that literal-only projections keep the input's row count
        lf = self._with_guard(lf.with_columns(exprs) if not ctx.checks else lf, ctx, exprs)
        for gen in gens:  # several generators: every combination, as Spark 4 does
            lf = self._explode(lf, *gen)
        return lf.select([pl.col(cname(a)) for a in plan.output])

    def _with_guard(self, lf: pl.LazyFrame, ctx: Ctx, exprs) -> pl.LazyFrame:
        """``exprs`` added to ``lf``, behind the ANSI checks they registered (if any)."""
        if not ctx.checks:
            return lf
        from ember.sql.ansi import guard

        return lf.with_columns([*exprs, guard(ctx.checks).alias("__ok")]).filter(pl.col("__ok")).drop("__ok")

    def _explode(self, lf: pl.LazyFrame, gen: E.Generator, attrs, name: str = "__gen") -> pl.LazyFrame:
        outer = gen.kind.endswith("outer")
        col = pl.col(name)
        is_map = len(attrs) - (1 if gen.kind.startswith("pos") else 0) == 2
        if gen.kind.startswith("pos"):
            pos_attr, val_attrs = attrs[0], attrs[1:]
            col = col.list.eval(
                pl.struct(pl.int_range(pl.len(), dtype=pl.Int32).alias("p"), pl.element().alias("v"))
            )
            lf = lf.with_columns(col.alias(name))
        else:
            pos_attr, val_attrs = None, attrs
        lf = lf.explode(name, empty_as_null=outer, keep_nulls=outer)
        g = pl.col(name)
        if pos_attr is not None:
            extra = [g.struct.field("p").alias(cname(pos_attr))]
            g = g.struct.field("v")
        else:
            extra = []
        if is_map:
            extra += [
                g.struct.field("key").alias(cname(val_attrs[0])),
                g.struct.field("value").alias(cname(val_attrs[1])),
            ]
        else:
            extra.append(g.alias(cname(val_attrs[0])))
        return lf.with_columns(extra)

    def _expand_sliding(self, lf, ctx, exprs):
        """Sliding windows multiply rows: explode the list of windows first, then refer to it."""
        from ember.sql.exec_time import sliding_windows

        for root in exprs:
            for e in E.walk(root):
                if isinstance(e, E.Func) and e.name == "window":
                    w, s, _ = e.params
                    col = f"__win{id(e)}"
                    if w != s:
                        lf = sliding_windows(lf, e, ctx, col)
                    else:
                        lf = lf.with_columns(translate(e, ctx).alias(col))
                        lf = lf.filter(translate(e.args[0], ctx).is_not_null())
                    ctx.subst[id(e)] = pl.col(col)
        return lf, ctx

    def _Filter(self, plan: P.Filter) -> pl.LazyFrame:
        lf = self.run(plan.child)
        ctx = self.ctx(plan.child.output)
        cond = translate(plan.condition, ctx).fill_null(False)
        return (
            self._with_guard(lf, ctx, [cond.alias("__cond")])
            .filter(pl.col("__cond") if ctx.checks else cond)
            .drop("__cond", strict=False)
        )

    def _Aggregate(self, plan: P.Aggregate) -> pl.LazyFrame:
        if any(E.contains_window(a) for a in plan.aggs):
            from ember.sql.exec_window import aggregate_then_windows

            return aggregate_then_windows(self, plan)
        lf = self.run(plan.child)
        ctx = self.ctx(plan.child.output, grouped=bool(plan.keys))
        lf, ctx = self._expand_sliding(lf, ctx, plan.keys)
        if session_gap := _session_window_key(plan.keys):
            return self._session_agg(lf, ctx, plan, session_gap)
        nk = len(plan.keys)
        keys = [translate(k, ctx).alias(cname(a)) for k, a in zip(plan.keys, plan.output[:nk])]
        aggs = [translate(g, ctx).alias(cname(a)) for g, a in zip(plan.aggs, plan.output[nk:])]
        if ctx.checks:
            from ember.sql.ansi import guard

            lf = lf.with_columns(guard(ctx.checks).alias("__ok")).filter(pl.col("__ok")).drop("__ok")
        extra = [c.alias(f"__sum{i}") for i, c in enumerate(ctx.agg_checks)]
        if not keys:
            out = lf.select(aggs + extra) if aggs else lf.select([]).head(1)
        else:
            # Spark defines no order for groups; Polars' hash order is the fast one (maintain_order: ~40%)
            out = lf.group_by(keys).agg(aggs + extra) if aggs else lf.select(keys).unique(maintain_order=True)
        if extra:
            from ember.sql.ansi import Check, guard, overflow

            flags = [
                Check(pl.col(e.meta.output_name()).abs() >= 2.0**63, None, overflow("try_add")) for e in extra
            ]
            out = (
                out.with_columns(guard(flags).alias("__ok"))
                .filter(pl.col("__ok"))
                .drop(["__ok", *[e.meta.output_name() for e in extra]])
            )
        return out

    def _session_agg(self, lf, ctx, plan, gap_key):
        from ember.sql.sessions import session_aggregate

        return session_aggregate(self, lf, ctx, plan, gap_key)

    def _Sort(self, plan: P.Sort) -> pl.LazyFrame:
        lf = self.run(plan.child)
        ctx = self.ctx(plan.child.output)
        windowed = expand_windows(lf, ctx, plan.orders)  # ORDER BY rank() OVER (...)
        by, desc, nulls_last = [], [], []
        for o in plan.orders:
            by.append(translate(o.child, ctx))
            desc.append(not o.ascending)
            nf = o.ascending if o.nulls_first is None else o.nulls_first
            nulls_last.append(not nf)
        if windowed is not lf:
            out = windowed.sort(by, descending=desc, nulls_last=nulls_last, maintain_order=True)
            return out.select([pl.col(cname(a)) for a in plan.output])
        return lf.sort(by, descending=desc, nulls_last=nulls_last, maintain_order=True)

    def _Limit(self, plan: P.Limit) -> pl.LazyFrame:
        return self.run(plan.child).slice(plan.offset, plan.n)

    def _Distinct(self, plan: P.Distinct) -> pl.LazyFrame:
        lf = self.run(plan.child)
        if plan.subset is None:
            return lf.unique(maintain_order=True, keep="first")
        from ember.sql.analyzer import resolve_ref

        cols = [cname(resolve_ref(E.ColumnRef(n), plan.child.output)[0]) for n in plan.subset]
        return lf.unique(subset=cols, maintain_order=True, keep="first")

    def _Watermark(self, plan: P.Watermark) -> pl.LazyFrame:
        return self.run(plan.child)

    def _Observe(self, plan: P.Observe) -> pl.LazyFrame:
        return self.run(plan.child)  # metrics are computed per micro-batch by the streaming engine

    def _SubqueryAlias(self, plan: P.SubqueryAlias) -> pl.LazyFrame:
        return self.run(plan.child)

    def _Fresh(self, plan: P.Fresh) -> pl.LazyFrame:
        lf = self.run(plan.child)
        return lf.select([pl.col(cname(a)).alias(cname(b)) for a, b in zip(plan.child.output, plan.output)])

    def _Sample(self, plan: P.Sample) -> pl.LazyFrame:
        lf = self.run(plan.child)
        seed = plan.seed
        return lf.filter(pl.int_range(pl.len()).shuffle(seed=seed) < pl.len() * plan.fraction)

    # -- binary --------------------------------------------------------------------------------
    def _Union(self, plan: P.Union) -> pl.LazyFrame:
        left, right = self.run(plan.left), self.run(plan.right)
        out = plan.output
        lout, rout = plan.left.output, plan.right.output
        from ember.sql.dtypes import to_polars

        if plan.by_name:
            rmap = {a.name.lower(): a for a in rout}
            rcols = []
            for a in out:
                b = rmap.get(a.name.lower())
                rcols.append(
                    (pl.col(cname(b)) if b is not None else pl.lit(None))
                    .cast(to_polars(a.dtype))
                    .alias(cname(a))
                )
            lcols = [
                pl.col(cname(a)).cast(to_polars(a.dtype)).alias(cname(a))
                if i < len(lout)
                else pl.lit(None).cast(to_polars(a.dtype)).alias(cname(a))
                for i, a in enumerate(out)
            ]
        else:
            lcols = [
                pl.col(cname(a)).cast(to_polars(o.dtype), strict=False).alias(cname(o))
                for a, o in zip(lout, out)
            ]
            rcols = [
                pl.col(cname(b)).cast(to_polars(o.dtype), strict=False).alias(cname(o))
                for b, o in zip(rout, out)
            ]
        return pl.concat([left.select(lcols), right.select(rcols)], how="vertical_relaxed")

    def _Pivot(self, plan: P.Pivot) -> pl.LazyFrame:
        from ember.sql.pivot import execute

        return execute(self, plan)

    def _SetOp(self, plan: P.SetOp) -> pl.LazyFrame:
        from ember.sql.setops import execute

        return execute(self, plan)

    def _Join(self, plan: P.Join) -> pl.LazyFrame:
        left, right = self.run(plan.left), self.run(plan.right)
        how = plan.how
        if how == "cross":
            lf = left.join(right, how="cross")
        elif plan.on is not None:
            from ember.sql.dtypes import to_polars

            pairs = join_keys(plan)
            outs = plan.output[: len(pairs)]
            lf = left.join(
                right,
                left_on=[pl.col(cname(a)).cast(to_polars(o.dtype)) for (a, _), o in zip(pairs, outs)],
                right_on=[pl.col(cname(b)).cast(to_polars(o.dtype)) for (_, b), o in zip(pairs, outs)],
                how=_POLARS_HOW[how],
                coalesce=False,
                maintain_order="left_right" if how != "right" else "right_left",
            )
            fills = []
            for (a, b), o in zip(pairs, outs):
                if how == "full":
                    src = pl.coalesce(pl.col(cname(a)), pl.col(cname(b)))
                elif o.id in (a.id, b.id):
                    continue
                else:
                    src = pl.col(cname(b if how == "right" else a))
                fills.append(src.cast(to_polars(o.dtype)).alias(cname(o)))
            if fills:
                lf = lf.with_columns(fills)
        else:
            lf = self._condition_join(left, right, plan)
        return lf.select([pl.col(cname(a)) for a in plan.output])

    def _condition_join(self, left, right, plan):
        from ember.sql.joins import equi_keys

        how = plan.how
        attrs = tuple(plan.left.output) + tuple(plan.right.output)
        ctx = self.ctx(attrs)
        if plan.condition is None:
            return left.join(right, how="cross")
        keys, rest = equi_keys(plan.condition, plan.left.output, plan.right.output)
        if keys and rest is None:
            return left.join(
                right,
                left_on=[translate(a, ctx) for a, _ in keys],
                right_on=[translate(b, ctx) for _, b in keys],
                how=_POLARS_HOW[how],
                coalesce=False,
                maintain_order="left_right" if how != "right" else "right_left",
            )
        if how == "inner" and not keys:
            return left.join(right, how="cross").filter(translate(plan.condition, ctx).fill_null(False))
        from ember.sql.exec_condjoin import condition_join

        return condition_join(left, right, how, keys, rest, translate, ctx)


_POLARS_HOW = {
    "inner": "inner",
    "left": "left",
    "right": "right",
    "full": "full",
    "semi": "semi",
    "anti": "anti",
    "cross": "cross",
}


def _session_window_key(keys) -> Any:
    for k in keys:
        inner = E.strip_alias(k)
        if isinstance(inner, E.Func) and inner.name == "session_window":
            return inner
    return None


__all__ = ["to_lazy", "schema_of", "collect_frame", "internal_lazy", "T"]
