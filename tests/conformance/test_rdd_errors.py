"""Misuse and failing user code: the errors Spark raises, and their texts.

Spark wraps failures of user code in a Py4JJavaError whose text holds the Python traceback; ember
raises the original exception. Where the types differ by design, these tests check the text both
engines show.
"""

import threading

import pytest


def test_empty_rdd_errors(sc):
    with pytest.raises(ValueError, match=r"^Can not reduce\(\) empty RDD$"):
        sc.parallelize([]).reduce(lambda a, b: a)
    with pytest.raises(ValueError, match="^RDD is empty$"):
        sc.parallelize([], 2).first()
    with pytest.raises(ValueError, match=r"^Can not reduce\(\) empty RDD$"):
        sc.emptyRDD().top(1)
    with pytest.raises(ValueError, match=r"^Can not reduce\(\) empty RDD$"):
        sc.parallelize([]).max()


def test_argument_checks(sc):
    with pytest.raises(ValueError, match="^Number of partitions must be positive.$"):
        sc.parallelize([1]).coalesce(0)
    with pytest.raises(ValueError, match="^top N cannot be negative.$"):
        sc.parallelize([1]).takeOrdered(-1)
    with pytest.raises(ValueError, match="^Can only zip with RDD which has the same number of partitions$"):
        sc.parallelize([1, 2], 2).zip(sc.parallelize([1, 2], 1))


def test_bad_partition_counts_and_collections(sc):
    for n in (0, -1):
        with pytest.raises(Exception):  # noqa: B017 - Spark: ZeroDivisionError / Py4JJavaError; ember: clear text
            sc.parallelize([1, 2, 3], n).collect()
    with pytest.raises(TypeError):
        sc.parallelize(5)


def test_zip_with_uneven_partitions_fails_at_the_action(sc):
    rdd = sc.parallelize([1, 2, 3], 2).zip(sc.parallelize([1, 2], 2))
    with pytest.raises(Exception, match="Can only zip RDDs with same number of elements in each partition"):
        rdd.collect()


def test_failing_user_function_keeps_its_message(sc):
    with pytest.raises(Exception) as info:  # noqa: B017 - see the module docstring
        sc.parallelize([1, 0], 2).map(lambda x: 1 / x).collect()
    assert "division by zero" in str(info.value)


def test_bad_log_level(sc):
    with pytest.raises(Exception, match="did not match one of: ALL,DEBUG,ERROR,WARN,INFO,OFF,FATAL,TRACE"):
        sc.setLogLevel("bogus")


def test_functions_may_not_capture_the_context_or_rdds(sc):
    with pytest.raises(Exception, match=r"CONTEXT_ONLY_VALID_ON_DRIVER\] It appears that you are attempting "
                                        r"to reference SparkContext"):
        sc.parallelize([1]).map(lambda x: sc).collect()
    other = sc.parallelize([1])
    with pytest.raises(Exception, match=r"RDD_TRANSFORM_ONLY_VALID_ON_DRIVER"):
        sc.parallelize([1]).map(lambda x: other.count()).collect()


def test_unpicklable_closure_on_big_data(sc):
    # Spark always pickles; ember pickles when the work goes to its worker processes.
    lock = threading.Lock()
    with pytest.raises(Exception, match="lock"):
        sc.parallelize(list(range(200_000)), 2).map(lambda x: (lock, x)[1]).count()
