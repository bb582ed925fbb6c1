"""Recognising the word-count idiom, so that it runs as one C-level count per partition.

``rdd.map(lambda w: (w, 1)).reduceByKey(add)`` calls a Python function per word, builds a tuple per
word and merges per word in Python. When the mapped function is, by its bytecode, exactly
``lambda x: (x, 1)`` and the reduce function is ``operator.add`` or exactly ``lambda a, b: a + b``,
the map side of the reduce is a count of the words: :func:`count_pairs_with_one` gives the very pairs
the general path gives (keys in first-seen order, each count an ``int`` made by adding ``1`` to the
previous one), in a C loop. Anything that differs in the slightest (another constant, a closure, a
default argument the call would not use is fine) takes the general path.
"""

from __future__ import annotations

import operator
import types
from collections import _count_elements  # type: ignore[attr-defined]  # Counter's C loop
from typing import Any, Callable, Iterable, Iterator

_VARARGS = 0x04 | 0x08  # CO_VARARGS | CO_VARKEYWORDS


def _pair_one_lambda(x):  # noqa: ANN001, ANN202 - a reference shape, never called
    return (x, 1)


def _add_function(a, b):  # noqa: ANN001, ANN202 - a reference shape, never called
    return a + b


_PAIR_ONE = [(lambda x: (x, 1)).__code__, _pair_one_lambda.__code__]
_ADD = [(lambda a, b: a + b).__code__, _add_function.__code__]


def _consts(code: types.CodeType) -> list:
    return [(type(c), c) for c in code.co_consts]  # 1 and True and 1.0 are equal, not the same


def _same_code(f: Any, refs: list[types.CodeType], argcount: int) -> bool:
    if type(f) is not types.FunctionType:
        return False
    code = f.__code__
    if code.co_argcount != argcount or code.co_kwonlyargcount or code.co_flags & _VARARGS \
            or code.co_names or code.co_freevars or code.co_cellvars:
        return False
    return any(code.co_code == ref.co_code and _consts(code) == _consts(ref) for ref in refs)


def is_pair_with_one(f: Callable) -> bool:
    """Whether ``f`` is ``lambda x: (x, 1)`` (by its code; any names)."""
    return _same_code(f, _PAIR_ONE, 1)


def is_add(f: Callable | None) -> bool:
    """Whether ``f`` is ``operator.add`` or ``lambda a, b: a + b`` (by its code; any names)."""
    return f is operator.add or _same_code(f, _ADD, 2)


def identity(x: Any) -> Any:
    """The identity, as a ``createCombiner`` (``reduceByKey`` combines with it)."""
    return x


def count_pairs_with_one(it: Iterable) -> Iterator:
    """``(x, n)`` for each distinct ``x`` of ``it`` in first-seen order: the combine of ``(x, 1)`` by add."""
    counts: dict = {}
    _count_elements(counts, it)
    return iter(counts.items())
