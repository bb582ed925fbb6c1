"""The memory allocators' settings for a long-running streaming process.

A streaming program runs for hours on one box, where what it keeps matters more than the last bit
of allocation speed. Polars' allocator is set up when ember is imported (before Polars loads);
glibc's when a streaming context starts (before its threads do: ``ctypes`` costs ~4 ms to import,
which a batch program need not pay). A user's own setting (the environment variable) wins.
"""

import os

# Polars' allocator (jemalloc) keeps freed pages for 10 s by default, so a streaming query's RSS
# stays at its worst batch's peak; a quarter-second decay returns them between batches (seed query,
# 60 s at 100k lines/s, 3 runs each: peak 353-436 MiB -> 259-324 MiB, CPU per line no higher). One
# arena instead of four per core: each arena keeps its own free pages, and a streaming process
# allocates from a few threads (socket word count at 600k lines/s, pairs: peak RSS 123-124 ->
# 116-118 MiB, CPU per line the same). It must be set before Polars loads; a user's own setting wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "narenas:1,dirty_decay_ms:250,muzzy_decay_ms:0")


_arena_set = False


def one_malloc_arena() -> None:
    """glibc's malloc gives threads arenas of their own, each keeping what it freed; ember's threads (the
    receiver, the workers' feeders, the checkpoint writer) pass big buffers between them, so the
    driver kept ~20 MB more than it used (stateful word count, unthrottled producer, 30 s: driver
    RSS 72 -> 54 MiB with one arena). The GIL serializes most allocations anyway. A user's
    ``MALLOC_ARENA_MAX`` wins; elsewhere than glibc this does nothing."""
    global _arena_set
    if _arena_set or "MALLOC_ARENA_MAX" in os.environ:
        return
    _arena_set = True
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(-8, 1)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass

