"""A streaming ``groupBy().agg()``: partial aggregates of each batch merged into a keyed state.

Each aggregate is split into partials that merge (count -> sum of counts, avg -> sum and count, ...),
so the state holds one row per key and never the rows themselves; a ``__n`` column counts the rows
behind a key and ``__u`` marks the keys a batch touched (for update mode and the progress).
"""

from __future__ import annotations

import time
from functools import cached_property
from typing import TYPE_CHECKING, Any

import polars as pl

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql.streaming.operators.base import (
    Operator,
    engine_for,
    engine_for_rows,
    operator_metrics,
    watermark_key,
    wm_literal,
)
from ember.sql.streaming.operators.partials import BatchPartials

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


class Aggregation(BatchPartials, Operator):
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

    def _late(self, wm_ms: int, starts: bool = False) -> pl.Expr:
        """Whether a partial's key is behind the watermark; ``starts``: windows as integer starts."""
        assert self.wm_key is not None
        idx, is_window = self.wm_key
        col = pl.col(self.keys[idx])
        if starts and is_window and self.window_key is not None:
            return col + self.window_key[1].params[0] <= wm_ms * 1000
        when = col.struct.field("end") if is_window else col
        return when <= wm_literal(wm_ms)

    def step(self, bindings: dict, wm_ms: int, batch_id: int) -> tuple[Any, dict]:
        from ember.sql import execution
        from ember.sql.exec_expr import cname

        store = self.owner.store
        assert store is not None
        t0 = time.perf_counter()
        engine = engine_for(bindings)
        # per window state: windows stay integer starts (no struct per partial row, cheap to split by)
        starts = self._by_window
        lf = self._sliced_partial(bindings, structs=not starts)
        if lf is None:
            lf = self._fast_partial(bindings, engine, structs=not starts)
        if lf is None:
            starts = False
            lf = execution.internal_lazy(self.partial_plan, bindings)
            pairs = zip(self.partial_plan.output, self.partial_names)
            lf = lf.select([pl.col(cname(a)).alias(n) for a, n in pairs])
        mode = self.owner.mode
        dropped = 0
        if self.wm_key is not None and mode != "complete":
            # late rows must be counted before they are dropped: the one query that cannot be folded.
            # As Spark (3.5+), a row is late behind the previous batch's watermark; the current one evicts
            late_wm = self.owner.late_wm_ms
            partial = lf.with_columns(self._late(late_wm, starts).fill_null(False).alias("__late")).collect(
                engine=engine)
            late = partial.get_column("__late")
            dropped = int(late.sum())
            partial = partial.filter(~late) if dropped else partial
            lf = partial.drop("__late").lazy()
        if self._by_window:
            return self._step_windows(lf, starts, batch_id, wm_ms, engine, dropped, t0)
        merged = self._merged(lf, store.frame, wm_ms, engine)
        t1 = time.perf_counter()
        flags = merged.get_column("__u")
        updated = int(flags.sum()) if merged.height else 0
        removed = 0
        keep = emit = None  # row masks over ``merged``; None keeps every row
        if self.evicts:
            gone = merged.get_column("__gone")
            removed = int(gone.sum())
            emit = gone if mode == "append" else flags
            keep = ~gone if removed else None
        elif mode == "update":
            emit = flags
        # plain Series operations from here: each eager DataFrame call would be a query of its own
        state = pl.DataFrame([_rows(merged.get_column(c), keep) for c in self.state_columns])
        result = pl.DataFrame([_rows(merged.get_column(f"__o{i}"), emit).alias(k)
                               for i, k in enumerate(self.keys)]
                              + [_rows(merged.get_column(f"a{i}"), emit) for i in range(len(self.finals))])
        t2 = time.perf_counter()
        store.commit(batch_id + 1, state)
        t3 = time.perf_counter()
        metrics = operator_metrics("stateStoreSave", store, updated, removed, dropped, (t1 - t0) * 1000,
                                   (t2 - t1) * 1000, (t3 - t2) * 1000, self.owner.shuffle_partitions)
        return result, metrics

    # -- the state as one frame per window ---------------------------------------------------------

    @cached_property
    def _by_window(self) -> bool:
        """Whether the state is kept as one frame per window start (see :meth:`_step_windows`).

        So it is when the query groups by a ``window`` and the watermark, if any, is on that window:
        a window is then evicted whole.
        """
        if self.window_key is None:
            return False
        return self.wm_key is None or tuple(self.wm_key) == (self.window_key[0], True)

    def _window_parts(self) -> dict:
        """The state by window start (microseconds; None for a null window): (state, output) frames.

        Built again from the store's frame when that is not the one this operator committed last
        (a restart loaded it from the checkpoint).
        """
        frame = self.owner.store.frame if self.owner.store is not None else None
        if getattr(self, "_parts_of", None) is frame and frame is not None:
            return self._parts
        parts: dict = {}
        if frame is not None and frame.height:
            split = frame.with_columns(self._start_us().alias("__p"))
            for (p,), part in split.partition_by("__p", as_dict=True, include_key=False,
                                                 maintain_order=True).items():
                merged = self._merge_window(part.head(0).lazy(), part, "in-memory")
                parts[p] = self._state_and_output(merged)
        self._parts = parts
        return parts

    def _start_us(self) -> pl.Expr:
        assert self.window_key is not None
        return pl.col(self.keys[self.window_key[0]]).struct.field("start").dt.epoch("us")

    def _merge_window(self, partial: pl.LazyFrame, state: pl.DataFrame | None, engine: str) -> pl.DataFrame:
        """One window's partials (with the window column) merged into its state: grouped by the other keys."""
        try:
            return self._window_query(partial, state, None, "vertical").collect(engine=engine)
        except (pl.exceptions.SchemaError, pl.exceptions.ShapeError, pl.exceptions.ComputeError):
            return self._window_query(partial, state, None, "diagonal_relaxed").collect(engine=engine)

    def _window_query(self, partial: pl.LazyFrame, state: pl.DataFrame | None, start: int | None,
                      how: str) -> pl.LazyFrame:
        """The query merging one window's partials into its state, grouped by the other keys only.

        With ``start`` (the window's start, microseconds) the partials come without the window column
        and the merged rows get it as a constant (cheaper than carrying it through the group_by);
        otherwise the partials have it and each group keeps its first.
        """
        assert self.window_key is not None
        kw = self.keys[self.window_key[0]]
        others = [k for k in self.keys if k != kw]
        constant = start is not None and bool(others)
        if start is not None and not constant:  # grouped by the window alone: keep the column
            partial = self._windows_as_structs(partial.with_columns(pl.lit(start, dtype=pl.Int64).alias(kw)))
            partial = partial.select(self.state_columns)  # the window's column where the state has it
        aggs = self.merge + [pl.col("__u").any()] + ([pl.col(kw).first()] if others and not constant else [])
        partial = partial.with_columns(pl.lit(True).alias("__u"))
        extra = [pl.col(k).cast(t).alias(f"__o{i}")
                 for i, (k, t) in enumerate(zip(self.keys, self.key_types))] + self.finals
        both = partial
        if state is not None and state.height:  # stored rows count as not touched by this batch
            kept = state.lazy().drop(kw) if constant else state.lazy()
            both = pl.concat([kept.with_columns(pl.lit(False).alias("__u")), partial], how=how)
        merged = self._group_merge(both, others or [kw], aggs)
        if constant:
            merged = self._windows_as_structs(merged.with_columns(pl.lit(start, dtype=pl.Int64).alias(kw)))
        return merged.with_columns(extra)

    def _state_and_output(self, merged: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        cols = [merged.get_column(c) for c in self.state_columns]
        out = [merged.get_column(f"__o{i}").alias(k) for i, k in enumerate(self.keys)]
        out += [merged.get_column(f"a{i}") for i in range(len(self.finals))]
        return pl.DataFrame(cols), pl.DataFrame(out)

    def _merge_touched(self, split: dict, parts: dict, engine: str, constant: bool) -> dict:
        """Each touched window's partials (window start -> frame) merged into its state, the windows'
        queries run together (Polars runs them in parallel): start -> merged. ``constant``: the frames
        come without the window column (see :meth:`_window_query`)."""
        starts = list(split)
        # the merges' size, not the batch's, picks the engine: a small batch merges into a big state
        engine = engine_for_rows(sum(f.height for f in split.values())
                                 + sum(parts[p][0].height for p in starts if parts.get(p) is not None))

        def queries(how: str) -> list[pl.LazyFrame]:
            return [self._window_query(split[p].lazy(), None if parts.get(p) is None else parts[p][0],
                                       p if constant else None, how) for p in starts]

        try:
            done = pl.collect_all(queries("vertical"), engine=engine)
        except (pl.exceptions.SchemaError, pl.exceptions.ShapeError, pl.exceptions.ComputeError):
            done = [q.collect(engine=engine) for q in queries("diagonal_relaxed")]
        return dict(zip(starts, done))

    def _step_windows(self, lf: pl.LazyFrame, starts: bool, batch_id: int, wm_ms: int, engine: str,
                      dropped: int, t0: float) -> tuple[Any, dict]:
        """A batch merged into the windows it touches only; the other windows' frames are kept as they are.

        A micro-batch of a live stream touches a window or two, while the state holds every window
        since the start: merging the whole state (and building its output) every batch would cost in
        proportion to the state. The output in complete mode is the windows' output frames put end to
        end (no copy), windows in the order they first appeared and rows as they first appeared in
        their window (as the single frame had them, so a stable sort by window gives the same table).
        ``starts``: the partials' window column holds integer starts (else ``window`` structs).
        """
        assert self.window_key is not None and self.owner.store is not None
        store = self.owner.store
        mode = self.owner.mode
        kw = self.keys[self.window_key[0]]
        parts = self._window_parts()
        by = kw if starts else "__p"  # integer starts, or the structs' (a null window stays null)
        partial = (lf if starts else lf.with_columns(self._start_us().alias(by))).collect(engine=engine)
        touched: dict = {}
        updated = 0
        if partial.height:
            split = {p: part for (p,), part in partial.partition_by(
                by, as_dict=True, include_key=False, maintain_order=True).items()}
            for p, merged in self._merge_touched(split, parts, engine, starts).items():
                flags = merged.get_column("__u")
                updated += int(flags.sum())
                parts[p] = self._state_and_output(merged)
                touched[p] = flags
        t1 = time.perf_counter()
        removed = 0
        emit: list[pl.DataFrame] = []
        if mode == "update":
            emit = [parts[p][1].filter(touched[p]) for p in parts if p in touched]
        if self.evicts:
            length = self.window_key[1].params[0]
            gone = [p for p in parts if p is not None and p + length <= wm_ms * 1000]
            for p in gone:
                removed += parts[p][0].height
                if mode == "append":
                    emit.append(parts[p][1])
                del parts[p]
        elif mode == "complete":
            emit = [out for _, out in parts.values()]
        if parts:
            state = _concat([s for s, _ in parts.values()])
        else:
            empty = self._windows_as_structs(partial.head(0).lazy()).collect() if starts else partial.head(0)
            state = empty.select(self.state_columns)
        if emit:
            result = _concat(emit)
        else:
            result = self._state_and_output(self._merge_window(state.head(0).lazy(), None, "in-memory"))[1]
        t2 = time.perf_counter()
        store.commit(batch_id + 1, state)
        self._parts, self._parts_of = parts, store.frame
        t3 = time.perf_counter()
        metrics = operator_metrics("stateStoreSave", store, updated, removed, dropped, (t1 - t0) * 1000,
                                   (t2 - t1) * 1000, (t3 - t2) * 1000, self.owner.shuffle_partitions)
        return result, metrics

    def output_by_window(self) -> pl.DataFrame:
        """Complete mode's output sorted by window, stably: the windows' output frames end to end in the
        order of their starts (a null window first), without sorting (or copying) a row."""
        parts = self._parts
        if not parts:
            empty = self._merge_window(self.owner.store.frame.head(0).lazy(), None, "in-memory")
            return self._state_and_output(empty)[1]
        return _concat([parts[p][1] for p in sorted(parts, key=lambda p: (p is not None, p or 0))])

    @property
    def state_columns(self) -> list[str]:
        """The columns kept between batches: the keys and the partial aggregates (with ``__n``)."""
        return self.partial_names

    def _merged(self, partial: pl.LazyFrame, state: pl.DataFrame | None, wm_ms: int,
                engine: str) -> pl.DataFrame:
        """The batch's partial aggregates merged into the state by key, in one Polars query.

        Besides the merged partials it holds ``__u`` (the batch touched the key), ``__gone`` (the
        watermark evicts it, when the operator evicts), ``__o<i>`` (key ``i`` at its output type) and
        ``a<i>`` (the final value of aggregate ``i``).
        """
        aggs = self.merge + [pl.col("__u").any()]
        partial = partial.with_columns(pl.lit(True).alias("__u"))
        extra = [pl.col(k).cast(t).alias(f"__o{i}")
                 for i, (k, t) in enumerate(zip(self.keys, self.key_types))]
        extra += self.finals
        if self.evicts:
            extra.append(self._late(wm_ms).fill_null(False).alias("__gone"))

        def query(how: str) -> pl.LazyFrame:
            if state is None or state.height == 0:
                both = partial
            else:  # stored rows count as not touched by this batch
                both = pl.concat([state.lazy().with_columns(pl.lit(False).alias("__u")), partial], how=how)
            if self.keys:
                merged = self._group(both, self.keys, aggs)
            else:
                merged = both.select(aggs).with_columns(pl.col("__u").fill_null(False) & (pl.col("__n") > 0))
            return merged.with_columns(extra)

        try:  # the state has the batch's columns and types: a plain, cheap concat
            return query("vertical").collect(engine=engine)
        except (pl.exceptions.SchemaError, pl.exceptions.ShapeError, pl.exceptions.ComputeError):
            return query("diagonal_relaxed").collect(engine=engine)


def _concat(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Frames end to end without copying their rows (a new frame object even for one: the caller may
    rename its columns, which must not rename the kept window's)."""
    if len(frames) == 1:
        return frames[0].clone()  # shares the columns' buffers
    try:
        return pl.concat(frames, how="vertical", rechunk=False)
    except (pl.exceptions.SchemaError, pl.exceptions.ShapeError):
        return pl.concat(frames, how="diagonal_relaxed", rechunk=False)


def _rows(column: pl.Series, mask: pl.Series | None) -> pl.Series:
    return column if mask is None else column.filter(mask)
