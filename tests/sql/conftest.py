"""Fixtures for ember's own DataFrame tests (ember only; Spark behaviour lives in tests/conformance)."""

from __future__ import annotations

import os
import time

import pytest


@pytest.fixture
def spark():
    from ember import SparkContext
    from ember.sql import SparkSession

    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    SparkContext.getOrCreate()
    session = SparkSession.builder.getOrCreate()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    yield session
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()
