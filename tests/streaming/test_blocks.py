"""Received blocks: cut into partitions in order, decoded in the workers; the word-count idiom.

The socket receiver keeps raw byte blocks (``ember.streaming.sources.blocks``); a batch's BlockRDD must
give exactly the lines, in arrival order, inline and on the worker pool. ``map(lambda w: (w, 1))``
followed by a reduce with ``add`` is counted in C (``ember.core.idioms``) and must give what the general
path gives, and anything that only looks like it must take the general path. After a ``flatMap`` of a
line split (one-character separator or ``split()``) over a receiver's blocks the split and the count run
fused on the blocks: the same words, counts and first-seen order, for any bytes.
"""

from __future__ import annotations

import random
from operator import add

import pytest
from streaming_helpers import manual_context

from ember.core import scheduler, split_count
from ember.core.idioms import NOT_A_SPLIT, count_pairs_with_one, is_add, is_pair_with_one, split_separator
from ember.streaming import StreamingContext
from ember.streaming.sources.blocks import (
    BlockRDD,
    WordCountRDD,
    count_words,
    decode,
    lines_in,
    lines_of,
    normalize,
    partition,
)
from ember.streaming.sources.wordcount import COLUMNAR_CONF
from ember.testing import BatchDriver


def _blocks(rng: random.Random, n_lines: int) -> tuple[list, list[int], list[str]]:
    lines = [" ".join(rng.choice(["a", "bb", "ccc", "é", ""]) for _ in range(rng.randint(0, 6)))
             for _ in range(n_lines)]
    blocks, counts, i = [], [], 0
    while i < len(lines):
        k = rng.randint(1, 3000)
        part = lines[i:i + k]
        block = part if rng.random() < 0.2 else "\n".join(part).encode()  # some came from the log
        blocks.append(block)
        counts.append(lines_in(block))
        i += k
    return blocks, counts, lines


def test_partitions_keep_every_line_in_order():
    rng = random.Random(5)
    for n in (1, 2, 3, 7):
        blocks, counts, lines = _blocks(rng, 50_000)
        parts = partition(blocks, counts, n)
        assert len(parts) == n
        assert [ln for p in parts for ln in lines_of(p)] == lines
        sizes = [sum(map(lines_in, p)) for p in parts]
        assert max(sizes) - min(sizes) < 6_000 + 50_000 // n  # roughly even, never a lost block


def test_block_rdd_inline_and_on_the_worker_pool(sc):
    rng = random.Random(6)
    blocks, counts, lines = _blocks(rng, 120_000)  # big enough to go to the workers
    rdd = BlockRDD(sc, blocks, counts, 2)
    assert rdd.collect() == lines
    words = [w for ln in lines for w in ln.split(" ")]
    want = {}
    for w in words:
        want[w] = want.get(w, 0) + 1
    got = BlockRDD(sc, blocks, counts, 2).flatMap(lambda ln: ln.split(" ")).map(lambda w: (w, 1)) \
        .reduceByKey(add, 1).collect()
    assert got == list(want.items())  # one reduce partition: keys in first-seen order, as PySpark


def test_line_ends_normalised_on_the_bytes():
    assert normalize(b"a\r\nb\rc\n\r\n") == b"a\nb\nc\n\n"
    assert lines_of([normalize(b"x\xed\xa0\x80\ry\xe2\r\nz")]) == ["x\ufffd", "y\ufffd", "z"]


def test_the_idiom_is_recognised_only_exactly():
    assert is_pair_with_one(lambda word: (word, 1)) and is_add(add) and is_add(lambda x, y: x + y)
    assert not is_pair_with_one(lambda w: (w, 1.0)) and not is_pair_with_one(lambda w: (w, True))
    assert not is_pair_with_one(lambda w: (w.lower(), 1)) and not is_add(lambda x, y: y + x)
    assert not is_add(lambda x, y: x - y)


def test_word_count_idiom_gives_what_the_general_path_gives(sc):
    data = ["b a b", "c a", "", "a"]
    rdd = sc.parallelize(data, 2).flatMap(lambda s: s.split(" "))
    ones = rdd.map(lambda w: (w, 1)).reduceByKey(add, 1).collect()
    general = rdd.map(lambda w: (w, 1)).reduceByKey(add, 1).collect()  # not the idiom
    assert ones == general == [("b", 2), ("a", 3), ("c", 1), ("", 1)]
    # look-alikes keep their own types: True stays True for a key seen once, 1.0 sums to floats
    assert rdd.map(lambda w: (w, True)).reduceByKey(add, 1).collect() == \
        [("b", 2), ("a", 3), ("c", True), ("", True)]
    assert rdd.map(lambda w: (w, 1.0)).reduceByKey(lambda x, y: x + y, 1).collect() == \
        [("b", 2.0), ("a", 3.0), ("c", 1.0), ("", 1.0)]


def _split_on_comma(line):
    "a docstring does not matter"
    return line.split(",")


def test_line_splits_are_recognised_only_exactly():
    assert split_separator(lambda line: line.split(" ")) == " "
    assert split_separator(lambda s: s.split()) is None
    assert split_separator(_split_on_comma) == ","
    for other in (lambda s: s.split("ab"), lambda s: s.split(" ", 1), lambda s: s.split(sep=" "),
                  lambda s: s.rsplit(" "), lambda s: s.lower().split(), lambda s: s.split(1), str.split,
                  lambda s, sep=" ": s.split(sep)):
        assert split_separator(other) is NOT_A_SPLIT


def test_fused_word_count_gives_the_words_of_each_line_split(monkeypatch):
    # bytes that stress the decoder and the separators: blanks str.split() has and bytes do not,
    # malformed and truncated sequences, encoded surrogates; some blocks came from the log as lists
    pieces = [b"a", b"b", b" ", b"  ", b"\t", b"\x1c", b"\xc2\x85", b"\xe2\x80\x83", b"\xff", b"\xe2\x82",
              b"\xed\xa0\x80", b"\xf0\x9f\x98\x80", b"\xc3", b",", b"\xc2\xa0", b"\x0b", b"\xc3\xa9"]
    rng = random.Random(7)
    for _ in range(1500):
        blocks: list = [b"\n".join(b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
                                   for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.2:
            blocks.append(decode(blocks.pop()))
        for sep in (" ", None, ",", "\t", "\n", "\x85", "é"):
            want = list(count_pairs_with_one(w for b in blocks for ln in decode(b) for w in ln.split(sep)))
            # the C loop, in pieces of a few characters or whole; Polars, in one call or in chunks
            monkeypatch.setattr(split_count, "_PIECE_CHARS", rng.choice([1, 2, 5, 4096]))
            assert list(count_words(blocks, sep, columnar=False)) == want, (blocks, sep)
            monkeypatch.setattr(split_count, "COLUMNAR_MIN_CHARS", 0)
            monkeypatch.setattr(split_count, "COLUMNAR_CHUNK_CHARS", rng.choice([1, 3, 1 << 20]))
            assert list(count_words(blocks, sep)) == want, (blocks, sep)
            monkeypatch.undo()


@pytest.mark.parametrize("counter", ["polars in the driver", "C loop on the workers", "C loop by choice"])
def test_dstream_word_count_over_received_blocks_runs_fused(sc, monkeypatch, counter):
    if counter == "C loop on the workers":
        monkeypatch.setattr(split_count, "_polars", False)  # as if Polars could not be imported
    elif counter == "C loop by choice":
        sc.stop()
        sc = manual_context(settings={COLUMNAR_CONF: "false"})
    pool_tasks = []
    original_run = scheduler.run_tasks
    monkeypatch.setattr(scheduler, "run_tasks", lambda rdd, task, splits: pool_tasks.append(
        (type(rdd).__name__, len(splits))) or original_run(rdd, task, splits))
    fused = []
    original = BlockRDD.count_words
    monkeypatch.setattr(BlockRDD, "count_words", lambda self, sep: fused.append(sep) or original(self, sep))
    rng = random.Random(8)
    blocks, counts, lines = _blocks(rng, 160_000)  # big enough for the worker pool (~50k lines estimated)
    ssc = StreamingContext(sc, 1)
    out = []
    stream = ssc.queueStream([BlockRDD(sc, blocks, counts, 2), BlockRDD(sc, blocks, counts, 2)])
    stream.flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1)).reduceByKey(add, 1) \
        .foreachRDD(lambda rdd: out.append(rdd.collect()))
    stream.flatMap(lambda line: line.split()).map(lambda w: (w, 1)).reduceByKey(add, 1) \
        .foreachRDD(lambda rdd: out.append(rdd.collect()))
    stream.flatMap(lambda line: line.split(" ")).filter(bool).map(lambda w: (w, 1)).reduceByKey(add, 1) \
        .foreachRDD(lambda rdd: out.append(rdd.collect()))  # another step between: the general path
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(1)
    ssc.stop(stopSparkContext=False)
    assert fused == [" ", None]
    # split(" ") on Polars in one task in the driver, or in a task per core; split() on the C loop
    tasks = [(name, n) for name, n in pool_tasks if name == "CountTasksRDD"]
    assert tasks == ([("CountTasksRDD", 1), ("CountTasksRDD", 2)] if counter == "polars in the driver"
                     else [("CountTasksRDD", 2), ("CountTasksRDD", 2)])
    if counter == "C loop by choice":
        sc.stop()
    def counted(sep, keep=None):
        return list(count_pairs_with_one(w for ln in lines for w in ln.split(sep) if keep is None or keep(w)))

    assert out == [counted(" "), counted(None), counted(" ", bool)]
    assert isinstance(BlockRDD(sc, blocks, counts, 2).count_words(" "), WordCountRDD)
    assert BlockRDD(sc, blocks, counts, 2).cache().count_words(" ") is None  # cached lines are the input


def test_count_of_received_blocks_counts_line_ends_without_decoding(sc, monkeypatch):
    from ember.streaming.sources import blocks as blocks_module

    rng = random.Random(9)
    blocks, counts, lines = _blocks(rng, 5000)
    out: list = []
    ssc = StreamingContext(sc, 1)
    ssc.queueStream([BlockRDD(sc, blocks, counts, 3), BlockRDD(sc, [], [], 2)]) \
        .count().foreachRDD(lambda rdd: out.append(rdd.collect()))
    monkeypatch.setattr(blocks_module, "decode", lambda block: pytest.fail("decoded"))
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(2)
    ssc.stop(stopSparkContext=False)
    assert out == [[len(lines)], [0]]
    monkeypatch.undo()
    assert BlockRDD(sc, blocks, counts, 3).line_counts().collect() == [
        len(p) for p in BlockRDD(sc, blocks, counts, 3).glom().collect()]
