"""A summed window read in part (``pprint``'s ``take``) gives the pairs the whole window holds.

``reduceByKeyAndWindow(add, ...)`` windows of integer sums hand their first pairs from the slides'
sums and sum the rest only when read further (streaming/window.py); the generic function
``lambda a, b: a + b + 0`` takes no shortcut. Both must agree on every read, in order.
"""

from __future__ import annotations

from operator import sub

import pytest
from streaming_helpers import manual_context

from ember.streaming import StreamingContext
from ember.testing import BatchDriver


def _lines(seed: int, vocabulary: int) -> list[str]:
    # slides share some words and bring new ones, so a window's keys come from more than one slide
    return [f"a{(seed + i) % vocabulary} b{(seed * 3 + i) % vocabulary} s{seed}" for i in range(40)]


def _run(func, vocabulary: int, tmp) -> list:
    sc = manual_context()
    try:
        ssc = StreamingContext(sc, 1)
        ssc.checkpoint(str(tmp))
        data = [sc.parallelize(_lines(s, vocabulary), 2) for s in range(12)]
        pairs = ssc.queueStream(data).flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1))
        out: list = []
        windows = pairs.reduceByKeyAndWindow(func, sub, 6, 2, 2)
        windows.foreachRDD(lambda rdd: out.append((rdd.take(3), rdd.take(11), rdd.take(70),
                                                   rdd.glom().collect())))
        driver = BatchDriver(ssc)
        ssc.start()
        driver.advance(12)
        ssc.stop(stopSparkContext=False)
        return out
    finally:
        sc.stop()


@pytest.mark.parametrize("vocabulary", [3, 30, 200])
def test_partial_reads_match_the_plain_window(tmp_path, vocabulary):
    summed = _run(lambda a, b: a + b, vocabulary, tmp_path / "a")
    plain = _run(lambda a, b: a + b + 0, vocabulary, tmp_path / "b")
    assert len(summed) == 6
    assert summed == plain
