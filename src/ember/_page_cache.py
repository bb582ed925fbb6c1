"""Polars' library in the page cache: a fresh install would cost every process ~20 MB more RSS.

Polars is one shared library of ~170 MB. A process maps the parts it runs, and on each page fault
Linux also maps the neighbouring pages that are already in the page cache (fault-around). Right after
``pip install`` (or anything else that read the file whole) all of it is cached, so every fault maps
its whole neighbourhood: the socket word count's driver held 52 MiB of the library instead of the
30-31 it holds once the cache has only what was run (fresh virtualenv against an older one, same
program, every run). So before Polars is first loaded, a library that is mostly in the page cache is
dropped from it (``posix_fadvise(DONTNEED)``, which leaves alone the pages other processes have
mapped); the pages the process runs are read back, ~0.2 s once, and the next processes find the cache
as they need it. Linux only; anywhere else, or on any error, nothing happens.
"""

from __future__ import annotations

import os
import sys

#: the share of the library cached above which it was read or written whole, not just run (right after
#: an install: all of it; after processes ran Polars' usual paths: ~2/3 here)
MOSTLY_CACHED = 0.9
_done = False


def shed_polars_pages() -> None:
    """Drop Polars' library from the page cache if most of it is there (once per process, before
    Polars loads)."""
    global _done
    if _done:
        return
    _done = True
    if not hasattr(os, "posix_fadvise") or "polars" in sys.modules:
        return
    for path in _polars_libraries():
        shed_if_mostly_cached(path)


def _polars_libraries() -> list[str]:
    """The shared objects of the installed Polars (its runtime package's, or its own)."""
    import importlib.util

    found = []
    for name in ("_polars_runtime_32", "_polars_runtime_64", "_polars_runtime_compat", "polars"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        for folder in (spec.submodule_search_locations or []) if spec else []:
            try:
                found += [os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".so")]
            except OSError:
                pass
    return found


def shed_if_mostly_cached(path: str) -> bool:
    """Drop ``path`` from the page cache when more than :data:`MOSTLY_CACHED` of it is there.

    Returns whether it was dropped.

    Examples
    --------
    >>> shed_if_mostly_cached("/nonexistent.so")
    False
    """
    try:
        cached = cached_share(path)
        if cached is None or cached <= MOSTLY_CACHED:
            return False
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
        return True
    except (OSError, AttributeError, ValueError):
        return False


def cached_share(path: str) -> float | None:
    """The share of ``path``'s pages in the page cache (``mincore`` of a mapping), None if unknown."""
    import ctypes
    import mmap

    size = os.path.getsize(path)
    if not size:
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                          ctypes.c_long]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
    fd = os.open(path, os.O_RDONLY)
    try:
        addr = libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
    finally:
        os.close(fd)
    if addr is None or addr == ctypes.c_void_p(-1).value:
        return None
    try:
        pages = -(-size // mmap.PAGESIZE)
        vec = ctypes.create_string_buffer(pages)
        if libc.mincore(addr, size, vec) != 0:
            return None
        return (pages - vec.raw[:pages].count(0)) / pages
    finally:
        libc.munmap(addr, size)
