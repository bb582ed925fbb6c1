"""Read limits for Python streaming data sources (``pyspark.sql.streaming.datasource``).

A :class:`~ember.sql.datasource.DataSourceStreamReader` whose ``latestOffset`` takes ``(start, limit)``
is told how much one micro-batch may read: the reader's ``getDefaultReadLimit()`` (``ReadAllAvailable``
unless it says otherwise), or ``ReadAllAvailable`` under ``trigger(once=True)``.

Examples
--------
>>> from ember.sql.streaming.datasource import ReadMaxRows
>>> ReadMaxRows(20).max_rows
20
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

__all__ = ["ReadLimit", "ReadAllAvailable", "ReadMinRows", "ReadMaxRows", "ReadMaxFiles", "ReadMaxBytes",
           "SupportsTriggerAvailableNow"]


class ReadLimit:
    """How much a source may read for one micro-batch; only the built-in kinds below exist."""


@dataclass
class ReadAllAvailable(ReadLimit):
    """Read everything there is."""


@dataclass
class ReadMinRows(ReadLimit):
    """Wait until at least ``min_rows`` rows are there."""

    min_rows: int


@dataclass
class ReadMaxRows(ReadLimit):
    """Read at most ``max_rows`` rows."""

    max_rows: int


@dataclass
class ReadMaxFiles(ReadLimit):
    """Read at most ``max_files`` files."""

    max_files: int


@dataclass
class ReadMaxBytes(ReadLimit):
    """Read at most ``max_bytes`` bytes."""

    max_bytes: int


class SupportsTriggerAvailableNow(ABC):
    """A stream reader mixin: ``trigger(availableNow=True)`` asks it to fix its target offset first."""

    @abstractmethod
    def prepareForTriggerAvailableNow(self) -> None:
        """Record the latest offset now; ``latestOffset`` must never go past it afterwards."""
