"""Python data sources (``pyspark.sql.datasource``): registration, batch and streaming reads, errors.

Expected values and messages were captured from PySpark 4.3.0 (local[2], UTC). On Spark the readers
run in Python workers, so the data source classes are made inside functions (pickled by value) and
the calls a reader sees are logged to a file named by an option, not to a list.

Spark's Python data sources need pyarrow in the Spark virtualenv; the Spark lane skips this file
without it.
"""

from __future__ import annotations

import ast
import json
import os
import pathlib
import sys

import pytest
from test_structured_support import checkpoint, stop_all

if os.environ.get("EMBER_TEST_ENGINE") == "spark":
    # Spark's Python data sources move rows through Arrow: without pyarrow no reader can run at all
    pytest.importorskip("pyarrow", reason="Spark's Python data sources need pyarrow in the Spark virtualenv")
    # the Python workers that run the readers must be this Python (it has pyarrow); set before the
    # suite's first SparkContext starts, which is after collection
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


@pytest.fixture(autouse=True)
def _stop_queries(spark):
    stop_all(spark)
    yield
    stop_all(spark)


@pytest.fixture
def ds(engine):
    return engine.module("sql.datasource")


@pytest.fixture
def limits(engine):
    return engine.module("sql.streaming.datasource")


def rows(df) -> list[tuple]:
    return [tuple(r) for r in df.collect()]


def calls(path: pathlib.Path) -> list:
    return [ast.literal_eval(line) for line in path.read_text().splitlines()] if path.exists() else []


def last_offset(chk: str, batch: int) -> str:
    """The source offset line of ``offsets/<batch>`` (after the version and the metadata)."""
    return (pathlib.Path(chk) / "offsets" / str(batch)).read_text().split("\n")[2]


# -- batch reads --------------------------------------------------------------------------------


def batch_sources(ds):
    class RangeReader(ds.DataSourceReader):
        def __init__(self, options):
            self.options = options

        def partitions(self):
            return [ds.InputPartition(i) for i in range(3)]

        def read(self, partition):
            prefix = self.options.get("prefix", "x")
            for j in range(2):
                yield (partition.value * 10 + j, f"{prefix}{j}")

    class Ranged(ds.DataSource):
        @classmethod
        def name(cls):
            return "ranged"

        def schema(self):
            return "id INT, name STRING"

        def reader(self, schema):
            return RangeReader(self.options)

    class OptionsReader(ds.DataSourceReader):
        def __init__(self, options, schema):
            self.options, self.schema = options, schema

        def read(self, partition):
            yield (repr(partition), json.dumps(sorted(self.options.items())), self.schema.simpleString(),
                   type(self.options).__name__, "PATH" in self.options)

    class Echo(ds.DataSource):
        def schema(self):
            return "p STRING, options STRING, schema STRING, kind STRING, has_path BOOLEAN"

        def reader(self, schema):
            return OptionsReader(self.options, schema)

    return Ranged, Echo


def test_batch_read(spark, ds):
    ranged, echo = batch_sources(ds)
    spark.dataSource.register(ranged)
    df = spark.read.format("ranged").option("PreFix", "p").load()
    assert df.columns == ["id", "name"]
    assert df.schema.simpleString() == "struct<id:int,name:string>"
    assert rows(df) == [(0, "p0"), (1, "p1"), (10, "p0"), (11, "p1"), (20, "p0"), (21, "p1")]
    # the format name in any case; a user schema replaces schema()
    assert spark.read.format("RANGED").load().count() == 6
    user = spark.read.format("ranged").schema("a INT, b STRING").load()
    assert rows(user.limit(2)) == [(0, "x0"), (1, "x1")]


def test_batch_options_default_name_and_partition(spark, ds):
    _, echo = batch_sources(ds)
    spark.dataSource.register(echo)  # name() defaults to the class name
    got = rows(spark.read.format("Echo").option("Key", "v").load("some/path"))
    assert got == [("InputPartition(value=None)", '[["key", "v"], ["path", "some/path"]]',
                    "struct<p:string,options:string,schema:string,kind:string,has_path:boolean>",
                    "CaseInsensitiveDict", True)]


def test_batch_rows_lists_and_types(spark, ds, engine):
    spark_row = engine.module("sql").Row
    struct = engine.module("sql.types").StructType

    class Reader(ds.DataSourceReader):
        def partitions(self):
            return []  # no partitions: one InputPartition(None)

        def read(self, partition):
            yield spark_row(b="x", a=1, i=None, d=1.5, t=True)
            yield [2, "y", 7, None, None]
            yield (3, None, None, -0.5, False)

    class Mixed(ds.DataSource):
        @classmethod
        def name(cls):
            return "mixed"

        def schema(self):
            return struct.fromJson({"type": "struct", "fields": [
                {"name": "a", "type": "integer", "nullable": True, "metadata": {}},
                {"name": "b", "type": "string", "nullable": True, "metadata": {}},
                {"name": "i", "type": "long", "nullable": True, "metadata": {}},
                {"name": "d", "type": "double", "nullable": True, "metadata": {}},
                {"name": "t", "type": "boolean", "nullable": True, "metadata": {}}]})

        def reader(self, schema):
            return Reader()

    spark.dataSource.register(Mixed)
    df = spark.read.format("mixed").load()
    assert rows(df) == [(1, "x", None, 1.5, True), (2, "y", 7, None, None), (3, None, None, -0.5, False)]
    assert df.schema.simpleString() == "struct<a:int,b:string,i:bigint,d:double,t:boolean>"


def test_reregister_replaces(spark, ds):
    def make(value):
        class Reader(ds.DataSourceReader):
            def read(self, partition):
                yield (value,)

        class Again(ds.DataSource):
            @classmethod
            def name(cls):
                return "again"

            def schema(self):
                return "z INT"

            def reader(self, schema):
                return Reader()

        return Again

    spark.dataSource.register(make(1))
    spark.dataSource.register(make(42))
    assert rows(spark.read.format("again").load()) == [(42,)]


def test_base_classes(ds, limits):
    assert repr(ds.InputPartition(5)) == "InputPartition(value=5)"
    assert repr(ds.InputPartition("a")) == "InputPartition(value='a')"

    class Block(ds.InputPartition):
        def __init__(self, a, b):
            self.a, self.b = a, b

    assert repr(Block(1, "x")) == "Block(a=1, b='x')"
    assert ds.DataSource.name() == "DataSource"
    source = ds.DataSource({})
    for method, args in [("schema", ()), ("reader", (None,)), ("streamReader", (None,)),
                         ("simpleStreamReader", (None,)), ("writer", (None, False))]:
        with pytest.raises(NotImplementedError) as e:
            getattr(source, method)(*args)
        assert str(e.value) == f"[NOT_IMPLEMENTED] {method} is not implemented."
    for cls in (ds.DataSourceReader, ds.DataSourceStreamReader):
        with pytest.raises(TypeError, match=f"Can't instantiate abstract class {cls.__name__}"):
            cls()

    class Stream(ds.DataSourceStreamReader):
        def read(self, partition):
            return iter([])

    s = Stream()
    assert s.getDefaultReadLimit() == limits.ReadAllAvailable()
    assert s.reportLatestOffset() is None
    assert s.commit({}) is None
    with pytest.raises(NotImplementedError, match=r"^\[NOT_IMPLEMENTED\] initialOffset is not implemented"):
        s.initialOffset()
    simple = ds.SimpleDataSourceStreamReader()
    assert simple.commit({}) is None
    with pytest.raises(NotImplementedError, match=r"^\[NOT_IMPLEMENTED\] readBetweenOffsets is not"):
        simple.readBetweenOffsets({}, {})
    assert repr(limits.ReadMaxRows(20)) == "ReadMaxRows(max_rows=20)"
    assert limits.ReadMaxRows(20).max_rows == 20


# -- errors -------------------------------------------------------------------------------------


def failing(ds, name, schema="a INT", reader=None, read=None, partitions=None):
    """A data source whose reader returns ``read()``'s value (or whose ``reader`` is ``reader``)."""

    class Reader(ds.DataSourceReader):
        def read(self, partition):
            return read()

    if partitions is not None:
        Reader.partitions = lambda self: partitions()

    class Failing(ds.DataSource):
        @classmethod
        def name(cls):
            return name

        def schema(self):
            return schema

    if reader is not None:
        Failing.reader = lambda self, schema: reader()
    elif read is not None:
        Failing.reader = lambda self, schema: Reader()
    return Failing


def last_line(error: BaseException) -> str:
    """The worker's own error: the last line of its traceback (without Spark's SQLSTATE line)."""
    lines = [ln for ln in str(error).splitlines() if ln.strip() and not ln.startswith(" SQLSTATE")]
    return lines[-1].split(": ", 1)[1]


@pytest.mark.parametrize("name, schema, produce, expected", [
    ("badlen", "id INT, name STRING", lambda: iter([(1, "a", 3)]),
     "[DATA_SOURCE_RETURN_SCHEMA_MISMATCH] Return schema mismatch in the result from 'read' method. "
     "Expected: 2 columns, Found: 3 columns. Make sure the returned values match the required output "
     "schema."),
    ("badtype", "id INT", lambda: iter([1]),
     "[DATA_SOURCE_INVALID_RETURN_TYPE] Unsupported return type ('int') from Python data source 'badtype'. "
     "Expected types: tuple, list, `pyspark.sql.types.Row`, `pyarrow.RecordBatch`."),
    ("listret", "id INT", lambda: [(1,)],
     "[DATA_SOURCE_INVALID_RETURN_TYPE] Unsupported return type ('list') from Python data source 'listret'. "
     "Expected types: iterator."),
    ("usererr", "id INT", lambda: (_ for _ in ()).throw(ValueError("boom")), "boom"),
])
def test_read_errors(spark, ds, errors, name, schema, produce, expected):
    spark.dataSource.register(failing(ds, name, schema, read=produce))
    with pytest.raises(errors.PythonException) as e:
        spark.read.format(name).load().collect()
    assert str(e.value).startswith("An exception was thrown from the Python worker:\nTraceback")
    assert last_line(e.value) == expected


def test_row_field_mismatch(spark, ds, errors, engine):
    row = engine.module("sql").Row
    spark.dataSource.register(failing(ds, "rowbad", "a INT, b STRING", read=lambda: iter([row(a=1, c="x")])))
    with pytest.raises(errors.PythonException) as e:
        spark.read.format("rowbad").load().collect()
    assert last_line(e.value) == (
        "[DATA_SOURCE_RETURN_SCHEMA_MISMATCH] Return schema mismatch in the result from 'read' method. "
        "Expected: ['a', 'b'] columns, Found: ['a', 'c'] columns. Make sure the returned values match the "
        "required output schema.")


def test_planning_errors(spark, ds, errors):
    cases = [
        (failing(ds, "noreader"), "Failed to initialize Python data source reader: ",
         "[NOT_IMPLEMENTED] reader is not implemented."),
        (failing(ds, "rwt", reader=lambda: 5), "Failed to initialize Python data source reader: ",
         "[DATA_SOURCE_TYPE_MISMATCH] Expected an instance of DataSourceReader, but got 'int'."),
        (failing(ds, "partsbad", read=lambda: iter([(1,)]), partitions=lambda: (ds.InputPartition(1),)),
         "Failed to generate Python data source read partitions: ",
         "[DATA_SOURCE_TYPE_MISMATCH] Expected 'partitions' to return a list, but got 'tuple'."),
    ]
    for cls, head, tail in cases:
        spark.dataSource.register(cls)
        with pytest.raises(errors.AnalysisException) as e:
            spark.read.format(cls.name()).load().collect()
        text = str(e.value)
        assert text.startswith(f"[PYTHON_DATA_SOURCE_ERROR] {head}Traceback (most recent call last):\n"), text
        assert text.rstrip().endswith(f"{tail}\n SQLSTATE: 38000"), text


def test_schema_not_implemented(spark, ds, errors):
    class NoSchema(ds.DataSource):
        pass

    spark.dataSource.register(NoSchema)
    with pytest.raises(errors.AnalysisException) as e:
        spark.read.format("NoSchema").load()
    text = str(e.value)
    assert text.startswith("[PYTHON_DATA_SOURCE_ERROR] Failed to create Python data source instance: Trace")
    assert text.rstrip().endswith("[NOT_IMPLEMENTED] schema is not implemented.\n SQLSTATE: 38000"), text


def test_register_needs_a_class(spark):
    with pytest.raises(AttributeError, match="'int' object has no attribute 'name'"):
        spark.dataSource.register(1)


# -- streaming reads ----------------------------------------------------------------------------


def stream_sources(ds, limits):
    class Part(ds.InputPartition):
        def __init__(self, start, end):
            self.start, self.end = start, end

    def logger(options):
        def log(*args):
            with open(options["log"], "a") as fh:
                fh.write(repr(args) + "\n")
        return log

    class CountReader(ds.DataSourceStreamReader):
        """Old-style ``latestOffset()``: two more rows per call, up to 6."""

        def __init__(self, options):
            self.log, self.n = logger(options), 0

        def initialOffset(self):
            return {"offset": 0}

        def latestOffset(self):
            self.n += 1
            return {"offset": min(self.n * 2, 6)}

        def partitions(self, start, end):
            self.log("partitions", start, end)
            return [Part(start["offset"], end["offset"])]

        def read(self, partition):
            for i in range(partition.start, partition.end):
                yield (i, f"v{i}")

        def commit(self, end):
            self.log("commit", end)

    class Counter(ds.DataSource):
        @classmethod
        def name(cls):
            return "counter"

        def schema(self):
            return "id INT, v STRING"

        def streamReader(self, schema):
            return CountReader(self.options)

    class LimitedReader(ds.DataSourceStreamReader):
        """Admission control: at most three rows a batch, seven in all."""

        def __init__(self, options):
            self.log = logger(options)

        def initialOffset(self):
            return {"b": 0}

        def getDefaultReadLimit(self):
            return limits.ReadMaxRows(3)

        def latestOffset(self, start, limit):
            self.log("latestOffset", start, repr(limit))
            if start["b"] >= 7:
                return start
            if isinstance(limit, limits.ReadAllAvailable):
                return {"b": 7}
            return {"b": min(start["b"] + limit.max_rows, 7)}

        def partitions(self, start, end):
            return [Part(start["b"], end["b"])] if start["b"] < end["b"] else []

        def read(self, partition):
            for i in range(partition.start, partition.end):
                yield (i,)

    class Limited(ds.DataSource):
        @classmethod
        def name(cls):
            return "limited"

        def schema(self):
            return "b INT"

        def streamReader(self, schema):
            return LimitedReader(self.options)

    class SimpleReader(ds.SimpleDataSourceStreamReader):
        """Two rows a read, four in all."""

        def __init__(self, options):
            self.log = logger(options)

        def initialOffset(self):
            return {"i": 0}

        def read(self, start):
            self.log("read", start)
            s = start["i"]
            if s >= 4:
                return iter([]), start
            return iter([(s,), (s + 1,)]), {"i": s + 2}

        def readBetweenOffsets(self, start, end):
            self.log("readBetweenOffsets", start, end)
            return iter([(i,) for i in range(start["i"], end["i"])])

        def commit(self, end):
            self.log("commit", end)

    class Simple(ds.DataSource):
        @classmethod
        def name(cls):
            return "simple_stream"

        def schema(self):
            return "i INT"

        def simpleStreamReader(self, schema):
            return SimpleReader(self.options)

    return Counter, Limited, Simple


def test_stream_reader(spark, ds, limits, tmp_path):
    counter, _, _ = stream_sources(ds, limits)
    spark.dataSource.register(counter)
    log, chk = tmp_path / "calls.txt", checkpoint(tmp_path)
    df = spark.readStream.format("counter").option("log", str(log)).load()
    assert df.isStreaming is True
    assert df.schema.simpleString() == "struct<id:int,v:string>"
    q = df.writeStream.format("memory").queryName("ds_counter").option("checkpointLocation", chk).start()
    q.processAllAvailable()
    q.processAllAvailable()
    assert rows(spark.table("ds_counter")) == [(0, "v0"), (1, "v1"), (2, "v2"), (3, "v3"), (4, "v4"),
                                               (5, "v5")]
    q.stop()
    # the reader's dicts, as json.dumps writes them, in the offset log
    assert [last_offset(chk, n) for n in range(3)] == ['{"offset": 2}', '{"offset": 4}', '{"offset": 6}']
    got = calls(log)
    assert [c for c in got if c[0] == "partitions"] == [
        ("partitions", {"offset": 0}, {"offset": 2}), ("partitions", {"offset": 2}, {"offset": 4}),
        ("partitions", {"offset": 4}, {"offset": 6})]
    # a batch's offsets are committed to the source once it is done (Spark: when the next one starts)
    commits = [c for c in got if c[0] == "commit"]
    expected = [("commit", {"offset": 2}), ("commit", {"offset": 4}), ("commit", {"offset": 6})]
    assert commits == expected[:len(commits)]
    assert len(commits) >= 2


def test_admission_control(spark, ds, limits, tmp_path):
    _, limited, _ = stream_sources(ds, limits)
    spark.dataSource.register(limited)
    log, chk = tmp_path / "calls.txt", checkpoint(tmp_path)
    got: list = []
    df = spark.readStream.format("limited").option("log", str(log)).load()
    q = (df.writeStream.foreachBatch(lambda b, i: got.append((i, rows(b))))
         .option("checkpointLocation", chk).start())
    q.processAllAvailable()
    q.stop()
    assert got == [(0, [(0,), (1,), (2,)]), (1, [(3,), (4,), (5,)]), (2, [(6,)])]
    assert [last_offset(chk, n) for n in range(3)] == ['{"b": 3}', '{"b": 6}', '{"b": 7}']
    asked = calls(log)
    assert asked[:3] == [("latestOffset", {"b": 0}, "ReadMaxRows(max_rows=3)"),
                         ("latestOffset", {"b": 3}, "ReadMaxRows(max_rows=3)"),
                         ("latestOffset", {"b": 6}, "ReadMaxRows(max_rows=3)")]
    assert {c[1]["b"] for c in asked[3:]} == {7}

    # a restart from the checkpoint goes on from the last committed offset: nothing new
    log.unlink()
    again: list = []
    q = (df.writeStream.foreachBatch(lambda b, i: again.append((i, rows(b))))
         .option("checkpointLocation", chk).start())
    q.processAllAvailable()
    q.stop()
    assert [b for b in again if b[1]] == []
    assert {c[1]["b"] for c in calls(log)} == {7}


def test_simple_stream_reader(spark, ds, limits, tmp_path):
    _, _, simple = stream_sources(ds, limits)
    spark.dataSource.register(simple)
    log, chk = tmp_path / "calls.txt", checkpoint(tmp_path)
    df = spark.readStream.format("simple_stream").option("log", str(log)).load()
    q = df.writeStream.format("memory").queryName("ds_simple").option("checkpointLocation", chk).start()
    q.processAllAvailable()
    q.stop()
    assert rows(spark.table("ds_simple")) == [(0,), (1,), (2,), (3,)]
    assert [last_offset(chk, n) for n in range(2)] == ['{"i": 2}', '{"i": 4}']
    got = calls(log)
    # the rows come from read(start) and are kept for their batch: no readBetweenOffsets
    reads = [c for c in got if c[0] == "read"]
    assert reads[:3] == [("read", {"i": 0}), ("read", {"i": 2}), ("read", {"i": 4})]
    assert not [c for c in got if c[0] == "readBetweenOffsets"]


def test_simple_reader_must_advance(spark, ds, errors):
    class Stuck(ds.SimpleDataSourceStreamReader):
        def initialOffset(self):
            return {"i": 0}

        def read(self, start):
            return iter([(1,)]), start

    class StuckSource(ds.DataSource):
        @classmethod
        def name(cls):
            return "stuck"

        def schema(self):
            return "i INT"

        def simpleStreamReader(self, schema):
            return Stuck()

    spark.dataSource.register(StuckSource)
    q = spark.readStream.format("stuck").load().writeStream.format("memory").queryName("ds_stuck").start()
    with pytest.raises(errors.StreamingQueryException) as e:
        q.awaitTermination(120)
    assert ("[SIMPLE_STREAM_READER_OFFSET_DID_NOT_ADVANCE] SimpleDataSourceStreamReader.read() returned a "
            'non-empty batch but the end offset: {"i": 0} did not advance past the start offset: {"i": 0}. '
            "The end offset must represent the position after the last record returned.") in str(e.value)


# -- writes -------------------------------------------------------------------------------------


def sink_source(ds):
    class Message(ds.WriterCommitMessage):
        def __init__(self, n):
            self.n = n

        def __repr__(self):
            return f"Message({self.n})"

    class Writer(ds.DataSourceWriter):
        def __init__(self, options, overwrite):
            self.options, self.overwrite = options, overwrite

        def log(self, *args):
            with open(self.options["log"], "a") as fh:
                fh.write(repr(args) + "\n")

        def write(self, iterator):
            got = [(type(r).__name__, r.asDict()) for r in iterator]
            self.log("write", self.overwrite, got)
            if self.options.get("fail"):
                raise ValueError("nope")
            return Message(len(got))

        def commit(self, messages):
            self.log("commit", repr(messages))

        def abort(self, messages):
            self.log("abort", repr(messages))

    class StreamWriter(ds.DataSourceStreamWriter):
        def __init__(self, options):
            self.options = options

        def write(self, iterator):
            got = [tuple(r) for r in iterator]
            with open(self.options["log"], "a") as fh:
                fh.write(repr(("write", got)) + "\n")
            return Message(len(got))

        def commit(self, messages, batchId):
            with open(self.options["log"], "a") as fh:
                fh.write(repr(("commit", sum(m.n for m in messages), batchId)) + "\n")

    class Sink(ds.DataSource):
        @classmethod
        def name(cls):
            return "sink"

        def schema(self):
            return "a INT, b STRING"

        def writer(self, schema, overwrite):
            return Writer(self.options, overwrite)

        def streamWriter(self, schema, overwrite):
            return StreamWriter(self.options)

    return Sink


def test_batch_write(spark, ds, errors, tmp_path):
    spark.dataSource.register(sink_source(ds))
    log = tmp_path / "calls.txt"
    df = spark.createDataFrame([(1, "x"), (2, "y")], "a INT, b STRING").coalesce(1)
    df.write.format("sink").mode("append").option("log", str(log)).save()
    df.write.format("sink").mode("overwrite").option("log", str(log)).save()
    rows_ = [("Row", {"a": 1, "b": "x"}), ("Row", {"a": 2, "b": "y"})]
    assert calls(log) == [("write", False, rows_), ("commit", "[Message(2)]"),
                          ("write", True, rows_), ("commit", "[Message(2)]")]
    log.unlink()
    with pytest.raises(errors.PythonException) as e:
        df.write.format("sink").mode("append").option("log", str(log)).option("fail", "1").save()
    assert last_line(e.value) == "nope"
    assert calls(log) == [("write", False, rows_), ("abort", "[None]")]
    for mode, shown in [(None, "ErrorIfExists"), ("error", "ErrorIfExists"), ("ignore", "Ignore")]:
        with pytest.raises(errors.AnalysisException) as e:
            df.write.format("sink").mode(mode).save()
        assert str(e.value) == (
            f'[UNSUPPORTED_DATA_SOURCE_SAVE_MODE] The data source "sink" cannot be written in the "{shown}" '
            'mode. Please use either the "Append" or "Overwrite" mode instead. SQLSTATE: 0A000')


def test_batch_write_needs_a_writer(spark, ds, errors):
    spark.dataSource.register(failing(ds, "nowriter"))
    with pytest.raises(errors.AnalysisException) as e:
        spark.range(1).write.format("nowriter").mode("append").save()
    text = str(e.value)
    assert text.startswith("[PYTHON_DATA_SOURCE_ERROR] Failed to initialize Python data source writer: Trace")
    assert text.rstrip().endswith("[NOT_IMPLEMENTED] writer is not implemented.\n SQLSTATE: 38000"), text


def test_stream_write(spark, ds, tmp_path):
    spark.dataSource.register(sink_source(ds))
    log = tmp_path / "calls.txt"
    df = (spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 3).load()
          .selectExpr("CAST(value AS INT) a", "CAST(value AS STRING) b"))
    q = (df.writeStream.format("sink").option("log", str(log)).trigger(availableNow=True)
         .option("checkpointLocation", checkpoint(tmp_path)).start())
    q.awaitTermination(120)
    got = calls(log)
    # one commit per batch with every row's message (Spark: a write per partition)
    assert [c for c in got if c[0] == "commit"] == [("commit", 3, 0)]
    assert sorted(r for c in got if c[0] == "write" for r in c[1]) == [(0, "0"), (1, "1"), (2, "2")]


@pytest.mark.parametrize("trigger", [{"availableNow": True}, {"once": True}])
def test_admission_control_triggers(spark, ds, limits, tmp_path, trigger):
    # once, and availableNow for a reader without SupportsTriggerAvailableNow: one batch of everything,
    # the read limit set aside
    _, limited, _ = stream_sources(ds, limits)
    spark.dataSource.register(limited)
    got: list = []
    df = spark.readStream.format("limited").option("log", str(tmp_path / "calls.txt")).load()
    q = (df.writeStream.foreachBatch(lambda b, i: got.append((i, rows(b)))).trigger(**trigger)
         .option("checkpointLocation", checkpoint(tmp_path)).start())
    q.awaitTermination(120)
    assert got == [(0, [(0,), (1,), (2,), (3,), (4,), (5,), (6,)])]


def test_available_now_reader(spark, ds, limits, tmp_path):
    # a reader with SupportsTriggerAvailableNow fixes its target first, then reads within its limit
    class Reader(ds.DataSourceStreamReader, limits.SupportsTriggerAvailableNow):
        def __init__(self):
            self.target = 7

        def prepareForTriggerAvailableNow(self):
            self.target = 5

        def initialOffset(self):
            return {"b": 0}

        def getDefaultReadLimit(self):
            return limits.ReadMaxRows(3)

        def latestOffset(self, start, limit):
            return {"b": min(start["b"] + limit.max_rows, self.target)}

        def partitions(self, start, end):
            return [ds.InputPartition((start["b"], end["b"]))] if start["b"] < end["b"] else []

        def read(self, partition):
            for i in range(*partition.value):
                yield (i,)

    class Capped(ds.DataSource):
        @classmethod
        def name(cls):
            return "capped"

        def schema(self):
            return "b INT"

        def streamReader(self, schema):
            return Reader()

    spark.dataSource.register(Capped)
    got: list = []
    q = (spark.readStream.format("capped").load().writeStream.trigger(availableNow=True)
         .foreachBatch(lambda b, i: got.append((i, rows(b))))
         .option("checkpointLocation", checkpoint(tmp_path)).start())
    q.awaitTermination(120)
    assert got == [(0, [(0,), (1,), (2,)]), (1, [(3,), (4,)])]


def test_push_filters_needs_the_setting(spark, ds, errors):
    class Reader(ds.DataSourceReader):
        def pushFilters(self, filters):
            return filters

        def read(self, partition):
            yield (1,)

    spark.dataSource.register(failing(ds, "pushy", reader=Reader))
    with pytest.raises(errors.AnalysisException) as e:
        spark.read.format("pushy").load().collect()
    text = str(e.value)
    assert text.startswith("[PYTHON_DATA_SOURCE_ERROR] Failed to initialize Python data source reader: Trace")
    assert text.rstrip().endswith(
        "[DATA_SOURCE_PUSHDOWN_DISABLED] Reader implements pushFilters() but filter pushdown is disabled "
        "because configuration 'spark.sql.python.filterPushdown.enabled' is false. Set it to true to "
        "enable filter pushdown.\n SQLSTATE: 38000"), text


def test_first_batch_runs_without_data(spark, ds):
    # batch 0 runs even when the newest offset is the initial one
    class Still(ds.DataSourceStreamReader):
        def initialOffset(self):
            return {"o": 0}

        def latestOffset(self, start, limit):
            return start

        def partitions(self, start, end):
            return []

        def read(self, partition):
            yield (1,)

    class StillSource(ds.DataSource):
        @classmethod
        def name(cls):
            return "still"

        def schema(self):
            return "a INT"

        def streamReader(self, schema):
            return Still()

    spark.dataSource.register(StillSource)
    got: list = []
    q = spark.readStream.format("still").load().writeStream.foreachBatch(
        lambda b, i: got.append((i, b.count()))).start()
    q.processAllAvailable()
    q.processAllAvailable()
    q.stop()
    assert got == [(0, 0)]
