"""``Row``: a tuple whose fields can be read by name, as ``pyspark.sql.Row``.

Re-exported from :mod:`ember.sql.types` and :mod:`ember.sql`, where PySpark has it.
"""

from __future__ import annotations

from typing import Any

from ember.errors import (
    PySparkAttributeError,
    PySparkException,
    PySparkRuntimeError,
    PySparkTypeError,
    PySparkValueError,
)

__all__ = ["Row"]


def _error(cls: type, error_class: str, template: str, **params: Any) -> PySparkException:
    """An ember error carrying Spark's error class, its message filled from ``params``."""
    return cls(template.format(**params), errorClass=error_class, messageParameters=params)


def _create_row(fields: list[str], values: tuple | list) -> Row:
    row = Row(*values)
    object.__setattr__(row, "__fields__", list(fields))
    return row


class Row(tuple):
    """A row of a DataFrame: a tuple whose fields can be read by name.

    ``Row(word='a', count=1)`` keeps the keyword order; ``Row("word", "count")`` makes a factory
    whose call builds rows with those names.

    Examples
    --------
    >>> r = Row(word='a', count=1)
    >>> r, r.word, r["count"], r.asDict()
    (Row(word='a', count=1), 'a', 1, {'word': 'a', 'count': 1})
    >>> Person = Row("name", "age")
    >>> Person("Alice", 11)
    Row(name='Alice', age=11)
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Row:
        if args and kwargs:
            raise _error(PySparkValueError, "CANNOT_SET_TOGETHER", "{arg_list} should not be set "
                         "together.", arg_list="args and kwargs")
        if kwargs:
            row = tuple.__new__(cls, kwargs.values())
            object.__setattr__(row, "__fields__", list(kwargs))
            return row
        return tuple.__new__(cls, args)

    def _names(self) -> list[str]:
        fields = self.__dict__.get("__fields__")
        if fields is None:
            raise _error(PySparkAttributeError, "ATTRIBUTE_NOT_SUPPORTED", "Attribute `{attr_name}` is "
                         "not supported.", attr_name="__fields__")
        return fields

    def asDict(self, recursive: bool = False) -> dict[str, Any]:
        """The row as a dict of name to value; nested Rows too when ``recursive``.

        Examples
        --------
        >>> Row(a=Row(b=1)).asDict(True)
        {'a': {'b': 1}}
        """
        if "__fields__" not in self.__dict__:
            raise _error(PySparkTypeError, "CANNOT_CONVERT_TYPE", "Cannot convert {from_type} into "
                         "{to_type}.", from_type="Row", to_type="dict")
        if not recursive:
            return dict(zip(self.__fields__, self))
        return {k: _as_plain(v) for k, v in zip(self.__fields__, self)}

    def __contains__(self, item: Any) -> bool:
        fields = self.__dict__.get("__fields__")
        return item in fields if fields is not None else tuple.__contains__(self, item)

    def __call__(self, *args: Any) -> Row:
        """Build a row with this factory's names: ``Row("a", "b")(1, 2)``."""
        if len(args) > len(self):
            raise _error(PySparkValueError, "TOO_MANY_VALUES", "Expected {expected} values for `{item}`, "
                         "got {actual}.", expected=len(self), item="fields", actual=len(args))
        return _create_row(list(self), args)

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, (int, slice)):
            return tuple.__getitem__(self, item)
        try:
            index = self._names().index(item)
        except ValueError:
            raise PySparkValueError(str(item)) from None
        return tuple.__getitem__(self, index)

    def __getattr__(self, item: str) -> Any:
        if item == "__fields__":
            self._names()
        if item.startswith("__"):
            raise AttributeError(item)
        try:
            index = self._names().index(item)
        except ValueError:
            raise _error(PySparkAttributeError, "ATTRIBUTE_NOT_SUPPORTED", "Attribute `{attr_name}` is "
                         "not supported.", attr_name=item) from None
        return tuple.__getitem__(self, index)

    def __setattr__(self, key: Any, value: Any) -> None:
        if key == "__fields__":
            object.__setattr__(self, key, value)
            return
        raise _error(PySparkRuntimeError, "READ_ONLY", "{object} is read-only.", object="Row")

    def __reduce__(self) -> tuple:
        fields = self.__dict__.get("__fields__")
        if fields is not None:
            return _create_row, (fields, tuple(self))
        return Row, tuple(self)

    def __repr__(self) -> str:
        fields = self.__dict__.get("__fields__")
        if fields is not None:
            return "Row(" + ", ".join(f"{k}={v!r}" for k, v in zip(fields, self)) + ")"
        return "<Row(" + ", ".join(repr(v) for v in self) + ")>"


def _as_plain(value: Any) -> Any:
    """Rows inside ``value`` as dicts (for ``asDict(recursive=True)``)."""
    if isinstance(value, Row) and "__fields__" in value.__dict__:
        return value.asDict(True)
    if isinstance(value, list):
        return [_as_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_plain(v) for k, v in value.items()}
    return value
