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
    "millisecond": 1, "microsecond": 0.001, "nanosecond": 0.000001,
}


def _bad_interval(text: str, sub: str, detail: str) -> IllegalArgumentException:
    return IllegalArgumentException(
        errorClass=f"INVALID_INTERVAL_FORMAT.{sub}", messageParameters={"input": text},
        message=f"Error parsing '{text}' to interval. Please ensure that the value provided is in a valid "
                "format for defining an interval. You can reference the documentation for the correct "
                f"format. {detail} SQLSTATE: 22006")


def parse_interval_ms(text: str) -> int:
    """A Spark interval string (``'10 seconds'``, ``'1 day 12 hours'``, ``'interval 5 minutes'``) in ms.

    Months and years have no fixed length and are refused, as Spark refuses them for triggers.
    """
    words = str(text).strip().lower().split()
    if words and words[0] == "interval":
        words = words[1:]
    if not words:
        raise _bad_interval(text, "INPUT_IS_EMPTY", "Interval string cannot be empty.")
    total = 0.0
    for i in range(0, len(words), 2):
        number = words[i]
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", number):
            raise _bad_interval(text, "UNRECOGNIZED_NUMBER", f"Unrecognized number {number}.")
        if i + 1 >= len(words):
            raise _bad_interval(text, "MISSING_UNIT", f"Expect a unit name after {number} but hit EOL.")
        unit = words[i + 1]
        unit = unit[:-1] if unit.endswith("s") else unit
        if unit in ("month", "year"):
            raise IllegalArgumentException(f"Doesn't support month or year interval: {text}")
        if unit not in _UNITS_MS:
            raise _bad_interval(text, "INVALID_UNIT", f"Invalid unit {words[i + 1]}.")
        total += float(number) * _UNITS_MS[unit]
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
            raise IllegalArgumentException(
                "requirement failed: the interval of trigger should not be negative")
        return Trigger("processingTime", ms)
    if once is not None:
        return Trigger("once")
    if availableNow is not None:
        return Trigger("availableNow")
    from ember.errors import PySparkNotImplementedError

    kind = "continuous" if continuous is not None else "realTime"
    raise PySparkNotImplementedError(f"ember does not provide the {kind} trigger; use processingTime")
