"""Spark's ``python/pyspark/sql/tests/streaming/test_streaming_foreach.py``, case by case, in our style.

Spark's tester feeds a text directory one file at a time (each file one line) and has the writer
record open/process/close events as files, because writers run in worker processes; the events are
read back and counted. The same inputs and counts, on both engines.
"""

from __future__ import annotations

import pytest
from test_structured_support import Feed, checkpoint, pickle_by_value, read_events, stop_all, write_event


@pytest.fixture(autouse=True)
def _ship_writers(engine):
    pickle_by_value(engine, __name__)


class Tester:
    """Directories for the three kinds of events, and the query runs of Spark's tester."""

    def __init__(self, spark, root):
        self.spark = spark
        self.root = root
        self.dirs = {}
        for kind in ("open", "process", "close"):
            d = root / f"{kind}_events"
            d.mkdir()
            self.dirs[kind] = str(d)
        self.feed = Feed(root, "input")

    def events(self, kind):
        return read_events(self.dirs[kind])

    def run(self, writer, num_files):
        sdf = self.spark.readStream.format("text").load(self.feed.path)
        try:
            sq = sdf.writeStream.foreach(writer).option("checkpointLocation", checkpoint(self.root)).start()
            for _ in range(num_files):
                self.feed.add("text")
                sq.processAllAvailable()
        finally:
            stop_all(self.spark)

    def assert_invalid_writer(self, writer, msg=None):
        with pytest.raises(Exception) as info:
            self.run(writer, 1)
        if msg:
            assert msg in str(info.value)


@pytest.fixture
def tester(spark, tmp_path):
    return Tester(spark, tmp_path)


def _recorders(tester):
    """open/process/close functions writing Spark's event records into the tester's directories."""
    opens, processes, closes = tester.dirs["open"], tester.dirs["process"], tester.dirs["close"]

    def record_open(partition_id, epoch_id):
        write_event(opens, {"partition": partition_id, "epoch": epoch_id})

    def record_process(row):
        write_event(processes, {"value": "text"})

    def record_close(error):
        write_event(closes, {"error": str(error)})

    return record_open, record_process, record_close


def test_streaming_foreach_with_simple_function(tester):
    _, record_process, _ = _recorders(tester)

    def foreach_func(row):
        record_process(row)

    tester.run(foreach_func, 2)
    assert len(tester.events("process")) == 2


def test_streaming_foreach_with_basic_open_process_close(tester):
    record_open, record_process, record_close = _recorders(tester)

    class ForeachWriter:
        def open(self, partitionId, epochId):
            record_open(partitionId, epochId)
            return True

        def process(self, row):
            record_process(row)

        def close(self, error):
            record_close(error)

    tester.run(ForeachWriter(), 2)
    open_events = tester.events("open")
    assert len(open_events) == 2
    assert {e["epoch"] for e in open_events} == {0, 1}
    assert len(tester.events("process")) == 2
    close_events = tester.events("close")
    assert len(close_events) == 2
    assert {e["error"] for e in close_events} == {"None"}


def test_streaming_foreach_with_open_returning_false(tester):
    record_open, record_process, record_close = _recorders(tester)

    class ForeachWriter:
        def open(self, partition_id, epoch_id):
            record_open(partition_id, epoch_id)
            return False

        def process(self, row):
            record_process(row)

        def close(self, error):
            record_close(error)

    tester.run(ForeachWriter(), 2)
    assert len(tester.events("open")) == 2
    assert len(tester.events("process")) == 0
    close_events = tester.events("close")
    assert len(close_events) == 2
    assert {e["error"] for e in close_events} == {"None"}


def test_streaming_foreach_without_open_method(tester):
    _, record_process, record_close = _recorders(tester)

    class ForeachWriter:
        def process(self, row):
            record_process(row)

        def close(self, error):
            record_close(error)

    tester.run(ForeachWriter(), 2)
    assert len(tester.events("open")) == 0
    assert len(tester.events("process")) == 2
    assert len(tester.events("close")) == 2


def test_streaming_foreach_without_close_method(tester):
    record_open, record_process, _ = _recorders(tester)

    class ForeachWriter:
        def open(self, partition_id, epoch_id):
            record_open(partition_id, epoch_id)
            return True

        def process(self, row):
            record_process(row)

    tester.run(ForeachWriter(), 2)
    assert len(tester.events("open")) == 2
    assert len(tester.events("process")) == 2
    assert len(tester.events("close")) == 0


def test_streaming_foreach_without_open_and_close_methods(tester):
    _, record_process, _ = _recorders(tester)

    class ForeachWriter:
        def process(self, row):
            record_process(row)

    tester.run(ForeachWriter(), 2)
    assert len(tester.events("open")) == 0
    assert len(tester.events("process")) == 2
    assert len(tester.events("close")) == 0


def test_streaming_foreach_with_process_throwing_error(engine, tester):
    errors = engine.module("errors")
    _, _, record_close = _recorders(tester)

    class ForeachWriter:
        def process(self, row):
            raise RuntimeError("test error")

        def close(self, error):
            record_close(error)

    with pytest.raises(errors.StreamingQueryException) as info:
        tester.run(ForeachWriter(), 1)
    # Spark master adds the error class FOREACH_USER_FUNCTION_ERROR; 4.3.0 reports PYTHON_EXCEPTION
    assert "test error" in str(info.value)
    assert len(tester.events("process")) == 0
    assert len(tester.events("close")) == 1


def test_streaming_foreach_with_invalid_writers(tester):
    def func_with_iterator_input(iter):
        for x in iter:
            print(x)

    # Spark's check of this writer is vacuous (its self.fail sits inside the try that catches
    # Exception), and a standalone PySpark 4.3.0 run completes: the function iterates the Row it is
    # given. So this writer only has to run or fail cleanly, not hang.
    try:
        tester.run(func_with_iterator_input, 1)
    except Exception:
        pass

    class WriterWithoutProcess:
        def open(self, partition):
            pass

    tester.assert_invalid_writer(WriterWithoutProcess(), "ATTRIBUTE_NOT_CALLABLE")

    class WriterWithNonCallableProcess:
        process = True

    tester.assert_invalid_writer(WriterWithNonCallableProcess(), "ATTRIBUTE_NOT_CALLABLE")

    class WriterWithNoParamProcess:
        def process(self):
            pass

    tester.assert_invalid_writer(WriterWithNoParamProcess())

    class WithProcess:
        def process(self, row):
            pass

    class WriterWithNonCallableOpen(WithProcess):
        open = True

    tester.assert_invalid_writer(WriterWithNonCallableOpen(), "ATTRIBUTE_NOT_CALLABLE")

    class WriterWithNoParamOpen(WithProcess):
        def open(self):
            pass

    tester.assert_invalid_writer(WriterWithNoParamOpen())

    class WriterWithNonCallableClose(WithProcess):
        close = True

    tester.assert_invalid_writer(WriterWithNonCallableClose(), "ATTRIBUTE_NOT_CALLABLE")
