"""Polars' library dropped from the page cache before it loads, when it was cached whole (a fresh install)."""

from __future__ import annotations

import os
import sys

import pytest

from ember import _page_cache


def _written(path, size: int = 1 << 20) -> str:
    with open(path, "wb") as fh:
        fh.write(os.urandom(size))
        fh.flush()
        os.fsync(fh.fileno())  # clean pages: the page cache may drop them
    return str(path)


needs_fadvise = pytest.mark.skipif(not hasattr(os, "posix_fadvise") or sys.platform != "linux",
                                   reason="page cache control is Linux's posix_fadvise")


@needs_fadvise
def test_a_file_cached_whole_is_dropped_once(tmp_path):
    lib = _written(tmp_path / "lib.so")
    if _page_cache.cached_share(lib) != 1.0:
        pytest.skip("this filesystem does not keep written pages in the page cache")
    assert _page_cache.shed_if_mostly_cached(lib) is True
    assert _page_cache.cached_share(lib) == 0.0
    assert _page_cache.shed_if_mostly_cached(lib) is False  # nothing left to drop


@needs_fadvise
def test_a_file_cached_in_part_is_left_alone(tmp_path):
    lib = _written(tmp_path / "lib.so", 16 << 20)
    _page_cache.shed_if_mostly_cached(lib)
    with open(lib, "rb") as fh:
        fh.read(1 << 20)  # a part of it (and readahead's): what running a library's usual paths caches
    share = _page_cache.cached_share(lib)
    if share is None or share > _page_cache.MOSTLY_CACHED:
        pytest.skip("readahead cached more than was read here")
    assert _page_cache.shed_if_mostly_cached(lib) is False
    # nothing dropped (readahead may still be adding pages: the share only grows)
    assert _page_cache.cached_share(lib) >= share


def test_missing_or_empty_files_are_left_alone(tmp_path):
    assert _page_cache.shed_if_mostly_cached(str(tmp_path / "nope.so")) is False
    (tmp_path / "empty.so").write_bytes(b"")
    assert _page_cache.cached_share(str(tmp_path / "empty.so")) is None
    assert _page_cache.shed_if_mostly_cached(str(tmp_path / "empty.so")) is False


def test_polars_libraries_are_found():
    libs = _page_cache._polars_libraries()
    assert libs and all(p.endswith(".so") and os.path.getsize(p) > 10 << 20 for p in libs)


def test_shed_runs_once_and_never_after_polars_loaded(monkeypatch):
    seen = []
    monkeypatch.setattr(_page_cache, "shed_if_mostly_cached", seen.append)
    monkeypatch.setattr(_page_cache, "_done", False)
    monkeypatch.setitem(sys.modules, "polars", sys.modules.get("polars") or object())
    _page_cache.shed_polars_pages()  # Polars is loaded: its pages are mapped, nothing to gain
    assert seen == []
    monkeypatch.setattr(_page_cache, "_done", False)
    monkeypatch.delitem(sys.modules, "polars")
    _page_cache.shed_polars_pages()
    _page_cache.shed_polars_pages()
    assert seen == _page_cache._polars_libraries()
