"""Clocks that drive the batch timer: the system clock, and a manual one for tests.

Spark picks the clock from ``spark.streaming.clock``; ``org.apache.spark.util.ManualClock`` selects
the manual clock, which starts at 0 ms and moves only when a test advances it. Both clocks let the job
thread sleep until a batch time without polling, and wake at once when the context stops.
"""

from __future__ import annotations

import threading
import time

MANUAL_CLOCK_CLASS = "org.apache.spark.util.ManualClock"
SYSTEM_CLOCK_CLASS = "org.apache.spark.util.SystemClock"


class SystemClock:
    """Wall-clock time in epoch milliseconds.

    Examples
    --------
    >>> SystemClock().getTimeMillis() > 0
    True
    """

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._interrupted = False

    def getTimeMillis(self) -> int:
        """Now, in milliseconds since the epoch."""
        return int(time.time() * 1000)

    def waitTillTime(self, target_ms: int) -> bool:
        """Sleep until ``target_ms``; False if :meth:`interrupt` cut the wait short."""
        with self._wake:
            while not self._interrupted:
                left = target_ms - time.time() * 1000
                if left <= 0:
                    return True
                # sleep in slices so a clock step (NTP) cannot stall a batch for long
                self._wake.wait(min(left / 1000.0, 0.5))
            return False

    def interrupt(self) -> None:
        """Wake every waiter; later waits return False at once."""
        with self._wake:
            self._interrupted = True
            self._wake.notify_all()


class ManualClock(SystemClock):
    """A clock that stands still until told to move (Spark's ``ManualClock``, starting at 0 ms).

    Examples
    --------
    >>> c = ManualClock()
    >>> c.advance(1000); c.getTimeMillis()
    1000
    """

    def __init__(self, start_ms: int = 0) -> None:
        super().__init__()
        self._now = start_ms

    def getTimeMillis(self) -> int:
        with self._wake:
            return self._now

    def setTime(self, time_ms: int) -> None:
        """Jump to ``time_ms`` and wake the waiters."""
        with self._wake:
            self._now = time_ms
            self._wake.notify_all()

    def advance(self, time_ms: int) -> None:
        """Move forward by ``time_ms`` and wake the waiters."""
        with self._wake:
            self._now += time_ms
            self._wake.notify_all()

    def waitTillTime(self, target_ms: int) -> bool:
        with self._wake:
            while not self._interrupted and self._now < target_ms:
                self._wake.wait()
            return not self._interrupted


def clock_from_conf(class_name: str | None) -> SystemClock:
    """The clock named by ``spark.streaming.clock`` (the system clock when unset)."""
    if class_name in (None, "", SYSTEM_CLOCK_CLASS):
        return SystemClock()
    if class_name == MANUAL_CLOCK_CLASS:
        return ManualClock()
    from ember.errors import IllegalArgumentException

    raise IllegalArgumentException(
        f"spark.streaming.clock must be {SYSTEM_CLOCK_CLASS} or {MANUAL_CLOCK_CLASS}, got {class_name!r}")
