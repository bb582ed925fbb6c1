"""pandas is optional: one place that imports it, or fails with PySpark's error naming the package.

Examples
--------
>>> require_pandas().__name__
'pandas'
"""

from __future__ import annotations

from typing import Any


def require_pandas() -> Any:
    """The pandas module, or PySpark's PACKAGE_NOT_INSTALLED error when it is not installed."""
    try:
        import pandas as pd
    except ImportError as exc:
        from ember.errors import PySparkImportError

        raise PySparkImportError(
            "Pandas >= 2.2.0 must be installed; however, it was not found.",
            errorClass="PACKAGE_NOT_INSTALLED",
            messageParameters={"package_name": "Pandas", "minimum_version": "2.2.0"},
        ) from exc
    return pd
