"""One suite, two engines.

By default the conformance tests import ember. With ``EMBER_TEST_ENGINE=spark`` the very same tests
import real PySpark instead, so every assertion here is checked against Spark itself. Expected values
in these tests are literals taken from real Spark runs, never computed by ember.
"""

from __future__ import annotations

import importlib
import os
import pathlib
import shutil
import sys
import tempfile

import pytest

ENGINE = os.environ.get("EMBER_TEST_ENGINE", "ember")
if ENGINE not in ("ember", "spark"):
    raise SystemExit(f"EMBER_TEST_ENGINE must be 'ember' or 'spark', not {ENGINE!r}")

SPARK_CONF = pathlib.Path(__file__).resolve().parents[1] / "spark-conf"

if ENGINE == "spark":
    # PySpark's workers hash with seed 0; its driver hashes too (lookup, partitionBy checks), so it
    # must start with the same seed: setting the variable now would be too late for this process.
    if os.environ.get("PYTHONHASHSEED") != "0":
        raise SystemExit("The Spark lane needs PYTHONHASHSEED=0 in the environment of pytest itself: "
                         "PYTHONHASHSEED=0 EMBER_TEST_ENGINE=spark python -m pytest tests/conformance")
    os.environ.setdefault("SPARK_CONF_DIR", str(SPARK_CONF))
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Spark starts its Python workers with PYSPARK_PYTHON (else `python3` from PATH, which may lack
    # pyarrow and the rest of this lane's packages): use the interpreter running the tests
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


class Engine:
    """The module namespace a test uses: ``engine.SparkContext``, ``engine.StreamingContext``, ..."""

    def __init__(self, name: str) -> None:
        self.name = name
        root = "pyspark" if name == "spark" else "ember"
        self.root = importlib.import_module(root)
        self.SparkContext = self.root.SparkContext
        self.SparkConf = self.root.SparkConf
        self.StorageLevel = self.root.StorageLevel

    def module(self, dotted: str):
        """Import ``<root>.<dotted>``, e.g. ``engine.module("streaming")``."""
        root = "pyspark" if self.name == "spark" else "ember"
        return importlib.import_module(f"{root}.{dotted}" if dotted else root)

    @property
    def is_spark(self) -> bool:
        return self.name == "spark"


@pytest.fixture(scope="session")
def engine() -> Engine:
    e = Engine(ENGINE)
    if e.is_spark:
        _start_plain_jvm(e)
    return e


def _start_plain_jvm(engine: Engine) -> None:
    """Start Spark's JVM before any test makes a context, with none of a test's settings.

    PySpark starts its JVM (through spark-submit) with the first context's settings, and spark-submit
    turns each of them into a JVM system property, which every later ``SparkConf()`` of the process
    loads as a default. Left to the first test, a streaming module's ``spark.default.parallelism=1``
    or manual clock would stay in every later context of that process, so a module's results would
    depend on which module ran first (as pytest-xdist reorders them).
    """
    if engine.SparkContext._gateway is None:
        engine.SparkContext._ensure_initialized()


_current: dict = {"key": None, "sc": None}
_WAREHOUSE = tempfile.mkdtemp(prefix="ember-conformance-warehouse-")


def _context(engine: Engine, master: str = "local[2]", **conf: str):
    """A SparkContext with exactly these settings, reused while the settings stay the same.

    Spark allows one active context per process and starting one costs seconds on the JVM, so tests
    share contexts and only pay for a new one when they need different settings.
    """
    key = (master, tuple(sorted(conf.items())))
    active = engine.SparkContext._active_spark_context
    if _current["key"] == key and _current["sc"] is not None and _current["sc"] is active:
        return _current["sc"]
    if active is not None:
        active.stop()
    c = engine.SparkConf().setMaster(master).setAppName("ember-conformance")
    # tables written by one run must not collide with another's (Spark's default is ./spark-warehouse)
    c.set("spark.sql.warehouse.dir", _WAREHOUSE)
    for k, v in conf.items():
        c.set(k, v)
    sc = engine.SparkContext(conf=c)
    sc.setLogLevel("ERROR")
    _check_settings(sc, conf)
    _current.update(key=key, sc=sc)
    return sc


#: settings a stray JVM default would silently change the answers of (partitions, clocks)
_WATCHED = ("spark.default.parallelism", "spark.streaming.clock", "spark.sql.shuffle.partitions")


def _check_settings(sc, conf: dict) -> None:
    """Fail loudly when a new context has settings it was not given (a default left by another)."""
    got = sc.getConf()
    for key in sorted(set(_WATCHED) | set(conf)):
        if got.get(key) != conf.get(key):
            sc.stop()
            _current.update(key=None, sc=None)
            raise RuntimeError(f"the suite's context has {key}={got.get(key)!r}, asked for "
                               f"{conf.get(key)!r}: a setting leaked from an earlier context")


@pytest.fixture
def make_context(engine):
    """Factory: ``make_context("local[2]", **{"spark.default.parallelism": "1"})``."""

    def make(master: str = "local[2]", **conf: str):
        return _context(engine, master, **conf)

    return make


@pytest.fixture
def sc(engine):
    """The default context of the suite: ``local[2]``, no other settings (as the goldens use)."""
    return _context(engine)


@pytest.fixture
def sc1(engine):
    """A context like Spark's own streaming test harness: ``spark.default.parallelism=1``."""
    return _context(engine, "local[2]", **{"spark.default.parallelism": "1"})


def pytest_sessionfinish(session, exitstatus):
    if _current["sc"] is not None:
        _current["sc"].stop()
        _current.update(key=None, sc=None)
    shutil.rmtree(_WAREHOUSE, ignore_errors=True)


#: the files the collection hook puts first
SLOWEST_FILES = ("test_spark_examples.py", "test_spark_examples_structured.py")


def pytest_collection_modifyitems(session, config, items):
    # Spark's examples start a program (and on Spark a JVM) per case: the slowest files by far, split
    # in two of about equal time (DStream, Structured). Under xdist's --dist loadfile, files go out
    # in collection order, so they go first, one to each worker, not as a tail on one worker while
    # the other idles. (A stable sort: the rest keep their order.)
    items.sort(key=lambda item: item.path.name not in SLOWEST_FILES)


def pytest_report_header(config):
    return f"ember conformance engine: {ENGINE}"


# The case tables sit beside the tests; make them importable as plain modules.
import sys  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))


# -- streaming ---------------------------------------------------------------------------------

MANUAL_CLOCK = "org.apache.spark.util.ManualClock"
GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"


class Streams:
    """A StreamingContext on the manual clock, driven batch by batch (no sleeps) on either engine."""

    def __init__(self, engine: Engine, sc, batch: float) -> None:
        self.engine = engine
        self.sc = sc
        self.ssc = engine.module("streaming").StreamingContext(sc, batch)
        self.driver = None

    def queue(self, batches, slices: int = 1, **kw):
        """A queueStream of ``batches`` (lists), each parallelized into ``slices`` partitions."""
        return self.ssc.queueStream([self.sc.parallelize(b, slices) for b in batches], **kw)

    def collect(self, dstream) -> list:
        """Every batch's ``rdd.collect()``, appended as the batches run (empty batches too)."""
        out: list = []
        dstream.foreachRDD(lambda rdd: out.append(rdd.collect()))
        return out

    def start(self) -> None:
        from ember.testing import BatchDriver

        self.driver = BatchDriver(self.ssc, timeout=60)
        self.ssc.start()

    def run(self, batches: int) -> None:
        """Start if needed, then run ``batches`` batches to completion."""
        if self.driver is None:
            self.start()
        self.driver.advance(batches)

    def close(self) -> None:
        try:
            self.ssc.stop(stopSparkContext=False)
        except Exception:
            pass


@pytest.fixture
def make_streams(engine):
    """Factory: ``make_streams(batch=1, parallelism=1)``; stopped (SparkContext kept) after the test."""
    made: list[Streams] = []

    def make(batch: float = 1.0, parallelism: int | None = 1) -> Streams:
        conf = {"spark.streaming.clock": MANUAL_CLOCK}
        if parallelism is not None:
            conf["spark.default.parallelism"] = str(parallelism)
        s = Streams(engine, _context(engine, "local[2]", **conf), batch)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


@pytest.fixture
def utc():
    """Local time is UTC for the test, so ``Time:`` headers match the goldens."""
    import time

    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


# -- sql ---------------------------------------------------------------------------------------


@pytest.fixture
def spark(engine, sc, utc):
    """A SparkSession on the suite's context, session time zone UTC, 2 shuffle partitions.

    Both engines reuse the active SparkContext; the session is made again only when the context
    changed (a test asked for other settings), as ``builder.getOrCreate()`` does in PySpark.
    """
    session = engine.module("sql").SparkSession.builder.getOrCreate()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    session.conf.set("spark.sql.shuffle.partitions", "2")
    return session


@pytest.fixture
def stop_streams(spark):
    """Stop every streaming query a test left running (modules use it with ``pytestmark``)."""
    yield
    from test_structured_support import stop_all

    stop_all(spark)


@pytest.fixture
def F(engine):
    """The engine's ``sql.functions``."""
    return engine.module("sql.functions")


@pytest.fixture
def errors(engine):
    """The engine's ``errors`` module (AnalysisException, StreamingQueryException, ...)."""
    return engine.module("errors")
