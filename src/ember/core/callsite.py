"""Where in the user's program an RDD was made, for error notes and debug strings."""

from __future__ import annotations

import functools
import os
import sys
import threading
import types

from ember.core.closures import check_function

_EMBER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_scope = threading.local()


def user_callsite() -> str:
    """``file.py:line`` of the innermost frame outside ember.

    On a thread ember started (a streaming batch), the frames below the user's function are ember's
    and the thread machinery's; the site of the DStream being computed stands in for them.
    """
    f = sys._getframe(1)
    while f is not None and (f.f_code.co_filename.startswith(_EMBER_DIR)
                             or f.f_code.co_filename.startswith("<frozen")):
        f = f.f_back
    if f is None or f.f_code.co_filename == threading.__file__:
        return getattr(_scope, "stream_site", None) or "<unknown>"
    return f"{os.path.basename(f.f_code.co_filename)}:{f.f_lineno}"


class stream_site:
    """While computing a DStream's RDD, name RDDs made by ember after the DStream's call site."""

    def __init__(self, site: str) -> None:
        self._site = site

    def __enter__(self) -> None:
        self._prev = getattr(_scope, "stream_site", None)
        _scope.stream_site = self._site

    def __exit__(self, *exc) -> None:
        _scope.stream_site = self._prev


def current() -> tuple[str | None, str | None]:
    """The public operation being run (and its call site), if any."""
    return getattr(_scope, "op", None), getattr(_scope, "site", None)


def public(op: str):
    """Mark a public API method: RDDs made inside it are labelled ``op at file:line``.

    Composite operations (reduceByKey is a combine, a shuffle and a merge) label all their inner
    steps with the name the user wrote, so errors point at the user's line. The user's functions
    are checked for captured driver-only objects here, once per call.
    """

    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            if getattr(_scope, "op", None) is not None:
                return fn(*args, **kwargs)
            for a in args[1:]:
                if type(a) is types.FunctionType:
                    check_function(a)
            for a in kwargs.values():
                if type(a) is types.FunctionType:
                    check_function(a)
            _scope.op, _scope.site = op, user_callsite()
            try:
                return fn(*args, **kwargs)
            finally:
                _scope.op = _scope.site = None

        return inner

    return wrap
