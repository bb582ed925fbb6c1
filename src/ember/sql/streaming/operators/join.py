"""A join between two streams (Spark's symmetric hash join) on Polars frames.

Both sides are buffered in the state: one Polars frame holds the rows of each side kept so far
(columns ``l0..`` or ``r0..`` by position, ``__side`` 0 or 1, ``__m`` whether the row has matched),
plus one bookkeeping row (``__side`` -1) that remembers the batch's watermark. Each micro-batch
runs as Spark runs it:

1. the left side's new rows that are not late join the right side's buffered rows and are buffered;
2. the right side's new rows join every buffered left row (old and new) and are buffered;
3. the watermark evicts buffered rows no future row can match (:mod:`.join_conditions` derives the
   bound from the time-range condition or a watermarked key); an outer join emits its evicted rows
   that never matched, with nulls for the other side.

A row is late when its event time is at or below the previous batch's watermark (as in Spark, where
late rows are judged by the watermark the batch before used); it is dropped before joining.

Examples
--------
>>> StreamJoin.state_columns(2, 1)
['l0', 'l1', 'r0', '__side', '__m', '__wm']
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import polars as pl

from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql import types as T
from ember.sql.streaming.operators.base import Operator, operator_metrics
from ember.sql.streaming.operators.join_conditions import JoinSpec, analyse

if TYPE_CHECKING:
    from ember.sql.streaming.incremental import IncrementalExecution

LEFT, RIGHT, BOOK = 0, 1, -1


def is_stream_stream(node: P.Plan) -> bool:
    """A join whose two sides both read streams."""
    return isinstance(node, P.Join) and P.is_streaming(node.left) and P.is_streaming(node.right)


def join_operator_node(nodes: list, stateful: list, mode: str) -> P.Join | None:
    """The join of two streams among ``nodes`` (parents first), checked as Spark checks it at start().

    ember runs it as the query's one stateful operator: another join of streams, an aggregation or a
    deduplication in the same query is refused with a clear error rather than run wrongly.
    """
    from ember.errors import PySparkNotImplementedError
    from ember.sql.streaming.operators.join_conditions import check

    joins = [n for n in nodes if is_stream_stream(n)]
    if mode == "complete":
        return None  # refused by the output mode checks, as Spark refuses it first
    for j in reversed(joins):  # Spark reports the lowest offending operator first
        check(j, mode)
    if not joins:
        return None
    others = [n for n in nodes if isinstance(n, P.Limit) and n not in joins] + list(stateful)
    if len(joins) > 1 or others:
        raise PySparkNotImplementedError(
            "ember runs a join between two streaming DataFrames only as the query's single stateful "
            "operator; this query also has " + ("another stream-stream join" if len(joins) > 1 else
                                                 f"a streaming {type(others[0]).__name__.lower()}")
            + ". Write the join's result to a sink (or foreachBatch) and run the rest as a second query")
    return joins[0]


class _Side:
    """One side of the join: its plan, columns and how its keys and filters are computed."""

    def __init__(self, tag: str, plan: P.Plan, attrs: tuple, keys: list, only: E.Expr | None, wm,
                 key_types: list) -> None:
        from ember.sql.exec_expr import Ctx, cname, translate
        from ember.sql.session import current_time_zone

        self.tag = tag
        self.plan = plan
        self.attrs = attrs
        self.cols = [cname(a) for a in attrs]
        self.stored = [f"{tag}{i}" for i in range(len(attrs))]
        ctx = Ctx(attrs, current_time_zone(), False)
        self.keys = [translate(k, ctx).cast(t).alias(f"__k{i}")
                     for i, (k, t) in enumerate(zip(keys, key_types))]
        self.only = None if only is None else translate(only, ctx).fill_null(False)
        self.wm_col = None if wm is None else cname(wm)
        from ember.sql.dtypes import to_polars

        self.schema = {c: to_polars(a.dtype) for c, a in zip(self.cols, attrs)}

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema={**self.schema, "__m": pl.Boolean})


class StreamJoin(Operator):
    """Inner, left/right/full outer and left semi joins of two streams, in append mode."""

    def __init__(self, node: P.Join, left: P.Plan, right: P.Plan, owner: IncrementalExecution) -> None:
        from ember.sql.analyzer import analyze, common_type
        from ember.sql.dtypes import to_polars
        from ember.sql.exec_expr import Ctx, cname, translate
        from ember.sql.session import current_time_zone

        self.node = node
        self.owner = owner
        self.spec: JoinSpec = analyse(node)
        spec = self.spec
        self.how = "inner" if node.how == "cross" else node.how
        key_types = []
        for lk, rk in zip(spec.left_keys, spec.right_keys):
            lt, rt = analyze(lk, spec.left_attrs).dtype, analyze(rk, spec.right_attrs).dtype
            t = lt if type(lt) is type(rt) else (common_type([lt, rt]) or lt)
            key_types.append(to_polars(t))
        self.left = _Side("l", left, spec.left_attrs, spec.left_keys, spec.left_only, spec.left_wm, key_types)
        self.right = _Side("r", right, spec.right_attrs, spec.right_keys, spec.right_only, spec.right_wm,
                           key_types)
        ctx = Ctx(spec.left_attrs + spec.right_attrs, current_time_zone(), False)
        self.both = None if spec.both is None else translate(spec.both, ctx).fill_null(False)
        # the result, in the join node's column order (a USING key of a full join is a coalesce)
        ids_l = {a.id for a in spec.left_attrs}
        ids_r = {a.id for a in spec.right_attrs}
        pairs = []
        if node.on is not None:
            from ember.sql.resolve import join_keys

            pairs = join_keys(node)
        self.out_exprs = []
        for i, o in enumerate(node.output):
            if o.id in ids_l or o.id in ids_r:
                src = pl.col(cname(o))
            else:
                a, b = pairs[i]
                src = pl.coalesce(pl.col(cname(a)), pl.col(cname(b)))
            self.out_exprs.append(src.cast(to_polars(o.dtype)).alias(cname(o)))
        self.key_wm = spec.key_wm
        has_pred = [self._can_evict(s) for s in ("l", "r")]
        self.evicts = any(has_pred)

    @staticmethod
    def state_columns(n_left: int, n_right: int) -> list[str]:
        sides = [f"l{i}" for i in range(n_left)] + [f"r{i}" for i in range(n_right)]
        return sides + ["__side", "__m", "__wm"]

    # -- eviction ----------------------------------------------------------------------------------
    def _can_evict(self, side: str) -> bool:
        s = self.left if side == "l" else self.right
        if self.key_wm is not None:
            return True
        return s.wm_col is not None and self.spec.value_watermark(side, 0) is not None

    def _evictable(self, side: str, wm_ms: int) -> pl.Expr | None:
        """Spark's state watermark predicate of one side: true for rows that may leave the state."""
        s = self.left if side == "l" else self.right
        if self.key_wm is not None:
            key = pl.col(f"__k{self.key_wm}")
            attr_keys = self.spec.left_keys if side == "l" else self.spec.right_keys
            if self._key_is_struct(side, attr_keys[self.key_wm]):
                key = key.struct.field("end")
            return (key.cast(pl.Datetime("us")) <= _ts(wm_ms)).fill_null(False)
        if s.wm_col is None:
            return None
        bound = self.spec.value_watermark(side, wm_ms)
        if bound is None:
            return None
        return (pl.col(s.wm_col) <= _ts(bound)).fill_null(False)

    def _key_is_struct(self, side: str, key: E.Expr) -> bool:
        from ember.sql.analyzer import analyze

        attrs = self.spec.left_attrs if side == "l" else self.spec.right_attrs
        return isinstance(analyze(key, attrs).dtype, T.StructType)

    # -- state ---------------------------------------------------------------------------------------
    def _load(self) -> tuple[pl.DataFrame, pl.DataFrame, int]:
        store = self.owner.store
        frame = None if store is None else store.frame
        if frame is None or frame.height == 0:
            return self.left.empty(), self.right.empty(), 0
        prev_wm = frame.filter(pl.col("__side") == BOOK).get_column("__wm")
        prev = int(prev_wm[0]) if len(prev_wm) else 0

        def part(s: _Side, tag: int) -> pl.DataFrame:
            rows = frame.filter(pl.col("__side") == tag)
            return rows.select([pl.col(st).cast(s.schema[c]).alias(c) for st, c in zip(s.stored, s.cols)]
                               + [pl.col("__m").cast(pl.Boolean)])

        return part(self.left, LEFT), part(self.right, RIGHT), prev

    def _save(self, left: pl.DataFrame, right: pl.DataFrame, wm_ms: int, batch_id: int) -> None:
        def part(s: _Side, frame: pl.DataFrame, tag: int) -> pl.DataFrame:
            return frame.select([pl.col(c).alias(st) for c, st in zip(s.cols, s.stored)] + [
                pl.col("__m"), pl.lit(tag, pl.Int8).alias("__side"), pl.lit(None, pl.Int64).alias("__wm")])

        book = pl.DataFrame({"__side": [BOOK], "__m": [False], "__wm": [wm_ms]},
                            schema={"__side": pl.Int8, "__m": pl.Boolean, "__wm": pl.Int64})
        frame = pl.concat([part(self.left, left, LEFT), part(self.right, right, RIGHT), book],
                          how="diagonal")
        frame = frame.select(self.state_columns(len(self.left.cols), len(self.right.cols)))
        assert self.owner.store is not None
        self.owner.store.commit(batch_id + 1, frame)

    # -- one batch -----------------------------------------------------------------------------------
    def _input(self, s: _Side, bindings: dict, late_ms: int) -> tuple[pl.DataFrame, int]:
        from ember.sql import execution

        rows = execution.internal_lazy(s.plan, bindings).collect()
        # the side's plan was rebuilt around the watermark cuts, so its aliases have new ids:
        # its columns are the join input's by position
        rows.columns = s.cols
        dropped = 0
        if s.wm_col is not None and rows.height:
            late = rows.select((pl.col(s.wm_col) <= _ts(late_ms)).fill_null(False)).to_series()
            dropped = int(late.sum())
            if dropped:
                rows = rows.filter(~late)
        return rows, dropped

    def _pairs(self, this: _Side, new: pl.DataFrame, other: _Side, buffered: pl.DataFrame,
               skip_matched: bool = False) -> pl.DataFrame:
        """Index pairs (``__i`` of ``new``, ``__j`` of ``buffered``) that satisfy the whole condition."""
        a = new.with_row_index("__i").with_columns(this.keys)
        b = buffered.with_row_index("__j")
        if skip_matched:
            b = b.filter(~pl.col("__m"))
        b = b.drop("__m").with_columns(other.keys)
        keys = [f"__k{i}" for i in range(len(this.keys))]
        if keys:
            joined = a.join(b, on=keys, how="inner")
        else:
            joined = a.join(b, how="cross")
        if self.both is not None and joined.height:
            joined = joined.filter(self.both)
        return joined.select("__i", "__j")

    def _flag(self, frame: pl.DataFrame, idx: pl.Series) -> pl.DataFrame:
        """``frame`` with ``__m`` set on the rows at positions ``idx``."""
        return frame.with_columns(pl.col("__m") | _hits(frame.height, idx))

    def _joined(self, lrows: pl.DataFrame, li: pl.Series, rrows: pl.DataFrame, ri: pl.Series) -> pl.DataFrame:
        left = lrows.select(pl.col(self.left.cols).gather(li))
        right = rrows.select(pl.col(self.right.cols).gather(ri))
        return pl.concat([left, right], how="horizontal")

    def _null_extended(self, rows: pl.DataFrame, side: str) -> pl.DataFrame:
        if side == "l":
            nulls = [pl.lit(None, t).alias(c) for c, t in self.right.schema.items()]
            return rows.select(self.left.cols).with_columns(nulls)
        nulls = [pl.lit(None, t).alias(c) for c, t in self.left.schema.items()]
        return rows.select(self.right.cols).with_columns(nulls).select(self.left.cols + self.right.cols)

    def step(self, bindings: dict, wm_ms: int, batch_id: int) -> tuple[Any, dict]:
        if not self.left.keys:
            # as Spark, which fails the query at its first batch, not at start()
            from ember.sql.streaming.checker import _plain

            raise _plain("Stream-stream join without equality predicate is not supported.", self.node)
        t0 = time.perf_counter()
        lstate, rstate, late_ms = self._load()
        lnew, ldrop = self._input(self.left, bindings, late_ms)
        rnew, rdrop = self._input(self.right, bindings, late_ms)
        how = self.how
        out: list[pl.DataFrame] = []
        semi = how == "semi"
        updated = 0
        # 1. new left rows against the buffered right rows
        lpass, lfail = _split(lnew, self.left.only)
        if how in ("left", "full") and lfail.height:
            out.append(self._null_extended(lfail, "l"))
        pairs = self._pairs(self.left, lpass, self.right, rstate)
        li, rj = pairs.get_column("__i"), pairs.get_column("__j")
        if semi:
            first = li.unique(maintain_order=True)
            out.append(lpass.select(pl.col(self.left.cols).gather(first)))
        else:
            out.append(self._joined(lpass, li, rstate, rj))
        rstate = self._flag(rstate, rj)
        lpass = lpass.with_columns(_hits(lpass.height, li).alias("__m"))
        keep = self._keepable("l", lpass, wm_ms)
        if semi:
            keep = keep & ~lpass.get_column("__m")
        ladd = lpass.filter(keep)
        updated += ladd.height
        lstate = pl.concat([lstate, ladd.select(lstate.columns)], how="vertical_relaxed")
        # 2. new right rows against every buffered left row
        rpass, rfail = _split(rnew, self.right.only)
        if how in ("right", "full") and rfail.height:
            out.append(self._null_extended(rfail, "r"))
        pairs = self._pairs(self.right, rpass, self.left, lstate, skip_matched=semi)
        ri, lj = pairs.get_column("__i"), pairs.get_column("__j")
        if semi:
            first = lj.unique(maintain_order=True)
            out.append(lstate.select(pl.col(self.left.cols).gather(first)))
        else:
            out.append(self._joined(lstate, lj, rpass, ri))
        lstate = self._flag(lstate, lj)
        rpass = rpass.with_columns(_hits(rpass.height, ri).alias("__m"))
        radd = rpass.filter(self._keepable("r", rpass, wm_ms))
        updated += radd.height
        rstate = pl.concat([rstate, radd.select(rstate.columns)], how="vertical_relaxed")
        t1 = time.perf_counter()
        # 3. eviction, with the outer rows of the sides that are null-extended
        removed = 0
        lstate, n, gone = self._evict("l", lstate, wm_ms)
        removed += n
        if how in ("left", "full") and gone is not None:
            out.append(self._null_extended(gone.filter(~pl.col("__m")), "l"))
        rstate, n, gone = self._evict("r", rstate, wm_ms)
        removed += n
        if how in ("right", "full") and gone is not None:
            out.append(self._null_extended(gone.filter(~pl.col("__m")), "r"))
        t2 = time.perf_counter()
        self._save(lstate, rstate, wm_ms, batch_id)
        t3 = time.perf_counter()
        if semi:
            result = pl.concat([f.select(self.left.cols) for f in out], how="vertical_relaxed")
        else:
            cols = self.left.cols + self.right.cols
            result = pl.concat([f.select(cols) for f in out], how="vertical_relaxed")
        result = result.select(self.out_exprs)
        store = self.owner.store
        assert store is not None
        metrics = operator_metrics("symmetricHashJoin", store, updated, removed, ldrop + rdrop,
                                   (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000,
                                   self.owner.shuffle_partitions)
        metrics["numRowsTotal"] = lstate.height + rstate.height
        metrics["numStateStoreInstances"] = 4 * self.owner.shuffle_partitions
        return result, metrics

    def _keepable(self, side: str, rows: pl.DataFrame, wm_ms: int) -> pl.Series:
        """New rows worth buffering: those the state watermark would not evict at once."""
        pred = self._evictable(side, wm_ms)
        if pred is None or rows.height == 0:
            return pl.Series("keep", [True] * rows.height, dtype=pl.Boolean)
        s = self.left if side == "l" else self.right
        return ~rows.with_columns(s.keys).select(pred).to_series()

    def _evict(self, side: str, state: pl.DataFrame, wm_ms: int):
        pred = self._evictable(side, wm_ms)
        if pred is None or state.height == 0:
            return state, 0, None
        s = self.left if side == "l" else self.right
        gone = state.with_columns(s.keys).select(pred).to_series()
        n = int(gone.sum())
        if not n:
            return state, 0, None
        return state.filter(~gone), n, state.filter(gone)


def _split(rows: pl.DataFrame, only: pl.Expr | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows passing a one-side filter, and those failing it (an outer join emits them at once)."""
    if only is None or rows.height == 0:
        return rows, rows.clear()
    ok = rows.select(only).to_series()
    return rows.filter(ok), rows.filter(~ok)


def _hits(n: int, idx: pl.Series) -> pl.Series:
    """A mask of ``n`` rows, true at the positions in ``idx``."""
    mask = pl.Series("__m", [False] * n, dtype=pl.Boolean)
    if len(idx):
        mask = mask.scatter(idx, True)
    return mask


def _ts(ms: int) -> pl.Expr:
    return pl.lit(ms * 1000, dtype=pl.Int64).cast(pl.Datetime("us"))
