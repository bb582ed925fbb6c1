"""Capture the expected values of the conformance tables from real PySpark.

    EMBER_TEST_ENGINE=spark ~/.cache/ember/spark-venv/bin/python tools/capture_expected.py

(it restarts itself with PYTHONHASHSEED=0: PySpark's driver hashes keys as its workers do)

runs every case of ``tests/conformance/rdd_cases.py`` on PySpark and writes the results as literals
to ``tests/conformance/rdd_expected.py``. Run it again when moving to a newer Spark, and review the
diff: every changed line is a change in Spark's behaviour.
"""

from __future__ import annotations

import datetime
import os
import pprint
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, "..", "tests", "conformance")
sys.path.insert(0, TESTS)

if os.environ.get("PYTHONHASHSEED") != "0":  # the driver hashes too: restart with Spark's seed
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
os.environ.setdefault("SPARK_CONF_DIR", os.path.join(HERE, "..", "tests", "spark-conf"))
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")


def main() -> None:
    engine = os.environ.get("EMBER_TEST_ENGINE", "spark")
    if engine == "spark":
        import pyspark as root
    else:
        import ember as root
    from rdd_cases import CASES, CASES_PARALLELISM_1

    results = {}
    for table, conf in ((CASES, {}), (CASES_PARALLELISM_1, {"spark.default.parallelism": "1"})):
        c = root.SparkConf().setMaster("local[2]").setAppName("capture")
        for k, v in conf.items():
            c.set(k, v)
        sc = root.SparkContext(conf=c)
        sc.setLogLevel("ERROR")
        try:
            for name, case in table.items():
                results[name] = case(sc)
        finally:
            sc.stop()
    version = getattr(root, "__version__", "?")
    out = os.path.join(TESTS, "rdd_expected.py")
    with open(out, "w") as fh:
        fh.write(f'"""Expected values of rdd_cases.py, captured from {engine} {version} on '
                 f'{datetime.date.today()} by tools/capture_expected.py (do not edit by hand)."""\n\n')
        fh.write("# fmt: off\n")
        fh.write("EXPECTED = " + pprint.pformat(results, width=108, sort_dicts=True) + "\n")
    print(f"wrote {len(results)} cases to {out}")


if __name__ == "__main__":
    main()
