"""How parallelize cuts data (PySpark's batch slicing) and when it copies it."""

import pytest

from ember import SparkContext
from ember.core.rdds import slice_for_parallelize
from ember.errors import IllegalArgumentException, PySparkTypeError


@pytest.fixture
def sc():
    with SparkContext("local[2]", "test-parallelize") as sc:
        yield sc


def test_batch_slicing():
    assert slice_for_parallelize(list(range(3000)), 2) == ([(0, 1024), (1024, 3000)], 1024)
    assert slice_for_parallelize(list(range(3000)), 3) == ([(0, 1000), (1000, 2000), (2000, 3000)], 1000)
    assert slice_for_parallelize(list(range(3)), 2) == ([(0, 1), (1, 3)], 1)
    assert slice_for_parallelize([], 2) == ([(0, 0), (0, 0)], 1)


def test_mutable_elements_are_snapshotted(sc):
    data = [[1], [2]]
    rdd = sc.parallelize(data)
    data[0].append(99)
    first = rdd.collect()
    first[0].append(5)
    assert rdd.collect() == [[1], [2]]


def test_bad_num_slices_and_non_iterables(sc):
    with pytest.raises(IllegalArgumentException, match="Positive number of partitions required"):
        sc.parallelize([1, 2], 0)
    with pytest.raises(IllegalArgumentException):
        sc.parallelize([1, 2], -1)
    with pytest.raises(PySparkTypeError, match="needs an iterable collection"):
        sc.parallelize(42)


def test_range_partitions_are_lazy(sc):
    rdd = sc.parallelize(range(10**12), 4)
    assert rdd.take(3) == [0, 1, 2]
    assert rdd.getNumPartitions() == 4
