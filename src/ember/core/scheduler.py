"""Runs partition tasks: inline in the driver, which costs microseconds for small work.

A failing user function surfaces as its own exception, with its own traceback, plus a note that
names the RDD step and partition it was computing (never a wrapper that hides the error).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

if TYPE_CHECKING:
    from ember.core.rdd import RDD


def _annotate(exc: BaseException, rdd: RDD, split: int) -> None:
    if getattr(exc, "_ember_noted", False):
        return
    note = (f"ember: raised while computing partition {split} of {rdd!r} "
            f"(the traceback above shows the user function that failed)")
    try:
        exc.add_note(note)  # type: ignore[attr-defined]
    except AttributeError:  # Python 3.10 has no notes; keep the information on the object
        exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]
    try:
        exc._ember_noted = True  # type: ignore[attr-defined]
    except AttributeError:
        pass


def run_job(rdd: RDD, func: Callable[[Iterable], Any], partitions: Sequence[int] | None = None) -> list:
    """``func(partition_iterator)`` for each requested partition, results in partition order."""
    rdd.ctx._check_active()
    splits = range(rdd.getNumPartitions()) if partitions is None else partitions
    results = []
    for split in splits:
        try:
            results.append(func(rdd._iterator(split)))
        except Exception as e:
            _annotate(e, rdd, split)
            raise
    rdd._do_checkpoint()
    return results


def run_map_stage(rdd: RDD, task: Callable[[int, Iterable], list]) -> list[list]:
    """The map side of a shuffle: ``task(split, iterator)`` for every partition of ``rdd``."""
    outputs = []
    for split in range(rdd.getNumPartitions()):
        try:
            outputs.append(task(split, rdd._iterator(split)))
        except Exception as e:
            _annotate(e, rdd, split)
            raise
    return outputs
