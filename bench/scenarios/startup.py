"""Process start to SparkContext('local[2]') ready."""

from __future__ import annotations

import statistics

from bench.harness import Engines, fmt, run_program
from bench.scenarios import Row, scenario


@scenario("startup")
def startup(engines: Engines, runs: int, quick: bool) -> list[Row]:
    results: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for name, python in (("ember", engines.ember), ("spark", engines.spark)):
        if python is None:
            continue
        times, cpus = [], []
        for _ in range(runs):
            run = run_program(name, python, "startup.py")
            times.append(run.report["ready_wall"] - run.started)
            cpus.append(run.report.get("ready_cpu", 0.0) * 1000)
        results[name], cpu[name] = times, cpus
    ember, spark = results.get("ember"), results.get("spark")
    ratio = f"{statistics.median(spark) / statistics.median(ember):.0f}x faster" if ember and spark else "-"
    return [("startup", "process start -> context ready", fmt([t * 1000 for t in ember], "ms"),
             fmt([t * 1000 for t in spark], "ms") if spark else "-", ratio,
             f"target: ember <= 50 ms; CPU of the process by then: ember {fmt(cpu['ember'], 'ms')}"
             + (f", PySpark (driver + JVM) {fmt(cpu['spark'], 'ms')}" if spark else ""))]
