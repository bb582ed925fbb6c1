"""``python -m bench [SCENARIO...] [--quick] [--spark/--no-spark] [--runs N] [--json FILE]``."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

from bench.harness import DEFAULT_SPARK_PYTHON, Engines
from bench.scenarios import load_all


def _spark_python(args: argparse.Namespace) -> str | None:
    if not args.spark:
        return None
    python = args.spark_python or os.environ.get("EMBER_BENCH_SPARK_PYTHON") or DEFAULT_SPARK_PYTHON
    ok = os.path.exists(python) and subprocess.run([python, "-c", "import pyspark"],
                                                   capture_output=True).returncode == 0
    if not ok:
        print(f"note: no PySpark at {python}: the Spark column is left empty", file=sys.stderr)
        return None
    return python


def _machine(spark_python: str | None) -> str:
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    spark = "-"
    if spark_python:
        spark = subprocess.run([spark_python, "-c", "import pyspark; print(pyspark.__version__)"],
                               capture_output=True, text=True).stdout.strip()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}, "
            f"Java {java[0] if java else '-'}, PySpark {spark}")


def _load() -> str:
    """The 1-minute load average: on a shared machine it says how far wall times can be trusted."""
    try:
        with open("/proc/loadavg") as fh:
            return fh.read().split()[0]
    except OSError:
        return "-"


def main(argv: list[str] | None = None) -> int:
    registry = load_all()
    p = argparse.ArgumentParser(prog="python -m bench", description="ember and PySpark side by side.")
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=f"any of: {', '.join(registry)}")
    p.add_argument("--quick", action="store_true", help="small inputs, no Spark: under a minute")
    p.add_argument("--spark", action=argparse.BooleanOptionalAction, default=True, help="measure PySpark too")
    p.add_argument("--spark-python", help="the python of a virtualenv with pyspark")
    p.add_argument("--ember-python", default=sys.executable,
                   help="the python that runs ember (default: this one)")
    p.add_argument("--runs", type=int, default=None, help="repetitions per measurement (default 5, quick 1)")
    p.add_argument("--json", help="also write the rows as JSON to this file")
    args = p.parse_args(argv)
    if args.quick:
        args.spark = False
    runs = args.runs or (1 if args.quick else 5)
    names = args.scenarios or list(registry)
    unknown = [n for n in names if n not in registry]
    if unknown:
        p.error(f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(registry)}")
    engines = Engines(ember=args.ember_python, spark=_spark_python(args))
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} | {_machine(engines.spark)} | runs={runs}"
          f"{' | quick' if args.quick else ''}")
    header = ("scenario", "metric", "ember", "PySpark", "ratio", "note")
    rows = []
    failed = []
    timings = []
    for name in names:
        started, load = time.time(), _load()
        try:
            rows.extend(registry[name](engines, runs, args.quick))
        except Exception as e:  # one broken scenario must not hide the others
            failed.append(name)
            lines = str(e).strip().splitlines() or [type(e).__name__]
            rows.append((name, "FAILED", lines[0][:80], "-", "-", " / ".join(lines[-2:])[-200:]))
        timings.append({"scenario": name, "at": time.strftime("%H:%M", time.gmtime(started)),
                        "seconds": round(time.time() - started, 1), "load": f"{load} -> {_load()}"})
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    for t in timings:
        print(f"# {t['scenario']}: {t['seconds']} s from {t['at']} UTC, load average {t['load']}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"rows": [dict(zip(header, r)) for r in rows], "timings": timings}, fh, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
