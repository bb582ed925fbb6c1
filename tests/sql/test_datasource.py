"""ember's own behaviour of Python data sources, where it differs from Spark on purpose.

Spark reads lazily in Python workers, one write task per partition; ember reads a batch source at
``load()`` and writes each batch (or DataFrame) in one task, so ``commit`` gets one message.
"""

from __future__ import annotations

import pytest

from ember.errors import PythonException
from ember.sql.datasource import DataSource, DataSourceReader, DataSourceStreamWriter, WriterCommitMessage


class _Reader(DataSourceReader):
    def __init__(self, reads: list) -> None:
        self.reads = reads

    def read(self, partition):
        self.reads.append(partition.value)
        yield (1,)


def test_batch_source_is_read_at_load(spark):
    reads: list = []

    class Eager(DataSource):
        def schema(self):
            return "a INT"

        def reader(self, schema):
            return _Reader(reads)

    spark.dataSource.register(Eager)
    df = spark.read.format("eager").load()
    assert reads == [None]
    assert df.collect()[0].a == 1
    assert reads == [None]  # the rows are kept: collect() does not read again


def test_bad_values_fail_at_load(spark):
    class Reader(DataSourceReader):
        def read(self, partition):
            yield ("not a number",)

    class Bad(DataSource):
        def schema(self):
            return "a INT"

        def reader(self, schema):
            return Reader()

    spark.dataSource.register(Bad)
    with pytest.raises(PythonException, match="An exception was thrown from the Python worker"):
        spark.read.format("Bad").load()


def test_stream_writer_commits_one_message_per_batch(spark):
    seen: list = []

    class Count(WriterCommitMessage):
        def __init__(self, n):
            self.n = n

    class Writer(DataSourceStreamWriter):
        def write(self, iterator):
            return Count(len(list(iterator)))

        def commit(self, messages, batchId):
            seen.append((batchId, [m.n for m in messages]))

    class Out(DataSource):
        def schema(self):
            return "value LONG"

        def streamWriter(self, schema, overwrite):
            return Writer()

    spark.dataSource.register(Out)
    stream = spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 4).option("numPartitions", 2)
    q = stream.load().select("value").writeStream.format("Out").trigger(availableNow=True).start()
    q.awaitTermination(60)
    assert seen == [(0, [4])]
