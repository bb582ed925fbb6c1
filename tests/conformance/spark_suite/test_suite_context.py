"""Spark's python/pyspark/streaming/tests/test_context.py (StreamingContextTests), every case, both engines.

``TestStreamingContext`` stands for Spark's ``StreamingContextTests`` (batches of 0.1 s); each test keeps
its Spark name, input and expected value. Files that Spark's cases write after a one-second sleep are
written here with modification times on the manual clock, inside the batch that must read them.
"""

from __future__ import annotations

import os
import struct

DURATION = 0.1


def write_at(path, data: bytes, clock_ms: int) -> None:
    """Write ``path`` and date it ``clock_ms`` on the manual clock (ms since the epoch)."""
    path.write_bytes(data)
    os.utime(path, ns=(clock_ms * 1_000_000, clock_ms * 1_000_000))


class TestStreamingContext:
    @staticmethod
    def add_input_stream(case) -> None:
        stream = case.ssc.queueStream([range(1, x) for x in range(101)])
        case.collect(stream, 1, block=False)

    def test_stop_only_streaming_context(self, spark_case):
        case = spark_case(DURATION)
        self.add_input_stream(case)
        case.start()
        case.ssc.stop(False)
        assert len(case.sc.parallelize(range(5), 5).glom().collect()) == 5

    def test_stop_multiple_times(self, spark_case):
        case = spark_case(DURATION)
        self.add_input_stream(case)
        case.start()
        case.ssc.stop(False)
        case.ssc.stop(False)

    def test_queue_stream(self, spark_case):
        case = spark_case(DURATION)
        input = [list(range(i + 1)) for i in range(3)]
        assert case.collect(case.ssc.queueStream(input), 3) == [[0], [0, 1], [0, 1, 2]]

    def test_text_file_stream(self, spark_case, tmp_path):
        case = spark_case(DURATION)
        result = case.collect(case.ssc.textFileStream(str(tmp_path)).map(int), 2, block=False)
        case.start()  # the manual clock stands at 0; batches come at 100, 200, ... ms
        for name, at in (("a", 50), ("b", 150)):
            write_at(tmp_path / name, "".join("%d\n" % i for i in range(10)).encode(), at)
        case.run_until(result, 2)
        assert result == [list(range(10)), list(range(10))]

    def test_binary_records_stream(self, spark_case, tmp_path):
        case = spark_case(DURATION)
        stream = case.ssc.binaryRecordsStream(str(tmp_path), 10).map(lambda v: struct.unpack("10b", bytes(v)))
        result = case.collect(stream, 2, block=False)
        case.start()
        for name, at in (("a", 50), ("b", 150)):
            write_at(tmp_path / name, bytes(bytearray(range(10))), at)
        case.run_until(result, 2)
        assert [list(v[0]) for v in result] == [list(range(10)), list(range(10))]

    def test_union(self, spark_case):
        case = spark_case(DURATION)
        input = [list(range(i + 1)) for i in range(3)]
        union = case.ssc.union(case.ssc.queueStream(input), case.ssc.queueStream(input))
        assert case.collect(union, 3) == [[0, 0], [0, 1, 0, 1], [0, 1, 2, 0, 1, 2]]

    def test_transform(self, spark_case):
        case = spark_case(DURATION)
        streams = [case.ssc.queueStream([[1]]), case.ssc.queueStream([[2]]), case.ssc.queueStream([[3]])]

        def func(rdds):
            rdd1, rdd2, rdd3 = rdds
            return rdd2.union(rdd3).union(rdd1)

        assert case.take(case.ssc.transform(streams, func), 3) == [2, 3, 1]

    def test_transform_pairrdd(self, spark_case):
        # SPARK-17756: transform returning a pair RDD made by cartesian
        case = spark_case(DURATION)
        stream = case.ssc.queueStream([[1], [2], [3]]).transform(lambda rdd: rdd.cartesian(rdd))
        assert case.take(stream, 3) == [(1, 1), (2, 2), (3, 3)]

    def test_get_active(self, spark_case):
        case = spark_case(DURATION)
        StreamingContext = case.StreamingContext
        assert StreamingContext.getActive() is None

        case.ssc.queueStream([[1]]).foreachRDD(lambda rdd: rdd.count())
        case.start()
        assert StreamingContext.getActive() == case.ssc

        case.ssc.stop(False)
        assert StreamingContext.getActive() is None

        # stopped underneath (PySpark: the JVM context), getActive() says None too
        case.new_context()
        case.ssc.queueStream([[1]]).foreachRDD(lambda rdd: rdd.count())
        case.start()
        assert StreamingContext.getActive() == case.ssc
        case.ssc._jssc.stop(False)
        assert StreamingContext.getActive() is None

    def test_get_active_or_create(self, spark_case):
        case = spark_case(DURATION)
        StreamingContext = case.StreamingContext
        case.ssc.stop(False)  # Spark's case starts with no context of its own
        assert StreamingContext.getActive() is None
        calls: list = []

        def setupFunc():
            ssc = case.new_context()
            ssc.queueStream([[1]]).foreachRDD(lambda rdd: rdd.count())
            calls.append("setup")
            return ssc

        # no active context: setupFunc is called
        ssc = StreamingContext.getActiveOrCreate(None, setupFunc)
        assert calls == ["setup"]

        # an active context is returned, setupFunc not called
        case.start()
        calls.clear()
        assert StreamingContext.getActiveOrCreate(None, setupFunc) == ssc
        assert calls == []

        # once it is stopped, setupFunc is called again
        ssc.stop(False)
        ssc = StreamingContext.getActiveOrCreate(None, setupFunc)
        assert calls == ["setup"]

        # a context stopped underneath is not active any more
        ssc = case.new_context()
        ssc.queueStream([[1]]).foreachRDD(lambda rdd: rdd.count())
        case.start()
        assert StreamingContext.getActive() == ssc
        ssc._jssc.stop(False)
        calls.clear()
        StreamingContext.getActiveOrCreate(None, setupFunc)
        assert calls == ["setup"]

    def test_await_termination_or_timeout(self, spark_case):
        case = spark_case(DURATION)
        self.add_input_stream(case)
        case.start()
        assert case.ssc.awaitTerminationOrTimeout(0.001) is False
        case.ssc.stop(False)
        assert case.ssc.awaitTerminationOrTimeout(0.001) is True
