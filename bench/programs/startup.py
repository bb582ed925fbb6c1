"""Process start to a ready SparkContext('local[2]')."""

import sys
import time

from _engine import T0, engine_module, report

engine = sys.argv[1]
t_import = time.time()
SparkContext = engine_module(engine).SparkContext
sc = SparkContext("local[2]", "bench-startup")
ready = time.time()
report(ready_wall=ready, in_process_s=ready - T0, import_and_ctx_s=ready - t_import)
sc.stop()
