"""Capture the expected values of the DataFrame conformance table from real PySpark.

    ~/.cache/ember/spark-venv/bin/python tools/capture_sql_expected.py          # print the literals
    ~/.cache/ember/spark-venv/bin/python tools/capture_sql_expected.py --write  # and rewrite the file
    ... tools/capture_sql_expected.py --only split_regex,window_and_key          # print a few cases
    ... tools/capture_sql_expected.py --only split_regex --write                 # recapture just those

(it restarts itself with PYTHONHASHSEED=0 and TZ=UTC) runs every case of
``tests/conformance/sql_cases.py`` on one PySpark session set up as the ``spark`` fixture of the
conformance suite (local[2], session time zone UTC, 2 shuffle partitions) and prints the results as
literals; ``--write`` stores them in ``tests/conformance/sql_expected.py``. Run it again when moving to
a newer Spark and review the diff: every changed line is a change in Spark's behaviour. A case that
raises is reported on stderr and left out.
"""

from __future__ import annotations

import argparse
import datetime
import os
import pprint
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, "..", "tests", "conformance")
sys.path.insert(0, TESTS)

if os.environ.get("PYTHONHASHSEED") != "0" or os.environ.get("TZ") != "UTC":
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0", "TZ": "UTC"})
os.environ.setdefault("SPARK_CONF_DIR", os.path.join(HERE, "..", "tests", "spark-conf"))
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite tests/conformance/sql_expected.py")
    ap.add_argument("--only", default="", help="comma-separated case names to run; with --write, only "
                    "those entries of sql_expected.py are replaced")
    args = ap.parse_args()
    engine = os.environ.get("EMBER_TEST_ENGINE", "spark")
    root = __import__("pyspark" if engine == "spark" else "ember")
    sql = __import__(root.__name__ + ".sql", fromlist=["SparkSession", "functions"])
    from sql_cases import GROUPS

    conf = root.SparkConf().setMaster("local[2]").setAppName("capture-sql")
    sc = root.SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    spark = sql.SparkSession.builder.getOrCreate()
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.shuffle.partitions", "2")
    only = {n for n in args.only.split(",") if n}
    results, failed = {}, 0
    try:
        for group, cases in GROUPS.items():
            for name, case in cases.items():
                if only and name not in only:
                    continue
                try:
                    results[f"{group}.{name}"] = case(spark, sql.functions)
                except Exception:  # noqa: BLE001 - report every failing case, keep capturing
                    failed += 1
                    print(f"--- {group}.{name} raised:\n{traceback.format_exc(limit=2)}", file=sys.stderr)
    finally:
        spark.stop()
    version = getattr(root, "__version__", "?")
    print("EXPECTED = " + pprint.pformat(results, width=108, sort_dicts=False))
    if only and args.write:  # keep every other captured entry, in the order of the case table
        from sql_expected import EXPECTED

        merged = {**EXPECTED, **results}
        order = [f"{g}.{n}" for g, cases in GROUPS.items() for n in cases]
        results = {k: merged[k] for k in order if k in merged}
    text = ("# fmt: off\nimport datetime  # noqa: F401 - used by the literals\n"
            "from decimal import Decimal  # noqa: F401 - used by the literals\n\n"
            "EXPECTED = " + pprint.pformat(results, width=108, sort_dicts=False) + "\n")
    if args.write:
        out = os.path.join(TESTS, "sql_expected.py")
        with open(out, "w") as fh:
            fh.write(f'"""Expected values of sql_cases.py, captured from {engine} {version} on '
                     f'{datetime.date.today()} by tools/capture_sql_expected.py '
                     '(do not edit by hand)."""\n\n')
            fh.write(text)
        print(f"wrote {len(results)} cases to {out}", file=sys.stderr)
    if failed:
        print(f"{failed} case(s) raised", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
