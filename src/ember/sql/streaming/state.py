"""``GroupState`` and ``GroupStateTimeout``: the per-key state handed to ``applyInPandasWithState``.

The function passed to :meth:`~ember.sql.group.GroupedData.applyInPandasWithState` gets one
:class:`GroupState` per key and call. Reading and changing it follows PySpark: the value is a tuple
of the state schema's fields, ``update`` replaces it, ``remove`` drops it, and a timeout (processing
time or event time, as the query's ``timeoutConf`` allows) makes the engine call the function again
for a key that received no data. Misuse raises PySpark's errors with its texts.

(The versioned state store of the stateful operators is :mod:`ember.sql.streaming.statestore`.)

Examples
--------
>>> state = GroupState(None, timeout_conf=GroupStateTimeout.NoTimeout)
>>> state.exists, state.getOption
(False, None)
>>> state.update((3, "a"))
>>> state.get
(3, 'a')
>>> str(state)
"GroupState((3, 'a'))"
"""

from __future__ import annotations

import datetime
from typing import Any

from ember.errors import PySparkRuntimeError, PySparkTypeError, PySparkValueError

__all__ = ["GroupState", "GroupStateTimeout"]


class GroupStateTimeout:
    """The kinds of timeout ``applyInPandasWithState`` accepts (its ``timeoutConf``)."""

    NoTimeout: str = "NoTimeout"
    ProcessingTimeTimeout: str = "ProcessingTimeTimeout"
    EventTimeTimeout: str = "EventTimeTimeout"


_KINDS = (GroupStateTimeout.NoTimeout, GroupStateTimeout.ProcessingTimeTimeout,
          GroupStateTimeout.EventTimeTimeout)


def _cannot_without(what: str, needs: str) -> PySparkRuntimeError:
    return PySparkRuntimeError(
        errorClass="CANNOT_WITHOUT", messageParameters={"condition1": what, "condition2": needs},
        message=f"Cannot {what} without {needs}.")


def _not_positive(name: str, value: Any) -> PySparkValueError:
    kind = type(value).__name__  # PySpark names the value's type, not the value
    return PySparkValueError(
        errorClass="VALUE_NOT_POSITIVE", messageParameters={"arg_name": name, "arg_value": kind},
        message=f"Value for `{name}` must be positive, got '{kind}'.")


def _plain_value(v: Any) -> Any:
    """NumPy scalars and pandas' Timestamp / Timedelta as the Python values they stand for."""
    mod = type(v).__module__
    if mod.startswith("numpy") and hasattr(v, "tolist"):
        return v.tolist()
    if mod.startswith("pandas"):
        if hasattr(v, "to_pytimedelta"):
            return v.to_pytimedelta()
        if hasattr(v, "to_pydatetime"):
            return v.to_pydatetime()
    return v


def _epoch_us(dt: datetime.datetime) -> int:
    """A datetime as epoch microseconds: naive ones are local time, as PySpark reads them."""
    import calendar
    import time

    seconds = calendar.timegm(dt.utctimetuple()) if dt.tzinfo else time.mktime(dt.timetuple())
    return int(seconds) * 1_000_000 + dt.microsecond


class GroupState:
    """The state of one group (key) in ``applyInPandasWithState``, as the function sees it.

    Built by the engine for each call; the function reads it (``exists``, ``get``, ``hasTimedOut``)
    and changes it (``update``, ``remove``, ``setTimeoutDuration``, ``setTimeoutTimestamp``).

    Parameters
    ----------
    value : tuple or None
        The stored state (a tuple of the state schema's fields), None when there is none.
    batch_processing_time_ms : int
        The batch's processing time (what ``getCurrentProcessingTimeMs`` returns).
    watermark_ms : int
        The batch's event time watermark, ``-1`` without one.
    timeout_conf : str
        One of :class:`GroupStateTimeout`'s values.
    has_timed_out : bool
        The call is for a key whose timeout expired (its data iterator is empty).
    watermark_present : bool
        The query has a watermark above the operator's input.
    timeout_timestamp : int
        The stored timeout (epoch ms), ``-1`` when none is set.

    Examples
    --------
    >>> state = GroupState(None, 1000, timeout_conf=GroupStateTimeout.ProcessingTimeTimeout)
    >>> state.setTimeoutDuration(500)
    >>> state.getCurrentProcessingTimeMs()
    1000
    """

    #: the timeout timestamp of a state without a timeout
    NO_TIMESTAMP: int = -1

    def __init__(self, value: tuple | None, batch_processing_time_ms: int = 0, watermark_ms: int = -1,
                 timeout_conf: str = GroupStateTimeout.NoTimeout, has_timed_out: bool = False,
                 watermark_present: bool = False, timeout_timestamp: int = -1) -> None:
        if timeout_conf not in _KINDS:
            raise ValueError(f"unknown timeoutConf {timeout_conf!r}")
        self._value = None if value is None else tuple(value)
        self._defined = value is not None
        self._updated = False
        self._removed = False
        self._batch_processing_time_ms = batch_processing_time_ms
        self._event_time_watermark_ms = watermark_ms
        self._timeout_conf = timeout_conf
        self._has_timed_out = has_timed_out
        self._watermark_present = watermark_present
        self._timeout_timestamp = timeout_timestamp
        self._old_timeout_timestamp = timeout_timestamp

    @property
    def exists(self) -> bool:
        """Whether the key has a state."""
        return self._defined

    @property
    def get(self) -> tuple:
        """The state as a tuple; ``PySparkValueError`` (STATE_NOT_EXISTS) when there is none."""
        if not self._defined:
            raise PySparkValueError(errorClass="STATE_NOT_EXISTS", messageParameters={},
                                    message="State is either not defined or has already been removed.")
        return tuple(self._value or ())

    @property
    def getOption(self) -> tuple | None:
        """The state as a tuple, or None when there is none."""
        return tuple(self._value or ()) if self._defined else None

    @property
    def hasTimedOut(self) -> bool:
        """Whether this call is for a key whose timeout expired (no data comes with it)."""
        return self._has_timed_out

    @property
    def oldTimeoutTimestamp(self) -> int:
        """The timeout timestamp the key had when the call began (``-1``: none)."""
        return self._old_timeout_timestamp

    def update(self, newValue: tuple) -> None:
        """Replace the state by ``newValue``, a tuple of the state schema's fields (never None)."""
        if newValue is None:
            raise PySparkTypeError(errorClass="CANNOT_BE_NONE", messageParameters={"arg_name": "newValue"},
                                   message="Argument `newValue` cannot be None.")
        self._value = tuple(_plain_value(v) for v in newValue)
        self._defined = True
        self._updated = True
        self._removed = False

    def remove(self) -> None:
        """Drop the key's state (and with it its timeout)."""
        self._defined = False
        self._updated = False
        self._removed = True

    def setTimeoutDuration(self, durationMs: int) -> None:
        """Time the key out ``durationMs`` ms of processing time after this batch's processing time.

        Needs ``GroupStateTimeout.ProcessingTimeTimeout``. As in PySpark, a duration string is refused.
        """
        if isinstance(durationMs, str):
            kind = type(durationMs).__name__
            raise PySparkTypeError(
                errorClass="NOT_EXPECTED_TYPE",
                messageParameters={"expected_type": "int", "arg_name": "durationMs", "arg_type": kind},
                message=f"Argument `durationMs` should be int, got {kind}.")
        if self._timeout_conf != GroupStateTimeout.ProcessingTimeTimeout:
            raise _cannot_without("set timeout duration",
                                  "enabling processing time timeout in applyInPandasWithState")
        if durationMs <= 0:
            raise _not_positive("durationMs", durationMs)
        self._timeout_timestamp = durationMs + self._batch_processing_time_ms

    def setTimeoutTimestamp(self, timestampMs: int | datetime.datetime) -> None:
        """Time the key out once the watermark passes ``timestampMs`` (epoch ms or a datetime).

        Needs ``GroupStateTimeout.EventTimeTimeout``; the timestamp may not be below the watermark.
        """
        if self._timeout_conf != GroupStateTimeout.EventTimeTimeout:
            # PySpark 4.3 words this error as for setTimeoutDuration: the same text, kept
            raise _cannot_without("set timeout duration",
                                  "enabling processing time timeout in applyInPandasWithState")
        if isinstance(timestampMs, datetime.datetime):
            timestampMs = _epoch_us(timestampMs) / 1000
        if timestampMs <= 0:
            raise _not_positive("timestampMs", timestampMs)
        wm = self._event_time_watermark_ms
        if wm != self.NO_TIMESTAMP and timestampMs < wm:
            raise PySparkValueError(
                errorClass="INVALID_TIMEOUT_TIMESTAMP",
                messageParameters={"timestamp": str(timestampMs), "watermark": str(wm)},
                message=f"Timeout timestamp ({timestampMs}) cannot be earlier than the current watermark "
                        f"({wm}).")
        self._timeout_timestamp = timestampMs

    def getCurrentWatermarkMs(self) -> int:
        """The batch's event time watermark (epoch ms); needs a watermark in the query."""
        if not self._watermark_present:
            raise _cannot_without("get event time watermark timestamp",
                                  "setting watermark before applyInPandasWithState")
        return self._event_time_watermark_ms

    def getCurrentProcessingTimeMs(self) -> int:
        """The batch's processing time (epoch ms), the same for every call of one batch."""
        return self._batch_processing_time_ms

    def __str__(self) -> str:
        return f"GroupState({self.get})" if self._defined else "GroupState(<undefined>)"
