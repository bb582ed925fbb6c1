"""Recognising the word-count idiom, so that it runs as one C-level count per partition.

``rdd.map(lambda w: (w, 1)).reduceByKey(add)`` calls a Python function per word, builds a tuple per
word and merges per word in Python. When the mapped function is, by its bytecode, exactly
``lambda x: (x, 1)`` and the reduce function is ``operator.add`` or exactly ``lambda a, b: a + b``,
the map side of the reduce is a count of the words: :func:`count_pairs_with_one` gives the very pairs
the general path gives (keys in first-seen order, each count an ``int`` made by adding ``1`` to the
previous one), in a C loop. Anything that differs in the slightest (another constant, a closure, a
default argument the call would not use is fine) takes the general path.

When the words come from ``flatMap(lambda line: line.split(" "))`` (any one-character separator, or
``split()``) over the lines of a receiver's blocks, the split and the count run fused per block
(:func:`count_words`): the block's text is split once, not line by line through the Python function,
with the same words in the same order (see ``blocks.count_words``).
"""

from __future__ import annotations

import builtins
import operator
import types
from collections import _count_elements  # type: ignore[attr-defined]  # Counter's C loop
from typing import Any, Callable, Iterable, Iterator

_VARARGS = 0x04 | 0x08  # CO_VARARGS | CO_VARKEYWORDS


def _pair_one_lambda(x):  # noqa: ANN001, ANN202 - a reference shape, never called
    return (x, 1)


def _add_function(a, b):  # noqa: ANN001, ANN202 - a reference shape, never called
    return a + b


def _split_on(line):  # noqa: ANN001, ANN202 - a reference shape, never called
    return line.split(" ")


def _split_blank(line):  # noqa: ANN001, ANN202 - a reference shape, never called
    return line.split()


_PAIR_ONE = [(lambda x: (x, 1)).__code__, _pair_one_lambda.__code__]
_ADD = [(lambda a, b: a + b).__code__, _add_function.__code__]


def _consts(code: types.CodeType) -> list:
    return [(type(c), c) for c in code.co_consts]  # 1 and True and 1.0 are equal, not the same


def _plain_code(f: Any, argcount: int, names: tuple = ()) -> types.CodeType | None:
    """``f``'s code when ``f`` is a plain function of ``argcount`` positional parameters (no ``*args``,
    keyword-only parameters or closure) whose code loads exactly ``names``; else None."""
    if type(f) is not types.FunctionType:
        return None
    code = f.__code__
    if code.co_argcount != argcount or code.co_kwonlyargcount or code.co_flags & _VARARGS \
            or code.co_names != names or code.co_freevars or code.co_cellvars:
        return None
    return code


def _same_code(f: Any, refs: list[types.CodeType], argcount: int) -> bool:
    code = _plain_code(f, argcount)
    if code is None:
        return False
    return any(code.co_code == ref.co_code and _consts(code) == _consts(ref) for ref in refs)


_SPLIT_ON = [(lambda line: line.split(" ")).__code__, _split_on.__code__]
_SPLIT_BLANK = [(lambda line: line.split()).__code__, _split_blank.__code__]
#: not a split of the line (None is a separator: ``split()``'s)
NOT_A_SPLIT = object()


def split_separator(f: Any) -> Any:
    """``sep`` when ``f`` is ``lambda x: x.split(sep)`` with a one-character ``sep``, None when it is
    ``lambda x: x.split()``, else :data:`NOT_A_SPLIT` (by its code; any names, a docstring is fine)."""
    code = _plain_code(f, 1, ("split",))
    if code is None:
        return NOT_A_SPLIT
    consts = code.co_consts
    if any(code.co_code == ref.co_code for ref in _SPLIT_BLANK) and len(consts) == 1:
        return None
    if any(code.co_code == ref.co_code for ref in _SPLIT_ON) and len(consts) == 2 \
            and type(consts[1]) is str and len(consts[1]) == 1:
        return consts[1]  # consts[0] is the docstring's place, never loaded
    return NOT_A_SPLIT


def _sum_plus_old(new, old):  # noqa: ANN001, ANN202 - a reference shape, never called
    return sum(new) + (old or 0)


_SUM_PLUS_OLD = [(lambda new, old: sum(new) + (old or 0)).__code__, _sum_plus_old.__code__]


def is_sum_plus_old(f: Any) -> bool:
    """Whether ``f`` is ``lambda new, old: sum(new) + (old or 0)`` (by its code; any names, a docstring
    is fine), ``sum`` being the built-in: the running total of ``updateStateByKey``'s word counts."""
    code = _plain_code(f, 2, ("sum",))
    if code is None or not any(code.co_code == ref.co_code for ref in _SUM_PLUS_OLD) \
            or _consts(code)[1:] != [(int, 0)]:
        return False
    scope = f.__globals__
    found = scope["sum"] if "sum" in scope else getattr(f, "__builtins__", {}).get("sum")
    return found is builtins.sum


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


def count_words(flat: Any) -> Any:
    """The map side of ``flat.map(lambda x: (x, 1)).reduceByKey(add)``: ``(x, count)`` per partition.

    ``flat`` is the RDD whose elements are counted. When it is one ``flatMap`` of a line split over an
    RDD that can count split lines itself (a receiver's blocks: ``count_words(sep)``), that RDD does it,
    fused; otherwise each partition is counted with :func:`count_pairs_with_one`.
    """
    steps = getattr(flat, "_steps", ())
    prev = getattr(flat, "prev", None)
    if len(steps) == 1 and hasattr(prev, "count_words") and flat._pipelinable():
        # DStream.flatMap marks its step with the user's function
        sep = split_separator(getattr(steps[0][1], "flat_map_of", None))
        if sep is not NOT_A_SPLIT:
            counted = prev.count_words(sep)
            if counted is not None:
                return counted
    return flat.mapPartitions(count_pairs_with_one)
