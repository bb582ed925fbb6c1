"""``groupBy(...).applyInPandasWithState(...)`` on a stream: a user function per key with a GroupState.

Each batch the function is called once per key that has rows (sorted by key), with the key as a
tuple, an iterator of pandas frames holding the key's rows (all the input columns) and the key's
:class:`~ember.sql.streaming.state.GroupState`. Then, when timeouts are on, once per key whose timeout
passed (processing time: the batch's timestamp; event time: the watermark), with an empty iterator
and ``hasTimedOut`` True. Keys whose state was removed leave the store.

The state is one Polars frame in the versioned state store: the key columns (``k0``...), the state
schema's fields (``s0``...), the timeout timestamp in epoch ms (``-1``: none) and whether the key has a
value (a key may keep a timeout without one), one row per key.

Examples
--------
>>> def count(key, pdfs, state):  # doctest: +SKIP
...     n = sum(len(p) for p in pdfs) + (state.get[0] if state.exists else 0)
...     state.update((n,))
...     yield pd.DataFrame({"k": [key[0]], "n": [n]})
>>> stream.groupBy("k").applyInPandasWithState(  # doctest: +SKIP
...     count, "k STRING, n LONG", "n LONG", "update", "NoTimeout")
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import polars as pl

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql.attributes import make
from ember.sql.convert import local_tz
from ember.sql.streaming.operators.base import (
    Operator,
    all_nodes,
    engine_for,
    name_tail,
    operator_metrics,
)
from ember.sql.streaming.state import GroupState, GroupStateTimeout

if TYPE_CHECKING:
    from ember.sql.streaming.incremental import IncrementalExecution

#: rows per pandas frame handed to the function (Spark's spark.sql.execution.arrow.maxRecordsPerBatch)
MAX_RECORDS = 10_000
TIMEOUT = "__timeout"
DEFINED = "__defined"


@dataclass(frozen=True, eq=False)
class FlatMapGroupsInPandasWithState(P.Plan):
    """The logical node ``applyInPandasWithState`` makes (it runs on streams only)."""

    _child_fields = ("child",)

    child: P.Plan
    keys: tuple
    func: Any
    output_schema: Any
    state_schema: Any
    output_mode: str  # "append" or "update"
    timeout_conf: str

    @cached_property
    def output(self):
        return tuple(make(f.name, f.dataType, f.nullable) for f in self.output_schema.fields)

    def node_string(self) -> str:
        name = getattr(self.func, "__name__", "func")
        args = ", ".join(a.name for a in self.child.output)
        fields = ", ".join(f"StructField({f.name},{type(f.dataType).__name__},{str(f.nullable).lower()})"
                           for f in self.state_schema.fields)
        out = ", ".join(a.name for a in self.output)
        return (f"FlatMapGroupsInPandasWithState {name}({args}), [{out}], [{fields}], "
                f"{self.output_mode.capitalize()}, {self.timeout_conf}")


def _batch_unsupported(translator: Any, plan: FlatMapGroupsInPandasWithState) -> Any:
    from ember.errors import UnsupportedOperationException

    raise UnsupportedOperationException(
        "applyInPandasWithState is unsupported in batch query. Use applyInPandas instead.")


def _register_batch_rule() -> None:
    """Batch execution meets this node only on a batch DataFrame: Spark refuses it when it runs."""
    from ember.sql.execution import _Translator

    if not hasattr(_Translator, "_FlatMapGroupsInPandasWithState"):
        _Translator._FlatMapGroupsInPandasWithState = _batch_unsupported


_register_batch_rule()


def _legacy(message: str, node: P.Plan) -> AnalysisException:
    from ember.sql.streaming.checker import _plain

    return _plain(message, node)


def check(plan: P.Plan, mode: str) -> None:
    """Spark's start() checks for ``applyInPandasWithState`` nodes, after the aggregation checks."""
    from ember.sql.streaming.checker import aggregates, streaming_nodes

    ops = [n for n in streaming_nodes(plan) if isinstance(n, FlatMapGroupsInPandasWithState)]
    if not ops:
        return
    if len(ops) > 1:
        raise _legacy("Multiple applyInPandasWithStates are not supported on a streaming "
                      "DataFrames/Datasets", ops[0])
    op = ops[0]
    aggs = aggregates(plan)
    if aggs:
        if op.output_mode == "update":
            raise _legacy("applyInPandasWithState in update mode is not supported with aggregation on a "
                          "streaming DataFrame/Dataset", op)
        if any(isinstance(n, P.Aggregate) for n in streaming_nodes(op.child)):
            raise _legacy("applyInPandasWithState in append mode is not supported after aggregation on a "
                          "streaming DataFrame/Dataset", op)
    elif op.output_mode != mode and mode in ("append", "update"):
        raise _legacy(f"applyInPandasWithState in {op.output_mode} mode is not supported with "
                      f"{mode.capitalize()} output mode on a streaming DataFrame/Dataset", op)
    if op.timeout_conf == GroupStateTimeout.EventTimeTimeout and not _watermarks_below(op):
        raise _legacy("Watermark must be specified in the query using '[Dataset/DataFrame].withWatermark()' "
                      "for using event-time timeout in a applyInPandasWithState. Event-time timeout not "
                      "supported without watermark.", op)
    from ember.sql.streaming.checker import stateful_nodes

    if len(stateful_nodes(plan)) > 1:
        # Spark allows an aggregation after an append-mode applyInPandasWithState; ember runs one
        # stateful operator per query so far
        raise AnalysisException("ember does not support another stateful operator (aggregation, "
                                "deduplication) in a query with applyInPandasWithState yet")


def _watermarks_below(op: P.Plan) -> list:
    return [n for n in all_nodes(op.child) if isinstance(n, P.Watermark)]


class PandasGroupState(Operator):
    """Runs the user function per key and timed-out key; keeps each key's state and timeout."""

    def __init__(self, node: FlatMapGroupsInPandasWithState, child: P.Plan,
                 owner: IncrementalExecution) -> None:
        from ember.sql.streaming.operators.pandas_convert import require_pandas

        require_pandas()
        self.node = node
        self.owner = owner
        attrs = node.child.output
        exprs = tuple(E.ColumnRef(a.name, a.id) for a in attrs)
        exprs += tuple(E.Alias(k, f"__key{i}") for i, k in enumerate(node.keys))
        self.plan = P.Project(child, exprs)
        self.width = len(attrs)
        self.names = [a.name for a in attrs]
        key_out = self.plan.output[self.width:]
        from ember.sql.types import StructField, StructType

        self.key_schema = StructType([StructField(a.name, a.dtype, a.nullable) for a in key_out])
        self.keys = [f"k{i}" for i in range(len(node.keys))]
        self.fields = [f"s{i}" for i in range(len(node.state_schema.fields))]
        self.timeout = node.timeout_conf
        wms = _watermarks_below(node)
        self.watermark_present = bool(wms)
        self.event_idx = None
        if wms:
            col = name_tail(wms[0].event_time)
            for i, a in enumerate(attrs):
                if a.name.lower() == col:
                    self.event_idx = i
        # a moving watermark may time keys out: Spark then runs a batch without data; with processing
        # time timeouts it runs one at every trigger
        self.evicts = self.timeout == GroupStateTimeout.EventTimeTimeout and self.watermark_present
        self.always_runs = self.timeout == GroupStateTimeout.ProcessingTimeTimeout
        self.wm_key = None

    # -- state frame <-> Python --------------------------------------------------------------------

    def _load(self, tz: str) -> dict:
        """The stored state: key tuple -> (value tuple, timeout ms)."""
        from ember.sql.convert import frame_to_tuples

        frame = self.owner.store.frame if self.owner.store is not None else None
        if frame is None or not frame.height:
            return {}
        keys = frame_to_tuples(frame.select(self.keys), self.key_schema, tz)
        # state values travel as PySpark's Rows do: naive timestamps are the process's local time
        values = frame_to_tuples(frame.select(self.fields), self.node.state_schema, local_tz())
        timeouts = frame.get_column(TIMEOUT).to_list()
        defined = frame.get_column(DEFINED).to_list()
        return {k: (v if d else None, t) for k, v, t, d in zip(keys, values, timeouts, defined)}

    def _rows_frame(self, state: dict, tz: str) -> pl.DataFrame:
        from ember.sql.dtypes import to_polars

        cols: dict[str, list] = {c: [] for c in self.keys + self.fields + [TIMEOUT, DEFINED]}
        for key, (value, timeout) in state.items():
            for c, v in zip(self.keys, key):
                cols[c].append(v)
            for i, c in enumerate(self.fields):
                cols[c].append(None if value is None else value[i])
            cols[TIMEOUT].append(int(timeout))
            cols[DEFINED].append(value is not None)
        series = []
        schema_fields = list(self.key_schema.fields) + list(self.node.state_schema.fields)
        zones = [tz] * len(self.keys) + [local_tz()] * len(self.fields)
        for c, f, zone in zip(self.keys + self.fields, schema_fields, zones):
            series.append(_typed(cols[c], to_polars(f.dataType), f.dataType, zone).alias(c))
        series.append(pl.Series(TIMEOUT, cols[TIMEOUT], dtype=pl.Int64))
        series.append(pl.Series(DEFINED, cols[DEFINED], dtype=pl.Boolean))
        return pl.DataFrame(series)

    # -- one batch -----------------------------------------------------------------------------

    def step(self, bindings: dict, wm_ms: int, batch_id: int) -> tuple[pl.DataFrame, dict]:
        from ember.sql import execution
        from ember.sql.session import current_time_zone
        from ember.sql.streaming.operators.pandas_convert import from_pandas, to_pandas

        store = self.owner.store
        assert store is not None
        tz = current_time_zone()
        t0 = time.perf_counter()
        rows = execution.internal_lazy(self.plan, bindings).collect(engine=engine_for(bindings))
        cols = rows.columns
        rows.columns = [f"c{i}" for i in range(self.width)] + self.keys
        dropped = 0
        if self.evicts and self.event_idx is not None and rows.height:
            # with event time timeouts Spark drops the rows behind the watermark before the function
            ev = pl.col(f"c{self.event_idx}")
            late = rows.select((ev.dt.epoch("ms") <= wm_ms).fill_null(False)).to_series()
            dropped = int(late.sum())
            if dropped:
                rows = rows.filter(~late)
        del cols
        state = self._load(tz)
        now_ms = int(getattr(self.owner, "batch_timestamp_ms", 0) or time.time() * 1000)
        wm = wm_ms if self.watermark_present else GroupState.NO_TIMESTAMP
        outputs: list[pl.DataFrame] = []
        updated = removed = 0

        def call(key: tuple, frames: list, timed_out: bool, shown: tuple) -> None:
            nonlocal updated, removed
            value, _ = state.get(key, (None, GroupState.NO_TIMESTAMP))
            # as in Spark, every call starts without a timeout (oldTimeoutTimestamp is -1 too): a key
            # keeps one only when the function sets it again
            gs = GroupState(value, now_ms, wm, self.timeout, timed_out, self.watermark_present)
            result = self.node.func(shown, iter(frames), gs)
            for pdf in _frames_of(result):
                if len(pdf.columns) == 0 and len(pdf) == 0:
                    continue
                outputs.append(from_pandas(pdf, self.node.output_schema, tz))
            if gs.exists or gs._timeout_timestamp != GroupState.NO_TIMESTAMP:
                # a timeout is kept even without a value (the key is then called with exists False)
                state[key] = (gs.get if gs.exists else None, gs._timeout_timestamp)
                updated += 1
            elif key in state:
                del state[key]
                removed += 1

        if rows.height:
            rows = rows.sort(self.keys, nulls_last=False, maintain_order=True)
            from ember.sql.convert import frame_to_tuples

            # groups are runs of equal keys; the state is keyed by the keys' Python values, the function
            # gets them as pandas gives them (NumPy scalars for numbers), as in PySpark
            key_rows = frame_to_tuples(rows.select(self.keys), self.key_schema, tz)
            key_pdf = to_pandas(rows.select(self.keys), tz)
            data = rows.select([pl.col(f"c{i}").alias(n) for i, n in enumerate(self.names)])
            pdf_all = to_pandas(data, tz)
            start = 0
            n = len(key_rows)
            while start < n:
                end = start + 1
                while end < n and key_rows[end] == key_rows[start]:
                    end += 1
                frames = [pdf_all.iloc[i:min(i + MAX_RECORDS, end)].reset_index(drop=True)
                          for i in range(start, end, MAX_RECORDS)]
                call(key_rows[start], frames, False, _key_at(key_pdf, start))
                start = end
        t1 = time.perf_counter()
        if self.timeout != GroupStateTimeout.NoTimeout:
            threshold = now_ms if self.timeout == GroupStateTimeout.ProcessingTimeTimeout else (
                wm_ms if self.watermark_present else None)
            if threshold is not None:
                expired = [k for k, (_, t) in state.items() if t != GroupState.NO_TIMESTAMP and t < threshold]
                if expired:
                    expired.sort(key=_order)
                    frame = self._rows_frame({k: state[k] for k in expired}, tz)
                    shown = to_pandas(frame.select(self.keys), tz)
                    for i, key in enumerate(expired):
                        call(key, [], True, _key_at(shown, i))
        t2 = time.perf_counter()
        store.commit(batch_id + 1, self._rows_frame(state, tz))
        t3 = time.perf_counter()
        from ember.sql.dtypes import to_polars

        schema = self.node.output_schema
        if outputs:
            result = pl.concat(outputs, how="vertical_relaxed")
        else:
            result = pl.DataFrame([pl.Series(f.name, [], dtype=to_polars(f.dataType)) for f in schema.fields])
        metrics = operator_metrics("applyInPandasWithState", store, updated, removed, dropped,
                                   (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000,
                                   self.owner.shuffle_partitions)
        return result, metrics


def _key_at(pdf: Any, i: int) -> tuple:
    """Row ``i`` of ``pdf`` cell by cell (a row of mixed dtypes would turn NumPy scalars into objects)."""
    return tuple(pdf.iat[i, j] for j in range(pdf.shape[1]))


def _order(key: tuple) -> tuple:
    return tuple((v is None, v if v is not None else 0) for v in key)


def _frames_of(result: Any):
    """The pandas frames the function produced (it must return an iterator of DataFrames)."""
    from ember.errors import PythonException

    if result is None or not hasattr(result, "__iter__") or type(result).__name__ == "DataFrame":
        raise PythonException(
            "Return type of the user-defined function should be iterator of pandas.DataFrame, but is "
            f"{type(result).__name__}.", errorClass="UDF_RETURN_TYPE")
    for pdf in result:
        if type(pdf).__name__ != "DataFrame" or not type(pdf).__module__.startswith("pandas"):
            raise PythonException(
                "Return type of the user-defined function should be iterator of pandas.DataFrame, but is "
                f"iterator of {type(pdf).__name__}.", errorClass="UDF_RETURN_TYPE")
        yield pdf


def _typed(values: list, target: pl.DataType, dtype: Any, tz: str) -> pl.Series:
    """Python values of one state or key field as a Polars series (timestamps: wall time in ``tz``)."""
    import datetime

    from ember.sql import types as T

    if isinstance(dtype, T.TimestampType):
        out = []
        for v in values:
            if isinstance(v, datetime.datetime) and v.tzinfo is not None:
                v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
                out.append(("utc", v))
            else:
                out.append(("local", v))
        local = pl.Series([v for _, v in out], dtype=pl.Datetime("us"), strict=False)
        if tz not in ("UTC", "Etc/UTC", "GMT"):
            shifted = local.dt.replace_time_zone(tz).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
            flags = pl.Series([k == "utc" for k, _ in out])
            local = pl.select(pl.when(flags).then(local).otherwise(shifted)).to_series()
        return local
    return pl.Series(values, dtype=target, strict=False)
