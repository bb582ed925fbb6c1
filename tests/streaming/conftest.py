"""ember-only streaming tests: the engine's own guarantees (timing, memory, flushing)."""

from __future__ import annotations

import pytest

from ember import SparkConf, SparkContext
from ember.testing import MANUAL_CLOCK


@pytest.fixture
def sc():
    active = SparkContext._active_spark_context
    if active is not None:
        active.stop()
    conf = SparkConf().setMaster("local[2]").setAppName("t").set("spark.streaming.clock", MANUAL_CLOCK)
    ctx = SparkContext(conf=conf)
    yield ctx
    ctx.stop()
