"""One suite, two engines.

By default the conformance tests import ember. With ``EMBER_TEST_ENGINE=spark`` the very same tests
import real PySpark instead, so every assertion here is checked against Spark itself. Expected values
in these tests are literals taken from real Spark runs, never computed by ember.
"""

from __future__ import annotations

import importlib
import os
import pathlib

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
    return Engine(ENGINE)


_current: dict = {"key": None, "sc": None}


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
    for k, v in conf.items():
        c.set(k, v)
    sc = engine.SparkContext(conf=c)
    sc.setLogLevel("ERROR")
    _current.update(key=key, sc=sc)
    return sc


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


def pytest_report_header(config):
    return f"ember conformance engine: {ENGINE}"


# The case tables sit beside the tests; make them importable as plain modules.
import sys  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
