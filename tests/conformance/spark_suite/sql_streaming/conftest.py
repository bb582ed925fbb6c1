"""Fixtures for Spark's own Structured Streaming test cases, re-expressed (issue 9).

Spark's cases read ``python/test_support/sql/streaming`` of the Spark source tree: ``text-test.txt``
(two lines) and ``time/text-with-time-test.txt`` (ten ``time;id`` lines). :func:`test_support` lays the
same files out in a scratch directory, so the cases keep their inputs and expected values.
"""

from __future__ import annotations

import contextlib
import pathlib

import pytest
from test_structured_support import stop_all

TEXT_TEST = "hello\nthis"
TEXT_WITH_TIME_TEST = "\n".join([
    "2024-05-24 15:03:20;1",
    "2024-05-24 15:03:21;2",
    "2024-05-24 15:03:24;3",
    "2024-05-24 15:03:25;3",
    "2024-05-24 15:03:31;4",
    "2024-05-24 15:03:31;1",
    "2024-05-24 15:03:32;3",
    "2024-05-24 15:03:45;2",
    "2024-05-24 15:03:46;5",
    "2024-05-24 15:03:50;6",
])


@pytest.fixture(scope="session")
def test_support(tmp_path_factory) -> pathlib.Path:
    """The ``python/test_support/sql`` directory: ``<it>/streaming`` is what the cases read."""
    root = tmp_path_factory.mktemp("test_support") / "sql"
    streaming = root / "streaming"
    (streaming / "time").mkdir(parents=True)
    (streaming / "text-test.txt").write_text(TEXT_TEST, encoding="utf-8")
    (streaming / "time" / "text-with-time-test.txt").write_text(TEXT_WITH_TIME_TEST, encoding="utf-8")
    return root


@pytest.fixture
def streaming_dir(test_support) -> str:
    return str(test_support / "streaming")


@pytest.fixture(autouse=True)
def _no_active_queries(spark):
    stop_all(spark)
    yield
    stop_all(spark)


@pytest.fixture
def sql_conf(spark):
    """``with sql_conf({...}):`` sets session confs and restores them after, like Spark's helper."""

    @contextlib.contextmanager
    def conf(pairs: dict):
        old = {k: spark.conf.get(k, None) for k in pairs}
        for k, v in pairs.items():
            spark.conf.set(k, str(v).lower() if isinstance(v, bool) else v)
        try:
            yield
        finally:
            for k, v in old.items():
                if v is None:
                    spark.conf.unset(k)
                else:
                    spark.conf.set(k, v)

    return conf


@pytest.fixture
def tables(spark):
    """``tables("a", "b")`` names tables/views dropped after the test, like Spark's ``self.table``."""
    names: list[str] = []

    def use(*more: str) -> None:
        names.extend(more)

    yield use
    for name in names:
        spark.sql(f"DROP TABLE IF EXISTS {name}")
        spark.catalog.dropTempView(name)
