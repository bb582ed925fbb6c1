"""``ember run``: a PySpark program on ember, or an ember program on Apache Spark, unchanged.

On ember, ``import pyspark`` and ``from pyspark.streaming import ...`` resolve to ember's modules
(the same module objects, so ``isinstance`` checks agree). On Spark, the reverse: ``import ember``
resolves to PySpark, and the program is handed to ``spark-submit`` with ``--master`` and ``--conf``
passed through, which is how a program outgrows one machine.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import json
import os
import runpy
import subprocess
import sys

from ember.conf import SUBMIT_CONF_ENV

#: pyspark modules whose ember counterpart lives under another name
_TO_EMBER = {
    "pyspark.context": "ember.core.context",
    "pyspark.rdd": "ember.core.rdd",
    "pyspark.core": "ember.core",
    "pyspark.core.context": "ember.core.context",
    "pyspark.core.rdd": "ember.core.rdd",
    "pyspark.statcounter": "ember.core.statcounter",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Makes the modules under ``source`` be the modules of ``target`` (same objects)."""

    def __init__(self, source: str, target: str, renames: dict[str, str] | None = None,
                 keep: tuple[str, ...] = ()) -> None:
        self.source, self.target = source, target
        self.renames = renames or {}
        self.keep = keep

    def target_of(self, name: str) -> str:
        return self.renames.get(name) or self.target + name[len(self.source):]

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.source and not fullname.startswith(self.source + "."):
            return None
        if fullname in self.keep:
            return None
        try:
            found = importlib.util.find_spec(self.target_of(fullname))
        except ModuleNotFoundError:
            found = None
        if found is None:
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=found.submodule_search_locations
                                               is not None)

    def create_module(self, spec):
        return importlib.import_module(self.target_of(spec.name))

    def exec_module(self, module) -> None:
        """Nothing to run: the target module is already imported."""


def install_pyspark_alias() -> None:
    """``import pyspark...`` gives ember's modules from now on in this process."""
    sys.meta_path.insert(0, _Alias("pyspark", "ember", _TO_EMBER))


def install_ember_alias() -> None:
    """``import ember...`` gives PySpark's modules (``ember.testing`` stays ember's own)."""
    sys.meta_path.insert(0, _Alias("ember", "pyspark", {v: k for k, v in _TO_EMBER.items()}))


def submit_conf(master: str | None, confs: list[str]) -> dict[str, str]:
    """``--master`` and ``--conf key=value`` settings as a dict, checked."""
    out: dict[str, str] = {}
    if master:
        out["spark.master"] = master
    for item in confs:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SystemExit(f"ember run: --conf needs key=value, got {item!r}")
        out[key] = value
    return out


def run_on_ember(program: str, args: list[str], conf: dict[str, str]) -> int:
    """Run ``program`` in this process with ``pyspark`` resolving to ember."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Spark runs Python with PYTHONHASHSEED=0; a program's own use of hash() should see the same
        env = dict(os.environ, PYTHONHASHSEED="0", **({SUBMIT_CONF_ENV: json.dumps(conf)} if conf else {}))
        cmd = [sys.executable, "-m", "ember", "run", program, *args]
        return subprocess.call(cmd, env=env)
    if conf:
        os.environ[SUBMIT_CONF_ENV] = json.dumps(conf)
    install_pyspark_alias()
    sys.argv = [program, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(program)))
    runpy.run_path(program, run_name="__main__")
    return 0


def run_on_spark(program: str, args: list[str], conf: dict[str, str]) -> int:
    """Hand ``program`` to Apache Spark's ``spark-submit`` with ``ember`` resolving to PySpark."""
    spec = importlib.util.find_spec("pyspark")
    if spec is None or not spec.origin:
        print("ember run --engine spark: PySpark is not installed in this Python "
              f"({sys.executable}); pip install pyspark (Java 17 needed)", file=sys.stderr)
        return 2
    submit = os.path.join(os.path.dirname(spec.origin), "bin", "spark-submit")
    cmd = [submit]
    for key, value in conf.items():
        cmd += ["--master", value] if key == "spark.master" else ["--conf", f"{key}={value}"]
    cmd += [os.path.join(os.path.dirname(os.path.abspath(__file__)), "_spark_main.py"), program, *args]
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    return subprocess.call(cmd, env=env)
