"""The partial aggregates of one micro-batch of a streaming ``groupBy().agg()``.

What :class:`~ember.sql.streaming.operators.aggregate.Aggregation` merges into its state each batch: the
batch's rows grouped by key, with the shortcuts that give the same partials for less: a plan Polars runs
as one query, big batches aggregated a slice at a time, and the time buckets of a windowed aggregate read
off the source's timestamps instead of the exploded rows.
"""

from __future__ import annotations

from functools import cached_property

import polars as pl

from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql.streaming.operators.base import all_nodes, engine_for

#: a batch of more rows than this is aggregated a slice of this many rows at a time, when that gives the
#: same partials (see ``Aggregation._sliced_partial``): a batch's transient memory (split lists, exploded
#: rows, hash tables) is then bounded by a slice's. Each slice adds a row per distinct key to the
#: partials merged into the state, so smaller slices cost CPU: with Polars' streaming engine a 670k-line
#: batch of the seed's query peaked ~100-130 MiB above its start with slices of 128k, 256k or no slicing,
#: at ~1.9, ~1.5 and ~1.7 CPU µs per line
SLICE_ROWS = 262_144
#: a batch of fewer source rows makes its rows to see their time buckets (cheaper than a query of its own on
#: the source's times, ~0.5 ms; see ``Aggregation._bucket_span``)
SPAN_MIN_ROWS = 4096
#: functions whose value depends on a row's position in the batch: a plan with them is not sliced
_POSITIONAL = frozenset({"monotonically_increasing_id", "spark_partition_id", "rand", "randn", "random",
                         "uuid", "shuffle", "input_file_name", "row_number"})



class BatchPartials:
    """A mixin of :class:`Aggregation`: how one batch becomes partial aggregates per key."""

    @cached_property
    def _fast_plan(self) -> tuple | None:
        """The partial aggregate as Polars expressions over the child's rows, translated once.

        None when the shortcut does not apply (the engine's own path then runs the partial plan).
        With a window key, windows are expanded as integer starts, grouped as integers and made
        structs once per group (much cheaper than structs per row). Groups keep the order in which
        the batch first shows them, as the merge into the state does.
        """
        from ember.sql.exec_expr import Ctx, translate
        from ember.sql.session import current_time_zone

        child = self.partial_plan.child
        ctx = Ctx(tuple(child.output), current_time_zone(), True)
        idx = self.window_key[0] if self.window_key is not None else None
        try:
            t = None if idx is None else translate(self.window_key[1].args[0], ctx).cast(pl.Int64)
            keys = [pl.col("__ws").alias(k) if i == idx else translate(kx, ctx).alias(k)
                    for i, (k, kx) in enumerate(zip(self.keys, self.node.keys))]
            names = self.partial_names[len(self.keys):]
            aggs = [translate(a, ctx).alias(n) for a, n in zip(self.partial_plan.aggs, names)]
        except Exception:  # anything the shortcut does not know: the engine's own path
            return None
        if ctx.checks or ctx.agg_checks:
            return None
        return t, keys, aggs

    def _fast_partial(self, bindings: dict, engine: str, structs: bool = True) -> pl.LazyFrame | None:
        """The partials of ``bindings``' rows by the translated shortcut; with ``structs`` False a window
        key stays its integer start (see :meth:`_windows_as_structs`)."""
        from ember.sql import execution
        from ember.sql.exec_funcs import expand_window_starts

        fast = self._fast_plan
        if fast is None:
            return None
        t, keys, aggs = fast
        lf = execution.internal_lazy(self.partial_plan.child, bindings)
        if self.window_key is None:
            return self._group(lf, keys, aggs) if keys else lf.select(aggs)
        idx, e = self.window_key
        w, s = e.params[0], e.params[1]
        if self._spreads and w >= s and w % s == 0:
            lf = self._spread(lf, t, keys, aggs, engine, self._bucket_span(bindings))
        elif self._spreads and w > s:
            lf = self._spread(lf, t, keys, aggs, engine, None)
        else:
            lf = self._group(expand_window_starts(lf, t, e.params, "__ws"), keys, aggs)
        return self._windows_as_structs(lf) if structs else lf

    def _windows_as_structs(self, lf: pl.LazyFrame) -> pl.LazyFrame:
        """The window key from its integer start (microseconds) to the ``window`` struct, once per group."""
        assert self.window_key is not None
        idx, e = self.window_key
        key = self.keys[idx]
        window = pl.struct(pl.col(key).cast(pl.Datetime("us")).alias("start"),
                           (pl.col(key) + e.params[0]).cast(pl.Datetime("us")).alias("end"))
        return lf.with_columns(window.alias(key))

    @cached_property
    def _sliceable(self) -> bool:
        """Whether the batch's rows may be aggregated slice by slice: partials that merge exactly in
        any grouping (:attr:`_spreads`) over a plan that maps each row on its own (selections,
        explodes, filters) with nothing that depends on a row's position in the batch."""
        if not self._spreads or self._fast_plan is None:
            return False
        exprs: list = list(self.node.keys) + list(self.partial_plan.aggs)
        for n in all_nodes(self.partial_plan.child):
            if isinstance(n, P.Project):
                exprs += n.exprs
            elif isinstance(n, P.Filter):
                exprs.append(n.condition)
            elif not isinstance(n, (P.StreamSource, P.SubqueryAlias)):
                return False
        return not any(isinstance(x, E.Func) and x.name.lower() in _POSITIONAL
                       for e in exprs for x in E.walk(e))

    def _sliced_partial(self, bindings: dict, structs: bool = True) -> pl.LazyFrame | None:
        """A big batch's partials computed :data:`SLICE_ROWS` rows at a time, the slices' partials end to
        end (so a slice's transient memory is live at once, not the whole batch's); None when the batch is
        small or the plan cannot be sliced. A key may then have a row per slice: the merge into the state
        groups by the keys anyway, and adds them up (the partials of :attr:`_spreads` merge exactly in any
        grouping). First-seen order holds: slices come in order, and the merge keeps first-seen order."""
        frames = [(k, f) for k, f in bindings.items() if isinstance(f, pl.DataFrame)]
        if len(frames) != 1 or frames[0][1].height <= SLICE_ROWS or not self._sliceable:
            return None
        key, frame = frames[0]
        parts: list[pl.DataFrame] = []
        for offset in range(0, frame.height, SLICE_ROWS):
            one = dict(bindings)
            one[key] = frame.slice(offset, SLICE_ROWS)
            engine = engine_for(one)
            lf = self._fast_partial(one, engine, structs=False)  # windows as integer starts until the end
            assert lf is not None  # _sliceable saw the shortcut apply
            parts.append(lf.collect(engine=engine))
            del one, lf
        lf = pl.concat(parts, how="vertical_relaxed", rechunk=False).lazy()
        return self._windows_as_structs(lf) if self.window_key is not None and structs else lf

    def _group(self, lf: pl.LazyFrame, by: list, aggs: list[pl.Expr]) -> pl.LazyFrame:
        """``group_by(by).agg(aggs)`` with the groups in first-seen order (ember's deterministic order)."""
        return lf.group_by(by, maintain_order=True).agg(aggs)

    def _group_merge(self, lf: pl.LazyFrame, by: list, aggs: list[pl.Expr]) -> pl.LazyFrame:
        """:meth:`_group` as an unordered group_by followed by a sort of the groups by their first row:
        the same groups in the same order, for less CPU (merges into the state, where most keys are
        distinct: about half; a batch's words: ~5-10 %) and more of it in parallel."""
        return (lf.with_row_index("__i").group_by(by).agg([*aggs, pl.col("__i").min()])
                .sort("__i").drop("__i"))

    @cached_property
    def _spreads(self) -> bool:
        """Whether partials of parts of a group merge into the group's exactly: counts, integer sums,
        min and max (not float sums, whose rounding depends on the grouping, nor order-bound ones)."""
        from ember.sql import types as T

        nk = len(self.keys)
        for a, attr in zip(self.partial_plan.aggs, self.partial_plan.output[nk:]):
            f = E.strip_alias(a)
            if not isinstance(f, E.AggFunc) or f.distinct or f.name not in ("count", "sum", "min", "max"):
                return False
            if f.name == "sum" and not isinstance(attr.dtype, T.IntegralType):
                return False
        return True

    def _spread(self, lf: pl.LazyFrame, t: pl.Expr, keys: list[pl.Expr], aggs: list[pl.Expr],
                engine: str, span: tuple | None) -> pl.LazyFrame:
        """A sliding window's partials: aggregate per (event time, other keys) first, then spread each
        partial over its windows and merge, instead of copying every row into each of its windows.

        When the slide divides the length, all times of one slide-long bucket lie in the same windows,
        so rows are grouped per bucket (far fewer groups than times). Both group_bys keep first-seen
        order, so groups come out in the order the row-by-row expansion would give them. A batch of
        a live stream mostly lies in one bucket: its rows are then grouped by the other keys alone
        (one string key groups much faster than a time and a string). ``span`` is the batch's
        (lowest, highest) bucket and whether a time is null, when :meth:`_bucket_span` could tell it
        from the source's rows; otherwise the rows are made first to see their buckets.
        """
        from ember.sql.exec_funcs import expand_window_starts

        assert self.window_key is not None
        idx, e = self.window_key
        w, s, start = e.params
        bucket = t - (t - start) % s if w % s == 0 else t
        other = [k for i, k in enumerate(keys) if i != idx]
        if span is None:
            rows = lf.with_columns(bucket.alias("__t")).filter(pl.col("__t").is_not_null())
            rows = rows.collect(engine=engine)
            times = rows.get_column("__t")
            lo, hi, nulls = (times.min(), times.max(), False) if rows.height else (None, None, False)
            lf = rows.lazy()
        else:
            lo, hi, nulls = span
        if other and lo is not None and lo == hi:
            if nulls:
                lf = lf.filter(t.is_not_null())
            pre = self._group_merge(lf, other, aggs).with_columns(pl.lit(lo, dtype=pl.Int64).alias("__t"))
        else:
            if span is not None:
                lf = lf.with_columns(bucket.alias("__t")).filter(pl.col("__t").is_not_null())
            pre = self._group_merge(lf, [pl.col("__t"), *other], aggs)
        pre = expand_window_starts(pre, pl.col("__t"), e.params, "__ws")
        names = [pl.col("__ws").alias(k) if i == idx else pl.col(k) for i, k in enumerate(self.keys)]
        # a (window, keys) group may come from two buckets: the merge into the state adds them up (its
        # group_by keeps first-seen order, so grouping here first would only cost a pass more)
        return pre.select(names + [pl.col(n) for n in self.partial_names[len(self.keys):]])

    @cached_property
    def _time_source(self) -> tuple | None:
        """Where the window's time comes from unchanged: (source leaf, its column index, the attribute
        the partial plan's rows name it by), through projections that pass it on, filters and aliases;
        None when it is computed. Explodes and filters only repeat or drop a source row's time, so the
        source's times bound the rows' (see :meth:`_bucket_span`)."""
        from ember.sql.analyzer import resolve_ref

        assert self.window_key is not None
        arg = E.strip_alias(self.window_key[1].args[0])
        node = self.partial_plan.child
        found = resolve_ref(arg, node.output) if isinstance(arg, E.ColumnRef) else None
        if found is None or found[1]:
            return None
        top = attr = found[0]
        while True:
            ids = [a.id for a in node.output]
            if isinstance(node, P.StreamSource):
                return (node, ids.index(attr.id), top) if attr.id in ids else None
            if not isinstance(node, (P.Project, P.Filter, P.SubqueryAlias)):
                return None
            below = node.child.output
            if not any(a.id == attr.id for a in below):
                if not isinstance(node, P.Project):
                    return None
                attrs = iter(node.output)  # an alias of a plain column: follow the column
                item = None
                for kind, x, width in node.items:
                    if any(a.id == attr.id for a in [next(attrs) for _ in range(width)]):
                        item = (kind, E.strip_alias(x))
                if item is None or item[0] == "gen" or not isinstance(item[1], E.ColumnRef):
                    return None
                found = resolve_ref(item[1], below)
                if found is None or found[1]:
                    return None
                attr = found[0]
            node = node.child

    def _bucket_span(self, bindings: dict) -> tuple | None:
        """The batch's lowest and highest slide bucket and whether a time is null, from the source's rows
        (a line's time, not each exploded row's); None when the time is not a source column as such."""
        from ember.sql.exec_expr import cname

        src = self._time_source
        if src is None:
            return None
        leaf, i, top = src
        frame = bindings.get(leaf, bindings.get(id(leaf)))
        if not isinstance(frame, pl.DataFrame) or frame.height < SPAN_MIN_ROWS:
            return None
        cols = frame.columns
        name = cols[i] if len(cols) == len(leaf.output) else leaf.output[i].name
        if name not in cols:
            return None
        assert self._fast_plan is not None and self.window_key is not None
        t = self._fast_plan[0]
        w, s, start = self.window_key[1].params
        bucket = t - (t - start) % s if w % s == 0 else t
        got = frame.lazy().select(pl.col(name).alias(cname(top))).select(
            bucket.min().alias("lo"), bucket.max().alias("hi"), bucket.null_count().alias("n")).collect()
        lo, hi, n = got.row(0)
        return lo, hi, bool(n)
