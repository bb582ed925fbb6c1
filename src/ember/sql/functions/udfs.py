"""User-defined functions: Python functions applied to whole batches of a column."""

from __future__ import annotations

from typing import Callable


def udf(f: Callable | None = None, returnType="string", useArrow: bool | None = None):
    """A Python function as a column function, applied to whole batches (``map_elements``).

    Usable as ``udf(f, IntegerType())`` or as a decorator ``@udf(returnType=...)``.

    Examples
    --------
    >>> square = udf(lambda x: x * x, "long")
    """
    from ember.sql.udf import make_udf

    if f is None or isinstance(f, str) or not callable(f):
        rt = f if f is not None and not callable(f) else returnType
        return lambda g: make_udf(g, rt)
    return make_udf(f, returnType)


def pandas_udf(*args, **kwargs):
    from ember.errors import PySparkNotImplementedError

    raise PySparkNotImplementedError("pandas_udf is not supported by ember; use udf().")
