"""Refuse user functions that capture driver-only objects, as Spark does when it pickles them.

Spark pickles every function it sends to a task, and pickling a SparkContext or an RDD fails. ember
runs small tasks in the driver, where such a function would happen to work, and the same program
would then fail on Spark. A cheap look at the function's closure and the globals it names catches
the common cases (a lambda that uses ``sc`` or another RDD) with Spark's own error text.
"""

from __future__ import annotations

import types

TYPE_CHECKING = False  # typing costs milliseconds to import; annotations are strings here
if TYPE_CHECKING:
    from typing import Any

_CONTEXT_MSG = (
    "[CONTEXT_ONLY_VALID_ON_DRIVER] It appears that you are attempting to reference SparkContext from a "
    "broadcast variable, action, or transformation. SparkContext can only be used on the driver, not in "
    "code that it run on workers. For more information, see SPARK-5063.")
_RDD_MSG = (
    "[RDD_TRANSFORM_ONLY_VALID_ON_DRIVER] It appears that you are attempting to broadcast an RDD or "
    "reference an RDD from an action or transformation. RDD transformations and actions can only be "
    "invoked by the driver, not inside of other transformations; for example, rdd1.map(lambda x: "
    "rdd2.values.count() * x) is invalid because the values transformation and count action cannot be "
    "performed inside of the rdd1.map transformation. For more information, see SPARK-5063.")


def _driver_only(value: Any) -> str | None:
    from ember.core.context import SparkContext
    from ember.core.rdd import RDD

    if isinstance(value, SparkContext):
        return _CONTEXT_MSG
    if isinstance(value, RDD):
        return _RDD_MSG
    return None


def check_function(fn: Any) -> None:
    """Raise Spark's PicklingError if ``fn`` directly captures a SparkContext or an RDD."""
    if not isinstance(fn, types.FunctionType):
        return
    values: list = [c.cell_contents for c in (fn.__closure__ or ()) if _has_contents(c)]
    globs = fn.__globals__
    values.extend(globs[name] for name in fn.__code__.co_names if name in globs)
    for v in values:
        msg = _driver_only(v)
        if msg is not None:
            import pickle

            raise pickle.PicklingError(f"Could not serialize object: PySparkRuntimeError: {msg}")


def _has_contents(cell) -> bool:
    try:
        _ = cell.cell_contents
    except ValueError:  # an empty cell (a variable not assigned yet)
        return False
    return True
