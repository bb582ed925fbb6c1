"""``ember run``: a PySpark program runs on ember unchanged; an ember program runs on Spark unchanged.

In the ember lane the program imports ``pyspark`` and runs on ember; in the Spark lane it imports
``ember`` and goes to real Spark through ``spark-submit``. Same output both ways.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROGRAM = '''
import sys
from operator import add
from {root} import SparkConf, SparkContext
from {root}.streaming import StreamingContext

sc = SparkContext(conf=SparkConf().setAppName("ember-run-test"))
pairs = sc.parallelize(sys.argv[1:]).map(lambda w: (w, 1)).reduceByKey(add)
print("master", sc.master, "counts", sorted(pairs.collect()), StreamingContext.__name__)
sc.stop()
'''


def test_program_runs_unchanged_on_the_other_engine(engine, tmp_path):
    other = "ember" if engine.is_spark else "pyspark"
    prog = tmp_path / "prog.py"
    prog.write_text(PROGRAM.format(root=other))
    cmd = [sys.executable, "-m", "ember", "run"]
    master = "local[2]" if engine.is_spark else "local[3]"
    if engine.is_spark:
        cmd += ["--engine", "spark"]
    cmd += ["--master", master, "--conf", "spark.ui.enabled=false", str(prog), "a", "b", "a"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=dict(os.environ))
    assert out.returncode == 0, out.stderr[-3000:]
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("master")]
    assert lines == [f"master {master} counts [('a', 2), ('b', 1)] StreamingContext"]
