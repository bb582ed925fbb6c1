"""The process's local time zone by IANA name (no Polars here: the session's default needs it)."""

from __future__ import annotations

import os


def local_tz() -> str:
    tz = os.environ.get("TZ")
    if tz:
        tz = tz.lstrip(":")
        return "UTC" if tz.upper() in ("UTC", "UTC0", "GMT", "Z", "ETC/UTC") else tz
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            return "UTC" if name in ("Etc/UTC", "UCT", "Universal", "Zulu", "Etc/Zulu") else name
    except OSError:
        pass
    return "UTC"
