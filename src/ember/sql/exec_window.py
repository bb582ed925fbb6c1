"""Window expressions (``f OVER (PARTITION BY .. ORDER BY .. frame)``) as Polars expressions.

Before a projection runs, every window expression in it is computed into a private column and the
projection refers to that column (``Ctx.subst``). For each distinct (partition, order) pair the
frame is sorted by the partition and order keys once (Spark's null ordering, stable for ties), and
per-row helpers are added: the row's position in its partition, the partition's size and the first
and last position of its peers (rows with equal order keys). Every function is then an expression
``.over(partition)`` on those helpers: ranks come from positions, cumulative frames from
``cum_*`` ops gathered at the frame's end, other frames from the partition's values sliced to the
frame (``list.slice``) and aggregated with the same Polars aggregate the groupBy path uses. The
rows get their input order back at the end (Spark defines no row order after a window).

Examples
--------
>>> windows_in([E.Alias(E.WindowExpr(E.WindowFunc("row_number")), "rn")])[0].func.name
'row_number'
"""

from __future__ import annotations

import polars as pl

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import types as T
from ember.sql.analyzer import analyze
from ember.sql.dtypes import to_polars
from ember.sql.exec_expr import Ctx, translate
from ember.sql.window_rules import frame_of

_ROW = "__w_row"


def windows_in(exprs) -> list[E.WindowExpr]:
    """The outermost window expressions of ``exprs``, each once, in order of appearance."""
    found: list[E.WindowExpr] = []
    seen: set[int] = set()
    stack = list(reversed(list(exprs)))
    while stack:
        e = stack.pop()
        if isinstance(e, E.WindowExpr):
            if id(e) not in seen:
                seen.add(id(e))
                found.append(e)
            continue
        stack.extend(reversed(e.children))
    return found


def expand_windows(lf: pl.LazyFrame, ctx: Ctx, exprs) -> pl.LazyFrame:
    """``lf`` with a column per window expression of ``exprs``, registered in ``ctx.subst``."""
    nodes = windows_in(exprs)
    if not nodes:
        return lf
    groups: dict[str, list[E.WindowExpr]] = {}
    for w in nodes:
        groups.setdefault(repr((w.partition, w.order)), []).append(w)
    lf = lf.with_row_index(_ROW)
    for k, ws in enumerate(groups.values()):
        lf = _Group(ctx, ws[0], k).compute(lf, ws)
    return lf.sort(_ROW).drop(_ROW)


def _ov(e: pl.Expr, part: list[str]) -> pl.Expr:
    return e.over(part) if part else e


class _Group:
    """One (partition, order) pair: its sort, helper columns and the functions over it."""

    def __init__(self, ctx: Ctx, w: E.WindowExpr, k: int) -> None:
        self.ctx, self.k = ctx, k
        self.spec = w
        self.part = [f"__w{k}p{i}" for i in range(len(w.partition))]
        self.order = [f"__w{k}o{i}" for i in range(len(w.order))]
        self.pos, self.n = f"__w{k}pos", f"__w{k}n"
        self.plo, self.phi = f"__w{k}plo", f"__w{k}phi"
        self.tmp = 0

    def name(self, what: str) -> str:
        self.tmp += 1
        return f"__w{self.k}{what}{self.tmp}"

    def compute(self, lf: pl.LazyFrame, ws: list[E.WindowExpr]) -> pl.LazyFrame:
        w, ctx = self.spec, self.ctx
        keys = [translate(p, ctx).alias(n) for p, n in zip(w.partition, self.part)]
        keys += [translate(o.child, ctx).alias(n) for o, n in zip(w.order, self.order)]
        if keys:
            lf = lf.with_columns(keys)
            lf = lf.sort(
                self.part + self.order,
                descending=[False] * len(self.part) + [not o.ascending for o in w.order],
                nulls_last=[False] * len(self.part) + [not _nulls_first(o) for o in w.order],
                maintain_order=True,
            )
        pos = pl.int_range(pl.len(), dtype=pl.Int64)
        # a full column, not a broadcast scalar: Polars divides by a scalar through its reciprocal,
        # which rounds differently from Spark's division (7 / 10 must give 0.7)
        size = pl.len().over(self.part) if self.part else pos * 0 + pl.len()
        lf = lf.with_columns(_ov(pos, self.part).alias(self.pos), size.cast(pl.Int64).alias(self.n))
        if self.order:
            peers = self.part + self.order
            lf = lf.with_columns(
                pl.col(self.pos).min().over(peers).alias(self.plo),
                pl.col(self.pos).max().over(peers).alias(self.phi),
            )
        for node in ws:
            out = self.name("out")
            lf, value = self.value(lf, node)
            dtype = to_polars(analyze(node, ctx.attrs).dtype)
            lf = lf.with_columns(value.cast(dtype, strict=False).alias(out))
            ctx.subst[id(node)] = pl.col(out)
        return lf

    # -- dispatch --------------------------------------------------------------------------------
    def value(self, lf: pl.LazyFrame, w: E.WindowExpr):
        func = w.func
        if isinstance(func, E.WindowFunc):
            if func.name == "nth_value":
                lf, lo, hi = self.bounds(lf, frame_of(w))
                return self.nth_value(lf, func, lo, hi)
            return lf, self.ranking(func)
        if isinstance(func, E.AggFunc):
            return self.aggregate(lf, func, frame_of(w))
        raise AnalysisException(f"ember cannot run {type(func).__name__} over a window")

    # -- ranking and offsets ---------------------------------------------------------------------
    def ranking(self, f: E.WindowFunc) -> pl.Expr:
        pos, n = pl.col(self.pos), pl.col(self.n)
        name = f.name
        if name == "row_number":
            return pos + 1
        if name == "rank":
            return pl.col(self.plo) + 1
        if name == "dense_rank":
            return _ov((pos == pl.col(self.plo)).cast(pl.Int64).cum_sum(), self.part)
        if name == "percent_rank":
            return pl.when(n > 1).then(pl.col(self.plo) / (n - 1)).otherwise(0.0)
        if name == "cume_dist":
            return (pl.col(self.phi) + 1) / n
        if name == "ntile":
            (buckets,) = f.params
            base, rem = n // buckets, n % buckets
            big = rem * (base + 1)
            return (
                pl.when(pos < big)
                .then(pos // (base + 1) + 1)
                .otherwise((pos - big) // pl.max_horizontal(base, 1) + rem + 1)
            )
        if name in ("lag", "lead"):
            k = f.params[0] if name == "lag" else -f.params[0]
            x = translate(f.args[0], self.ctx)
            default = translate(f.args[1], self.ctx)
            src = pos - k
            inside = (src >= 0) & (src < n)
            return pl.when(inside).then(_ov(x.shift(k), self.part)).otherwise(default)
        raise AnalysisException(f"unknown window function {name}")

    # -- frames ----------------------------------------------------------------------------------
    def bounds(self, lf: pl.LazyFrame, frame: tuple):
        """``lf`` with the frame's first and last positions (clipped to the partition) as columns."""
        kind, a, b = frame
        pos, n = pl.col(self.pos), pl.col(self.n)
        if kind == "rows":  # offsets beyond any partition mean the same frame; clamped: no overflow
            a = None if a is None else max(min(a, 1 << 40), -(1 << 40))
            b = None if b is None else max(min(b, 1 << 40), -(1 << 40))
            lo = pl.lit(0, pl.Int64) if a is None else pos + a
            hi = n - 1 if b is None else pos + b
        else:
            lo = pl.lit(0, pl.Int64) if a is None else pl.col(self.plo) if a == 0 else self.search(a, "left")
            hi = n - 1 if b is None else pl.col(self.phi) if b == 0 else self.search(b, "right") - 1
        lo_name, hi_name = self.name("lo"), self.name("hi")
        lf = lf.with_columns(
            pl.max_horizontal(lo, 0).alias(lo_name), pl.min_horizontal(hi, n - 1).alias(hi_name)
        )
        return lf, pl.col(lo_name), pl.col(hi_name)

    def search(self, offset: int, side: str) -> pl.Expr:
        """The first position (``left``) or one past the last (``right``) whose order key is within
        ``offset`` of the current row's: binary search in the sorted partition."""
        o = self.spec.order[0]
        key = pl.col(self.order[0]).cast(pl.Float64)
        if not o.ascending:
            key = -key  # a descending key searched as its ascending negation
        key = key.fill_null(float("-inf") if _nulls_first(o) else float("inf"))
        return _ov(key.search_sorted(key + offset, side=side), self.part).cast(pl.Int64)

    def at(self, x: pl.Expr, idx: pl.Expr) -> pl.Expr:
        """``x`` at the partition position ``idx`` (NULL where ``idx`` is NULL)."""
        return _ov(x.gather(idx), self.part)

    def nth_value(self, lf, f: E.WindowFunc, lo: pl.Expr, hi: pl.Expr):
        k, ignore = f.params
        x = translate(f.args[0], self.ctx)
        if not ignore:
            idx = lo + (k - 1)
            return lf, self.at(x, pl.when(idx <= hi).then(idx))
        # the k-th non-null value: the first position where the running count of non-nulls reaches
        # (non-nulls before the frame) + k
        cc = self.name("cc")
        lf = lf.with_columns(_ov(x.is_not_null().cast(pl.Int64).cum_sum(), self.part).alias(cc))
        before = pl.when(lo > 0).then(pl.col(cc).gather((lo - 1).clip(0, pl.col(self.n) - 1))).otherwise(0)
        idx_name = self.name("nth")
        lf = lf.with_columns(
            _ov(pl.col(cc).search_sorted(before + k, side="left"), self.part).cast(pl.Int64).alias(idx_name)
        )
        idx = pl.col(idx_name)
        return lf, self.at(x, pl.when((idx <= hi) & (idx < pl.col(self.n))).then(idx))

    # -- aggregates ------------------------------------------------------------------------------
    def aggregate(self, lf: pl.LazyFrame, e: E.AggFunc, frame: tuple):
        from ember.sql.exec_funcs import aggregate

        kind, a, b = frame
        if a is None and b is None:
            return lf, _ov(aggregate(e, self.ctx), self.part)
        lf, lo, hi = self.bounds(lf, frame)
        empty = lo > hi
        arg = e.args[0]
        if e.name == "count" and not e.distinct and isinstance(arg, E.Literal) and arg.value is not None:
            return lf, pl.when(empty).then(0).otherwise(hi - lo + 1)
        simple = not e.distinct and len(e.args) == 1
        ignore = bool(e.params[0]) if e.params and e.name in ("first", "last", "any_value") else False
        if simple and e.name in ("first", "last", "any_value") and not ignore:
            x = translate(arg, self.ctx)
            return lf, self.at(x, pl.when(~empty).then(hi if e.name == "last" else lo))
        if simple and (a is None or b is None):
            value = self.running(e, lo, hi, reverse=a is not None)
            if value is not None:
                if e.name == "count":
                    return lf, pl.when(empty).then(0).otherwise(value)
                return lf, pl.when(~empty).then(value)
        x = translate(arg, self.ctx)
        if kind == "rows" and a is not None and b is not None and b - a < 64:
            # a short sliding frame: the frame's rows side by side (NULL past the partition's ends,
            # which the null-skipping aggregates left here ignore)
            sliced = pl.concat_list([_ov(x.shift(-k), self.part) for k in range(a, b + 1)])
        else:
            # any other frame: the partition's values sliced to the frame
            sliced = _ov(x.implode(), self.part).list.slice(lo, (hi - lo + 1).clip(0))
        inner = Ctx(self.ctx.attrs, self.ctx.tz, True, {id(arg): pl.element()}, self.ctx.ansi)
        agg = aggregate(e, inner)
        if e.name in ("collect_list", "collect_set"):
            return lf, sliced.list.eval(agg)
        return lf, sliced.list.eval(agg).list.first()

    def running(self, e: E.AggFunc, lo: pl.Expr, hi: pl.Expr, reverse: bool) -> pl.Expr | None:
        """Frames reaching one end of the partition: a running aggregate from that end, read at the
        frame's other end (prefix frames at ``hi``; suffix frames, ``reverse``, at ``lo``)."""
        arg = e.args[0]
        t = analyze(arg, self.ctx.attrs).dtype
        x = translate(arg, self.ctx)
        name = e.name
        idx = lo.clip(0, pl.col(self.n) - 1) if reverse else hi.clip(0)
        count = self.at(x.is_not_null().cast(pl.Int64).cum_sum(reverse=reverse), idx)
        if name == "count":
            return count
        if name in ("sum", "avg", "mean"):
            integral = isinstance(t, (T.IntegerType, T.LongType, T.ShortType, T.ByteType))
            # floats summed backwards would round differently from Spark's forward sum
            if isinstance(t, T.DecimalType) or (reverse and not integral):
                return None
            y = x.cast(pl.Int64 if integral else pl.Float64).fill_null(0)
            total = self.at(y.cum_sum(reverse=reverse), idx)
            if name == "sum":
                return pl.when(count > 0).then(total)
            return pl.when(count > 0).then(total.cast(pl.Float64) / count)
        if name in ("min", "max"):
            run = x.cum_min(reverse=reverse) if name == "min" else x.cum_max(reverse=reverse)
            return self.at(run.backward_fill() if reverse else run.forward_fill(), idx)
        # first/last ignoring nulls (count > 0: the frame holds a non-null value)
        if name in ("first", "any_value"):
            first = self.at(x.backward_fill(), idx) if reverse else _ov(x.drop_nulls().first(), self.part)
            return pl.when(count > 0).then(first)
        if name == "last":
            return pl.when(count > 0).then(self.at(x.forward_fill(), hi.clip(0)))
        return None


def _nulls_first(o: E.SortOrder) -> bool:
    return o.ascending if o.nulls_first is None else o.nulls_first


# -- windows over an aggregation: groupBy(...).agg(F.rank().over(Window.orderBy(F.sum("n")))) ----------
def aggregate_then_windows(translator, plan) -> pl.LazyFrame:
    """An Aggregate whose outputs include window expressions, run as Spark plans it: the grouping
    (plain aggregates plus every aggregate the windows use), then a projection computing the
    windows over the grouped rows."""
    import dataclasses

    from ember.sql import plan as P
    from ember.sql.exec_expr import cname

    windows = windows_in(plan.aggs)
    inner: list[E.AggFunc] = []
    for w in windows:
        parts = [*w.partition, *w.order]
        parts += list(w.func.args) if isinstance(w.func, (E.AggFunc, E.WindowFunc)) else [w.func]
        for p in parts:
            inner += _outer_aggregates(p)
    plain = [a for a in plan.aggs if not E.contains_window(a)]
    hidden = tuple(E.Alias(a, f"__wagg{i}") for i, a in enumerate(inner))
    grouped = P.Aggregate(plan.child, plan.keys, (*plain, *hidden))
    out = grouped.output
    nk = len(plan.keys)
    refs = {id(a): E.ColumnRef(o.name, o.id) for a, o in zip(inner, out[nk + len(plain):])}
    plain_refs = iter(out[nk:nk + len(plain)])
    exprs = [E.ColumnRef(o.name, o.id) for o in out[:nk]]
    for a in plan.aggs:
        if E.contains_window(a):
            exprs.append(_rewrite(a, refs, dataclasses))
        else:
            o = next(plain_refs)
            exprs.append(E.ColumnRef(o.name, o.id))
    project = P.Project(grouped, tuple(exprs))
    lf = translator.run(project)
    return lf.select([pl.col(cname(a)).alias(cname(b)) for a, b in zip(project.output, plan.output)])


def _outer_aggregates(e: E.Expr) -> list[E.AggFunc]:
    if isinstance(e, E.AggFunc):
        return [e]
    return [a for c in e.children for a in _outer_aggregates(c)]


def _rewrite(e, refs: dict, dataclasses):
    """``e`` with the nodes keyed (by id) in ``refs`` replaced."""
    if isinstance(e, E.Expr):
        if id(e) in refs:
            return refs[id(e)]
        changes = {}
        for f in dataclasses.fields(e):
            value = getattr(e, f.name)
            new = _rewrite(value, refs, dataclasses)
            if new is not value:
                changes[f.name] = new
        return dataclasses.replace(e, **changes) if changes else e
    if isinstance(e, tuple):
        items = tuple(_rewrite(v, refs, dataclasses) for v in e)
        return items if any(a is not b for a, b in zip(items, e)) else e
    return e
