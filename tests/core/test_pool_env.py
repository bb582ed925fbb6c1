"""What a worker process is started with: the seed-0 hash, and glibc told to give big buffers back."""

from __future__ import annotations

import cloudpickle
import pytest

from ember.core.pool import _Worker
from ember.core.shipping import ListSource


def _environment(split, items):
    import os

    return [os.environ.get("MALLOC_MMAP_THRESHOLD_"), os.environ.get("PYTHONHASHSEED")]


@pytest.mark.parametrize(("users", "expected"), [(None, "131072"), ("65536", "65536")])
def test_worker_environment(monkeypatch, users, expected):
    if users is None:
        monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    else:
        monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", users)  # the user's own setting wins
    w = _Worker()
    try:
        ok, value, _ = w.run((cloudpickle.dumps((ListSource(0, [], False, 1), _environment)), []))
    finally:
        w.close()
    assert (ok, value) == (True, [expected, "0"])
