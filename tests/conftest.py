"""Shared by every test directory: runs before any test module is imported."""

from ember._page_cache import shed_polars_pages

# The test process loads Polars (some test modules import it directly) before the programs it starts
# (the flood test's consumer, the examples). Loaded straight after an install, it would pin the
# library's pages as cached whole, and every program would map ~20 MB more of it: drop them first,
# as ember does before it loads Polars itself (ember/_page_cache.py).
shed_polars_pages()
