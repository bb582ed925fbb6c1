"""Tests here make their own contexts: stop whatever context another suite left active."""

import pytest

from ember import SparkContext


@pytest.fixture(autouse=True, scope="module")
def _no_active_context():
    active = SparkContext._active_spark_context
    if active is not None:
        active.stop()
    yield
