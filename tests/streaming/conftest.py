"""ember-only streaming tests: the engine's own guarantees (timing, memory, flushing)."""

from __future__ import annotations

import pytest
from streaming_helpers import manual_context


@pytest.fixture
def sc():
    ctx = manual_context()
    yield ctx
    ctx.stop()
