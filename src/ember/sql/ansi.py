"""ANSI mode (``spark.sql.ansi.enabled``, on by default in Spark 4): runtime errors instead of NULLs.

Expressions that can fail (division by zero, a malformed string cast, an array index out of bounds)
register a *check* while they are translated; the executor puts a guard in front of the operator
that raises Spark's error when a row of the batch trips it. Plans without such expressions pay
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import polars as pl

from ember import errors


@dataclass
class Check:
    flag: pl.Expr  # True where the row fails
    value: pl.Expr | None  # what the message shows for the first failing row
    raise_for: Callable  # value -> exception


def guard(checks: list[Check]) -> pl.Expr:
    """A predicate that is always True, or raises the first failing check's error."""
    parts = []
    for i, c in enumerate(checks):
        parts.append(c.flag.fill_null(False).alias(f"f{i}"))
        parts.append((c.value if c.value is not None else pl.lit(None)).alias(f"v{i}"))

    def run(s: pl.Series, *_args, **_kwargs) -> pl.Series:
        frame = s.struct.unnest()
        for i, c in enumerate(checks):
            flags = frame[f"f{i}"]
            if flags.any():
                idx = flags.arg_true()[0]
                raise c.raise_for(frame[f"v{i}"][idx])
        return pl.Series([True] * len(s), dtype=pl.Boolean)

    return pl.struct(parts).map_batches(run, return_dtype=pl.Boolean)


def divide_by_zero(_value) -> Exception:
    return errors.ArithmeticException(
        "Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. "
        "If necessary "
        'set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22012',
        errorClass="DIVIDE_BY_ZERO",
        messageParameters={"config": '"spark.sql.ansi.enabled"'},
    )


def remainder_by_zero(_value) -> Exception:
    return errors.ArithmeticException(
        "Remainder by zero. Use `try_mod` to tolerate divisor being 0 and return NULL instead. If necessary "
        'set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22012',
        errorClass="REMAINDER_BY_ZERO",
        messageParameters={"config": '"spark.sql.ansi.enabled"'},
    )


def invalid_cast(target: str, cls=errors.NumberFormatException) -> Callable:
    def make(value) -> Exception:
        return cls(
            f'The value \'{value}\' of the type "STRING" cannot be cast to "{target}" '
            "because it is malformed. "
            "Correct the value as per the syntax, or change its target type. Use `try_cast` to tolerate "
            "malformed input and return NULL instead. SQLSTATE: 22018",
            errorClass="CAST_INVALID_INPUT",
            messageParameters={
                "expression": f"'{value}'",
                "sourceType": '"STRING"',
                "targetType": f'"{target}"',
                "ansiConfig": '"spark.sql.ansi.enabled"',
            },
        )

    return make


def array_index(value) -> Exception:
    index, size = value["i"], value["n"]
    return errors.ArrayIndexOutOfBoundsException(
        f"The index {index} is out of bounds. The array has {size} elements. Use the SQL function `get()` to "
        "tolerate accessing element at invalid index and return NULL instead. SQLSTATE: 22003",
        errorClass="INVALID_ARRAY_INDEX",
        messageParameters={
            "indexValue": str(index),
            "arraySize": str(size),
            "ansiConfig": '"spark.sql.ansi.enabled"',
        },
    )


def overflow(suggestion: str) -> Callable:
    def make(_value) -> Exception:
        return errors.ArithmeticException(
            f"overflow. Use '{suggestion}' to tolerate overflow and return NULL instead. If necessary set "
            '"spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22003',
            errorClass="ARITHMETIC_OVERFLOW",
            messageParameters={
                "message": "overflow",
                "alternative": f" Use '{suggestion}' to tolerate overflow and return NULL instead.",
                "config": '"spark.sql.ansi.enabled"',
            },
        )

    return make


def regex_group(idx: int, groups: int) -> Callable:
    def make(_value) -> Exception:
        return errors.SparkRuntimeException(
            "The value of parameter(s) `idx` in `regexp_extract` is invalid: Expects group index between 0 "
            f"and {groups}, but got {idx}. SQLSTATE: 22023",
            errorClass="INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX",
        )

    return make
