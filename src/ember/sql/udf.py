"""Python UDFs: a function applied batch-wise by the engine, with a declared return type."""

from __future__ import annotations

from typing import Any, Callable

from ember.sql import expressions as E
from ember.sql.column import Column, col_expr


class UserDefinedFunction:
    """What ``functions.udf`` returns: call it with columns to get a Column."""

    def __init__(self, func: Callable, returnType: Any = "string", name: str | None = None) -> None:
        from ember.sql.types import DataType, _parse_datatype_string

        if isinstance(returnType, str):
            returnType = _parse_datatype_string(returnType)
        elif not isinstance(returnType, DataType):
            raise TypeError(f"Invalid return type: {returnType!r}")
        self.func = func
        self.returnType = returnType
        self._name = name or getattr(func, "__name__", "<lambda>")
        self.deterministic = True
        self.evalType = 100

    def __call__(self, *cols) -> Column:
        return Column(E.UdfCall(self.func, self.returnType, tuple(col_expr(c) for c in cols), self._name))

    def asNondeterministic(self) -> UserDefinedFunction:
        self.deterministic = False
        return self


def make_udf(func: Callable, returnType: Any) -> UserDefinedFunction:
    return UserDefinedFunction(func, returnType)


class UDFRegistration:
    """``spark.udf``: register Python functions for SQL (``spark.udf.register("f", fn, "int")``)."""

    def __init__(self, session) -> None:
        self._session = session

    def register(self, name: str, f, returnType=None):
        if isinstance(f, UserDefinedFunction):
            fn = UserDefinedFunction(f.func, returnType or f.returnType, name)
        else:
            fn = UserDefinedFunction(f, returnType or "string", name)
        registered = getattr(self._session, "_udfs", None)
        if registered is None:
            registered = self._session._udfs = {}
        registered[name.lower()] = fn
        return fn
