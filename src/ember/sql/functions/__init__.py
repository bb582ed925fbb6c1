"""``ember.sql.functions``: PySpark's built-in column functions (``from ember.sql import functions as F``).

Every built-in becomes a Polars expression at execution time; none loops over rows in Python. The
functions live in modules by family (as PySpark documents them) and are all re-exported here.

Examples
--------
>>> from ember.sql import functions as F
>>> F.explode(F.split(F.col("value"), " "))
Column<'explode(split(value, ' ', -1))'>
"""

from __future__ import annotations

import types as _types

from ember.sql.functions.aggregates import *  # noqa: F403
from ember.sql.functions.collections import *  # noqa: F403
from ember.sql.functions.columns import *  # noqa: F403
from ember.sql.functions.conditional import *  # noqa: F403
from ember.sql.functions.datetime import *  # noqa: F403
from ember.sql.functions.hashes import *  # noqa: F403
from ember.sql.functions.json import *  # noqa: F403
from ember.sql.functions.math import *  # noqa: F403
from ember.sql.functions.ranking import *  # noqa: F403
from ember.sql.functions.strings import *  # noqa: F403
from ember.sql.functions.udfs import *  # noqa: F403

# Star-importing the family modules also brings their own imports (Column, helpers); the public
# surface is the functions only, so `from ember.sql.functions import *` cannot shadow a program's
# `datetime` or `math` with our submodules.
__all__ = sorted(
    n
    for n, v in list(globals().items())
    if not n.startswith("_")
    and not isinstance(v, _types.ModuleType)
    and getattr(v, "__module__", "").startswith(("ember.sql.functions.", "ember.sql.window_funcs"))
)
