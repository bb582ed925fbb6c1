"""Spark's python/pyspark/streaming/tests/test_dstream.py, every case, written anew for both engines.

Each class stands for Spark's class of the same name plus ``Tests`` (``TestBasicOperations`` is
``BasicOperationTests``, ...) and each test keeps its Spark name, input and expected value. Spark's
cases wait on the wall clock; these run the same programs batch by batch on the manual clock (see
``conftest.py``). Several of these behaviours are also pinned, in other shapes, by
``tests/conformance/test_dstream_ops.py`` and ``test_dstream_window_state.py``.
"""

from __future__ import annotations

import operator
import traceback
from functools import reduce
from itertools import chain

import pytest

from ember.testing import MANUAL_CLOCK

#: Spark cases that cannot run here, with the reason (tools/compatibility.py lists them)
NOT_APPLICABLE = {
    "python/pyspark/streaming/tests/test_kinesis.py::KinesisStreamTests::test_kinesis_stream_api":
        "Kinesis connector (pyspark.streaming.kinesis): a JVM connector, out of ember's scope; "
        "Spark itself skips it unless ENABLE_KINESIS_TESTS=1",
    "python/pyspark/streaming/tests/test_kinesis.py::KinesisStreamTests::test_kinesis_stream":
        "needs an AWS Kinesis stream and the JVM KinesisTestUtils; Spark skips it unless "
        "ENABLE_KINESIS_TESTS=1",
}


def _failure(call) -> str:
    """The traceback ``call`` raised, as Spark's cases read it (``traceback.format_exc()``)."""
    try:
        call()
    except BaseException:
        return traceback.format_exc()
    return "nothing was raised"


class TestBasicOperations:
    def test_map(self, spark_case):
        input = [range(1, 5), range(5, 9), range(9, 13)]
        spark_case().check(input, lambda d: d.map(str), [list(map(str, x)) for x in input])

    def test_flatMap(self, spark_case):
        input = [range(1, 5), range(5, 9), range(9, 13)]
        expected = [list(chain.from_iterable([y, y * 2] for y in x)) for x in input]
        spark_case().check(input, lambda d: d.flatMap(lambda x: (x, x * 2)), expected)

    def test_filter(self, spark_case):
        input = [range(1, 5), range(5, 9), range(9, 13)]
        spark_case().check(input, lambda d: d.filter(lambda x: x % 2 == 0), [[2, 4], [6, 8], [10, 12]])

    def test_count(self, spark_case):
        spark_case().check([range(5), range(10), range(20)], lambda d: d.count(), [[5], [10], [20]])

    def test_slice(self, spark_case):
        import datetime as dt

        case = spark_case()
        case.new_context(1.0)
        case.ssc.remember(4.0)
        stream = case.ssc.queueStream(case.parallelize_all([[1], [2], [3], [4]]))
        times: list = []
        stream.foreachRDD(lambda t, rdd: times.append(t) if len(times) < 4 else None)
        case.run_until(times, 4)

        def get_sliced(begin_delta, end_delta):
            begin = times[0] + dt.timedelta(seconds=begin_delta)
            end = times[0] + dt.timedelta(seconds=end_delta)
            return {x for rdd in stream.slice(begin, end) for x in rdd.collect()}

        assert get_sliced(0, 0) == {1}
        assert get_sliced(1, 2) == {2, 3}
        assert get_sliced(1, 4) == {2, 3, 4}
        assert get_sliced(0, 4) == {1, 2, 3, 4}

    def test_reduce(self, spark_case):
        input = [range(1, 5), range(5, 9), range(9, 13)]
        expected = [[reduce(operator.add, x)] for x in input]
        assert expected == [[10], [26], [42]]
        spark_case().check(input, lambda d: d.reduce(operator.add), expected)

    def test_reduceByKey(self, spark_case):
        input = [[("a", 1), ("a", 1), ("b", 1), ("b", 1)], [("", 1)] * 4,
                 [(1, 1), (1, 1), (2, 1), (2, 1), (3, 1)]]
        expected = [[("a", 2), ("b", 2)], [("", 4)], [(1, 2), (2, 2), (3, 1)]]
        spark_case().check(input, lambda d: d.reduceByKey(operator.add), expected, sort=True)

    def test_mapValues(self, spark_case):
        input = [[("a", 2), ("b", 2), ("c", 1), ("d", 1)], [(0, 4), (1, 1), (2, 2), (3, 3)],
                 [(1, 1), (2, 1), (3, 1), (4, 1)]]
        expected = [[("a", 12), ("b", 12), ("c", 11), ("d", 11)], [(0, 14), (1, 11), (2, 12), (3, 13)],
                    [(1, 11), (2, 11), (3, 11), (4, 11)]]
        spark_case().check(input, lambda d: d.mapValues(lambda x: x + 10), expected, sort=True)

    def test_flatMapValues(self, spark_case):
        input = [[("a", 2), ("b", 2), ("c", 1), ("d", 1)], [(0, 4), (1, 1), (2, 1), (3, 1)],
                 [(1, 1), (2, 1), (3, 1), (4, 1)]]
        expected = [
            [("a", 2), ("a", 12), ("b", 2), ("b", 12), ("c", 1), ("c", 11), ("d", 1), ("d", 11)],
            [(0, 4), (0, 14), (1, 1), (1, 11), (2, 1), (2, 11), (3, 1), (3, 11)],
            [(1, 1), (1, 11), (2, 1), (2, 11), (3, 1), (3, 11), (4, 1), (4, 11)],
        ]
        spark_case().check(input, lambda d: d.flatMapValues(lambda x: (x, x + 10)), expected)

    def test_glom(self, spark_case):
        case = spark_case()
        rdds = [case.sc.parallelize(r, 2) for r in (range(1, 5), range(5, 9), range(9, 13))]
        case.check(rdds, lambda d: d.glom(), [[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]])

    def test_mapPartitions(self, spark_case):
        def f(iterator):
            yield sum(iterator)

        case = spark_case()
        rdds = [case.sc.parallelize(r, 2) for r in (range(1, 5), range(5, 9), range(9, 13))]
        case.check(rdds, lambda d: d.mapPartitions(f), [[3, 7], [11, 15], [19, 23]])

    def test_countByValue(self, spark_case):
        input = [list(range(1, 5)) * 2, list(range(5, 7)) + list(range(5, 9)), ["a", "a", "b", ""]]
        expected = [[(1, 2), (2, 2), (3, 2), (4, 2)], [(5, 2), (6, 2), (7, 1), (8, 1)],
                    [("a", 2), ("b", 1), ("", 1)]]
        spark_case().check(input, lambda d: d.countByValue(), expected, sort=True)

    def test_groupByKey(self, spark_case):
        input = [[(1, 1), (2, 1), (3, 1), (4, 1)], [(1, 1), (1, 1), (1, 1), (2, 1), (2, 1), (3, 1)],
                 [("a", 1), ("a", 1), ("b", 1), ("", 1), ("", 1), ("", 1)]]
        expected = [[(1, [1]), (2, [1]), (3, [1]), (4, [1])], [(1, [1, 1, 1]), (2, [1, 1]), (3, [1])],
                    [("a", [1, 1]), ("b", [1]), ("", [1, 1, 1])]]
        spark_case().check(input, lambda d: d.groupByKey().mapValues(list), expected, sort=True)

    def test_combineByKey(self, spark_case):
        def add(a, b):
            return a + str(b)

        input = [[(1, 1), (2, 1), (3, 1), (4, 1)], [(1, 1), (1, 1), (1, 1), (2, 1), (2, 1), (3, 1)],
                 [("a", 1), ("a", 1), ("b", 1), ("", 1), ("", 1), ("", 1)]]
        expected = [[(1, "1"), (2, "1"), (3, "1"), (4, "1")], [(1, "111"), (2, "11"), (3, "1")],
                    [("a", "11"), ("b", "1"), ("", "111")]]
        spark_case().check(input, lambda d: d.combineByKey(str, add, add), expected, sort=True)

    def test_repartition(self, spark_case):
        case = spark_case()
        rdds = [case.sc.parallelize(r, 2) for r in (range(1, 5), range(5, 9))]
        case.check(rdds, lambda d: d.repartition(1).glom(), [[[1, 2, 3, 4]], [[5, 6, 7, 8]]])

    def test_union(self, spark_case):
        input1 = [range(3), range(5), range(6)]
        input2 = [range(3, 6), range(5, 6)]
        expected = [list(range(6)), list(range(6)), list(range(6))]
        spark_case().check(input1, lambda a, b: a.union(b), expected, input2=input2)

    def test_cogroup(self, spark_case):
        input = [[(1, 1), (2, 1), (3, 1)], [(1, 1), (1, 1), (1, 1), (2, 1)],
                 [("a", 1), ("a", 1), ("b", 1), ("", 1), ("", 1)]]
        input2 = [[(1, 2)], [(4, 1)], [("a", 1), ("a", 1), ("b", 1), ("", 1), ("", 2)]]
        expected = [[(1, ([1], [2])), (2, ([1], [])), (3, ([1], []))],
                    [(1, ([1, 1, 1], [])), (2, ([1], [])), (4, ([], [1]))],
                    [("a", ([1, 1], [1, 1])), ("b", ([1], [1])), ("", ([1, 1], [1, 2]))]]
        spark_case().check(input, lambda a, b: a.cogroup(b).mapValues(lambda vs: tuple(map(list, vs))),
                           expected, sort=True, input2=input2)

    def test_join(self, spark_case):
        spark_case().check([[("a", 1), ("b", 2)]], lambda a, b: a.join(b), [[("b", (2, 3))]], True,
                           [[("b", 3), ("c", 4)]])

    def test_left_outer_join(self, spark_case):
        spark_case().check([[("a", 1), ("b", 2)]], lambda a, b: a.leftOuterJoin(b),
                           [[("a", (1, None)), ("b", (2, 3))]], True, [[("b", 3), ("c", 4)]])

    def test_right_outer_join(self, spark_case):
        spark_case().check([[("a", 1), ("b", 2)]], lambda a, b: a.rightOuterJoin(b),
                           [[("b", (2, 3)), ("c", (None, 4))]], True, [[("b", 3), ("c", 4)]])

    def test_full_outer_join(self, spark_case):
        spark_case().check([[("a", 1), ("b", 2)]], lambda a, b: a.fullOuterJoin(b),
                           [[("a", (1, None)), ("b", (2, 3)), ("c", (None, 4))]], True,
                           [[("b", 3), ("c", 4)]])

    def test_update_state_by_key(self, spark_case):
        def updater(vs, s):
            if not s:
                s = []
            s.extend(vs)
            return s

        input = [[("k", i)] for i in range(5)]
        expected = [[("k", v)] for v in ([0], [0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4])]
        spark_case().check(input, lambda d: d.updateStateByKey(updater), expected)

    def test_update_state_by_key_initial_rdd(self, spark_case):
        def updater(vs, s):
            if not s:
                s = []
            s.extend(vs)
            return s

        case = spark_case()
        initial = case.sc.parallelize([("k", [0, 1])], 1)
        input = [[("k", i)] for i in range(2, 5)]
        expected = [[("k", v)] for v in ([0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4])]
        case.check(input, lambda d: d.updateStateByKey(updater, initialRDD=initial), expected)

    def test_failed_func(self, spark_case):
        def failed_func(i):
            raise ValueError("This is a special error")

        case = spark_case()
        case.ssc.queueStream([case.sc.parallelize([d], 1) for d in range(4)]).map(failed_func).pprint()
        case.advance(1)
        assert "This is a special error" in _failure(lambda: case.ssc.awaitTerminationOrTimeout(10))

    def test_failed_func2(self, spark_case):
        def failed_func(rdd1, rdd2):
            raise ValueError("This is a special error")

        case = spark_case()
        input = [case.sc.parallelize([d], 1) for d in range(4)]
        case.ssc.queueStream(input).transformWith(failed_func, case.ssc.queueStream(input), True).pprint()
        case.advance(1, wait=False)  # the batch fails while its jobs are made: it never completes
        assert "This is a special error" in _failure(lambda: case.ssc.awaitTerminationOrTimeout(10))

    def test_failed_func_with_resetting_failure(self, spark_case):
        def failed_func(i):
            if i == 1:  # the second batch fails
                raise ValueError("This is a special error")
            return i

        case = spark_case()
        input_stream = case.ssc.queueStream([case.sc.parallelize([d], 1) for d in range(4)])
        # the third and fourth batches still run after the second one failed
        assert case.collect(input_stream.map(failed_func), 3) == [[0], [2], [3]]
        assert "This is a special error" in _failure(lambda: case.ssc.awaitTerminationOrTimeout(10))


class TestWindowFunctions:
    def test_window(self, spark_case):
        input = [range(1), range(2), range(3), range(4), range(5)]
        spark_case().check(input, lambda d: d.window(1.5, 0.5).count(), [[1], [3], [6], [9], [12], [9], [5]])

    def test_count_by_window(self, spark_case):
        input = [range(1), range(2), range(3), range(4), range(5)]
        spark_case().check(input, lambda d: d.countByWindow(1.5, 0.5), [[1], [3], [6], [9], [12], [9], [5]])

    def test_count_by_window_large(self, spark_case):
        input = [range(1), range(2), range(3), range(4), range(5), range(6)]
        expected = [[1], [3], [6], [10], [15], [20], [18], [15], [11], [6]]
        spark_case().check(input, lambda d: d.countByWindow(2.5, 0.5), expected)

    def test_count_by_value_and_window(self, spark_case):
        input = [range(1), range(2), range(3), range(4), range(5), range(6)]
        expected = [
            [(0, 1)],
            [(0, 2), (1, 1)],
            [(0, 3), (1, 2), (2, 1)],
            [(0, 4), (1, 3), (2, 2), (3, 1)],
            [(0, 5), (1, 4), (2, 3), (3, 2), (4, 1)],
            [(0, 5), (1, 5), (2, 4), (3, 3), (4, 2), (5, 1)],
            [(0, 4), (1, 4), (2, 4), (3, 3), (4, 2), (5, 1)],
            [(0, 3), (1, 3), (2, 3), (3, 3), (4, 2), (5, 1)],
            [(0, 2), (1, 2), (2, 2), (3, 2), (4, 2), (5, 1)],
            [(0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1)],
        ]
        spark_case().check(input, lambda d: d.countByValueAndWindow(2.5, 0.5), expected)

    def test_group_by_key_and_window(self, spark_case):
        input = [[("a", i)] for i in range(5)]
        expected = [[("a", [0])], [("a", [0, 1])], [("a", [0, 1, 2])], [("a", [1, 2, 3])],
                    [("a", [2, 3, 4])], [("a", [3, 4])], [("a", [4])]]
        spark_case().check(input, lambda d: d.groupByKeyAndWindow(1.5, 0.5).mapValues(list), expected)

    def test_reduce_by_invalid_window(self, spark_case):
        d1 = spark_case().ssc.queueStream([range(3), range(5), range(1), range(6)])
        with pytest.raises(ValueError):
            d1.reduceByKeyAndWindow(None, None, 0.1, 0.1)
        with pytest.raises(ValueError):
            d1.reduceByKeyAndWindow(None, None, 1, 0.1)

    def test_reduce_by_key_and_window_with_none_invFunc(self, spark_case):
        input = [range(1), range(2), range(3), range(4), range(5), range(6)]

        def func(dstream):
            pairs = dstream.map(lambda x: (x, 1)).reduceByKeyAndWindow(operator.add, None, 5, 1)
            return pairs.filter(lambda kv: kv[1] > 0).count()

        spark_case().check(input, func, [[2], [4], [6], [6], [6], [6]])


class TestCheckpoint:
    """Spark's CheckpointTests: each case makes its own SparkContext (the suite's is stopped first)."""

    def test_transform_function_serializer_failure(self, engine, no_shared_context, tmp_path):
        SparkConf, SparkContext = engine.SparkConf, engine.SparkContext
        StreamingContext = engine.module("streaming").StreamingContext
        inputd = tmp_path / "input"
        inputd.mkdir()

        def setup():
            conf = SparkConf().setMaster("local[2]").set("spark.default.parallelism", 1)
            sc = SparkContext(conf=conf)
            ssc = StreamingContext(sc, 0.5)

            def process(time, rdd):  # refers to the SparkContext: cannot be pickled
                sc.parallelize(range(1, 10))

            ssc.textFileStream(str(inputd)).foreachRDD(process)
            return ssc

        ssc = StreamingContext.getOrCreate(str(tmp_path / "checkpoint"), setup)
        try:
            assert "It appears that you are attempting to reference SparkContext" in _failure(ssc.start)
        finally:
            ssc.stop(True)

    def test_get_or_create_and_get_active_or_create(self, engine, no_shared_context, tmp_path):
        SparkConf, SparkContext = engine.SparkConf, engine.SparkContext
        StreamingContext = engine.module("streaming").StreamingContext
        inputd, outputd, cpd = tmp_path / "input", tmp_path / "output", tmp_path / "checkpoint"
        inputd.mkdir()
        outputd.mkdir()
        calls: list = []

        def updater(vs, s):
            return sum(vs, s or 0)

        def setup():
            conf = (SparkConf().setMaster("local[2]").set("spark.default.parallelism", 1)
                    .set("spark.streaming.clock", MANUAL_CLOCK))
            sc = SparkContext(conf=conf)
            ssc = StreamingContext(sc, 2)
            dstream = ssc.textFileStream(str(inputd)).map(lambda x: (x, 1))
            wc = dstream.updateStateByKey(updater)
            wc.map(lambda x: "%s,%d" % x).saveAsTextFiles(str(outputd) + "/test")
            wc.checkpoint(2)
            calls.append("setup")
            return ssc

        def start(ssc):
            from ember.testing import BatchDriver

            driver = BatchDriver(ssc, timeout=60)
            ssc.start()
            return driver

        def clock_ms(ssc):
            if engine.is_spark:
                return int(ssc._jssc.ssc().scheduler().clock().getTimeMillis())
            return ssc._clock.getTimeMillis()

        def stop_gracefully(ssc):
            # Spark's graceful stop lets its batch timer reach one more batch time before it returns;
            # on the manual clock that time has to be given to it, so the stop runs beside us
            if not engine.is_spark:
                ssc.stop(True, True)
                return
            import threading

            clock = ssc._jssc.ssc().scheduler().clock()
            stopper = threading.Thread(target=ssc.stop, args=(True, True))
            stopper.start()
            for _ in range(60):
                stopper.join(1.0)
                if not stopper.is_alive():
                    return
                clock.advance(2000)
            raise TimeoutError("the graceful stop did not finish")

        def check_output(ssc, driver, n):
            # file n is written inside the next batch's interval (its time on the manual clock), so
            # that batch reads it; every line's running count becomes n
            import os

            now = clock_ms(ssc)
            path = inputd / str(n)
            path.write_text("".join("%d\n" % i for i in range(10)))
            mtime_ns = (now + 1000) * 1_000_000
            os.utime(path, ns=(mtime_ns, mtime_ns))
            driver.advance(1)
            batch = (now // 2000 + 1) * 2000
            out = outputd / f"test-{batch}"
            assert "_SUCCESS" in os.listdir(out)
            pairs = ssc.sparkContext.textFile(str(out)).map(lambda line: line.split(",")).collect()
            assert sorted(int(k) for k, _ in pairs) == list(range(10))
            assert {int(v) for _, v in pairs} == {n}

        # getOrCreate() calls setup() when there are no checkpoint files
        ssc = StreamingContext.getOrCreate(str(cpd), setup)
        assert calls == ["setup"]
        driver = start(ssc)
        check_output(ssc, driver, 1)
        check_output(ssc, driver, 2)

        # getOrCreate() recovers from the checkpoint files
        stop_gracefully(ssc)
        calls.clear()
        ssc = StreamingContext.getOrCreate(str(cpd), setup)
        assert calls == []
        driver = start(ssc)
        check_output(ssc, driver, 3)

        # getOrCreate() uses an existing SparkContext
        stop_gracefully(ssc)
        sc = SparkContext(conf=SparkConf().setMaster("local[2]"))
        ssc = StreamingContext.getOrCreate(str(cpd), setup)
        assert calls == []
        assert ssc.sparkContext == sc

        # getActiveOrCreate() recovers from the checkpoint files
        stop_gracefully(ssc)
        ssc = StreamingContext.getActiveOrCreate(str(cpd), setup)
        assert calls == []
        driver = start(ssc)
        check_output(ssc, driver, 4)

        # getActiveOrCreate() returns the active context
        assert StreamingContext.getActiveOrCreate(str(cpd), setup) == ssc
        assert calls == []

        # getActiveOrCreate() uses an existing SparkContext
        stop_gracefully(ssc)
        sc = SparkContext(conf=SparkConf().setMaster("local[2]"))
        ssc = StreamingContext.getActiveOrCreate(str(cpd), setup)
        assert calls == []
        assert ssc.sparkContext == sc

        # getActiveOrCreate() calls setup() when there are no checkpoint files
        import shutil

        stop_gracefully(ssc)
        shutil.rmtree(cpd)
        ssc = StreamingContext.getActiveOrCreate(str(cpd), setup)
        assert calls == ["setup"]
        stop_gracefully(ssc)
