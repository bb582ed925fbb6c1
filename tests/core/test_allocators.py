"""The allocators' settings ember makes for a long-running process, and a user's own winning."""

from __future__ import annotations

import os
import subprocess
import sys

from ember import _allocators

SHOW = "import ember, os; print(os.environ.get('_RJEM_MALLOC_CONF'))"


def _conf(env: dict) -> str:
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"} | env
    out = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True, env=env, check=True)
    return out.stdout.strip()


def test_polars_allocator_is_set_up_on_import_unless_the_user_did():
    assert _conf({}) == "narenas:1,dirty_decay_ms:250,muzzy_decay_ms:0"
    assert _conf({"_RJEM_MALLOC_CONF": "narenas:4"}) == "narenas:4"


def test_one_malloc_arena_is_asked_for_once_and_not_against_the_users_setting(monkeypatch):
    calls = []
    monkeypatch.setattr(_allocators, "_arena_set", False)
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    monkeypatch.setattr("ctypes.CDLL", lambda name: calls.append(name))
    _allocators.one_malloc_arena()
    assert (calls, _allocators._arena_set) == ([], False)
    monkeypatch.delenv("MALLOC_ARENA_MAX")

    class Libc:
        def mallopt(self, param, value):
            calls.append((param, value))
            return 1

    monkeypatch.setattr("ctypes.CDLL", lambda name: Libc())
    _allocators.one_malloc_arena()
    _allocators.one_malloc_arena()
    assert calls == [(-8, 1)]  # M_ARENA_MAX = 1, once
