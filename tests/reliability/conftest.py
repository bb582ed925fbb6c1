"""Reliability tests: crashes, outages, floods and junk on loopback sockets, each bounded in time.

They run on ember only (each checks an ember guarantee, or ember against outputs captured from Spark).
Servers bind 127.0.0.1 on ephemeral ports; consumers that must be killed run as subprocesses.
"""

from __future__ import annotations

import pytest
from reliability_helpers import OneClientServer

from ember import SparkConf, SparkContext
from ember.testing import MANUAL_CLOCK


@pytest.fixture
def sc():
    """A local[2] SparkContext on the manual clock (batches run only when a test advances them)."""
    active = SparkContext._active_spark_context
    if active is not None:
        active.stop()
    ctx = SparkContext(conf=SparkConf().setMaster("local[2]").setAppName("reliability")
                       .set("spark.streaming.clock", MANUAL_CLOCK))
    yield ctx
    ctx.stop()


@pytest.fixture
def server():
    s = OneClientServer()
    yield s
    s.close()
