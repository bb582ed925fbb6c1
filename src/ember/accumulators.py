"""Accumulators: values that tasks add to and only the driver reads."""

from __future__ import annotations

import threading
from types import GenericAlias

TYPE_CHECKING = False  # typing costs milliseconds at import: ember's start-up path avoids it
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")


class AccumulatorParam:
    """How to start and add values of one type: ``zero(value)`` and ``addInPlace(a, b)``."""

    # ``AccumulatorParam[int]`` in annotations, as PySpark's Generic class allows
    __class_getitem__ = classmethod(GenericAlias)

    def zero(self, value: T) -> T:
        raise NotImplementedError

    def addInPlace(self, value1: T, value2: T) -> T:
        raise NotImplementedError


class _AddingParam(AccumulatorParam):
    def __init__(self, zero_value) -> None:
        self._zero = zero_value

    def zero(self, value):
        return self._zero

    def addInPlace(self, value1, value2):
        value1 += value2
        return value1


INT_ACCUMULATOR_PARAM = _AddingParam(0)
FLOAT_ACCUMULATOR_PARAM = _AddingParam(0.0)
COMPLEX_ACCUMULATOR_PARAM = _AddingParam(0.0j)

# Worker processes collect their additions here; the driver merges them when the task returns.
_task_local = threading.local()


class Accumulator:
    """A shared variable that tasks can only add to (``acc += x`` or ``acc.add(x)``).

    Examples
    --------
    >>> from ember import SparkContext
    >>> with SparkContext("local[2]", "doc") as sc:
    ...     acc = sc.accumulator(0)
    ...     sc.parallelize([1, 2, 3]).foreach(lambda x: acc.add(x))
    ...     acc.value
    6
    """

    # ``Accumulator[int]`` in annotations, as PySpark's Generic class allows
    __class_getitem__ = classmethod(GenericAlias)

    def __init__(self, aid: int, value: T, accum_param: AccumulatorParam[T]) -> None:
        self.aid = aid
        self.accum_param = accum_param
        self._value = value
        self._lock = threading.Lock()
        self._in_task = False

    @property
    def value(self) -> T:
        if self._in_task:
            raise RuntimeError("Accumulator.value cannot be accessed inside tasks")
        return self._value

    @value.setter
    def value(self, value: T) -> None:
        if self._in_task:
            raise RuntimeError("Accumulator.value cannot be accessed inside tasks")
        self._value = value

    def add(self, term: T) -> None:
        """Add a term to this accumulator's value."""
        with self._lock:
            self._value = self.accum_param.addInPlace(self._value, term)

    def __iadd__(self, term: T) -> Accumulator[T]:
        self.add(term)
        return self

    def __str__(self) -> str:
        return str(self._value)

    def __repr__(self) -> str:
        return f"Accumulator<id={self.aid}, value={self._value}>"

    def __reduce__(self):
        # Pickled into a worker process: start from zero there and report the additions back.
        return (_worker_accumulator, (self.aid, self.accum_param.zero(self._value), self.accum_param))


def _worker_accumulator(aid: int, zero, param: AccumulatorParam) -> Accumulator:
    registry = getattr(_task_local, "accumulators", None)
    if registry is None:
        registry = _task_local.accumulators = {}
    acc = registry.get(aid)
    if acc is None:
        acc = Accumulator(aid, zero, param)
        acc._in_task = True
        registry[aid] = acc
    return acc


def take_worker_updates() -> dict[int, object]:
    """The additions this worker's task made, by accumulator id; resets them."""
    registry = getattr(_task_local, "accumulators", None) or {}
    _task_local.accumulators = {}
    return {aid: acc._value for aid, acc in registry.items()}
