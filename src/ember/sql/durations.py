"""Spark interval strings (``"10 seconds"``, ``"1 day 12 hours"``) as microseconds."""

from __future__ import annotations

import re

from ember.errors import IllegalArgumentException

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
    """``"10 seconds"`` -> 10_000_000; raises IllegalArgumentException on anything else."""
    s = text.strip().lower()
    if s.startswith("interval"):
        s = s[len("interval") :]
    total, pos = 0, 0
    if not s.strip():
        raise IllegalArgumentException(
            f"The provided interval ({text}) did not correspond to a valid interval string."
        )
    while pos < len(s):
        m = _PART.match(s, pos)
        if not m:
            if s[pos:].strip() == "":
                break
            raise IllegalArgumentException(
                f"The provided interval ({text}) did not correspond to a valid interval string."
            )
        unit = m.group(2).rstrip("s") if m.group(2) not in ("ms", "us") else m.group(2)
        unit = {"ms": "millisecond", "us": "microsecond", "sec": "second", "min": "minute"}.get(unit, unit)
        if unit not in _UNITS:
            if unit in ("month", "year"):
                raise IllegalArgumentException(
                    "Intervals greater than a month is not supported (" + text + ")."
                )
            raise IllegalArgumentException(
                f"The provided interval ({text}) did not correspond to a valid interval string."
            )
        total += int(float(m.group(1)) * _UNITS[unit])
        pos = m.end()
    return total
