"""Small helpers shared by the streaming modules: batch times as datetimes, file names, arities."""

from __future__ import annotations

import inspect
import time as _time
from datetime import datetime
from typing import Any, Callable


def batch_datetime(ms: int) -> datetime:
    """The batch time handed to user functions: naive local time, as PySpark makes it."""
    return datetime.fromtimestamp(ms / 1000.0)


def to_millis(timestamp: datetime | float) -> int:
    """A datetime (whole seconds, as PySpark's ``time.mktime``) or a unix time in seconds, in ms."""
    if isinstance(timestamp, datetime):
        timestamp = _time.mktime(timestamp.timetuple())
    return int(timestamp * 1000)


def rddToFileName(prefix: str, suffix: str | None, timestamp: datetime | int) -> str:
    """``prefix-<ms>`` or ``prefix-<ms>.<suffix>``: where ``saveAsTextFiles`` writes one batch.

    Examples
    --------
    >>> rddToFileName("spark", None, 12345678910)
    'spark-12345678910'
    >>> rddToFileName("spark", "tmp", 12345678910)
    'spark-12345678910.tmp'
    """
    if isinstance(timestamp, datetime):
        seconds = _time.mktime(timestamp.timetuple())
        timestamp = int(seconds * 1000) + timestamp.microsecond // 1000
    name = f"{prefix}-{timestamp}"
    return name if suffix is None else f"{name}.{suffix}"


def arg_count(func: Callable) -> int:
    """Positional parameters of ``func``, the way PySpark decides between ``f(rdd)`` and ``f(t, rdd)``.

    PySpark reads ``func.__code__.co_argcount``; callables without code (``functools.partial``,
    bound builtins) are measured through their signature instead of failing.
    """
    code = getattr(func, "__code__", None)
    if code is not None:
        return code.co_argcount - (1 if inspect.ismethod(func) else 0)
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return -1
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def with_time(func: Callable, plain_args: int, what: str) -> Callable[..., Any]:
    """``func`` as a function of ``(time, *rdds)``, accepting either form PySpark accepts."""
    n = arg_count(func)
    if n == plain_args:
        def without_time(_t, *rdds):
            return func(*rdds)

        without_time.__wrapped__ = func  # type: ignore[attr-defined]
        return without_time
    if n != plain_args + 1:
        raise AssertionError(what)
    return func
