"""Hash functions: Spark's Murmur3 and xxHash64, and digests of strings."""

from __future__ import annotations

from ember.sql.column import Column
from ember.sql.functions._util import f as _f


def hash(*cols) -> Column:  # noqa: A001
    """Spark's Murmur3 hash (x86_32, seed 42) of the columns, as an int.

    Examples
    --------
    >>> spark.range(1).select(hash(lit(1))).first()[0]
    -559580957
    """
    return _f("hash", *cols)


def xxhash64(*cols) -> Column:
    """Spark's xxHash64 (seed 42) of the columns, as a long."""
    return _f("xxhash64", *cols)


def md5(col) -> Column:
    return _f("md5", col)
