"""The benchmark scenarios, by name.

Each returns table rows: (scenario, metric, ember, spark, ratio, note).
"""

from __future__ import annotations

from typing import Callable

from bench.harness import Engines

Row = tuple[str, str, str, str, str, str]
Scenario = Callable[[Engines, int, bool], list[Row]]

REGISTRY: dict[str, Scenario] = {}


def scenario(name: str):
    """Register a scenario under ``name`` (the order of registration is the order of the table)."""

    def register(fn: Scenario) -> Scenario:
        REGISTRY[name] = fn
        return fn

    return register


def load_all() -> dict[str, Scenario]:
    """Import every scenario module so that each registers itself."""
    from bench.scenarios import (  # noqa: F401
        consumers,
        dstream,
        first_batch,
        installed_size,
        rdd_wordcount,
        socket,
        sql,
        startup,
        structured,
        structured_latency,
    )

    return REGISTRY
