"""ember-only tests of stream-stream joins: the time-bound solver, refusals, progress and state layout.

What Spark defines (outputs, eviction, errors) is in tests/conformance/test_structured_stream_join.py.
Both sides here come from one MemoryStream (a ``kind`` column tells them apart), so that rows added in
one ``add_data`` call reach both sides in the same micro-batch.
"""

from __future__ import annotations

import datetime

import pytest

from ember.errors import PySparkNotImplementedError
from ember.sql import expressions as E
from ember.sql import functions as F
from ember.sql import types as T
from ember.sql.attributes import make
from ember.sql.streaming.memory import MemoryStream
from ember.sql.streaming.operators.join_conditions import analyse, state_value_watermark


def _t(second: int) -> datetime.datetime:
    return datetime.datetime(2026, 1, 1, 0, 0, second)


def _sides(spark, left_delay=None, right_delay=None):
    stream = MemoryStream(spark, "kind STRING, id INT, t TIMESTAMP, v STRING")
    events = stream.to_df()
    left = events.where("kind = 'l'").selectExpr("id AS lid", "t AS lt", "v AS lv")
    right = events.where("kind = 'r'").selectExpr("id AS rid", "t AS rt", "v AS rv")
    if left_delay:
        left = left.withWatermark("lt", left_delay)
    if right_delay:
        right = right.withWatermark("rt", right_delay)
    return stream, left, right


def _collect(df, stream, *blocks):
    batches = []
    q = df.writeStream.foreachBatch(lambda d, i: batches.append((i, sorted(d.collect())))).start()
    for block in blocks:
        stream.add_data(block)
        q.processAllAvailable()
    progress = q.recentProgress
    q.stop()
    return batches, progress


# -- the time bound ----------------------------------------------------------------------------------

IMP, CLK = make("impTime", T.TimestampType()), make("clkTime", T.TimestampType())
HOUR = E.Literal(datetime.timedelta(hours=1), T.DayTimeIntervalType(0, 3))


def _ref(a):
    return E.ColumnRef(a.name, a.id)


@pytest.mark.parametrize("op, swap, expected", [
    ("<=", False, 3_599_999),  # clk <= imp + 1h: imp >= clk - 1h, minus 1 ms for <=
    ("<", False, 3_600_000),
    (">=", True, 3_599_999),  # imp + 1h >= clk: the same bound written the other way round
])
def test_bound_from_a_range_conjunct(op, swap, expected):
    small, big = _ref(CLK), E.BinOp("+", _ref(IMP), HOUR)
    cond = E.BinOp(op, big, small) if swap else E.BinOp(op, small, big)
    assert state_value_watermark([IMP], [CLK], CLK, [cond], 7_200_000) == expected


def test_bound_is_the_smallest_of_several_and_needs_the_other_sides_watermark():
    lower = E.BinOp("<=", _ref(CLK), E.BinOp("+", _ref(IMP), HOUR))
    tighter = E.BinOp("<", _ref(CLK), E.BinOp("+", _ref(IMP), E.BinOp("+", HOUR, HOUR)))
    assert state_value_watermark([IMP], [CLK], CLK, [lower, tighter], 7_200_000) == 0
    assert state_value_watermark([IMP], [CLK], None, [lower], 7_200_000) is None
    # the side's own time must be bounded from below: clk >= imp says nothing about old impressions
    assert state_value_watermark([IMP], [CLK], CLK, [E.BinOp(">=", _ref(CLK), _ref(IMP))], 0) is None


def test_analyse_splits_keys_side_filters_and_the_rest(spark):
    _, left, right = _sides(spark, "10 seconds", "10 seconds")
    cond = F.expr("lid = rid AND lv != 'x' AND rt <= lt + interval 5 seconds AND rv = lv")
    spec = analyse(left.join(right, cond)._plan)
    assert len(spec.left_keys) == 2 and spec.left_only is not None and spec.right_only is None
    assert spec.both is not None and spec.left_wm.name == "lt" and spec.right_wm.name == "rt"
    assert spec.value_watermark("l", 10_000) == 4_999
    assert spec.value_watermark("r", 10_000) is None


def test_event_time_is_followed_through_renames_and_self_joins(spark):
    stream = MemoryStream(spark, "kind STRING, id INT, t TIMESTAMP, v STRING")
    events = stream.to_df().withWatermark("t", "10 seconds")
    left = events.selectExpr("id AS lid", "t AS lt", "v")
    right = events.where("kind = 'r'")
    spec = analyse(left.join(right, F.expr("lid = id AND t <= lt + interval 5 seconds"), "left")._plan)
    assert spec.left_wm.name == "lt" and spec.right_wm.name == "t"
    assert spec.value_watermark("l", 10_000) == 4_999
    assert analyse(left.join(right, F.expr("lid = id"))._plan).left_wm.name == "lt"


# -- running -----------------------------------------------------------------------------------------

def test_inner_join_with_conditions_on_one_side_and_on_both(spark):
    stream, left, right = _sides(spark)
    cond = F.expr("lid = rid AND lv != 'skip' AND rt > lt")
    joined = left.join(right, cond).select("lid", "lv", "rv")
    batches, progress = _collect(joined, stream, [
        ("l", 1, _t(5), "a"), ("l", 1, _t(6), "skip"), ("r", 1, _t(4), "early"),
    ], [
        ("r", 1, _t(9), "late"), ("l", 2, _t(1), "b"),
    ], [
        ("r", 2, _t(2), "c"),
    ])
    # (a memory stream may run an empty batch 0 at start, before or after the first rows)
    assert [rows for _, rows in batches if rows] == [[(1, "a", "late")], [(2, "b", "c")]]
    op = progress[-1]["stateOperators"][0]
    assert op["operatorName"] == "symmetricHashJoin"
    assert op["numStateStoreInstances"] == 8  # 4 stores per partition, as Spark counts them
    # the 'skip' row failed its side's condition, so it was never buffered
    assert op["numRowsTotal"] == 5


def test_state_is_one_parquet_frame_per_version(spark, tmp_path):
    import polars as pl

    stream, left, right = _sides(spark)
    q = (left.join(right, F.expr("lid = rid")).writeStream.format("noop")
         .option("checkpointLocation", str(tmp_path)).start())
    stream.add_data([("l", 1, _t(5), "a"), ("r", 2, _t(6), "b")])
    q.processAllAvailable()
    q.stop()
    versions = sorted((tmp_path / "state" / "0" / "0").glob("*.snapshot"), key=lambda p: int(p.stem))
    state = pl.read_parquet(versions[-1])
    assert state.columns == ["l0", "l1", "l2", "r0", "r1", "r2", "__side", "__m", "__wm"]
    assert state.get_column("__side").to_list() == [0, 1, -1]


def test_a_stateful_operator_with_the_join_is_refused(spark):
    stream, left, right = _sides(spark, "10 seconds", "10 seconds")
    joined = left.join(right, F.expr("lid = rid AND rt <= lt + interval 5 seconds"))
    with pytest.raises(PySparkNotImplementedError, match="single stateful operator.*aggregate"):
        joined.groupBy("lid").count().writeStream.outputMode("update").format("noop").start()
    with pytest.raises(PySparkNotImplementedError, match="another stream-stream join"):
        joined.join(right.selectExpr("rid AS x"), F.expr("x = lid")).writeStream.format("noop").start()
    assert spark.streams.active == []
