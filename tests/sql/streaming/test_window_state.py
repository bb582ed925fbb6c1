"""A windowed streaming aggregate keeps one state frame per window and slices big batches.

The state of ``groupBy(window(...), ...)`` lives as one frame per window start: a batch merges into
the windows it touches only. A batch of more than ``SLICE_ROWS`` rows is aggregated slice by slice.
Neither may change a table: the output equals the batch engine's over the same rows, and ember's own
row order (windows and keys in first-seen order) is the same with and without slicing. A restart
rebuilds the windows from the checkpoint's single snapshot.
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest

from ember.sql import functions as F
from ember.sql.streaming.memory import MemoryStream
from ember.sql.streaming.operators import aggregate, partials

SCHEMA = "t TIMESTAMP, line STRING"
BATCHES = [
    [(datetime(2026, 1, 1, 0, 0, s), f"w{s % 5} x{s % 3} w{s % 2}") for s in range(0, 9)],
    [(datetime(2026, 1, 1, 0, 0, 4), "late w1"), (None, "no time"),
     (datetime(2026, 1, 1, 0, 0, 12), "w1 y")],
    [(datetime(2026, 1, 1, 0, 0, s), f"x{s % 4} w{s % 3}") for s in range(10, 31, 2)],
]


def _query(df, length="10 seconds", slide="5 seconds"):
    words = df.select(F.explode(F.split(df.line, " ")).alias("word"), df.t)
    return words.groupBy(F.window(words.t, length, slide), words.word).count()


def _tables(spark, mode="complete", **kw) -> list[list[tuple]]:
    stream = MemoryStream(spark, SCHEMA)
    log: list = []
    q = _query(stream.to_df(), **kw).writeStream.outputMode(mode).foreachBatch(
        lambda b, i: log.append([(tuple(r[0]), r[1], r[2]) for r in b.collect()])).start()
    for rows in BATCHES:
        stream.add_data(*rows)
        q.processAllAvailable()
    q.stop()
    return log[-len(BATCHES):]  # without the empty batch a memory stream may start with


def _expected(spark, rows, **kw) -> list[tuple]:
    df = spark.createDataFrame(rows, SCHEMA)
    return sorted((tuple(r[0]), r[1], r[2]) for r in _query(df, **kw).collect())


@pytest.mark.parametrize("length,slide", [("10 seconds", "5 seconds"), ("10 seconds", "10 seconds"),
                                          ("9 seconds", "6 seconds")])
def test_complete_output_equals_the_batch_engine(spark, length, slide):
    log = _tables(spark, length=length, slide=slide)
    seen: list = []
    for rows, table in zip(BATCHES, log):
        seen += rows
        assert sorted(table) == _expected(spark, seen, length=length, slide=slide)


@pytest.mark.parametrize("length,slide", [("10 seconds", "5 seconds"), ("10 seconds", "10 seconds"),
                                          ("9 seconds", "6 seconds")])
def test_slicing_a_big_batch_changes_nothing_not_even_the_order(spark, monkeypatch, length, slide):
    whole = _tables(spark, length=length, slide=slide)
    monkeypatch.setattr(partials, "SLICE_ROWS", 2)
    calls: list = []
    real = aggregate.Aggregation._sliced_partial

    def spy(self, bindings, **kw):
        out = real(self, bindings, **kw)
        calls.append(out is not None)
        return out

    monkeypatch.setattr(aggregate.Aggregation, "_sliced_partial", spy)
    slices: list = []
    fast = aggregate.Aggregation._fast_partial

    def count_slices(self, bindings, engine, structs=True):  # each slice's partials on their own
        slices.append(structs)
        return fast(self, bindings, engine, structs)

    monkeypatch.setattr(aggregate.Aggregation, "_fast_partial", count_slices)
    sliced = _tables(spark, length=length, slide=slide)
    assert sliced == whole
    assert calls.count(True) == len(BATCHES)
    assert len(slices) > 2 * len(BATCHES)
    assert len(whole[-1]) > 20


def test_update_mode_emits_the_touched_rows_of_touched_windows(spark):
    log = _tables(spark, mode="update")
    seen: list = []
    for rows, table in zip(BATCHES, log):
        seen += rows
        touched = {(w, word) for w, word, _ in _expected(spark, rows)}
        assert sorted(table) == [r for r in _expected(spark, seen) if r[:2] in touched]
    assert 0 < len(log[1]) < len(_expected(spark, BATCHES[0] + BATCHES[1]))


def test_restart_rebuilds_the_windows_from_the_checkpoint(spark, tmp_path):
    src, stage, chk = tmp_path / "in", tmp_path / "stage", tmp_path / "chk"
    src.mkdir()
    stage.mkdir()
    log: list = []

    def start():
        df = spark.readStream.schema(SCHEMA).option("sep", ";").csv(str(src))
        return (_query(df).writeStream.outputMode("complete")
                .foreachBatch(lambda b, i: log.append(sorted((tuple(r[0]), r[1], r[2]) for r in b.collect())))
                .option("checkpointLocation", str(chk)).start())

    def add(i, rows):
        text = "".join(f"{'' if t is None else t.isoformat(' ')};{line}\n" for t, line in rows)
        (stage / f"f{i}.csv").write_text(text)
        os.replace(stage / f"f{i}.csv", src / f"f{i}.csv")

    q = start()
    add(0, BATCHES[0])
    q.processAllAvailable()
    q.stop()
    q = start()
    add(1, BATCHES[1])
    add(2, BATCHES[2])
    q.processAllAvailable()
    q.stop()
    assert log[-1] == _expected(spark, BATCHES[0] + BATCHES[1] + BATCHES[2])


ONE_BUCKET = [
    [(datetime(2026, 1, 1, 0, 0, 5), "a b a"), (None, "a n"), (datetime(2026, 1, 1, 0, 0, 9), "b c")],
    [(datetime(2026, 1, 1, 0, 0, 11), "c a"), (datetime(2026, 1, 1, 0, 0, 14), "d")],
    [(datetime(2026, 1, 1, 0, 0, 14), "a"), (datetime(2026, 1, 1, 0, 0, 16), "e b")],
]


@pytest.mark.parametrize("renamed", [False, True])
def test_a_batch_inside_one_bucket_is_grouped_by_the_other_keys_from_its_source_times(spark, monkeypatch,
                                                                                      renamed):
    # the batch's buckets are read off the source's times (a line's, before the explode), through
    # a projection that renames the column; a batch in one bucket groups by the word alone
    spans: list = []
    real = aggregate.Aggregation._bucket_span

    def spy(self, bindings):
        spans.append(real(self, bindings))
        return spans[-1]

    monkeypatch.setattr(aggregate.Aggregation, "_bucket_span", spy)
    monkeypatch.setattr(partials, "SPAN_MIN_ROWS", 0)  # these batches are small
    stream = MemoryStream(spark, SCHEMA)
    df = stream.to_df()
    if renamed:
        df = df.select(df.t.alias("when"), "line").select(F.col("when").alias("t"), "line")
    log: list = []
    q = _query(df).writeStream.outputMode("complete").foreachBatch(
        lambda b, i: log.append([(tuple(r[0]), r[1], r[2]) for r in b.collect()])).start()
    for rows in ONE_BUCKET:
        stream.add_data(*rows)
        q.processAllAvailable()
    q.stop()
    seen: list = []
    for rows, table in zip(ONE_BUCKET, log[-len(ONE_BUCKET):]):
        seen += rows
        assert sorted(table) == _expected(spark, seen)
    us = 1_767_225_600_000_000  # 2026-01-01 00:00:00 UTC
    found = [s for s in spans if s is not None and s[0] is not None]  # not the empty first batch
    assert found == [(us + 5_000_000, us + 5_000_000, True), (us + 10_000_000, us + 10_000_000, False),
                     (us + 10_000_000, us + 15_000_000, False)]
