"""Received blocks: cut into partitions in order, decoded in the workers; the word-count idiom.

The socket receiver keeps raw byte blocks (``ember.streaming.sources.blocks``); a batch's BlockRDD must
give exactly the lines, in arrival order, inline and on the worker pool. ``map(lambda w: (w, 1))``
followed by a reduce with ``add`` is counted in C (``ember.core.idioms``) and must give what the general
path gives, and anything that only looks like it must take the general path.
"""

from __future__ import annotations

import random
from operator import add

from ember.core.idioms import is_add, is_pair_with_one
from ember.streaming.sources.blocks import BlockRDD, lines_in, lines_of, normalize, partition


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
