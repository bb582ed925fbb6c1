"""Time windows: ``window()`` (tumbling, sliding, startTime) and ``session_window``.

An event at t belongs to every window [start, start + w) with start = t - (t mod s) - k*s (shifted by
startTime); the window column is a struct ``window`` with ``start``/``end`` timestamps.
"""

import pytest
from sql_cases import WINDOW
from sql_expected import EXPECTED


@pytest.mark.parametrize("name", list(WINDOW))
def test_time_window(spark, engine, name):
    assert WINDOW[name](spark, engine.module("sql.functions")) == EXPECTED[f"window.{name}"]
