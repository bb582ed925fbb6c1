"""Time-zone ids as Spark reads them (``java.time.ZoneId.of`` with Spark's tweaks), without Polars.

A zone is a fixed offset (``+08:00``, ``+8``, ``GMT+1``, ``UTC-05:30``, ``Z``, ``EST``), a region id of
the tz database (``America/Los_Angeles``, case as written), or one of Java's three-letter short ids,
which Spark maps to a region (``PST`` is ``America/Los_Angeles``). Anything else is Spark's
``INVALID_TIMEZONE`` error.

Examples
--------
>>> zone_of("+8:00"), zone_of("GMT-1"), zone_of("PST")
(28800, -3600, 'America/Los_Angeles')
"""

from __future__ import annotations

import functools
import re

from ember import errors

# java.time.ZoneId.SHORT_IDS (a fixed public table), which Spark passes to ZoneId.of
_SHORT_IDS = {
    "ACT": "Australia/Darwin", "AET": "Australia/Sydney", "AGT": "America/Argentina/Buenos_Aires",
    "ART": "Africa/Cairo", "AST": "America/Anchorage", "BET": "America/Sao_Paulo", "BST": "Asia/Dhaka",
    "CAT": "Africa/Harare", "CNT": "America/St_Johns", "CST": "America/Chicago", "CTT": "Asia/Shanghai",
    "EAT": "Africa/Addis_Ababa", "ECT": "Europe/Paris", "IET": "America/Indiana/Indianapolis",
    "IST": "Asia/Kolkata", "JST": "Asia/Tokyo", "MIT": "Pacific/Apia", "NET": "Asia/Yerevan",
    "NST": "Pacific/Auckland", "PLT": "Asia/Karachi", "PNT": "America/Phoenix", "PRT": "America/Puerto_Rico",
    "PST": "America/Los_Angeles", "SST": "Pacific/Guadalcanal", "VST": "Asia/Ho_Chi_Minh",
    "EST": -5 * 3600, "MST": -7 * 3600, "HST": -10 * 3600,
}  # fmt: skip

# ZoneOffset.of: +h, +hh, +hh:mm, +hhmm, +hh:mm:ss, +hhmmss
_OFFSET = re.compile(r"([+-])(\d{1,2}|\d\d:\d\d|\d{4}|\d\d:\d\d:\d\d|\d{6})")
_UTC_NAMES = ("Z", "UTC", "GMT", "UT")


def invalid_timezone(zone) -> Exception:
    return errors.DateTimeException(
        f"The timezone: {zone} is invalid. The timezone must be either a region-based zone ID or a zone "
        "offset. Region IDs must have the form 'area/city', such as 'America/Los_Angeles'. Zone offsets "
        "must be in the format '(+|-)HH', '(+|-)HH:mm’ or '(+|-)HH:mm:ss', e.g '-08' , '+01:00' or "
        "'-13:33:33', and must be in the range from -18:00 to +18:00. 'Z' and 'UTC' are accepted as "
        "synonyms for '+00:00'. SQLSTATE: 22009",
        errorClass="INVALID_TIMEZONE",
        messageParameters={"timeZone": str(zone)},
    )


@functools.lru_cache(maxsize=512)
def zone_of(text: str) -> int | str:
    """``text`` as a fixed offset east of UTC in seconds, or a tz-database region name.

    Raises Spark's ``INVALID_TIMEZONE`` (a ``DateTimeException``) for anything Spark rejects.
    """
    # Spark first pads a one-digit hour before a colon: "+8:00" -> "+08:00"
    padded = re.sub(r"([+-])(\d):", r"\g<1>0\2:", text, count=1)
    if padded in _UTC_NAMES:
        return 0
    for prefix in ("UTC", "GMT", "UT"):
        if padded.startswith(prefix) and padded[len(prefix) : len(prefix) + 1] in ("+", "-"):
            return _offset(padded[len(prefix) :], text)
    if padded[:1] in ("+", "-"):
        return _offset(padded, text)
    short = _SHORT_IDS.get(padded)
    if short is not None:
        return short
    if _is_region(padded):
        return padded
    raise invalid_timezone(text)


def _offset(text: str, original: str) -> int:
    m = _OFFSET.fullmatch(text)
    if m is None:
        raise invalid_timezone(original)
    digits = m.group(2).replace(":", "")
    hours = int(digits[:2]) if len(digits) > 1 else int(digits)
    minutes = int(digits[2:4]) if len(digits) >= 4 else 0
    seconds = int(digits[4:6]) if len(digits) == 6 else 0
    total = hours * 3600 + minutes * 60 + seconds
    if hours > 18 or minutes > 59 or seconds > 59 or total > 18 * 3600:
        raise invalid_timezone(original)
    return -total if m.group(1) == "-" else total


def _is_region(name: str) -> bool:
    import zoneinfo

    # the tz database's names, case as written (Java's lookup is case-sensitive)
    return name in zoneinfo.available_timezones()
