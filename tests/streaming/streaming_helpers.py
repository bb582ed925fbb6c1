"""What the ember-only streaming tests share: a fresh context on the manual clock."""

from __future__ import annotations

from ember import SparkConf, SparkContext
from ember.testing import MANUAL_CLOCK


def manual_context(master: str = "local[2]", app: str = "t", settings: dict | None = None) -> SparkContext:
    """A new context whose streams run on the manual clock, after stopping any context still active."""
    active = SparkContext._active_spark_context
    if active is not None:
        active.stop()
    conf = SparkConf().setMaster(master).setAppName(app).set("spark.streaming.clock", MANUAL_CLOCK)
    for key, value in (settings or {}).items():
        conf.set(key, value)
    return SparkContext(conf=conf)
