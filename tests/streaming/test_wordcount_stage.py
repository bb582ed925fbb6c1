"""The word count's merged map stage over received blocks, and blocks the receiver keeps on disk.

``flatMap(split).map((w, 1)).reduceByKey(add, n)`` over a BlockRDD runs as tasks that bucket their
counts by reduce partition and a driver-side merge (``ember.streaming.sources.wordcount``): every
reduce partition must hold what the general path gives, in the same order, for any number of reduce
partitions, inline and on the worker pool. Blocks beyond the first MiB of a batch wait in a spill file
(``ember.streaming.sources.spill``) and must read back byte for byte, wherever they are read.
"""

from __future__ import annotations

import gc
import logging
import os
import random
from itertools import chain
from operator import add

import pytest

from ember.streaming.sources import socket as socket_mod
from ember.streaming.sources import spill as spill_mod
from ember.streaming.sources.blocks import BlockRDD, WordCountRDD, lines_in, lines_of
from ember.streaming.sources.socket import LineBuffer
from ember.streaming.sources.wordcount import BucketCounts, merge_buckets, task_runs

WORDS = ["a", "bb", "ccc", "é", "", "\x85", "Ünï", "x\ty"]


def _lines(rng: random.Random, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS) + str(rng.randint(0, 3000)) * rng.randint(0, 1)
                     for _ in range(rng.randint(0, 7))) for _ in range(n)]


def _blocks(rng: random.Random, lines: list[str]) -> tuple[list, list[int]]:
    blocks, counts, i = [], [], 0
    while i < len(lines):
        k = rng.randint(1, 2000)
        part = lines[i:i + k]
        block = part if rng.random() < 0.1 else "\n".join(part).encode()  # some came from the log
        blocks.append(block)
        counts.append(lines_in(block))
        i += k
    return blocks, counts


def _split_lines(rdd, sep):
    """``flatMap`` of a line split as ``DStream.flatMap`` marks it (the word count fuses with it)."""
    f = (lambda line: line.split(" ")) if sep == " " else (lambda line: line.split())

    def func(_, it):
        return chain.from_iterable(map(f, it))

    func.flat_map_of = f
    return rdd.mapPartitionsWithIndex(func)


@pytest.mark.parametrize("n_lines", [3_000, 150_000])  # inline in the driver; on the worker pool
def test_merged_stage_gives_the_general_paths_partitions(sc, monkeypatch, n_lines):
    stages = []
    original = WordCountRDD.merged_count_stage
    monkeypatch.setattr(WordCountRDD, "merged_count_stage",
                        lambda self, p: stages.append(p.numPartitions) or original(self, p))
    rng = random.Random(n_lines)
    lines = _lines(rng, n_lines)
    blocks, counts = _blocks(rng, lines)
    for sep, n in ((" ", 2), (" ", 3), (None, 1)):
        words = _split_lines(BlockRDD(sc, blocks, counts, 2), sep)
        fused = words.map(lambda w: (w, 1)).reduceByKey(add, n)
        general = BlockRDD(sc, blocks, counts, 2).flatMap(lambda ln, s=sep: ln.split(s)) \
            .map(lambda w: (w, 1)).reduceByKey(lambda a, b: b + a, n)  # not the idiom's add
        want = general.glom().collect()
        assert fused.glom().collect() == want
        assert fused.take(11) == [kv for part in want for kv in part][:11]
    assert stages == [2, 3, 1]  # each fused count built its merged stage


def test_tasks_are_runs_of_consecutive_blocks():
    parts = [[b"a" * 10, b"b" * 10, b"c" * 30], [b"d" * 10, b"e" * 40]]
    runs = task_runs(parts, 2, None)
    assert [b for r in runs for b in r] == [b for p in parts for b in p] and len(runs) == 2
    runs = task_runs(parts, 1, 25)
    assert [b for r in runs for b in r] == [b for p in parts for b in p] and len(runs) >= 4


def _pairs(counts: dict) -> tuple[list, list]:
    """A task's count as the tasks hand it on: the words in first-seen order, their counts."""
    return list(counts), list(counts.values())


def test_buckets_merge_in_task_order_with_sums():
    bucket = BucketCounts(1, driver=os.getpid())
    first = bucket(0, iter([_pairs({"b": 2, "a": 1, "": 4})]))
    second = bucket(1, iter([_pairs({"c": 5, "a": 3})]))
    assert merge_buckets([first, second], 1) == [[("b", 2), ("a", 4), ("", 4), ("c", 5)]]
    # a word holding a line end (never from a socket) travels as a list, not joined
    odd = bucket(0, iter([_pairs({"x\ny": 1, "z": 2})]))
    assert type(odd[0][0]) is list and merge_buckets([odd], 1) == [[("x\ny", 1), ("z", 2)]]
    assert merge_buckets([[None]], 1) == [None]


def test_buffer_spills_past_its_first_mib_and_reads_back(sc, monkeypatch):
    if not spill_mod.CAN_SPILL:
        pytest.skip("no /proc: blocks stay in memory")
    monkeypatch.setattr(socket_mod, "SPILL_AFTER", 1000)
    rng = random.Random(3)
    lines = _lines(rng, 120_000)
    buf = LineBuffer(1 << 30)
    i = 0
    while i < len(lines):
        k = rng.randint(1, 1500)
        data = "\n".join(lines[i:i + k]).encode()
        buf.put(data, k, len(data))
        i += k
    blocks, counts = buf.take()
    kinds = {type(b).__name__ for b in blocks}
    assert kinds == {"bytes", "FileBlock"}
    assert lines_of(blocks) == lines
    for n in (1, 2, 3):
        assert BlockRDD(sc, blocks, counts, n).collect() == lines  # inline and on the pool, cut blocks
        assert BlockRDD(sc, blocks, counts, n).glom().map(len).sum() == len(lines)
    fused = _split_lines(BlockRDD(sc, blocks, counts, 2), " ").map(lambda w: (w, 1)).reduceByKey(add, 2)
    general = BlockRDD(sc, blocks, counts, 2).flatMap(lambda ln: ln.split(" ")) \
        .map(lambda w: (w, 1)).reduceByKey(lambda a, b: b + a, 2)
    assert fused.glom().collect() == general.glom().collect()
    # the file goes with the last block that refers to it
    path = next(b for b in blocks if type(b).__name__ == "FileBlock").path
    assert os.path.exists(path)
    del blocks, fused, general
    gc.collect()
    assert not os.path.exists(path)


def test_merge_of_any_number_of_tasks_is_the_combine_in_task_order():
    rng = random.Random(11)
    bucket = BucketCounts(1, driver=os.getpid())
    for _ in range(300):
        tasks = [{w: rng.randint(1, 9) for w in rng.sample("abcdefghij", rng.randint(1, 6))}
                 for _ in range(rng.randint(1, 5))]
        want: dict = {}
        for t in tasks:
            for w, c in t.items():
                want[w] = want.get(w, 0) + c
        outputs = [bucket(i, iter([_pairs(t)])) for i, t in enumerate(tasks)]
        assert merge_buckets(outputs, 1) == [list(want.items())], tasks


def test_a_spill_that_cannot_be_written_keeps_the_batch_in_memory(monkeypatch, caplog):
    if not spill_mod.CAN_SPILL:
        pytest.skip("no /proc: blocks stay in memory")
    monkeypatch.setattr(socket_mod, "SPILL_AFTER", 10)

    def full_disk(self, block):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(spill_mod.SpillWriter, "append", full_disk)
    # an earlier test's sc.setLogLevel("ERROR") may have left ember's logger above warnings
    caplog.set_level(logging.WARNING, logger="ember.streaming")
    buf = LineBuffer(1 << 20)
    for i in range(5):
        buf.put(f"line {i}\nmore {i}".encode(), 2, 14)
    blocks, _ = buf.take()
    assert all(type(b) is bytes for b in blocks)
    assert lines_of(blocks) == [x for i in range(5) for x in (f"line {i}", f"more {i}")]
    assert [r.getMessage() for r in caplog.records] == [
        "socketTextStream: cannot write received blocks to disk (No space left on device); keeping them in "
        "memory"]


@pytest.mark.parametrize(("window", "open_files", "spills"), [
    (None, 128, True), (20, 128, True), (40, 128, False), (40, 1024, True), (40, None, True)])
def test_a_long_memory_keeps_its_batches_in_memory(sc, monkeypatch, window, open_files, spills):
    """A remembered batch keeps its spill file open: more of them than a quarter of the open files
    allow stay in memory (a 30 s window remembers 40; the limit is 1024 or more almost everywhere)."""
    import resource

    from ember.streaming import StreamingContext
    from ember.streaming.sources import socket as socket_mod
    from ember.testing import BatchDriver, LoopbackServer

    if open_files is not None:
        monkeypatch.setattr(resource, "getrlimit", lambda which: (open_files, open_files))
        assert socket_mod.spilled_batches() == {128: 32, 1024: 256}[open_files]

    server = LoopbackServer()
    try:
        ssc = StreamingContext(sc, 1)
        lines = ssc.socketTextStream("127.0.0.1", server.port)
        (lines if window is None else lines.window(window, 1)).foreachRDD(lambda rdd: None)
        BatchDriver(ssc)
        ssc.start()
        try:
            assert lines.buffer.spill_ok is (spills and spill_mod.CAN_SPILL)  # an open file per batch kept
            # the remembered batches share 4 MiB in memory (1 MiB each for a short memory)
            assert (lines.buffer.remembered, lines.buffer._memory_room()) == {
                None: (1, 1048576), 20: (21, 199728), 40: (41, 102300)}[window]
        finally:
            ssc.stop(stopSparkContext=False)
    finally:
        server.close()
