"""Broadcast variables: a read-only value shared with every task."""

from __future__ import annotations

from types import GenericAlias

TYPE_CHECKING = False  # typing costs milliseconds at import: ember's start-up path avoids it
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")


class Broadcast:
    """A read-only value made with ``sc.broadcast(value)``; read it with ``.value``.

    Examples
    --------
    >>> from ember import SparkContext
    >>> with SparkContext("local[2]", "doc") as sc:
    ...     b = sc.broadcast({"a": 1})
    ...     sc.parallelize(["a", "b"]).map(lambda k: b.value.get(k, 0)).collect()
    [1, 0]
    """

    # ``Broadcast[int]`` in annotations, as PySpark's Generic class allows
    __class_getitem__ = classmethod(GenericAlias)

    def __init__(self, value: T, bid: int = 0) -> None:
        self._value = value
        self._id = bid
        self._destroyed = False

    @property
    def value(self) -> T:
        if self._destroyed:
            raise RuntimeError("Attempted to use Broadcast(%d) after it was destroyed" % self._id)
        return self._value

    @property
    def id(self) -> int:  # noqa: A003 - Spark's name
        return self._id

    def unpersist(self, blocking: bool = False) -> None:
        """Drop cached copies on executors (nothing to do in one process)."""

    def destroy(self, blocking: bool = False) -> None:
        """Release the value; it cannot be used afterwards."""
        self._destroyed = True
        self._value = None  # type: ignore[assignment]

    def __reduce__(self):
        return (Broadcast, (self._value, self._id))
