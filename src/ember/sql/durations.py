"""Spark interval strings (``"10 seconds"``, ``"1 day 12 hours"``) as microseconds."""

from __future__ import annotations

import re

from ember.errors import AnalysisException


def _bad(text: str) -> AnalysisException:
    return AnalysisException(
        f"Unable to parse '{text}'. Please ensure that the value provided is in a valid format "
        "for defining an "
        "interval. You can reference the documentation for the correct format. If the issue persists, please "
        "double check that the input value is not null or empty and try again. SQLSTATE: 22006",
        errorClass="CANNOT_PARSE_INTERVAL",
        messageParameters={"intervalString": f"'{text}'"},
    )


_UNITS = {
    "week": 7 * 86_400_000_000,
    "day": 86_400_000_000,
    "hour": 3_600_000_000,
    "minute": 60_000_000,
    "second": 1_000_000,
    "millisecond": 1000,
    "microsecond": 1,
}
_PART = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]+)")


def parse_duration(text: str) -> int:
    """``"10 seconds"`` -> 10_000_000; raises CANNOT_PARSE_INTERVAL otherwise."""
    s = text.strip().lower()
    if s.startswith("interval"):
        s = s[len("interval") :]
    total, pos = 0, 0
    if not s.strip():
        raise _bad(text)
    while pos < len(s):
        m = _PART.match(s, pos)
        if not m:
            if s[pos:].strip() == "":
                break
            raise _bad(text)
        unit = m.group(2).rstrip("s") if m.group(2) not in ("ms", "us") else m.group(2)
        unit = {"ms": "millisecond", "us": "microsecond", "sec": "second", "min": "minute"}.get(unit, unit)
        if unit not in _UNITS:
            raise _bad(text)
        total += int(float(m.group(1)) * _UNITS[unit])
        pos = m.end()
    return total
