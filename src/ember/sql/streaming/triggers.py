"""Triggers: when a query runs its next micro-batch, and the checks ``writeStream.trigger`` makes.

Examples
--------
>>> parse_trigger(processingTime="5 seconds")
Trigger(kind='processingTime', interval_ms=5000)
>>> parse_interval_ms("1 minute 30 seconds")
90000
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ember.errors import IllegalArgumentException, PySparkValueError

_UNITS_MS = {
    "week": 7 * 86_400_000, "day": 86_400_000, "hour": 3_600_000, "minute": 60_000, "second": 1000,
    "millisecond": 1, "microsecond": 0.001,
}
_ALIASES = {"ms": "millisecond", "s": "second", "sec": "second", "secs": "second", "min": "minute",
            "mins": "minute", "h": "hour", "d": "day", "us": "microsecond", "w": "week"}
_PART = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*([a-zA-Z]+)")


def parse_interval_ms(text: str) -> int:
    """A Spark interval string (``'10 seconds'``, ``'1 day 12 hours'``, ``'interval 5 minutes'``) in ms.

    Months and years have no fixed length and are refused, as Spark refuses them for triggers
    and windows.
    """
    s = str(text).strip().lower()
    if s.startswith("interval"):
        s = s[len("interval"):].strip()
    if re.fullmatch(r"\d+", s):
        return int(s)
    total = 0.0
    pos = 0
    found = False
    for m in _PART.finditer(s):
        if s[pos:m.start()].strip():
            break
        unit = _ALIASES.get(m.group(2), m.group(2))
        unit = unit[:-1] if unit.endswith("s") and unit[:-1] in _UNITS_MS else unit
        if unit in ("month", "year"):
            raise IllegalArgumentException(f"Doesn't support month or year interval: {text}")
        if unit not in _UNITS_MS:
            raise IllegalArgumentException(f"Error parsing '{text}' to interval, invalid unit '{m.group(2)}'")
        total += float(m.group(1)) * _UNITS_MS[unit]
        pos = m.end()
        found = True
    if not found or s[pos:].strip():
        raise IllegalArgumentException(f"Error parsing '{text}' to interval")
    return int(total)


@dataclass(frozen=True)
class Trigger:
    """``kind``: ``processingTime`` (``interval_ms`` 0 = as fast as possible), ``once``, ``availableNow``."""

    kind: str = "processingTime"
    interval_ms: int = 0

    @property
    def stops_when_done(self) -> bool:
        return self.kind in ("once", "availableNow")


DEFAULT = Trigger()


def parse_trigger(*, processingTime=None, once=None, continuous=None, availableNow=None,
                  realTime=None) -> Trigger:
    """Validate ``trigger(...)``'s arguments as PySpark does; return the trigger."""
    params = [processingTime, once, continuous, availableNow, realTime]
    if params.count(None) != 4:
        raise PySparkValueError(errorClass="ONLY_ALLOW_SINGLE_TRIGGER", messageParameters={},
                                message="Only a single trigger is allowed.")
    for name, value in (("processingTime", processingTime), ("continuous", continuous),
                        ("realTime", realTime)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise PySparkValueError(
                errorClass="VALUE_NOT_NON_EMPTY_STR",
                messageParameters={"arg_name": name, "arg_value": str(value)},
                message=f"Value for `{name}` must be a non-empty string, got '{value}'.")
    for name, value in (("once", once), ("availableNow", availableNow)):
        if value is not None and value is not True:
            raise PySparkValueError(
                errorClass="VALUE_NOT_ALLOWED",
                messageParameters={"arg_name": name, "allowed_values": "[True]"},
                message=f"Value for `{name}` has to be amongst the following values: [True].")
    if processingTime is not None:
        ms = parse_interval_ms(processingTime.strip())
        if ms < 0:
            raise IllegalArgumentException("requirement failed: interval cannot be negative")
        return Trigger("processingTime", ms)
    if once is not None:
        return Trigger("once")
    if availableNow is not None:
        return Trigger("availableNow")
    from ember.errors import PySparkNotImplementedError

    kind = "continuous" if continuous is not None else "realTime"
    raise PySparkNotImplementedError(f"ember does not provide the {kind} trigger; use processingTime")
