"""Runs benchmark programs in fresh processes and collects what they report.

Each program prints one JSON object as its last stdout line. The harness adds the wall time from
just before the process was started, and the peak RSS of the process tree.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

from bench.proc import PeakSampler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "bench", "programs")
DEFAULT_SPARK_PYTHON = os.path.expanduser("~/.cache/ember/spark-venv/bin/python")
SPARK_CONF = os.path.join(ROOT, "tests", "spark-conf")


@dataclass
class Engines:
    """Which interpreters run each engine; ``spark`` is None when Spark is not measured."""

    ember: str = sys.executable
    spark: str | None = None


@dataclass
class Run:
    report: dict
    started: float
    peak_rss_mib: float
    stderr: str = field(repr=False, default="")
    #: user + system CPU seconds of the program and the children it reaped (a JVM that outlives its
    #: driver's exit is not counted); unlike wall time, waiting for a core does not inflate it
    cpu_s: float = 0.0


def run_program(engine: str, python: str, program: str, *args: str, timeout: float = 600) -> Run:
    """Run ``bench/programs/<program>`` under one engine in a fresh process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([os.path.join(ROOT, "src"), ROOT, env.get("PYTHONPATH", "")])
    if engine == "spark":
        env.update(PYTHONHASHSEED="0", SPARK_CONF_DIR=SPARK_CONF, SPARK_LOCAL_IP="127.0.0.1")
    cmd = [python, os.path.join(PROGRAMS, program), engine, *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    with PeakSampler(proc.pid) as sampler:
        out, err = proc.communicate(timeout=timeout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if proc.returncode != 0:
        raise RuntimeError(f"{program} on {engine} failed ({proc.returncode}):\n{err[-3000:]}")
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{program} on {engine} printed no report:\n{out[-2000:]}\n{err[-2000:]}")
    return Run(json.loads(lines[-1]), started, sampler.peak_kib / 1024, err, cpu)


def median_range(values: list[float]) -> tuple[float, float, float]:
    """Median, minimum and maximum."""
    return statistics.median(values), min(values), max(values)


def fmt(values: list[float] | None, unit: str) -> str:
    """``median (min–max) unit`` for a table cell."""
    if not values:
        return "-"
    med, lo, hi = median_range(values)
    digits = 0 if med >= 100 else 1 if med >= 10 else 2 if med >= 1 else 3
    if len(values) == 1:
        return f"{med:.{digits}f} {unit}"
    return f"{med:.{digits}f} ({lo:.{digits}f}–{hi:.{digits}f}) {unit}"
