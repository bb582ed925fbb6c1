"""Joins between two streams on both engines: impressions joined with clicks, Spark's own example.

Each side is a file source fed one whole CSV file at a time (see :class:`Feed`), and every step is
followed by ``processAllAvailable()``, so batches hold exactly the files added since the last step
(files added to both sides in one step land in one batch). A watermark that moves makes Spark run a
batch without data, where the state is evicted and outer rows are emitted: those batches are part of
the expected output. Rows are compared per batch as sorted tuples. Expected values were captured from
PySpark 4.3.0 (local[2], 2 shuffle partitions, session time zone UTC).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from test_structured_support import BatchLog, Feed, head

pytestmark = pytest.mark.usefixtures("stop_streams")

RANGE = "clkAdId = impAdId AND clkTime >= impTime AND clkTime <= impTime + interval 10 seconds"


def _t(second: int) -> datetime:
    return datetime(2026, 1, 1, 0, second // 60, second % 60)


def _ts(second: int) -> str:
    return _t(second).strftime("%Y-%m-%d %H:%M:%S")


class Ads:
    """Impressions (adId, time, note) and clicks (adId, time), two streams read from one directory.

    Both come from one file source so that the rows a step adds to either side arrive in the same
    micro-batch (two sources could see two files in different batches).
    """

    def __init__(self, spark, root, imp_delay: str | None = None, clk_delay: str | None = None) -> None:
        self.feed = Feed(root, "events", ".csv")
        events = spark.readStream.schema("kind STRING, adId INT, time TIMESTAMP, note STRING").csv(
            self.feed.path)
        self.imp = events.where("kind = 'i'").selectExpr("adId AS impAdId", "time AS impTime",
                                                          "note AS impNote")
        self.clk = events.where("kind = 'c'").selectExpr("adId AS clkAdId", "time AS clkTime")
        if imp_delay:
            self.imp = self.imp.withWatermark("impTime", imp_delay)
        if clk_delay:
            self.clk = self.clk.withWatermark("clkTime", clk_delay)
        self.checkpoint = str(root / "chk")

    def add(self, imps=(), clks=()) -> None:
        self.feed.add(*(f"i,{a},{_ts(s)},{n}" for a, s, n in imps), *(f"c,{a},{_ts(s)}," for a, s in clks))

    def start(self, df, log, mode: str = "append"):
        return (df.writeStream.outputMode(mode).foreachBatch(log)
                .option("checkpointLocation", self.checkpoint).start())


def _run(ads, df, steps, mode="append"):
    log = BatchLog()
    q = ads.start(df, log, mode)
    for imps, clks in steps:
        ads.add(imps, clks)
        q.processAllAvailable()
    progress = [(p["batchId"], p["eventTime"].get("watermark"),
                 {k: p["stateOperators"][0][k] for k in ("numRowsTotal", "numRowsUpdated", "numRowsRemoved",
                                                          "numRowsDroppedByWatermark")})
                for p in q.recentProgress]
    q.stop()
    return log.batches, progress


# -- inner joins ---------------------------------------------------------------------------------------

def test_inner_join_without_watermark_keeps_every_row(F, spark, tmp_path):
    ads = Ads(spark, tmp_path)
    joined = ads.imp.join(ads.clk, F.expr("clkAdId = impAdId"))
    assert joined.isStreaming
    batches, progress = _run(ads, joined, [
        ([(1, 0, "a"), (2, 5, "b")], [(1, 3)]),
        ([], [(2, 10), (3, 11), (1, 12)]),
        ([(3, 20, "c"), (1, 21, "d")], []),
    ])
    assert batches == [
        (0, [(1, _t(0), "a", 1, _t(3))]),
        (1, [(1, _t(0), "a", 1, _t(12)), (2, _t(5), "b", 2, _t(10))]),
        (2, [(1, _t(21), "d", 1, _t(3)), (1, _t(21), "d", 1, _t(12)), (3, _t(20), "c", 3, _t(11))]),
    ]
    assert [p[2] for p in progress] == [
        {"numRowsTotal": 3, "numRowsUpdated": 3, "numRowsRemoved": 0, "numRowsDroppedByWatermark": 0},
        {"numRowsTotal": 6, "numRowsUpdated": 3, "numRowsRemoved": 0, "numRowsDroppedByWatermark": 0},
        {"numRowsTotal": 8, "numRowsUpdated": 2, "numRowsRemoved": 0, "numRowsDroppedByWatermark": 0},
    ]


def test_inner_join_using_names_with_filters_and_select_around_it(F, spark, tmp_path):
    ads = Ads(spark, tmp_path)
    imp = ads.imp.where(F.col("impNote") != "skip").withColumnRenamed("impAdId", "adId")
    clk = ads.clk.withColumnRenamed("clkAdId", "adId")
    joined = imp.join(clk, "adId").select("adId", F.upper("impNote").alias("note"), "clkTime")
    joined = joined.where(F.col("clkTime") > F.col("adId").cast("timestamp"))
    assert joined.columns == ["adId", "note", "clkTime"]
    batches, _ = _run(ads, joined, [
        ([(1, 0, "a"), (2, 5, "skip"), (3, 6, "c")], [(2, 7)]),
        ([], [(1, 8), (3, 9), (2, 10)]),
    ])
    assert batches == [(0, []), (1, [(1, "A", _t(8)), (3, "C", _t(9))])]


def test_update_mode_runs_like_append(F, spark, tmp_path):
    ads = Ads(spark, tmp_path)
    batches, _ = _run(ads, ads.imp.join(ads.clk, F.expr("clkAdId = impAdId")), [
        ([(1, 0, "a")], [(1, 3)]),
        ([], [(1, 4)]),
    ], mode="update")
    assert batches == [(0, [(1, _t(0), "a", 1, _t(3))]), (1, [(1, _t(0), "a", 1, _t(4))])]


# -- outer joins: rows with nulls once the watermark rules out a match --------------------------------

LEFT_OUTER_STEPS = [
    ([(1, 0, "a"), (2, 5, "b"), (3, 6, "c")], [(1, 3)]),
    ([], [(2, 14), (3, 30)]),
    ([(4, 40, "d")], []),
    ([], [(4, 59)]),
    ([(5, 59, "e")], [(5, 2), (4, 45)]),
]

LEFT_OUTER_BATCHES = [
    (0, [(1, _t(0), "a", 1, _t(3))]),
    (1, []),
    (2, [(2, _t(5), "b", 2, _t(14))]),
    (3, []),
    (4, []),
    (5, []),
    (6, []),
    (7, [(3, _t(6), "c", None, None)]),
    (8, [(4, _t(40), "d", 4, _t(45))]),
    (9, []),
]


def test_left_outer_join_emits_unmatched_rows_when_the_watermark_passes(F, spark, tmp_path):
    ads = Ads(spark, tmp_path, "10 seconds", "20 seconds")
    joined = ads.imp.join(ads.clk, F.expr(RANGE), "leftOuter")
    batches, progress = _run(ads, joined, LEFT_OUTER_STEPS)
    assert batches == LEFT_OUTER_BATCHES
    assert progress == [
        (0, "1970-01-01T00:00:00.000Z", {"numRowsTotal": 4, "numRowsUpdated": 4, "numRowsRemoved": 0,
                                         "numRowsDroppedByWatermark": 0}),
        (1, "2025-12-31T23:59:43.000Z", {"numRowsTotal": 4, "numRowsUpdated": 0, "numRowsRemoved": 0,
                                         "numRowsDroppedByWatermark": 0}),
        (2, "2025-12-31T23:59:43.000Z", {"numRowsTotal": 6, "numRowsUpdated": 2, "numRowsRemoved": 0,
                                         "numRowsDroppedByWatermark": 0}),
        (3, "2025-12-31T23:59:56.000Z", {"numRowsTotal": 6, "numRowsUpdated": 0, "numRowsRemoved": 0,
                                         "numRowsDroppedByWatermark": 0}),
        (4, "2025-12-31T23:59:56.000Z", {"numRowsTotal": 7, "numRowsUpdated": 1, "numRowsRemoved": 0,
                                         "numRowsDroppedByWatermark": 0}),
        (5, "2026-01-01T00:00:10.000Z", {"numRowsTotal": 6, "numRowsUpdated": 0, "numRowsRemoved": 1,
                                         "numRowsDroppedByWatermark": 0}),
        (6, "2026-01-01T00:00:10.000Z", {"numRowsTotal": 7, "numRowsUpdated": 1, "numRowsRemoved": 0,
                                         "numRowsDroppedByWatermark": 0}),
        (7, "2026-01-01T00:00:30.000Z", {"numRowsTotal": 3, "numRowsUpdated": 0, "numRowsRemoved": 4,
                                         "numRowsDroppedByWatermark": 0}),
        (8, "2026-01-01T00:00:30.000Z", {"numRowsTotal": 5, "numRowsUpdated": 2, "numRowsRemoved": 0,
                                         "numRowsDroppedByWatermark": 1}),
        (9, "2026-01-01T00:00:39.000Z", {"numRowsTotal": 4, "numRowsUpdated": 0, "numRowsRemoved": 1,
                                         "numRowsDroppedByWatermark": 0}),
    ]


def test_left_outer_join_restarts_from_its_checkpoint(F, spark, tmp_path):
    ads = Ads(spark, tmp_path, "10 seconds", "20 seconds")
    joined = ads.imp.join(ads.clk, F.expr(RANGE), "leftOuter")
    first, _ = _run(ads, joined, LEFT_OUTER_STEPS[:2])
    # a new query on the same checkpoint: both sides' buffered rows come back from the state
    second, progress = _run(ads, joined, LEFT_OUTER_STEPS[2:])
    assert (first + second, [p[:2] for p in progress]) == RESTART_RESULT


RESTART_RESULT = (
    [
        (0, [(1, _t(0), "a", 1, _t(3))]),
        (1, []),
        (2, [(2, _t(5), "b", 2, _t(14))]),
        (3, []),
        # restarted: a withWatermark that has seen no data since counts as 0 and holds the watermark
        (4, []),
        (5, []),
        (6, [(3, _t(6), "c", None, None)]),
        (7, [(4, _t(40), "d", 4, _t(45))]),
        (8, []),
    ],
    [(4, "2025-12-31T23:59:56.000Z"), (5, "2025-12-31T23:59:56.000Z"), (6, "2026-01-01T00:00:30.000Z"),
     (7, "2026-01-01T00:00:30.000Z"), (8, "2026-01-01T00:00:39.000Z")],
)


def test_right_outer_join(F, spark, tmp_path):
    ads = Ads(spark, tmp_path, "10 seconds", "20 seconds")
    joined = ads.imp.join(ads.clk, F.expr(RANGE), "rightOuter")
    batches, _ = _run(ads, joined, [
        ([(1, 0, "a")], [(1, 3), (2, 4), (3, 5)]),
        ([(2, 1, "b"), (9, 50, "z")], []),
        ([(8, 59, "y")], []),
    ])
    assert batches == RIGHT_OUTER_BATCHES


RIGHT_OUTER_BATCHES = [
    (0, [(1, _t(0), "a", 1, _t(3))]),
    (1, []),
    (2, [(2, _t(1), "b", 2, _t(4))]),
    (3, []),
]


def test_full_outer_join(F, spark, tmp_path):
    ads = Ads(spark, tmp_path, "10 seconds", "20 seconds")
    joined = ads.imp.join(ads.clk, F.expr(RANGE), "full")
    batches, _ = _run(ads, joined, [
        ([(1, 0, "a"), (2, 5, "b")], [(1, 3), (7, 4)]),
        ([], [(9, 50)]),
        ([(9, 55, "z")], []),
    ])
    assert batches == [
        (0, [(1, _t(0), "a", 1, _t(3))]),
        (1, []),
        (2, []),
        (3, []),
        (4, []),
        (5, [(2, _t(5), "b", None, None), (None, None, None, 7, _t(4))]),
    ]


def test_left_semi_join_emits_each_left_row_once(F, spark, tmp_path):
    ads = Ads(spark, tmp_path, "10 seconds", "20 seconds")
    joined = ads.imp.join(ads.clk, F.expr(RANGE), "left_semi")
    assert joined.columns == ["impAdId", "impTime", "impNote"]
    batches, _ = _run(ads, joined, [
        ([(1, 0, "a"), (2, 5, "b")], [(1, 3), (1, 4)]),
        ([], [(2, 9), (2, 10)]),
        ([], [(9, 50)]),
    ])
    assert batches == [
        (0, [(1, _t(0), "a")]),
        (1, []),
        (2, [(2, _t(5), "b")]),
        (3, []),
        (4, []),
        (5, []),
    ]


def test_left_outer_join_on_a_time_window(F, spark, tmp_path):
    ads = Ads(spark, tmp_path, "10 seconds", "10 seconds")
    imp = ads.imp.select(F.col("impAdId").alias("id"), F.window("impTime", "10 seconds").alias("window"),
                         "impNote")
    clk = ads.clk.select(F.col("clkAdId").alias("id"), F.window("clkTime", "10 seconds").alias("window"))
    joined = imp.join(clk, ["id", "window"], "left")
    batches, _ = _run(ads, joined, [
        ([(1, 1, "a"), (2, 2, "b")], [(1, 5)]),
        ([], [(3, 35)]),
        ([(3, 36, "c")], []),
    ])
    assert batches == WINDOW_BATCHES


WINDOW_BATCHES = [
    (0, [(1, (_t(0), _t(10)), "a")]),
    (1, []),
    (2, []),
    (3, [(3, (_t(30), _t(40)), "c")]),
    (4, [(2, (_t(0), _t(10)), "b")]),
]


def test_watermarks_without_range_only_drop_late_rows(F, spark, tmp_path):
    # an inner join with watermarks but no time bound: state is never evicted, so no batch runs
    # without data; a late row is judged against the watermark of the batch before
    ads = Ads(spark, tmp_path, "5 seconds", "5 seconds")
    joined = ads.imp.join(ads.clk, F.expr("clkAdId = impAdId"))
    batches, progress = _run(ads, joined, [
        ([(1, 10, "a")], [(1, 20)]),
        ([(1, 30, "b")], [(1, 40)]),
        ([(1, 16, "c"), (1, 26, "d")], [(1, 14), (1, 33)]),
    ])
    assert (batches, progress) == LATE_RESULT


LATE_RESULT = (
    [
        (0, [(1, _t(10), "a", 1, _t(20))]),
        (1, [(1, _t(10), "a", 1, _t(40)), (1, _t(30), "b", 1, _t(20)), (1, _t(30), "b", 1, _t(40))]),
        # the watermark is 25 s now, but rows are late only at or below the previous batch's 5 s
        (2, [(1, _t(10), "a", 1, _t(14)), (1, _t(10), "a", 1, _t(33)), (1, _t(16), "c", 1, _t(14)),
             (1, _t(16), "c", 1, _t(20)), (1, _t(16), "c", 1, _t(33)), (1, _t(16), "c", 1, _t(40)),
             (1, _t(26), "d", 1, _t(14)), (1, _t(26), "d", 1, _t(20)), (1, _t(26), "d", 1, _t(33)),
             (1, _t(26), "d", 1, _t(40)), (1, _t(30), "b", 1, _t(14)), (1, _t(30), "b", 1, _t(33))]),
    ],
    [
        (0, "1970-01-01T00:00:00.000Z", {"numRowsTotal": 2, "numRowsUpdated": 2, "numRowsRemoved": 0,
                                         "numRowsDroppedByWatermark": 0}),
        (1, "2026-01-01T00:00:05.000Z", {"numRowsTotal": 4, "numRowsUpdated": 2, "numRowsRemoved": 0,
                                         "numRowsDroppedByWatermark": 0}),
        (2, "2026-01-01T00:00:25.000Z", {"numRowsTotal": 8, "numRowsUpdated": 4, "numRowsRemoved": 0,
                                         "numRowsDroppedByWatermark": 0}),
    ],
)


# -- what Spark refuses ----------------------------------------------------------------------------------

_NO_WATERMARK = ("Stream-stream {} join between two streaming DataFrame/Datasets is not supported without a "
                 "watermark in the join keys, or a watermark on the nullable side and an appropriate range "
                 "condition")


@pytest.mark.parametrize("how, name", [("leftOuter", "LeftOuter"), ("right", "RightOuter"),
                                       ("full", "FullOuter"), ("left_semi", "LeftSemi")])
def test_outer_and_semi_joins_need_a_watermark_and_a_range(F, errors, spark, tmp_path, how, name):
    ads = Ads(spark, tmp_path)
    with pytest.raises(errors.AnalysisException) as e:
        ads.start(ads.imp.join(ads.clk, F.expr("clkAdId = impAdId"), how), BatchLog())
    assert head(e.value) == _NO_WATERMARK.format(name)
    assert spark.streams.active == []


def test_watermarks_without_a_range_condition_are_not_enough(F, errors, spark, tmp_path):
    ads = Ads(spark, tmp_path, "10 seconds", "20 seconds")
    with pytest.raises(errors.AnalysisException) as e:
        ads.start(ads.imp.join(ads.clk, F.expr("clkAdId = impAdId"), "leftOuter"), BatchLog())
    assert head(e.value) == _NO_WATERMARK.format("LeftOuter")


def test_left_anti_join_of_two_streams_is_refused(F, errors, spark, tmp_path):
    ads = Ads(spark, tmp_path, "10 seconds", "20 seconds")
    with pytest.raises(errors.AnalysisException) as e:
        ads.start(ads.imp.join(ads.clk, F.expr(RANGE), "left_anti"), BatchLog())
    assert head(e.value) == "LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported"


def test_complete_mode_is_refused(F, errors, spark, tmp_path):
    ads = Ads(spark, tmp_path)
    with pytest.raises(errors.AnalysisException) as e:
        ads.start(ads.imp.join(ads.clk, F.expr("clkAdId = impAdId")), BatchLog(), "complete")
    assert str(e.value) == (
        "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: complete. This output "
        "mode is not supported for no streaming aggregations on streaming DataFrames/DataSets. "
        "SQLSTATE: 42KDE")


def test_a_join_without_equality_fails_the_query(F, errors, spark, tmp_path):
    ads = Ads(spark, tmp_path)
    q = ads.start(ads.imp.join(ads.clk, F.expr("clkTime > impTime")), BatchLog())
    ads.add([(1, 0, "a")], [(1, 3)])
    with pytest.raises(errors.StreamingQueryException) as e:
        q.processAllAvailable()
    assert "Stream-stream join without equality predicate is not supported.;" in str(e.value)
    assert not q.isActive


# -- more shapes -------------------------------------------------------------------------------------------

def test_left_outer_row_failing_its_own_condition_is_emitted_at_once(F, spark, tmp_path):
    # a condition on the left side alone is checked before buffering: a failing row can never match
    ads = Ads(spark, tmp_path, "10 seconds", "20 seconds")
    joined = ads.imp.join(ads.clk, F.expr(RANGE + " AND impNote != 'x'"), "leftOuter")
    joined = joined.select("impAdId", "impNote", F.coalesce("clkTime", "impTime").alias("t"))
    batches, _ = _run(ads, joined, [
        ([(1, 0, "x"), (2, 1, "b")], [(1, 2), (2, 3)]),
        ([], [(9, 40)]),
    ])
    assert batches == SELF_FILTER_BATCHES


SELF_FILTER_BATCHES = [
    (0, [(1, "x", _t(0)), (2, "b", _t(3))]),
    (1, []),
    (2, []),
    (3, []),
]


def test_full_outer_join_on_id_and_window(F, spark, tmp_path):
    ads = Ads(spark, tmp_path, "10 seconds", "10 seconds")
    imp = ads.imp.select(F.col("impAdId").alias("id"), F.window("impTime", "10 seconds").alias("window"),
                         "impNote")
    clk = ads.clk.select(F.col("clkAdId").alias("id"), F.window("clkTime", "10 seconds").alias("window"))
    joined = imp.join(clk, ["id", "window"], "full")
    assert joined.columns == ["id", "window", "impNote"]
    batches, _ = _run(ads, joined, [
        ([(1, 1, "a"), (2, 2, "b")], [(1, 5), (3, 6)]),
        ([], [(4, 35)]),
        ([(5, 45, "e")], []),
    ])
    assert batches == FULL_WINDOW_BATCHES


FULL_WINDOW_BATCHES = [
    (0, [(1, (_t(0), _t(10)), "a")]),
    (1, []),
    (2, []),
    (3, []),
    # the window key ends at 10 s, the watermark has reached 25 s: both unmatched sides come out
    (4, [(2, (_t(0), _t(10)), "b"), (3, (_t(0), _t(10)), None)]),
]


def test_inner_join_with_a_range_evicts_both_sides(F, spark, tmp_path):
    # one watermark on the shared source, then renamed on each side: the join still finds it
    feed = Feed(tmp_path, "events", ".csv")
    events = spark.readStream.schema("kind STRING, adId INT, time TIMESTAMP, note STRING").csv(feed.path)
    events = events.withWatermark("time", "10 seconds")
    imp = events.where("kind = 'i'").selectExpr("adId AS impAdId", "time AS impTime", "note AS impNote")
    clk = events.where("kind = 'c'").selectExpr("adId AS clkAdId", "time AS clkTime")
    log = BatchLog()
    q = (imp.join(clk, F.expr(RANGE)).writeStream.foreachBatch(log)
         .option("checkpointLocation", str(tmp_path / "chk")).start())
    for lines in (["i,1,2026-01-01 00:00:00,a", "i,2,2026-01-01 00:00:05,b", "c,1,2026-01-01 00:00:04,"],
                  ["c,2,2026-01-01 00:00:12,", "c,1,2026-01-01 00:00:30,"],
                  ["i,3,2026-01-01 00:00:31,c", "c,3,2026-01-01 00:00:33,"]):
        feed.add(*lines)
        q.processAllAvailable()
    progress = [(p["batchId"], p["eventTime"].get("watermark"), p["stateOperators"][0]["numRowsTotal"],
                 p["stateOperators"][0]["numRowsRemoved"]) for p in q.recentProgress]
    q.stop()
    assert (log.batches, progress) == RANGE_INNER_RESULT


RANGE_INNER_RESULT = (
    [
        (0, [(1, _t(0), "a", 1, _t(4))]),
        (1, []),
        (2, [(2, _t(5), "b", 2, _t(12))]),
        (3, []),
        (4, [(3, _t(31), "c", 3, _t(33))]),
        (5, []),
    ],
    # (batch, watermark, rows in state, rows evicted): at 20 s both sides drop what can no longer match
    [(0, "1970-01-01T00:00:00.000Z", 3, 0), (1, "2025-12-31T23:59:55.000Z", 3, 0),
     (2, "2025-12-31T23:59:55.000Z", 5, 0), (3, "2026-01-01T00:00:20.000Z", 1, 4),
     (4, "2026-01-01T00:00:20.000Z", 3, 0), (5, "2026-01-01T00:00:23.000Z", 3, 0)],
)
