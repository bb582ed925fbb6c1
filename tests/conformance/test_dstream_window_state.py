"""Windows and state, with the expectations of PySpark's own streaming tests (0.5 s batches)."""

from __future__ import annotations

import operator

import pytest

R5 = [range(1), range(2), range(3), range(4), range(5)]
R6 = R5 + [range(6)]


def run(make_streams, tmp_path, batches, func, n):
    s = make_streams(batch=0.5)
    s.ssc.checkpoint(str(tmp_path))
    source = s.queue(batches)
    out = s.collect(func(source))
    # an output on every batch: Spark reports no event for a batch without jobs (between slides),
    # and the test driver waits for one
    source.foreachRDD(lambda rdd: None)
    s.run(n)
    return out


def test_window_count(make_streams, tmp_path):
    out = run(make_streams, tmp_path, R5, lambda d: d.window(1.5, 0.5).count(), 7)
    assert out == [[1], [3], [6], [9], [12], [9], [5]]


def test_countByWindow(make_streams, tmp_path):
    out = run(make_streams, tmp_path, R5, lambda d: d.countByWindow(1.5, 0.5), 7)
    assert out == [[1], [3], [6], [9], [12], [9], [5]]


def test_countByWindow_large_uses_the_inverse(make_streams, tmp_path):
    out = run(make_streams, tmp_path, R6, lambda d: d.countByWindow(2.5, 0.5), 10)
    assert out == [[1], [3], [6], [10], [15], [20], [18], [15], [11], [6]]


def test_countByValueAndWindow(make_streams, tmp_path):
    out = run(make_streams, tmp_path, R6, lambda d: d.countByValueAndWindow(2.5, 0.5), 10)
    assert out == [
        [(0, 1)], [(0, 2), (1, 1)], [(0, 3), (1, 2), (2, 1)], [(0, 4), (1, 3), (2, 2), (3, 1)],
        [(0, 5), (1, 4), (2, 3), (3, 2), (4, 1)], [(0, 5), (1, 5), (2, 4), (3, 3), (4, 2), (5, 1)],
        [(0, 4), (1, 4), (2, 4), (3, 3), (4, 2), (5, 1)], [(0, 3), (1, 3), (2, 3), (3, 3), (4, 2), (5, 1)],
        [(0, 2), (1, 2), (2, 2), (3, 2), (4, 2), (5, 1)], [(0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1)],
    ]


def test_groupByKeyAndWindow_does_not_leak_mutation(make_streams, tmp_path):
    batches = [[("a", i)] for i in range(5)]
    out = run(make_streams, tmp_path, batches, lambda d: d.groupByKeyAndWindow(1.5, 0.5).mapValues(list), 7)
    assert out == [[("a", [0])], [("a", [0, 1])], [("a", [0, 1, 2])], [("a", [1, 2, 3])],
                   [("a", [2, 3, 4])], [("a", [3, 4])], [("a", [4])]]


def test_reduceByKeyAndWindow_without_inverse(make_streams, tmp_path):
    def func(d):
        pairs = d.map(lambda x: (x, 1)).reduceByKeyAndWindow(operator.add, None, 5, 1)
        return pairs.filter(lambda kv: kv[1] > 0).count()

    # slide 1 s over 0.5 s batches: one output per two batches
    out = run(make_streams, tmp_path, R6, func, 12)
    assert out == [[2], [4], [6], [6], [6], [6]]


def test_window_with_a_slide_skips_batches(make_streams, tmp_path):
    out = run(make_streams, tmp_path, [[1], [2], [3], [4]], lambda d: d.window(1, 1), 4)
    assert out == [[1, 2], [3, 4]]


@pytest.mark.parametrize("window,slide,message", [
    (0.1, 0.1, "windowDuration must be multiple of the parent dstream's slide (batch) duration (500 ms)"),
    (1, 0.1, "slideDuration must be multiple of the parent dstream's slide (batch) duration (500 ms)"),
])
def test_invalid_window(make_streams, window, slide, message):
    d = make_streams(batch=0.5).queue([range(3)])
    with pytest.raises(ValueError) as e:
        d.reduceByKeyAndWindow(None, None, window, slide)
    assert str(e.value) == message
    with pytest.raises(ValueError):
        d.window(window, slide)


def test_updateStateByKey_keeps_earlier_results(make_streams, tmp_path):
    # defined here, not at module level: Spark's workers cannot import this test module
    def _updater(vs, s):
        if not s:
            s = []
        s.extend(vs)
        return s

    batches = [[("k", i)] for i in range(5)]
    out = run(make_streams, tmp_path, batches, lambda d: d.updateStateByKey(_updater), 5)
    assert out == [[("k", [0])], [("k", [0, 1])], [("k", [0, 1, 2])], [("k", [0, 1, 2, 3])],
                   [("k", [0, 1, 2, 3, 4])]]


def test_updateStateByKey_initial_rdd(make_streams, tmp_path):
    def _updater(vs, s):
        s.extend(vs)
        return s

    s = make_streams(batch=0.5)
    s.ssc.checkpoint(str(tmp_path))
    initial = s.sc.parallelize([("k", [0, 1])], 1)
    out = s.collect(s.queue([[("k", i)] for i in range(2, 5)]).updateStateByKey(_updater, initialRDD=initial))
    s.run(3)
    assert out == [[("k", [0, 1, 2])], [("k", [0, 1, 2, 3])], [("k", [0, 1, 2, 3, 4])]]


def test_updateStateByKey_none_removes_a_key_and_idle_keys_are_called(make_streams, tmp_path):
    calls = []

    def update(values, state):
        calls.append((tuple(values), state))
        total = sum(values) + (state or 0)
        return None if total >= 3 else total

    batches = [[("a", 1), ("b", 2)], [("b", 1)], [], [("a", 1)]]
    out = run(make_streams, tmp_path, batches, lambda d: d.updateStateByKey(update), 4)
    assert out == [[("a", 1), ("b", 2)], [("a", 1)], [("a", 1)], [("a", 2)]]


@pytest.mark.parametrize("build", [
    lambda d: d.map(lambda x: (x, 1)).updateStateByKey(lambda vs, s: sum(vs)),
    lambda d: d.map(lambda x: (x, 1)).reduceByKeyAndWindow(operator.add, operator.sub, 1, 0.5),
    lambda d: d.countByWindow(1, 0.5),
])
def test_stateful_streams_need_a_checkpoint_directory(engine, make_streams, build):
    s = make_streams(batch=0.5, parallelism=2)  # a context whose SparkContext has no checkpoint dir
    build(s.queue([[1]])).pprint()
    with pytest.raises(Exception) as e:
        s.ssc.start()
    assert ("requirement failed: The checkpoint directory has not been set. Please set it by "
            "StreamingContext.checkpoint().") in str(e.value)
