"""``DataFrame.show()``'s text, character for character as Spark 4 prints it.

Two entry points: :func:`show_string` lays out a whole table (what PySpark's
``df._show_string(n, truncate, vertical)`` returns; ``show()`` prints it), and :func:`format_cell`
renders one value the way Spark's ``ToPrettyString`` does, for the console sink and friends.

Spark measures text in UTF-16 code units and counts East Asian full-width characters twice, so
widths, padding and truncation here do the same.
"""

from __future__ import annotations

import datetime
import decimal
import math
import re
import struct
from fractions import Fraction
from typing import Any, Sequence

from ember.errors import PySparkTypeError
from ember.sql.types import (
    ArrayType,
    BinaryType,
    BooleanType,
    DataType,
    DateType,
    DayTimeIntervalType,
    DecimalType,
    DoubleType,
    FloatType,
    MapType,
    NullType,
    StructType,
    TimestampNTZType,
    TimestampType,
)

__all__ = ["show_string", "format_cell", "java_double_str", "java_float_str"]

_MIN_WIDTH = 3

# Characters Spark's Utils.stringHalfWidth counts as two columns wide.
_FULL_WIDTH = re.compile("[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE19"
                         "\uFE30-\uFE6F\uFF00-\uFF60\uFFE0-\uFFE6]")

_META = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f", "\b": "\\b",
                       "\u000b": "\\v", "\u0007": "\\a"})


# -- numbers as Java prints them ---------------------------------------------------------------


def _java_format(negative: bool, digits: str, exp10: int) -> str:
    """Java's Double/Float.toString layout for ``0.digits * 10**exp10`` (digits without zeros at the
    end): plain between 10^-3 and 10^7, else ``d.dddE<k>``; always a digit after the point."""
    sign = "-" if negative else ""
    k = exp10 - 1  # the exponent in d.ddd x 10^k
    if -3 <= k < 7:
        if k >= 0:
            whole = digits[:k + 1].ljust(k + 1, "0")
            return f"{sign}{whole}.{digits[k + 1:] or '0'}"
        return f"{sign}0.{'0' * (-k - 1)}{digits}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{k}"


def _special(x: float) -> str | None:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    return None


def _digits(text: str) -> tuple[str, int]:
    """Significant digits and exponent of a positive decimal literal: ``"0.0125" -> ("125", -1)``."""
    sign, digits, exponent = decimal.Decimal(text).normalize().as_tuple()
    ds = "".join(map(str, digits))
    return ds, exponent + len(ds)  # type: ignore[operator]


_LOG10_2 = math.log10(2)


def _integral_digits(value: float, precision_bits: int) -> tuple[str, int] | None:
    """Digits of an integral value below 2**63 as the JDK 17 Double/Float.toString prints them.

    That JVM (the one the reference Spark runs on) does not look for the shortest digits here: it
    prints the exact integer, rounding away only the digits that lie wholly beyond the type's
    precision, so 2**55 + 8 shows as 3.6028797018963976E16 rather than 3.602879701896398E16.
    """
    if value != int(value):
        return None
    n = int(value)
    bin_exp = n.bit_length() - 1
    if bin_exp > 62:
        return None
    spare = bin_exp - precision_bits - 1
    dropped = int(spare * _LOG10_2) if spare > 1 else 0
    if dropped:
        n, rest = divmod(n, 10**dropped)
        if rest >= 10**dropped // 2:
            n += 1
    text = str(n)
    return text.rstrip("0"), len(text) + dropped


def _generated_digits(x: float, bits: int = 53, min_exp: int = -1074) -> tuple[str, int]:
    """Digits of ``x > 0`` made the way JDK 17's Double/Float.toString makes them (``bits`` and
    ``min_exp`` describe the binary format: 53/-1074 for doubles, 24/-149 for floats).

    Digits come one at a time by truncation; generation stops at the first digit where the
    truncated value or the one a unit above lies strictly within half an ulp of ``x`` (a quarter
    at a power of two), and in E notation not before the second digit. Where
    the shortest decimal sits exactly half an ulp away, this gives more digits than the shortest
    (2.0E23 prints as 1.9999999999999998E23).
    """
    exact = Fraction(x)
    mantissa, exponent = math.frexp(x)
    e = max(exponent - bits, min_exp)
    half = Fraction(2) ** (e - 1)
    if mantissa == 0.5 and e > min_exp:
        half /= 2  # JDK 17 narrows both sides at a power of two, though only the gap below shrinks
    k = math.floor(math.log10(x))
    place = Fraction(10) ** k
    while exact >= place * 10:
        k, place = k + 1, place * 10
    while exact < place:
        k, place = k - 1, place / 10
    digits: list[int] = []
    rest = exact
    must_go_on = k < -3 or k >= 7  # E notation: at least one digit after the point
    while True:
        digit = int(rest // place)
        rest -= digit * place
        digits.append(digit)
        low, high = rest < half, rest + half > place
        if (low or high) and not must_go_on:
            break
        must_go_on = False
        place /= 10
    if high and (not low or 2 * rest > place or (2 * rest == place and digits[-1] % 2)):
        i = len(digits) - 1
        while digits[i] == 9:
            digits[i] = 0
            i -= 1
        if i < 0:
            digits.insert(0, 1)
            k += 1
        else:
            digits[i] += 1
    return "".join(map(str, digits)).rstrip("0") or "0", k + 1


def java_double_str(x: float) -> str:
    """A double as Java's ``Double.toString`` writes it on JDK 17, the JVM of the reference Spark.

    That is the shortest round-trip digits in nearly all cases, with JDK 17's deviations: integral
    values below 2**63 print from their exact digits (see :func:`_integral_digits`), and a decimal
    exactly half an ulp away never counts as a match (see :func:`_generated_digits`). Checked
    against 15,000 values cast by Spark, all equal; known to differ: 1.9400994884341944E25 and the
    subnormal 1.0E-323 (ember prints ...945E25 and 9.9E-324).

    Examples
    --------
    >>> [java_double_str(v) for v in (1.0, 1e10, 1e-5, 123456789.123, -0.0, 2e23)]
    ['1.0', '1.0E10', '1.0E-5', '1.23456789123E8', '-0.0', '1.9999999999999998E23']
    """
    special = _special(x)
    if special is not None:
        return special
    a = abs(x)
    exact = _integral_digits(a, 53)
    if exact is not None:
        return _java_format(x < 0, *exact)
    text = repr(a)
    digits, exp10 = _digits(text)
    if _off_shortest(a, text, len(digits), exp10, 53, -1074):
        digits, exp10 = _generated_digits(a)
    return _java_format(x < 0, digits, exp10)


def _off_shortest(a: float, text: str, n_digits: int, exp10: int, bits: int, min_exp: int) -> bool:
    """Whether JDK 17 may print other digits than the shortest ``text``: when it sits on the edge of
    the rounding interval, ``a`` is a power of two, or E notation asks for a second digit."""
    mantissa, exponent = math.frexp(a)
    if mantissa == 0.5 or (n_digits == 1 and not -3 <= exp10 - 1 < 7):
        return True
    return abs(Fraction(text) - Fraction(a)) * 2 >= Fraction(2) ** max(exponent - bits, min_exp)


def _to_f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def java_float_str(x: float) -> str:
    """A FloatType value as Java's ``Float.toString`` writes it on JDK 17: as :func:`java_double_str`
    but for 32-bit floats (all floats from 2**24 up are integral and print their exact digits).

    Examples
    --------
    >>> java_float_str(1.100000023841858), java_float_str(16777216.0), java_float_str(372713536.0)
    ('1.1', '1.6777216E7', '3.72713536E8')
    """
    special = _special(x)
    if special is not None:
        return special
    target = _to_f32(abs(x))
    exact = _integral_digits(target, 24)
    if exact is not None:
        return _java_format(x < 0, *exact)
    for significant in range(1, 10):  # 9 digits always suffice for a float32
        text = f"{target:.{significant - 1}e}"
        if _to_f32(float(text)) == target:
            break
    digits, exp10 = _digits(text)
    if _off_shortest(target, text, len(digits), exp10, 24, -149):
        digits, exp10 = _generated_digits(target, 24, -149)
    return _java_format(x < 0, digits, exp10)


# -- one cell ----------------------------------------------------------------------------------


def _timestamp(v: datetime.datetime) -> str:
    text = (f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}")
    if v.microsecond:
        text += "." + f"{v.microsecond:06d}".rstrip("0")
    return text


def _date(v: datetime.date) -> str:
    if isinstance(v, datetime.datetime):
        v = v.date()
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"


def _decimal(v: Any, dtype: DecimalType) -> str:
    d = v if isinstance(v, decimal.Decimal) else decimal.Decimal(str(v))
    text = format(d, f".{dtype.scale}f")
    # Java's BigDecimal has no negative zero.
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


_INTERVAL_UNITS = ("DAY", "HOUR", "MINUTE", "SECOND")


def _interval(v: datetime.timedelta, dtype: DayTimeIntervalType) -> str:
    micros = (v.days * 86400 + v.seconds) * 1_000_000 + v.microseconds
    sign = "-" if micros < 0 else ""
    total_seconds, frac = divmod(abs(micros), 1_000_000)
    fraction = "." + f"{frac:06d}".rstrip("0") if frac else ""
    # The leading field holds everything above it (25 hours stay 25 in HOUR TO SECOND).
    lead = [total_seconds // 86400, total_seconds // 3600, total_seconds // 60, total_seconds]
    clock = [0, total_seconds // 3600 % 24, total_seconds // 60 % 60, total_seconds % 60]
    start, end = dtype.startField, dtype.endField
    text = str(lead[start]) if start < 3 else f"{lead[start]:02d}{fraction}"
    for field in range(start + 1, end + 1):
        text += (" " if field == 1 else ":") + f"{clock[field]:02d}" + (fraction if field == 3 else "")
    unit = _INTERVAL_UNITS[start] + ("" if start == end else f" TO {_INTERVAL_UNITS[end]}")
    return f"INTERVAL '{sign}{text}' {unit}"


def _map_items(value: Any) -> list[tuple[Any, Any]]:
    if isinstance(value, dict):
        return list(value.items())
    items = []
    for entry in value:  # Arrow-style maps arrive as [{"key": k, "value": v}, ...] or pairs
        if isinstance(entry, dict):
            items.append((entry.get("key"), entry.get("value")))
        else:
            items.append((entry[0], entry[1]))
    return items


def _struct_values(value: Any, dtype: StructType) -> list[Any]:
    if isinstance(value, dict):
        return [value.get(f.name) for f in dtype.fields]
    return list(value)


def format_cell(value: Any, dtype: DataType) -> str:
    """One value as Spark's ``show()`` prints it (before escaping and truncation).

    ``NULL`` for None (also inside containers), ``true``/``false``, doubles and floats as Java
    prints them, decimals with their scale, ``yyyy-MM-dd HH:mm:ss[.ffffff]`` timestamps, binary as
    ``[61 62]``, arrays ``[1, NULL]``, maps ``{k -> v}`` and structs ``{a, b}``.

    Examples
    --------
    >>> from ember.sql.types import ArrayType, LongType
    >>> format_cell([1, None], ArrayType(LongType())), format_cell(None, LongType())
    ('[1, NULL]', 'NULL')
    """
    if value is None or isinstance(dtype, NullType):
        return "NULL"
    if isinstance(dtype, ArrayType):
        return "[" + ", ".join(format_cell(v, dtype.elementType) for v in value) + "]"
    if isinstance(dtype, MapType):
        return "{" + ", ".join(f"{format_cell(k, dtype.keyType)} -> {format_cell(v, dtype.valueType)}"
                               for k, v in _map_items(value)) + "}"
    if isinstance(dtype, StructType):
        values = _struct_values(value, dtype)
        return "{" + ", ".join(format_cell(v, f.dataType) for v, f in zip(values, dtype.fields)) + "}"
    if isinstance(dtype, BooleanType):
        return "true" if value else "false"
    if isinstance(dtype, DoubleType):
        return java_double_str(float(value))
    if isinstance(dtype, FloatType):
        return java_float_str(float(value))
    if isinstance(dtype, DecimalType):
        return _decimal(value, dtype)
    if isinstance(dtype, (TimestampType, TimestampNTZType)):
        return _timestamp(value)
    if isinstance(dtype, DateType):
        return _date(value)
    if isinstance(dtype, BinaryType):
        return "[" + " ".join(f"{b:02X}" for b in bytes(value)) + "]"
    if isinstance(dtype, DayTimeIntervalType):
        return _interval(value, dtype)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double_str(value)
    return str(value)


# -- layout ------------------------------------------------------------------------------------


def _java_len(s: str) -> int:
    """Length in UTF-16 code units, as Java's String.length counts."""
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def _half_width(s: str) -> int:
    return _java_len(s) + len(_FULL_WIDTH.findall(s))


def _java_prefix(s: str, units: int) -> str:
    """The first ``units`` UTF-16 code units; half a surrogate pair shows as ``?`` (as on the JVM)."""
    out, used = [], 0
    for c in s:
        size = 2 if ord(c) > 0xFFFF else 1
        if used + size > units:
            if used < units:
                out.append("?")
            break
        out.append(c)
        used += size
    return "".join(out)


def _cut(s: str, truncate: int) -> str:
    if truncate <= 0 or _java_len(s) <= truncate:
        return s
    if truncate < 4:
        return _java_prefix(s, truncate)
    return _java_prefix(s, truncate - 3) + "..."


def _pad(s: str, width: int, left: bool) -> str:
    fill = " " * max(0, width - _half_width(s))
    return fill + s if left else s + fill


def check_show_args(n: Any, truncate: Any, vertical: Any) -> int:
    """Validate ``show()``'s arguments like PySpark's ``_show_string``; returns the truncation width."""
    def wrong(arg: str, want: str, got: Any) -> PySparkTypeError:
        return PySparkTypeError(f"Argument `{arg}` should be {want}, got {type(got).__name__}.",
                                errorClass="NOT_EXPECTED_TYPE",
                                messageParameters={"arg_name": arg, "arg_type": type(got).__name__})

    if not isinstance(n, int) or isinstance(n, bool):
        raise wrong("n", "int", n)
    if not isinstance(vertical, bool):
        raise wrong("vertical", "bool", vertical)
    if isinstance(truncate, bool):
        return 20 if truncate else 0
    try:
        return int(truncate)
    except (TypeError, ValueError):
        raise wrong("truncate", "bool", truncate) from None


def show_string(names: Sequence[str], rows: Sequence[Sequence[Any]], types: Sequence[DataType],
                n: int = 20, truncate: int | bool = 20, vertical: bool = False) -> str:
    """The table ``df.show(n, truncate, vertical)`` prints, without print's final newline.

    Parameters
    ----------
    names : list of str
        Column names.
    rows : list of tuple
        The first ``n + 1`` rows (or fewer) as plain Python values; the extra row only tells that
        there is more ("only showing top n rows").
    types : list of DataType
        Column types, which decide how values print.
    n : int
        Rows to show.
    truncate : bool or int
        ``True`` cuts cells to 20 characters, an int to that many, ``False``/0 not at all; cells are
        right-aligned when cut, left-aligned otherwise.
    vertical : bool
        One ``-RECORD i`` block per row instead of a table.

    Returns
    -------
    str

    Examples
    --------
    >>> from ember.sql.types import LongType, StringType
    >>> print(show_string(["word", "count"], [("spark", 1)], [StringType(), LongType()]))
    +-----+-----+
    | word|count|
    +-----+-----+
    |spark|    1|
    +-----+-----+
    <BLANKLINE>
    """
    width_limit = check_show_args(n, truncate, vertical)
    shown = max(n, 0)
    more = len(rows) > shown
    header = [str(name).translate(_META) for name in names]
    cells = [[_cut(format_cell(v, t).translate(_META), width_limit) for v, t in zip(row, types)]
             for row in rows[:shown]]
    out: list[str] = []
    if not vertical:
        widths = [_MIN_WIDTH] * len(header)
        for line in [header, *cells]:
            widths = [max(w, _half_width(c)) for w, c in zip(widths, line)]
        sep = "+" + "+".join("-" * w for w in widths) + "+\n"
        right = width_limit > 0

        def line(values: list[str]) -> str:
            return "|" + "|".join(_pad(v, w, right) for v, w in zip(values, widths)) + "|\n"

        out += [sep, line(header), sep, *(line(row) for row in cells), sep]
    else:
        name_width = max([_MIN_WIDTH, *(_half_width(h) for h in header)])
        data_width = max([_MIN_WIDTH, *(_half_width(c) for row in cells for c in row)])
        for i, row in enumerate(cells):
            out.append(f"-RECORD {i}".ljust(name_width + data_width + 5, "-") + "\n")
            out += [f" {_pad(h, name_width, False)} | {_pad(c, data_width, False)} \n"
                    for h, c in zip(header, row)]
    if vertical and not cells:
        out.append("(0 rows)")
    elif more:
        out.append(f"only showing top {shown} {'row' if shown == 1 else 'rows'}")
    return "".join(out)
