"""SparkConf: the key/value settings of an application, as strings, as in PySpark."""

from __future__ import annotations

import os

from ember.errors import IllegalArgumentException

TYPE_CHECKING = False  # typing costs milliseconds to import; annotations are strings here
if TYPE_CHECKING:
    from typing import Iterable

#: the environment variable that carries ``ember run``'s ``--master`` and ``--conf`` settings
SUBMIT_CONF_ENV = "EMBER_SUBMIT_CONF"


class SparkConf:
    """Configuration for an ember (Spark) application.

    Values are kept as strings, exactly as Spark keeps them, so ``conf.get`` returns ``"1"`` after
    ``conf.set("spark.default.parallelism", 1)``.

    Examples
    --------
    >>> conf = SparkConf().setMaster("local[2]").setAppName("wc")
    >>> conf.get("spark.master")
    'local[2]'
    """

    def __init__(self, loadDefaults: bool = True, _jvm=None, _jconf=None) -> None:
        self._conf: dict[str, str] = {}
        if loadDefaults:
            # what `ember run --master/--conf` passes down, as spark-submit passes system properties
            submitted = os.environ.get(SUBMIT_CONF_ENV)
            if submitted:
                import json  # only a program started by `ember run` pays for it

                self._conf.update({str(k): str(v) for k, v in json.loads(submitted).items()})

    def set(self, key: str, value) -> SparkConf:
        """Set one setting; the value is stored as ``str(value)``."""
        self._conf[key] = str(value)
        return self

    def setIfMissing(self, key: str, value) -> SparkConf:
        """Set a setting only if it has no value yet."""
        if key not in self._conf:
            self.set(key, value)
        return self

    def setMaster(self, value: str) -> SparkConf:
        """Set ``spark.master``: ``local``, ``local[N]`` or ``local[*]``."""
        return self.set("spark.master", value)

    def setAppName(self, value: str) -> SparkConf:
        """Set ``spark.app.name``."""
        return self.set("spark.app.name", value)

    def setSparkHome(self, value: str) -> SparkConf:
        """Set ``spark.home`` (kept for compatibility; ember needs no Spark installation)."""
        return self.set("spark.home", value)

    def setExecutorEnv(self, key: str | None = None, value: str | None = None, pairs=None) -> SparkConf:
        """Set environment variables for executors (``spark.executorEnv.<NAME>``)."""
        if (key is not None and pairs is not None) or (key is None and pairs is None):
            raise TypeError("Either pass one key-value pair or a list of pairs")
        if key is not None:
            self.set("spark.executorEnv." + key, value)
        else:
            for k, v in pairs:
                self.set("spark.executorEnv." + k, v)
        return self

    def setAll(self, pairs: Iterable[tuple[str, object]]) -> SparkConf:
        """Set several settings from ``(key, value)`` pairs."""
        for k, v in pairs:
            self.set(k, v)
        return self

    def get(self, key: str, defaultValue: str | None = None) -> str | None:
        """The value of a setting, or ``defaultValue``."""
        return self._conf.get(key, defaultValue)

    def getAll(self) -> list[tuple[str, str]]:
        """All settings as ``(key, value)`` pairs."""
        return list(self._conf.items())

    def contains(self, key: str) -> bool:
        """Whether the setting has a value."""
        return key in self._conf

    def toDebugString(self) -> str:
        """The settings as ``key=value`` lines."""
        return "\n".join(f"{k}={v}" for k, v in self._conf.items())

    def _copy(self) -> SparkConf:
        c = SparkConf()
        c._conf = dict(self._conf)
        return c


def conf_flag(conf, key: str, default: bool) -> bool:
    """A boolean setting as Spark reads one: ``true`` or ``false`` in any case, else an error.

    Examples
    --------
    >>> conf_flag(SparkConf().set("x", "TRUE"), "x", False)
    True
    """
    value = conf.get(key)
    if value is None:
        return default
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise IllegalArgumentException(f"{key} should be boolean, but was {value}")
    return text == "true"


def conf_number(conf, key: str, default: float) -> float:
    """A numeric setting, or a clear error naming it.

    Examples
    --------
    >>> conf_number(SparkConf().set("x", "1.5"), "x", 0.0)
    1.5
    """
    value = conf.get(key)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise IllegalArgumentException(f"{key} should be a number, but was {value}") from None
