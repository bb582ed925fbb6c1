"""Copies of data where PySpark would have pickled it.

PySpark keeps every RDD partition, shuffle block and cached block pickled in the JVM, so each read
yields fresh objects and user code that mutates values in place never changes data seen elsewhere.
ember keeps the same guarantee by pickling at exactly those boundaries, and skips the work for data
that cannot be mutated.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds to import; annotations are strings here
if TYPE_CHECKING:
    from typing import Any


#: the immutable types whose values can be shared instead of copied
ATOMS = _ATOMS = frozenset((str, int, float, bool, bytes, type(None), complex))


def is_immutable(x: Any) -> bool:
    """Whether ``x`` is built only from immutable atoms (so sharing it is as good as copying it)."""
    t = type(x)
    if t in _ATOMS:
        return True
    if t is tuple:
        return all(is_immutable(i) for i in x)
    return False


def all_immutable(items: list) -> bool:
    """Whether every item can be shared safely; checks types only, in one pass."""
    kinds = set(map(type, items))  # C speed for the common case: all str, or all int
    if kinds <= _ATOMS:
        return True
    if kinds - _ATOMS - {tuple}:
        return False
    for x in items:
        t = type(x)
        if t in _ATOMS:
            continue
        if t is tuple and all(is_immutable(i) for i in x):
            continue
        return False
    return True


def dumps(obj: Any) -> bytes:
    """Pickle data; values pickle cannot handle (lambdas, local classes) go through cloudpickle."""
    import pickle  # not at module level: a context that pickles nothing starts without it

    try:
        return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError, TypeError):
        import cloudpickle  # only data that plain pickle refuses pays for this import

        return cloudpickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def dumps_flat(records: list) -> bytes:
    """Pickle a list of atoms or of tuples of atoms without pickle's memo of every object it writes.

    The memo is how pickle writes shared and self-referencing objects once; atoms in flat tuples need
    neither, and a memo entry per string costs more memory than the pickle itself.
    """
    import io
    import pickle

    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(records)
    return out.getvalue()


def loads(data: bytes) -> Any:
    """Unpickle data pickled by :func:`dumps`."""
    import pickle

    return pickle.loads(data)


def deep_copy(obj: Any) -> Any:
    """A fresh copy of ``obj``, as a task would see after its closure was pickled."""
    if is_immutable(obj):
        return obj
    return loads(dumps(obj))
