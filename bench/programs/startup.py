"""Process start to a ready SparkContext('local[2]'), and the CPU seconds spent by then."""

import os
import sys
import time

from _engine import T0, engine_module, report

engine = sys.argv[1]
t_import = time.time()
SparkContext = engine_module(engine).SparkContext
sc = SparkContext("local[2]", "bench-startup")
ready = time.time()
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from bench.proc import tree_cpu_s  # noqa: E402

# this process and its children alive now (PySpark's JVM): CPU that waiting for a core does not inflate
report(ready_wall=ready, in_process_s=ready - T0, import_and_ctx_s=ready - t_import,
       ready_cpu=tree_cpu_s(os.getpid()))
sc.stop()
