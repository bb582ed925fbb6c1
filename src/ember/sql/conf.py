"""``spark.conf``: the session's runtime settings (RuntimeConfig)."""

from __future__ import annotations

from typing import Any

from ember.errors import PySparkTypeError

_MISSING = object()


class RuntimeConfig:
    """``spark.conf.get/set/unset/getAll``; defaults as Spark's (session time zone = local zone)."""

    def __init__(self, defaults: dict[str, str]) -> None:
        self._values: dict[str, str] = dict(defaults)

    def set(self, key: str, value: Any) -> None:  # noqa: A003
        if isinstance(value, bool):
            value = "true" if value else "false"
        self._values[key] = str(value)

    def get(self, key: str, default: Any = _MISSING) -> str | None:
        if not isinstance(key, str):
            raise PySparkTypeError(
                f"Argument `key` should be a str, got {type(key).__name__}.", errorClass="NOT_STR"
            )
        if key in self._values:
            return self._values[key]
        if default is not _MISSING:
            return default
        if key in _DEFAULTS:
            return _DEFAULTS[key]
        from ember.errors import SparkException

        raise SparkException(
            f'[SQL_CONF_NOT_FOUND] The SQL config "{key}" cannot be found. Please verify '
            "that the config exists. SQLSTATE: 42K0I"
        )

    def unset(self, key: str) -> None:
        self._values.pop(key, None)

    @property
    def getAll(self) -> dict[str, str]:
        return dict(self._values)

    def isModifiable(self, key: str) -> bool:
        return key.startswith("spark.sql.")


_DEFAULTS = {
    "spark.sql.shuffle.partitions": "200",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.caseSensitive": "false",
    "spark.sql.sources.default": "parquet",
    "spark.sql.streaming.numRecentProgressUpdates": "100",
    "spark.sql.adaptive.enabled": "true",
}
