"""The word-count idiom's fused map stage (combine.count_stage) gives the general path's answers."""

from operator import add

import pytest

from ember import SparkContext

WORDS = (["b", "a", "", "é", "中文", "b", "x" * 50, "a", "😀"] * 37
         + [str(i % 91) for i in range(500)] + ["a b", "z"])


@pytest.fixture
def sc():
    with SparkContext("local[2]", "test-word-count") as ctx:
        yield ctx


@pytest.mark.parametrize("slices", [1, 2, 5])
@pytest.mark.parametrize("reduce_partitions", [None, 1, 2, 3, 9])
def test_counted_matches_the_general_path(sc, slices, reduce_partitions):
    rdd = sc.parallelize(WORDS, slices)
    counted = rdd.map(lambda w: (w, 1)).reduceByKey(add, reduce_partitions)
    general = rdd.map(lambda w: (w, 1)).reduceByKey(lambda a, b: b + a, reduce_partitions)
    assert counted.glom().collect() == general.glom().collect()
    assert counted.getNumPartitions() == general.getNumPartitions()


def test_int_keys_and_a_second_action_on_the_same_rdd(sc):
    rdd = sc.parallelize([len(w) for w in WORDS], 3).map(lambda n: (n, 1))
    counted = rdd.reduceByKey(add)
    general = rdd.reduceByKey(lambda a, b: b + a)
    assert counted.glom().collect() == general.glom().collect()
    assert counted.count() == general.count()  # the shuffle's output is kept and read again


def test_a_failing_flat_map_names_its_step(sc):
    def split(line):
        if line == "boom":
            raise ValueError("bad line")
        return line.split(" ")

    rdd = sc.parallelize(["a b", "boom"], 2).flatMap(split).map(lambda w: (w, 1)).reduceByKey(add)
    with pytest.raises(ValueError, match="bad line") as info:
        rdd.collect()
    assert any("partition 1" in n and "flatMap" in n for n in info.value.__notes__)
