"""Installed size: ember and its runtime dependencies, against PySpark's virtualenv."""

from __future__ import annotations

import importlib.util
import os
import subprocess

from bench.harness import ROOT, Engines
from bench.scenarios import Row, scenario


def _du_mib(path: str) -> float:
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(dirpath, f)).st_size
            except OSError:
                pass
    return total / 2**20


def _package_mib(name: str) -> float:
    """Size of an installed package (a directory) or module (one file, e.g. a C extension)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        return 0.0
    if spec.submodule_search_locations:
        return _du_mib(os.path.dirname(spec.origin))
    return os.path.getsize(spec.origin) / 2**20


@scenario("installed_size")
def installed_size(engines: Engines, runs: int, quick: bool) -> list[Row]:
    ember_dir = os.path.join(ROOT, "src", "ember")
    code = _du_mib(ember_dir) - _du_mib(os.path.join(ember_dir, "data"))
    ember_total = code + _package_mib("cloudpickle") + _package_mib("siphash24")
    spark_cell, ratio = "-", "-"
    if engines.spark:
        probe = "import pyspark, os; print(os.path.dirname(pyspark.__file__))"
        site = subprocess.run([engines.spark, "-c", probe], capture_output=True, text=True).stdout.strip()
        if site:
            spark_mib = _du_mib(site)
            spark_cell, ratio = f"{spark_mib:.0f} MiB (pyspark)", f"{spark_mib / ember_total:.0f}x smaller"
    return [("installed_size", "package + runtime deps", f"{ember_total:.1f} MiB", spark_cell, ratio,
             f"ember code {code:.1f} MiB; bundled data {_du_mib(os.path.join(ember_dir, 'data')):.1f} MiB "
             "not counted; Spark also needs a JVM")]
