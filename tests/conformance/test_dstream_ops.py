"""Per-batch DStream operations, with the expectations of PySpark's own streaming tests.

As in Spark's harness: 0.5 s batches, ``spark.default.parallelism=1``, queueStream input with one
partition per batch. Results are each batch's ``collect()``, empty batches included.
"""

from __future__ import annotations

import operator
from itertools import chain

import pytest

R1 = [range(1, 5), range(5, 9), range(9, 13)]


def run(make_streams, batches, func, n=None, input2=None, sort=False, slices=1):
    s = make_streams(batch=0.5)
    a = s.queue(batches, slices)
    stream = func(a, s.queue(input2, slices)) if input2 is not None else func(a)
    out = s.collect(stream)
    s.run(n or len(batches))
    if sort:
        for batch in out:
            batch.sort(key=lambda kv: kv[0])
    return out


def test_map(make_streams):
    assert run(make_streams, R1, lambda d: d.map(str)) == [list(map(str, x)) for x in R1]


def test_flatMap(make_streams):
    expected = [list(chain.from_iterable((y, y * 2) for y in x)) for x in R1]
    assert run(make_streams, R1, lambda d: d.flatMap(lambda x: (x, x * 2))) == expected


def test_filter(make_streams):
    assert run(make_streams, R1, lambda d: d.filter(lambda x: x % 2 == 0)) == [[2, 4], [6, 8], [10, 12]]


def test_count(make_streams):
    assert run(make_streams, [range(5), range(10), range(20)], lambda d: d.count()) == [[5], [10], [20]]


def test_count_of_an_empty_batch(make_streams):
    # an empty list parallelized into one partition counts as [0]; so does a batch after the queue ran
    # dry, whose RDD has one empty partition (Spark's queueStream default); emptyRDD has none, so no count
    assert run(make_streams, [[1], []], lambda d: d.count(), n=3) == [[1], [0], [0]]


def test_count_of_an_rdd_without_partitions(make_streams):
    assert run(make_streams, [[1]], lambda d: d.transform(lambda rdd: rdd.context.emptyRDD()).count()) == [[]]


def test_reduce(make_streams):
    assert run(make_streams, R1, lambda d: d.reduce(operator.add)) == [[10], [26], [42]]


def test_reduceByKey(make_streams):
    batches = [[("a", 1), ("a", 1), ("b", 1), ("b", 1)], [("", 1)] * 4,
               [(1, 1), (1, 1), (2, 1), (2, 1), (3, 1)]]
    out = run(make_streams, batches, lambda d: d.reduceByKey(operator.add), sort=True)
    assert out == [[("a", 2), ("b", 2)], [("", 4)], [(1, 2), (2, 2), (3, 1)]]


def test_mapValues(make_streams):
    batches = [[("a", 2), ("b", 2), ("c", 1), ("d", 1)], [(0, 4), (1, 1), (2, 2), (3, 3)]]
    out = run(make_streams, batches, lambda d: d.mapValues(lambda x: x + 10))
    assert out == [[("a", 12), ("b", 12), ("c", 11), ("d", 11)], [(0, 14), (1, 11), (2, 12), (3, 13)]]


def test_flatMapValues(make_streams):
    out = run(make_streams, [[("a", 2), ("b", 1)]], lambda d: d.flatMapValues(lambda x: (x, x + 10)))
    assert out == [[("a", 2), ("a", 12), ("b", 1), ("b", 11)]]


def test_glom(make_streams):
    out = run(make_streams, R1, lambda d: d.glom(), slices=2)
    assert out == [[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]


def test_mapPartitions(make_streams):
    out = run(make_streams, R1, lambda d: d.mapPartitions(lambda it: [sum(it)]), slices=2)
    assert out == [[3, 7], [11, 15], [19, 23]]


def test_mapPartitionsWithIndex(make_streams):
    out = run(make_streams, R1[:1], lambda d: d.mapPartitionsWithIndex(lambda i, it: [(i, list(it))]),
              slices=2)
    assert out == [[(0, [1, 2]), (1, [3, 4])]]


def test_countByValue_keeps_first_seen_order(make_streams):
    batches = [list(range(1, 5)) * 2, list(range(5, 7)) + list(range(5, 9)), ["a", "a", "b", ""]]
    out = run(make_streams, batches, lambda d: d.countByValue())
    assert out == [[(1, 2), (2, 2), (3, 2), (4, 2)], [(5, 2), (6, 2), (7, 1), (8, 1)],
                   [("a", 2), ("b", 1), ("", 1)]]


def test_groupByKey(make_streams):
    batches = [[(1, 1), (1, 1), (1, 1), (2, 1), (2, 1), (3, 1)], [("a", 1), ("a", 1), ("b", 1), ("", 1)]]
    out = run(make_streams, batches, lambda d: d.groupByKey().mapValues(list))
    assert out == [[(1, [1, 1, 1]), (2, [1, 1]), (3, [1])], [("a", [1, 1]), ("b", [1]), ("", [1])]]


def test_combineByKey(make_streams):
    def add(a, b):
        return a + str(b)

    batches = [[(1, 1), (1, 1), (1, 1), (2, 1), (2, 1), (3, 1)]]
    out = run(make_streams, batches, lambda d: d.combineByKey(str, add, add))
    assert out == [[(1, "111"), (2, "11"), (3, "1")]]


def test_partitionBy(make_streams):
    out = run(make_streams, [[(1, "a"), (2, "b"), (3, "c"), (4, "d")]], lambda d: d.partitionBy(2).glom())
    assert out == [[[(2, "b"), (4, "d")], [(1, "a"), (3, "c")]]]


def test_repartition(make_streams):
    out = run(make_streams, [range(1, 5), range(5, 9)], lambda d: d.repartition(1).glom(), slices=2)
    assert out == [[[1, 2, 3, 4]], [[5, 6, 7, 8]]]


def test_union(make_streams):
    out = run(make_streams, [range(3), range(5), range(6)], lambda a, b: a.union(b),
              input2=[range(3, 6), range(5, 6)])
    assert out == [list(range(6)), list(range(6)), list(range(6))]


def test_cogroup(make_streams):
    batches = [[(1, 1), (2, 1), (3, 1)], [(1, 1), (1, 1), (1, 1), (2, 1)]]
    out = run(make_streams, batches, lambda a, b: a.cogroup(b).mapValues(lambda vs: tuple(map(list, vs))),
              input2=[[(1, 2)], [(4, 1)]], sort=True)
    assert out == [[(1, ([1], [2])), (2, ([1], [])), (3, ([1], []))],
                   [(1, ([1, 1, 1], [])), (2, ([1], [])), (4, ([], [1]))]]


@pytest.mark.parametrize("op,expected", [
    ("join", [("b", (2, 3))]),
    ("leftOuterJoin", [("a", (1, None)), ("b", (2, 3))]),
    ("rightOuterJoin", [("b", (2, 3)), ("c", (None, 4))]),
    ("fullOuterJoin", [("a", (1, None)), ("b", (2, 3)), ("c", (None, 4))]),
])
def test_joins(make_streams, op, expected):
    out = run(make_streams, [[("a", 1), ("b", 2)]], lambda a, b: getattr(a, op)(b),
              input2=[[("b", 3), ("c", 4)]], sort=True)
    assert out == [expected]


def test_transform_with_time_and_rdd(make_streams):
    out = run(make_streams, [[1, 2], [3]],
              lambda d: d.transform(lambda t, rdd: rdd.map(lambda x: (t.second, x))))
    assert out == [[(0, 1), (0, 2)], [(1, 3)]]  # batch times 0.5 s and 1.0 s after the epoch, in seconds


def test_transformWith(make_streams):
    out = run(make_streams, [[1, 2]], lambda a, b: a.transformWith(lambda x, y: x.cartesian(y), b),
              input2=[["a"]])
    assert out == [[(1, "a"), (2, "a")]]


def test_transform_arity_is_checked(make_streams):
    s = make_streams()
    d = s.queue([[1]])
    with pytest.raises(AssertionError, match="func should take one or two arguments"):
        d.transform(lambda a, b, c: a)
    with pytest.raises(AssertionError, match="func should take two or three arguments"):
        d.transformWith(lambda a: a, d)


def test_union_of_different_slides_is_refused(make_streams):
    s = make_streams(batch=0.5)
    d = s.queue([[1]])
    with pytest.raises(ValueError, match="the two DStream should have same slide duration"):
        d.union(d.window(1, 1))


def test_foreachRDD_with_time(make_streams):
    s = make_streams(batch=1)
    seen = []
    s.queue([[1], [2]]).foreachRDD(lambda t, rdd: seen.append((t.timestamp() > 0, rdd.collect())))
    s.run(2)
    assert seen == [(True, [1]), (True, [2])]
