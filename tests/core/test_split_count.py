"""The word-count kernel: the C loop and Polars give the same keys, order and counts, whatever the text."""

from __future__ import annotations

import random

import pytest

from ember.core import split_count
from ember.core.split_count import SplitCounter


def _loop_count(texts: list[str], sep: str | None) -> tuple[list[str], list[int]]:
    counts: dict = {}
    for text in texts:
        for word in text.split(sep):
            counts[word] = counts.get(word, 0) + 1
    return list(counts), list(counts.values())


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
def test_polars_counts_what_the_loop_counts(monkeypatch, chunk):
    monkeypatch.setattr(split_count, "COLUMNAR_MIN_CHARS", 0)
    monkeypatch.setattr(split_count, "COLUMNAR_CHUNK_CHARS", chunk)
    monkeypatch.setattr(split_count, "_MERGE_PARTIALS", 3)  # partials merged along the way too
    rng = random.Random(3)
    for _ in range(300):
        sep = rng.choice([" ", ",", "é", "\n"])
        words = ["a", "b", "", "é", "😀", "a b", "\t"]
        texts = [sep.join(rng.choice(words) for _ in range(rng.randint(0, 9)))
                 for _ in range(rng.randint(1, 5))]
        counter = SplitCounter(sep)
        for text in texts:
            counter.add(text)
        assert counter.result() == _loop_count(texts, sep), (texts, sep)


def test_a_lone_surrogate_falls_back_to_the_loop(monkeypatch):
    # Polars holds UTF-8 only; text decoded from bytes never has one, but a list of lines might
    monkeypatch.setattr(split_count, "COLUMNAR_MIN_CHARS", 0)
    monkeypatch.setattr(split_count, "COLUMNAR_CHUNK_CHARS", 4)
    counter = SplitCounter(" ")
    texts = ["x y x", "y \ud800 x", "\ud800 z"]
    for text in texts:
        counter.add(text)
    assert counter.result() == (["x", "y", "\ud800", "z"], [3, 2, 2, 1])


def test_small_inputs_and_blank_splits_use_the_loop(monkeypatch):
    calls = []
    monkeypatch.setattr(split_count, "_columnar", lambda: calls.append(1))
    counter = SplitCounter(" ")
    counter.add("a b a")
    assert counter.result() == (["a", "b"], [2, 1])
    blank = SplitCounter(None)
    blank.add("a  b\n\ta " * 5000)  # big, but split() has its own blanks: never Polars
    assert blank.result() == (["a", "b"], [10000, 5000])
    assert calls == []
    assert not split_count.columnar_pays(None, 1 << 30) and not split_count.columnar_pays(" ", 10)


def test_counts_are_python_ints_in_both_ways(monkeypatch):
    monkeypatch.setattr(split_count, "COLUMNAR_MIN_CHARS", 0)
    counter = SplitCounter(" ")
    counter.add("a a b")
    keys, counts = counter.result()
    assert (keys, counts) == (["a", "b"], [2, 1]) and {type(c) for c in counts} == {int}
    empty = SplitCounter(" ")
    assert empty.result() == ([], [])
