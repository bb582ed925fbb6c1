"""RDD behaviours as a table: each case is a function of a SparkContext returning plain data.

The expected values live in ``rdd_expected.py``; they were captured from real PySpark with
``python tools/capture_expected.py`` and are literals, never computed by ember. Cases return
``glom()`` layouts where Spark defines them, so partitions are compared, not just contents.
"""

from __future__ import annotations

from operator import add

WORDS = ["hello world", "hello spark", "spark streaming", "hello again world", "a b c a b a"]
PAIRS = [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5), ("d", 6), ("a", 7)]


def _words(sc, n=2):
    return sc.parallelize(WORDS, n).flatMap(lambda line: line.split(" "))


def _pairs(sc, n=2):
    return sc.parallelize(PAIRS, n)


def _nested(sc):
    return sc.parallelize([1, 2, 3, 4, 5, 6], 3)


def _stats(sc):
    s = sc.parallelize([1.0, 2.0, 3.0, 4.0, 10.0], 2).stats()
    # PySpark hands back numpy scalars for some of these; compare them as Python floats.
    return [s.count()] + [round(float(v), 12) for v in (s.mean(), s.sum(), s.min(), s.max(), s.variance(),
                                                        s.sampleVariance(), s.stdev(), s.sampleStdev())]


CASES = {
    # creation and slicing
    "parallelize_list_2": lambda sc: sc.parallelize([1, 2, 3, 4, 5], 2).glom().collect(),
    "parallelize_list_3": lambda sc: sc.parallelize(list("abcdefg"), 3).glom().collect(),
    "parallelize_default": lambda sc: sc.parallelize([1, 2, 3]).glom().collect(),
    "parallelize_big_2": lambda sc: sc.parallelize(list(range(3000)), 2).glom().map(len).collect(),
    "parallelize_big_3": lambda sc: sc.parallelize(list(range(3000)), 3).glom().map(len).collect(),
    "parallelize_big_7": lambda sc: sc.parallelize(list(range(5000)), 7).glom().map(len).collect(),
    "parallelize_range": lambda sc: sc.parallelize(range(10), 3).glom().collect(),
    "parallelize_range_step": lambda sc: sc.parallelize(range(1, 20, 3), 4).glom().collect(),
    "parallelize_more_slices_than_items": lambda sc: sc.parallelize([1, 2], 4).glom().collect(),
    "sc_range": lambda sc: sc.range(5).glom().collect(),
    "sc_range_args": lambda sc: sc.range(2, 20, 4, 2).glom().collect(),
    "empty_rdd": lambda sc: [sc.emptyRDD().getNumPartitions(), sc.emptyRDD().collect(),
                             sc.emptyRDD().count(), sc.emptyRDD().isEmpty()],
    "sc_union": lambda sc: sc.union([sc.parallelize([1, 2], 2), sc.parallelize([3], 1)]).glom().collect(),
    # narrow transformations
    "map": lambda sc: sc.parallelize([1, 2, 3, 4], 2).map(lambda x: x * 10).glom().collect(),
    "flatMap": lambda sc: _words(sc).glom().collect(),
    "filter": lambda sc: _nested(sc).filter(lambda x: x % 2 == 0).glom().collect(),
    "mapPartitions": lambda sc: _nested(sc).mapPartitions(lambda it: [sum(it)]).collect(),
    "mapPartitionsWithIndex": lambda sc: _nested(sc).mapPartitionsWithIndex(
        lambda i, it: [(i, list(it))]).collect(),
    "mapValues": lambda sc: _pairs(sc).mapValues(lambda v: v * 2).collect(),
    "flatMapValues": lambda sc: sc.parallelize([("a", [1, 2]), ("b", [])]).flatMapValues(lambda v: v).collect(),
    "keys_values": lambda sc: [_pairs(sc).keys().collect(), _pairs(sc).values().collect()],
    "keyBy": lambda sc: sc.parallelize(["aa", "b"]).keyBy(len).collect(),
    "glom": lambda sc: sc.parallelize(range(1, 5), 2).glom().collect(),
    "distinct": lambda sc: _words(sc).distinct().glom().collect(),
    "distinct_3": lambda sc: _words(sc).distinct(3).glom().collect(),
    "union": lambda sc: sc.parallelize([1, 2], 2).union(sc.parallelize([3, 4], 1)).glom().collect(),
    "union_same_partitioner": lambda sc: _pairs(sc).reduceByKey(add).union(
        sc.parallelize([("a", 10), ("z", 1)]).reduceByKey(add)).glom().collect(),
    "intersection": lambda sc: sc.parallelize([1, 2, 3, 4, 5, 5]).intersection(
        sc.parallelize([5, 4, 9, 1])).glom().collect(),
    "subtract": lambda sc: sc.parallelize([1, 2, 3, 4, 5, 5]).subtract(sc.parallelize([5, 2])).glom().collect(),
    "subtractByKey": lambda sc: _pairs(sc).subtractByKey(sc.parallelize([("a", 0)])).collect(),
    "cartesian": lambda sc: sc.parallelize([1, 2, 3], 2).cartesian(sc.parallelize("xy", 2)).glom().collect(),
    "cartesian_ranges": lambda sc: sc.parallelize(range(6), 2).cartesian(sc.parallelize(range(3), 1)).collect(),
    "zip": lambda sc: sc.parallelize(range(5), 2).zip(sc.parallelize("abcde", 2)).collect(),
    "zipWithIndex": lambda sc: sc.parallelize("abcdefg", 3).zipWithIndex().glom().collect(),
    "zipWithUniqueId": lambda sc: sc.parallelize("abcdefg", 3).zipWithUniqueId().collect(),
    "coalesce": lambda sc: sc.parallelize(range(10), 5).coalesce(2).glom().collect(),
    "coalesce_more": lambda sc: sc.parallelize(range(4), 2).coalesce(5).glom().collect(),
    "coalesce_shuffle": lambda sc: sc.parallelize(range(50), 3).coalesce(4, True).glom().collect(),
    "repartition": lambda sc: sc.parallelize(range(20), 3).repartition(2).glom().collect(),
    "repartition_big": lambda sc: sc.parallelize(range(1000), 4).repartition(3).glom().map(len).collect(),
    "repartition_1": lambda sc: sc.parallelize([[1, 2], [3, 4]], 2).flatMap(lambda x: x).repartition(1)
    .glom().collect(),
    "sample": lambda sc: sc.parallelize(range(100), 4).sample(False, 0.2, 42).collect(),
    "sample_replacement": lambda sc: sc.parallelize(range(50), 2).sample(True, 0.3, 7).collect(),
    "randomSplit": lambda sc: [r.collect() for r in sc.parallelize(range(20), 2).randomSplit([1, 3], 5)],
    "takeSample": lambda sc: sc.parallelize(range(100), 4).takeSample(False, 6, 11),
    "takeSample_replacement": lambda sc: sc.parallelize(range(30), 2).takeSample(True, 8, 3),
    # actions
    "collect": lambda sc: _words(sc).collect(),
    "count": lambda sc: [_words(sc).count(), sc.parallelize([], 3).count()],
    "take": lambda sc: [sc.parallelize(range(100), 10).take(13), sc.parallelize(range(5), 3).take(10)],
    "take_skips_empty_partitions": lambda sc: sc.parallelize(range(100), 10).filter(lambda x: x > 90).take(3),
    "first": lambda sc: sc.parallelize([7, 8], 2).first(),
    "top": lambda sc: [sc.parallelize([5, 1, 9, 3, 7], 2).top(3),
                       sc.parallelize(["bb", "a", "ccc"]).top(2, key=len)],
    "takeOrdered": lambda sc: [sc.parallelize([5, 1, 9, 3, 7], 2).takeOrdered(3),
                               sc.parallelize([5, 1, 9, 3, 7]).takeOrdered(2, key=lambda x: -x)],
    "isEmpty": lambda sc: [sc.parallelize([]).isEmpty(), sc.parallelize([0]).isEmpty(),
                           sc.parallelize(range(10), 5).filter(lambda x: x > 8).isEmpty()],
    "reduce": lambda sc: sc.parallelize(range(1, 11), 3).reduce(add),
    "fold": lambda sc: [sc.parallelize(range(1, 6), 2).fold(0, add), sc.parallelize([1, 2], 3).fold(1, add)],
    "fold_mutable_zero": lambda sc: sc.parallelize([[1], [2], [3]], 2).fold([], lambda a, b: a + b),
    "aggregate": lambda sc: sc.parallelize(range(1, 6), 2).aggregate(
        (0, 0), lambda acc, x: (acc[0] + x, acc[1] + 1), lambda a, b: (a[0] + b[0], a[1] + b[1])),
    "sum_min_max_mean": lambda sc: [sc.parallelize([3, 1, 4, 1, 5], 2).sum(), sc.parallelize([3, 1, 4]).min(),
                                    sc.parallelize([3, 1, 4]).max(), sc.parallelize([1, 2, 3, 4]).mean(),
                                    sc.parallelize(["bb", "a"]).max(key=len)],
    "sum_empty": lambda sc: sc.parallelize([], 2).sum(),
    "stats": _stats,
    "countByValue": lambda sc: list(_words(sc).countByValue().items()),
    "countByKey": lambda sc: list(_pairs(sc).countByKey().items()),
    "collectAsMap": lambda sc: _pairs(sc).collectAsMap(),
    "lookup": lambda sc: [_pairs(sc).lookup("a"), _pairs(sc).reduceByKey(add).lookup("b"),
                          _pairs(sc).lookup("zz")],
    "foreach_accumulator": lambda sc: _accumulate(sc),
    "broadcast": lambda sc: _broadcast(sc),
    # pair operations (orders follow seed-0 string hashes and first-seen order)
    "reduceByKey": lambda sc: _words(sc).map(lambda w: (w, 1)).reduceByKey(add).glom().collect(),
    "reduceByKey_3": lambda sc: _words(sc).map(lambda w: (w, 1)).reduceByKey(add, 3).glom().collect(),
    "reduceByKey_classic": lambda sc: sc.parallelize(["hello world", "hello spark"])
    .flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1)).reduceByKey(add).collect(),
    "reduceByKey_int_keys": lambda sc: sc.parallelize([(i % 7, i) for i in range(30)], 3)
    .reduceByKey(add).glom().collect(),
    "reduceByKey_tuple_keys": lambda sc: sc.parallelize([((i % 3, "k"), 1) for i in range(10)])
    .reduceByKey(add).glom().collect(),
    "reduceByKeyLocally": lambda sc: list(_pairs(sc).reduceByKeyLocally(add).items()),
    "groupByKey": lambda sc: _pairs(sc).groupByKey().mapValues(list).glom().collect(),
    "groupBy": lambda sc: sc.parallelize(range(10), 2).groupBy(lambda x: x % 3).mapValues(list).collect(),
    "combineByKey": lambda sc: _pairs(sc).combineByKey(
        lambda v: [v], lambda c, v: c + [v], lambda a, b: a + b).collect(),
    "aggregateByKey": lambda sc: _pairs(sc).aggregateByKey(
        [], lambda acc, v: acc + [v], lambda a, b: a + b).collect(),
    "aggregateByKey_mutable_zero": lambda sc: _pairs(sc).aggregateByKey(
        [], lambda acc, v: acc.append(v) or acc, lambda a, b: a.extend(b) or a).collect(),
    "foldByKey": lambda sc: _pairs(sc).foldByKey(100, add).collect(),
    "partitionBy": lambda sc: _pairs(sc).partitionBy(3).glom().collect(),
    "partitionBy_custom": lambda sc: _pairs(sc).partitionBy(2, lambda k: ord(k)).glom().collect(),
    "join": lambda sc: _pairs(sc).join(sc.parallelize([("a", "x"), ("c", "y"), ("a", "z"), ("e", "w")])).collect(),
    "leftOuterJoin": lambda sc: _pairs(sc).leftOuterJoin(sc.parallelize([("a", "x"), ("e", "w")])).collect(),
    "rightOuterJoin": lambda sc: _pairs(sc).rightOuterJoin(sc.parallelize([("a", "x"), ("e", "w")])).collect(),
    "fullOuterJoin": lambda sc: _pairs(sc).fullOuterJoin(sc.parallelize([("a", "x"), ("e", "w")])).collect(),
    "join_num_partitions": lambda sc: _pairs(sc).join(sc.parallelize([("a", 0), ("b", 1)]), 3).glom().collect(),
    "join_partitioned_alike": lambda sc: _pairs(sc).reduceByKey(add).join(
        sc.parallelize([("a", 0), ("d", 1)]).reduceByKey(add)).glom().collect(),
    "cogroup": lambda sc: [(k, (list(a), list(b))) for k, (a, b) in
                           _pairs(sc).cogroup(sc.parallelize([("a", "x"), ("e", "w")])).collect()],
    "groupWith": lambda sc: [(k, [list(v) for v in vs]) for k, vs in _pairs(sc).groupWith(
        sc.parallelize([("a", "x")]), sc.parallelize([("b", "y"), ("f", "z")])).collect()],
    "sortByKey": lambda sc: _pairs(sc).sortByKey().glom().collect(),
    "sortByKey_desc": lambda sc: _pairs(sc).sortByKey(False).collect(),
    "sortByKey_partitions": lambda sc: sc.parallelize([(i * 7 % 31, i) for i in range(31)], 3)
    .sortByKey(numPartitions=4).glom().collect(),
    "sortByKey_keyfunc": lambda sc: sc.parallelize([("B", 1), ("a", 2), ("C", 3)]).sortByKey(
        keyfunc=str.lower).collect(),
    "sortByKey_one_partition": lambda sc: _pairs(sc).sortByKey(numPartitions=1).glom().collect(),
    "sortBy": lambda sc: sc.parallelize(["bb", "a", "dddd", "ccc"], 2).sortBy(len, False).glom().collect(),
    "sortBy_large": lambda sc: [(p[0], p[-1], len(p)) for p in sc.parallelize(
        [f"w{i}" for i in range(500)], 3).sortBy(lambda x: x, numPartitions=4).glom().collect()],
    # caching keeps values fresh per read (PySpark stores them pickled)
    "cache_mutation": lambda sc: _cache_mutation(sc),
    "groupByKey_twice": lambda sc: _group_twice(sc),
    "num_partitions": lambda sc: [_pairs(sc, 3).reduceByKey(add).getNumPartitions(),
                                  _pairs(sc, 3).join(_pairs(sc, 2)).getNumPartitions(),
                                  sc.parallelize([1], 4).union(sc.parallelize([2], 3)).getNumPartitions(),
                                  sc.parallelize([1], 4).cartesian(sc.parallelize([2], 3)).getNumPartitions()],
}

# Cases run with spark.default.parallelism=1, as Spark's own streaming tests do.
CASES_PARALLELISM_1 = {
    "p1_reduceByKey": lambda sc: _words(sc, 3).map(lambda w: (w, 1)).reduceByKey(add).glom().collect(),
    "p1_groupByKey": lambda sc: _pairs(sc, 3).groupByKey().mapValues(list).glom().collect(),
    "p1_join": lambda sc: _pairs(sc, 3).join(sc.parallelize([("a", "x"), ("b", "y")], 2)).glom().collect(),
    "p1_parallelize_default": lambda sc: sc.parallelize([1, 2, 3]).glom().collect(),
    "p1_defaultParallelism": lambda sc: [sc.defaultParallelism, sc.defaultMinPartitions],
    "p1_distinct": lambda sc: _words(sc, 3).distinct().glom().collect(),
    "p1_sortByKey": lambda sc: _pairs(sc, 3).sortByKey().glom().collect(),
}


def _accumulate(sc):
    acc = sc.accumulator(0)
    sc.parallelize(range(10), 3).foreach(lambda x: acc.add(x))
    facc = sc.accumulator(0.5)
    sc.parallelize([1.5, 2.0]).foreachPartition(lambda it: [facc.add(x) for x in it])
    return [acc.value, facc.value]


def _broadcast(sc):
    b = sc.broadcast({"a": 1, "b": 2})
    return sc.parallelize(["a", "b", "c"]).map(lambda k: b.value.get(k, 0)).collect()


def _cache_mutation(sc):
    rdd = sc.parallelize([[1], [2]], 2).map(lambda x: x).cache()
    first = rdd.collect()
    mutated = rdd.map(lambda xs: xs.append(0) or xs).collect()
    return [first, mutated, rdd.collect()]


def _group_twice(sc):
    grouped = _pairs(sc).groupByKey()
    first = grouped.mapValues(lambda vs: list(vs)).collect()
    second = grouped.mapValues(lambda vs: sorted(vs)).collect()
    return [first, second, grouped.mapValues(len).collect()]

