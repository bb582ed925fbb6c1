"""ResultIterable: the grouped values that groupByKey and cogroup hand out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


class ResultIterable(Iterable):
    """A read-only, re-iterable view of one key's values.

    Examples
    --------
    >>> list(ResultIterable([1, 2]))
    [1, 2]
    """

    def __init__(self, data: list) -> None:
        self.data = data
        self.index = 0
        self.maxindex = len(data)

    def __iter__(self) -> Iterator:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __reduce__(self):
        return (ResultIterable, (self.data,))
