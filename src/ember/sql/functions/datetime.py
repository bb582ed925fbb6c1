"""Date, timestamp and event-time window functions.

Timestamps are instants; functions that read a wall clock (``hour``, ``date_format``, ...) read it in
the session time zone (``spark.sql.session.timeZone``).
"""

from __future__ import annotations

from ember.sql import expressions as E
from ember.sql.column import Column
from ember.sql.functions._util import c as _c
from ember.sql.functions._util import check_str as _check_str
from ember.sql.functions._util import f as _f
from ember.sql.functions._util import v as _v


def current_timestamp() -> Column:
    return _f("current_timestamp")


now = current_timestamp


def current_date() -> Column:
    return _f("current_date")


def to_timestamp(col, format: str | None = None) -> Column:  # noqa: A002
    return _f("to_timestamp", col, params=(format,) if format else ())


def to_date(col, format: str | None = None) -> Column:  # noqa: A002
    return _f("to_date", col, params=(format,) if format else ())


def date_format(date, format: str) -> Column:  # noqa: A002
    return _f("date_format", date, params=(format,))


def unix_timestamp(timestamp=None, format: str = "yyyy-MM-dd HH:mm:ss") -> Column:  # noqa: A002
    if timestamp is None:
        return Column(E.Func("unix_timestamp", (E.Func("current_timestamp"),), (format,)))
    return _f("unix_timestamp", timestamp, params=(format,))


def from_unixtime(timestamp, format: str = "yyyy-MM-dd HH:mm:ss") -> Column:  # noqa: A002
    return _f("from_unixtime", timestamp, params=(format,))


def year(col) -> Column:
    return _f("year", col)


def month(col) -> Column:
    return _f("month", col)


def dayofmonth(col) -> Column:
    return _f("dayofmonth", col)


def dayofweek(col) -> Column:
    return _f("dayofweek", col)


def dayofyear(col) -> Column:
    return _f("dayofyear", col)


def hour(col) -> Column:
    return _f("hour", col)


def minute(col) -> Column:
    return _f("minute", col)


def second(col) -> Column:
    return _f("second", col)


def date_add(start, days: int) -> Column:
    return _f("date_add", start, params=(days,))


def date_sub(start, days: int) -> Column:
    return _f("date_sub", start, params=(days,))


def datediff(end, start) -> Column:
    return _f("datediff", end, start)


def window(
    timeColumn, windowDuration: str, slideDuration: str | None = None, startTime: str | None = None
) -> Column:
    """Event-time windows ``struct<start, end>``: tumbling, or sliding when ``slideDuration`` is given.

    An event at ``t`` belongs to every window ``[start, start + w)`` with
    ``start = t - (t - startTime) mod slide - k * slide``.

    Examples
    --------
    >>> window("ts", "10 minutes", "5 minutes")
    Column<'window(ts, 600000000, 300000000, 0)'>
    """
    from ember.sql.durations import parse_duration

    _check_str("windowDuration", windowDuration)
    _check_str("slideDuration", slideDuration)
    _check_str("startTime", startTime)
    w = parse_duration(windowDuration)
    s = parse_duration(slideDuration) if slideDuration else w
    st = parse_duration(startTime) if startTime else 0
    return _f("window", timeColumn, params=(w, s, st))


def window_time(windowColumn) -> Column:
    return _f("window_time", windowColumn)


def session_window(timeColumn, gapDuration) -> Column:
    from ember.sql.durations import parse_duration

    return _f("session_window", timeColumn, params=(parse_duration(gapDuration),))


def to_utc_timestamp(timestamp, tz) -> Column:
    """The instant whose UTC wall clock is ``timestamp``'s wall clock read in zone ``tz``.

    ``tz`` is a zone id (``"America/Los_Angeles"``, ``"+08:00"``, ``"GMT+1"``) or a column of them.

    Examples
    --------
    >>> df.select(to_utc_timestamp(lit("2024-01-01 00:00:00"), "Asia/Tokyo"))  # 2023-12-31 15:00 UTC
    """
    return Column(E.Func("to_utc_timestamp", (_c(timestamp), _v(tz))))


def from_utc_timestamp(timestamp, tz) -> Column:
    """The instant whose wall clock in UTC is ``timestamp``'s wall clock in zone ``tz``.

    Examples
    --------
    >>> df.select(from_utc_timestamp(lit("2024-01-01 00:00:00"), "Asia/Tokyo"))  # 2024-01-01 09:00 UTC
    """
    return Column(E.Func("from_utc_timestamp", (_c(timestamp), _v(tz))))
