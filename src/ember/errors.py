"""Exceptions, named as in ``pyspark.errors`` so that ``except`` clauses port unchanged.

Spark's error classes print as ``[ERROR_CLASS] message``; ember's do the same.
"""

from __future__ import annotations


class PySparkException(Exception):
    """Base of ember's errors; carries Spark's error class when there is one."""

    def __init__(self, message: str | None = None, errorClass: str | None = None,
                 messageParameters: dict | None = None) -> None:
        self._message = message or ""
        self._errorClass = errorClass
        self._messageParameters = messageParameters or {}
        super().__init__(str(self))

    def getErrorClass(self) -> str | None:
        return self._errorClass

    getCondition = getErrorClass

    def getMessageParameters(self) -> dict:
        return self._messageParameters

    def getSqlState(self) -> str | None:
        """The ``SQLSTATE: XXXXX`` a Spark message ends with, or None."""
        import re

        found = re.search(r"SQLSTATE: ([0-9A-Z]{5})", self._message)
        return found.group(1) if found else None

    def getMessage(self) -> str:
        return str(self)

    def __str__(self) -> str:
        # Spark prints no "[class]" prefix for its unnamed legacy errors
        if self._errorClass and not self._errorClass.startswith("_LEGACY_ERROR"):
            return f"[{self._errorClass}] {self._message}"
        return self._message


class PySparkValueError(PySparkException, ValueError):
    """A bad argument value."""


class PySparkTypeError(PySparkException, TypeError):
    """A bad argument type."""


class PySparkRuntimeError(PySparkException, RuntimeError):
    """A failure while running."""


class PySparkAttributeError(PySparkException, AttributeError):
    """A missing or non-callable attribute (``foreach`` writers)."""


class PySparkKeyError(PySparkException, KeyError):
    """A missing key, e.g. a field name a ``StructType`` does not have."""


class PySparkIndexError(PySparkException, IndexError):
    """An index out of range, e.g. a ``StructType`` field position."""


class PySparkNotImplementedError(PySparkException, NotImplementedError):
    """A Spark feature ember does not provide."""


class PySparkImportError(PySparkException, ImportError):
    """An optional package (pandas) is missing."""


class IllegalArgumentException(PySparkException, ValueError):
    """Spark's ``java.lang.IllegalArgumentException``, e.g. ``requirement failed: ...``."""


class IllegalStateException(PySparkException, RuntimeError):
    """Spark's ``java.lang.IllegalStateException``, e.g. using a stopped context."""


class UnsupportedOperationException(PySparkException, RuntimeError):
    """Spark's ``SparkUnsupportedOperationException``."""


class SparkException(PySparkException):
    """Spark's ``org.apache.spark.SparkException``."""


class AnalysisException(PySparkException):
    """A query that cannot be analysed (unknown column, unsupported streaming operation, ...)."""


class ParseException(AnalysisException):
    """A SQL text or DDL string that cannot be parsed."""


class StreamingQueryException(PySparkException):
    """A streaming query that stopped with an error."""


class PythonException(PySparkException):
    """An error raised by user code, with the original Python traceback in its message."""


class SparkRuntimeException(PySparkException):
    """Spark's ``SparkRuntimeException``: a failure while computing rows."""


class NumberFormatException(IllegalArgumentException):
    """An ANSI-mode cast of a malformed string to a number (``CAST_INVALID_INPUT``)."""


class ArithmeticException(PySparkException):
    """ANSI-mode arithmetic failures: ``DIVIDE_BY_ZERO``, ``REMAINDER_BY_ZERO``, overflow."""


class ArrayIndexOutOfBoundsException(PySparkException):
    """An ANSI-mode array index outside the array (``INVALID_ARRAY_INDEX``)."""


class DateTimeException(PySparkException):
    """An ANSI-mode date/time value that cannot be parsed."""
