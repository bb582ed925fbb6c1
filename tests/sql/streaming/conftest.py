"""ember-only Structured Streaming tests: a session in UTC and loopback servers."""

from __future__ import annotations

import pytest

from ember.testing import LoopbackServer


@pytest.fixture
def spark():
    from ember.sql import SparkSession

    session = SparkSession.builder.getOrCreate()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    session.conf.set("spark.sql.shuffle.partitions", "2")
    yield session
    for q in list(session.streams.active):
        q.stop()
    session.streams.resetTerminated()


LineServer = LoopbackServer


@pytest.fixture
def server():
    s = LineServer()
    yield s
    s.close()
