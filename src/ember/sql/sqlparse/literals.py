"""SQL literals as Python values, with Spark's typing: ``1`` is INT, ``1.5`` is DECIMAL, ``1e3`` DOUBLE.

Examples
--------
>>> from ember.sql.sqlparse.dialect import parse_one_expression
>>> literal_value(parse_one_expression("1.5")).value
Decimal('1.5')
>>> literal_value(parse_one_expression("DATE '2020-01-02'")).value
datetime.date(2020, 1, 2)
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlglot import exp

_LONG_MAX = 2**63 - 1

# Interval units Spark accepts, as seconds per unit (months and years have no fixed length).
_UNIT_SECONDS = {
    "MICROSECOND": 1e-6, "MILLISECOND": 1e-3, "SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400,
    "WEEK": 7 * 86400,
}


@dataclass(frozen=True)
class Literal:
    """``ok`` tells whether the node was a literal; ``value`` is its Python value."""

    ok: bool
    value: Any = None


_NOT_LITERAL = Literal(False)


def literal_value(node: exp.Expr) -> Literal:
    """The Python value of a literal node (``Literal(ok=False)`` for anything else).

    Examples
    --------
    >>> from ember.sql.sqlparse.dialect import parse_one_expression
    >>> literal_value(parse_one_expression("-7")).value
    -7
    """
    if isinstance(node, exp.Paren):
        return literal_value(node.this)
    if isinstance(node, exp.Literal):
        if node.is_string:
            return Literal(True, node.this)
        return Literal(True, number(node.this))
    if isinstance(node, exp.Boolean):
        return Literal(True, bool(node.this))
    if isinstance(node, exp.Null):
        return Literal(True, None)
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and not node.this.is_string:
        return Literal(True, -number(node.this.this))
    typed = typed_literal(node)
    if typed is not None:
        kind, text = typed
        parsed = _parse_date(text) if kind == "DATE" else _parse_timestamp(text)
        return Literal(True, parsed)
    interval = interval_parts(node)
    if interval is not None:
        amount, unit = interval
        return Literal(True, datetime.timedelta(seconds=float(amount) * _UNIT_SECONDS[unit]))
    return _NOT_LITERAL


def number(text: str) -> int | float | Decimal:
    """A numeric literal's value: INT/BIGINT, DOUBLE with an exponent, DECIMAL otherwise."""
    if "e" in text or "E" in text:
        return float(text)
    if "." in text:
        return Decimal(text)
    value = int(text)
    return value if value <= _LONG_MAX else Decimal(text)


def decimal_type(value: Decimal) -> str:
    """The DECIMAL type Spark gives a decimal literal: ``1.5`` is ``decimal(2,1)``.

    Examples
    --------
    >>> decimal_type(Decimal("12.50"))
    'decimal(4,2)'
    """
    _, digits, exponent = value.as_tuple()
    scale = max(-int(exponent), 0)
    precision = max(len(digits) + max(int(exponent), 0), scale, 1)
    return f"decimal({precision},{scale})"


def typed_literal(node: exp.Expr) -> tuple[str, str] | None:
    """``("DATE", "2020-01-02")`` for ``DATE '2020-01-02'`` (likewise TIMESTAMP), else None.

    sqlglot reads a typed literal as ``Cast`` and the function ``CAST(...)`` as ``TryCast``, which
    is how the two are told apart.
    """
    if type(node) is not exp.Cast or not isinstance(node.this, exp.Literal) or not node.this.is_string:
        return None
    kind = node.to.this
    if kind == exp.DataType.Type.DATE:
        return "DATE", _parse_date(node.this.this).isoformat()
    if kind in (exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ):
        return "TIMESTAMP", timestamp_text(_parse_timestamp(node.this.this))
    return None


def interval_parts(node: exp.Expr) -> tuple[str, str] | None:
    """``("10", "SECOND")`` for ``INTERVAL '10 seconds'`` or ``INTERVAL 10 SECONDS``, else None."""
    if not isinstance(node, exp.Interval):
        return None
    amount = node.this
    unit = node.args.get("unit")
    text = amount.this if isinstance(amount, exp.Literal) else None
    if text is None:
        return None
    unit_text = unit.name if unit is not None else ""
    if not unit_text:
        pieces = str(text).split()
        if len(pieces) != 2:
            return None
        text, unit_text = pieces
    unit_text = unit_text.upper()
    if unit_text.endswith("S"):
        unit_text = unit_text[:-1]
    if unit_text not in _UNIT_SECONDS:
        return None
    return str(text), unit_text


def duration_text(value: datetime.timedelta) -> str:
    """A duration as the string ``window()`` takes: ``"10 seconds"``."""
    seconds = value.total_seconds()
    if seconds == int(seconds):
        return f"{int(seconds)} seconds"
    return f"{int(round(seconds * 1_000_000))} microseconds"


def java_double(value: float) -> str:
    """A double as Java prints it (``1000.0``, ``1.0E20``, ``NaN``), which is how Spark names it.

    Examples
    --------
    >>> java_double(1e20), java_double(0.5)
    ('1.0E20', '0.5')
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1, value) < 0 else "0.0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e7:
        text = format(Decimal(repr(value)), "f")
        return text if "." in text else text + ".0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    digit_text = "".join(map(str, digits)).rstrip("0") or "0"
    power = len(digits) + int(exponent) - 1
    mantissa = digit_text[0] + "." + (digit_text[1:] or "0")
    return f"{'-' if sign else ''}{mantissa}E{power}"


def timestamp_text(value: datetime.datetime) -> str:
    """A timestamp as Spark prints it: seconds always, a fraction only when there is one."""
    text = value.strftime("%Y-%m-%d %H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text


def _parse_date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text.strip()[:10])


def _parse_timestamp(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.strip().replace("T", " "))
