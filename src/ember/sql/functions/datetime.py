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


def date_add(start, days) -> Column:
    """``start`` plus ``days`` days (an int, or a column of them)."""
    if isinstance(days, int):
        return _f("date_add", start, params=(days,))
    return _f("date_add", start, days)


dateadd = date_add


def date_sub(start, days) -> Column:
    """``start`` minus ``days`` days (an int, or a column of them)."""
    if isinstance(days, int):
        return _f("date_sub", start, params=(days,))
    return _f("date_sub", start, days)


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


# -- more fields and truncation ------------------------------------------------------------------
def _field_fn(name: str, doc: str):
    def fn(col) -> Column:
        return _f(name, col)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


weekofyear = _field_fn("weekofyear", "The ISO-8601 week number (weeks start on Monday), as an int.")
quarter = _field_fn("quarter", "The quarter of the year, 1 to 4.")
day = _field_fn("day", "The day of the month (as ``dayofmonth``).")
weekday = _field_fn("weekday", "The day of the week, 0 for Monday to 6 for Sunday.")
dayname = _field_fn("dayname", "The three-letter day name: ``Mon`` ... ``Sun``.")
monthname = _field_fn("monthname", "The three-letter month name: ``Jan`` ... ``Dec``.")
last_day = _field_fn("last_day", "The last day of the month the date belongs to.")
unix_date = _field_fn("unix_date", "Days since 1970-01-01 of a date, as an int.")
unix_seconds = _field_fn("unix_seconds", "Seconds since the epoch of a timestamp (floored), as a long.")
unix_millis = _field_fn("unix_millis", "Milliseconds since the epoch of a timestamp (floored), as a long.")
unix_micros = _field_fn("unix_micros", "Microseconds since the epoch of a timestamp, as a long.")
timestamp_seconds = _field_fn("timestamp_seconds", "The timestamp ``col`` seconds after the epoch.")
timestamp_millis = _field_fn("timestamp_millis", "The timestamp ``col`` milliseconds after the epoch.")
timestamp_micros = _field_fn("timestamp_micros", "The timestamp ``col`` microseconds after the epoch.")
date_from_unix_date = _field_fn("date_from_unix_date", "The date ``days`` days after 1970-01-01.")


def date_trunc(format: str, timestamp) -> Column:  # noqa: A002
    """``timestamp`` truncated to the ``format`` unit ('year', 'quarter', 'month', 'week', 'day', 'hour',
    'minute', 'second', 'millisecond', 'microsecond'), in the session time zone.

    Examples
    --------
    >>> date_trunc("hour", "ts")
    Column<'date_trunc(hour, ts)'>
    """
    return Column(E.Func("date_trunc", (_v(format), _c(timestamp))))


def trunc(date, format: str) -> Column:  # noqa: A002
    """``date`` truncated to the 'year', 'quarter', 'month' or 'week' (Monday); null for another unit."""
    return Column(E.Func("trunc", (_c(date), _v(format))))


def next_day(date, dayOfWeek: str) -> Column:
    """The first date after ``date`` that falls on ``dayOfWeek`` ('Mon', 'Tuesday', ...)."""
    return Column(E.Func("next_day", (_c(date), _v(dayOfWeek))))


def add_months(start, months) -> Column:
    """``start`` plus ``months`` months (clamped to the month's last day)."""
    return Column(E.Func("add_months", (_c(start), _v(months) if isinstance(months, int) else _c(months))))


def months_between(date1, date2, roundOff: bool = True) -> Column:
    """Months from ``date2`` to ``date1``: whole when both are the same day of the month (or both month
    ends), else with the rest of a 31-day month; rounded to 8 digits unless ``roundOff`` is False."""
    return Column(E.Func("months_between", (_c(date1), _c(date2), _v(bool(roundOff)))))


def make_date(year, month, day) -> Column:
    return _f("make_date", year, month, day)


def date_diff(end, start) -> Column:
    """Days from ``start`` to ``end`` (as ``datediff``)."""
    return _f("date_diff", end, start)


def current_timezone() -> Column:
    """The session time zone (``spark.sql.session.timeZone``)."""
    return _f("current_timezone")


def curdate() -> Column:
    return _f("curdate")


def try_to_timestamp(col, format=None) -> Column:  # noqa: A002
    """``to_timestamp`` that gives null instead of an error for text it cannot read."""
    args = (_c(col),) if format is None else (_c(col), _c(format))
    return Column(E.Func("try_to_timestamp", args))


def try_to_date(col, format: str | None = None) -> Column:  # noqa: A002
    """``to_date`` that gives null for text it cannot read."""
    return _f("try_to_date", col, params=(format,) if format else ())


def _part(style: str, field, source) -> Column:
    f = _v(field) if isinstance(field, str) else _c(field)
    value = f.value if isinstance(f, E.Literal) else None
    if not isinstance(value, str):
        from ember.errors import AnalysisException

        raise AnalysisException(f"ember's {style} needs a literal field, such as lit('hour')")
    return Column(E.Func("extract", (f, _c(source)), (value, style)))


def extract(field, source) -> Column:
    """A part of a date or timestamp: ``extract(lit("hour"), "ts")``; SECOND keeps the microseconds
    (a ``decimal(8,6)``)."""
    return _part("extract", field, source)


def date_part(field, source) -> Column:
    return _part("date_part", field, source)


def datepart(field, source) -> Column:
    return _part("datepart", field, source)
