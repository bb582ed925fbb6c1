"""Result types, nullability and input checks of the functions added by family (no Polars here).

``typerules.func_type`` asks here first; each rule takes the arguments' ``Info`` and the call's
plain-value parameters and returns ``(dtype, nullable)``, raising Spark's analysis error for a wrong
input type.
"""

from __future__ import annotations

from typing import Callable

from ember.sql import types as T


def _any_null(infos) -> bool:
    return any(i.nullable for i in infos)


_ORDINALS = ("first", "second", "third", "fourth", "fifth")


def input_type_error(name: str, infos, params, i: int, required: str) -> Exception:
    """Spark's ``DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE`` for argument ``i`` of ``name``."""
    from ember.errors import AnalysisException
    from ember.sql.typerules import func_name, sql_type

    arg = infos[i]
    shown = func_name(name, [x.name for x in infos], params, infos)
    return AnalysisException(
        f'Cannot resolve "{shown}" due to data type mismatch: The {_ORDINALS[i]} parameter requires the '
        f'{required} type, however "{arg.name}" has the type "{sql_type(arg.dtype)}". SQLSTATE: 42K09',
        errorClass="DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
        messageParameters={
            "inputSql": f'"{arg.name}"',
            "inputType": f'"{sql_type(arg.dtype)}"',
            "paramIndex": _ORDINALS[i],
            "requiredType": required,
            "sqlExpr": f'"{shown}"',
        },
    )


def _requires(name: str, infos, i: int, accepted: tuple, required: str, params=()) -> None:
    if i < len(infos) and not isinstance(infos[i].dtype, accepted + (T.NullType,)):
        raise input_type_error(name, infos, params, i, required)


_TIMESTAMPISH = (T.TimestampType, T.TimestampNTZType, T.StringType, T.DateType)


def _zone_shift(name: str):
    def rule(infos, params):
        _requires(name, infos, 0, _TIMESTAMPISH, '"TIMESTAMP"')
        return T.TimestampType(), _any_null(infos)

    return rule


RULES: dict[str, Callable] = {
    "to_utc_timestamp": _zone_shift("to_utc_timestamp"),
    "from_utc_timestamp": _zone_shift("from_utc_timestamp"),
}

#: output-name formats that differ from ``name(arg, ...)``
NAMES: dict[str, Callable] = {}
