"""Window functions (ranking and offsets), used with ``.over(Window...)``; defined in ``window_funcs``."""

from __future__ import annotations

from ember.sql.window_funcs import (  # noqa: F401
    cume_dist,
    dense_rank,
    lag,
    lead,
    nth_value,
    ntile,
    percent_rank,
    rank,
    row_number,
)
