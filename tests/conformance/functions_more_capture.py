"""Capture ``functions_more_expected.py`` from real PySpark (not a test module).

    ~/.cache/ember/spark-venv/bin/python tests/conformance/functions_more_capture.py [--write]

(restarts itself with PYTHONHASHSEED=0 and TZ=UTC) runs every case of ``functions_more_cases.py`` on a
session set up as the conformance ``spark`` fixture (local[2], session time zone UTC, 2 shuffle
partitions) and prints the results; ``--write`` stores them. A case that raises outside ``err`` is
reported and left out.
"""

from __future__ import annotations

import datetime
import os
import pprint
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

if os.environ.get("PYTHONHASHSEED") != "0" or os.environ.get("TZ") != "UTC":
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0", "TZ": "UTC"})
os.environ.setdefault("SPARK_CONF_DIR", os.path.join(HERE, "..", "spark-conf"))
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")


def main() -> None:
    import pyspark
    from functions_more_cases import CASES
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    spark = SparkSession.builder.master("local[2]").appName("capture-functions-more").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.shuffle.partitions", "2")
    results = {}
    for name, case in CASES.items():
        try:
            results[name] = case(spark, F)
        except Exception:  # noqa: BLE001 - report every failing case, keep capturing
            print(f"--- {name} raised:\n{traceback.format_exc(limit=3)}", file=sys.stderr)
    spark.stop()
    text = pprint.pformat(results, width=108, sort_dicts=False)
    print(text)
    if "--write" in sys.argv:
        with open(os.path.join(HERE, "functions_more_expected.py"), "w") as fh:
            fh.write(f'"""Expected values of functions_more_cases.py, captured from pyspark '
                     f'{pyspark.__version__} on {datetime.date.today()} by functions_more_capture.py '
                     '(do not edit by hand)."""\n\n'
                     "# fmt: off\nimport datetime  # noqa: F401 - used by the literals\n"
                     "from decimal import Decimal  # noqa: F401 - used by the literals\n\n"
                     f"EXPECTED = {text}\n")


if __name__ == "__main__":
    main()
