"""Watermarks: late rows dropped, closed windows evicted and emitted, no-data batches, progress.

The expected batches and progress figures were captured from PySpark 4.3.0 running the same query
(local[2], 2 shuffle partitions, UTC) on the same four files.
"""

from __future__ import annotations

import datetime
import os

import pytest

from ember.sql import functions as F

FILES = [["2024-01-01 00:00:01,a", "2024-01-01 00:00:03,b"],
         ["2024-01-01 00:00:12,a"],
         ["2024-01-01 00:00:02,a", "2024-01-01 00:00:25,c"],
         ["2024-01-01 00:00:14,b", "2024-01-01 00:00:40,a"]]


def _t(s: int) -> datetime.datetime:
    return datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=s)


def _w(s: int) -> tuple:
    return (_t(s), _t(s + 10))


def _run(spark, tmp_path, mode, build):
    src = tmp_path / "in"
    src.mkdir()
    stage = tmp_path / "stage"
    stage.mkdir()
    df = spark.readStream.schema("time TIMESTAMP, word STRING").csv(str(src))
    df = df.withWatermark("time", "10 seconds")
    log, progress = [], []

    def record(bdf, bid):
        log.append((bid, sorted((tuple(r[0]) if isinstance(r[0], tuple) else r[0],) + tuple(r[1:])
                                for r in bdf.collect())))

    q = (build(df).writeStream.outputMode(mode).foreachBatch(record)
         .option("checkpointLocation", str(tmp_path / "chk")).start())
    for i, lines in enumerate(FILES):
        (stage / f"f{i}.csv").write_text("".join(x + "\n" for x in lines))
        os.replace(stage / f"f{i}.csv", src / f"f{i}.csv")
        q.processAllAvailable()
        progress.append(q.lastProgress)
    q.stop()
    return log, progress


def _windowed(df):
    return df.groupBy(F.window("time", "10 seconds"), "word").count()


def test_append_emits_a_window_once_the_watermark_passes_its_end(spark, tmp_path):
    log, progress = _run(spark, tmp_path, "append", _windowed)
    assert log == [(0, []), (1, []), (2, []), (3, []), (4, []),
                   (5, [(_w(0), "a", 2), (_w(0), "b", 1)]), (6, []),
                   (7, [(_w(10), "a", 1), (_w(10), "b", 1), (_w(20), "c", 1)])]
    # each processAllAvailable ends with the no-data batch that moved the watermark
    assert [p["batchId"] for p in progress] == [1, 3, 5, 7]
    assert [p["eventTime"] for p in progress] == [
        {"watermark": "2023-12-31T23:59:53.000Z"}, {"watermark": "2024-01-01T00:00:02.000Z"},
        {"watermark": "2024-01-01T00:00:15.000Z"}, {"watermark": "2024-01-01T00:00:30.000Z"}]
    state = [(p["stateOperators"][0]["numRowsTotal"], p["stateOperators"][0]["numRowsRemoved"])
             for p in progress]
    assert state == [(2, 0), (3, 0), (2, 2), (1, 3)]


def test_update_emits_changed_rows_and_evicts_closed_windows(spark, tmp_path):
    log, _ = _run(spark, tmp_path, "update", _windowed)
    assert log == [(0, [(_w(0), "a", 1), (_w(0), "b", 1)]), (1, []),
                   (2, [(_w(10), "a", 1)]), (3, []),
                   (4, [(_w(0), "a", 2), (_w(20), "c", 1)]), (5, []),
                   (6, [(_w(10), "b", 1), (_w(40), "a", 1)]), (7, [])]


def test_complete_keeps_every_window(spark, tmp_path):
    log, progress = _run(spark, tmp_path, "complete", _windowed)
    assert [b for b, _ in log] == [0, 1, 2, 3]  # no no-data batches: nothing to evict
    assert log[-1][1] == [(_w(0), "a", 2), (_w(0), "b", 1), (_w(10), "a", 1), (_w(10), "b", 1),
                          (_w(20), "c", 1), (_w(40), "a", 1)]
    assert progress[-1]["eventTime"] == {
        "avg": "2024-01-01T00:00:27.000Z", "max": "2024-01-01T00:00:40.000Z",
        "min": "2024-01-01T00:00:14.000Z", "watermark": "2024-01-01T00:00:15.000Z"}


def test_drop_duplicates_with_event_time_key_evicts_state(spark, tmp_path):
    log, progress = _run(spark, tmp_path, "append", lambda df: df.dropDuplicates(["word", "time"]))
    assert log == [(0, [(_t(1), "a"), (_t(3), "b")]), (1, []), (2, [(_t(12), "a")]), (3, []),
                   (4, [(_t(25), "c")]), (5, []), (6, [(_t(40), "a")]), (7, [])]
    assert [(p["stateOperators"][0]["operatorName"], p["stateOperators"][0]["numRowsTotal"])
            for p in progress] == [("dedupe", 2), ("dedupe", 2), ("dedupe", 1), ("dedupe", 1)]


def test_late_rows_are_dropped_and_counted(spark, tmp_path):
    from ember.sql.streaming.memory import MemoryStream

    stream = MemoryStream(spark, "time TIMESTAMP, word STRING")
    df = stream.to_df().withWatermark("time", "5 seconds")
    got = []
    q = (_windowed(df).writeStream.outputMode("update")
         .foreachBatch(lambda b, i: got.append(sorted((tuple(r[0]), r[1], r[2]) for r in b.collect())))
         .start())
    stream.add_data((_t(30), "x"))
    q.processAllAvailable()  # watermark now 00:25
    stream.add_data((_t(12), "late"), (_t(31), "x"))
    q.processAllAvailable()
    q.stop()
    assert got[-2:] == [[(_w(30), "x", 2)], []]
    dropped = [p["stateOperators"][0]["numRowsDroppedByWatermark"] for p in q.recentProgress]
    assert sum(dropped) == 1


@pytest.mark.parametrize("mode", ["append", "update"])
def test_state_stays_bounded_with_a_watermark(spark, mode):
    from ember.sql.streaming.memory import MemoryStream

    stream = MemoryStream(spark, "time TIMESTAMP, word STRING")
    df = stream.to_df().withWatermark("time", "10 seconds")
    q = _windowed(df).writeStream.outputMode(mode).format("noop").start()
    sizes = []
    for minute in range(30):
        stream.add_data(*[(_t(minute * 60 + s), f"w{s % 7}") for s in range(0, 60, 3)])
        q.processAllAvailable()
        sizes.append(q._runner.exec.store.rows())
    q.stop()
    assert max(sizes[5:]) <= 7 * 3  # the open windows only, never the whole history
