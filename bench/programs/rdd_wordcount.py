"""Word count of big.txt as one RDD job, against a plain Counter loop in the same process.

    rdd_wordcount.py ENGINE FRACTION REPEATS
"""

import hashlib
import statistics
import sys
import time
from collections import Counter
from operator import add

from _engine import corpus, engine_module, report, vm_kib

engine, fraction, repeats = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
lines = corpus(fraction)
input_bytes = sum(len(line) + 1 for line in lines)
tokens = sum(len(line.split(" ")) for line in lines)

limit = []
for _ in range(repeats):
    t = time.perf_counter()
    counts = Counter(w for line in lines for w in line.split(" "))
    limit.append(time.perf_counter() - t)

sc = engine_module(engine).SparkContext("local[2]", "bench-rdd-wordcount")
sc.setLogLevel("ERROR")


def job():
    t = time.perf_counter()
    rdd = sc.parallelize(lines)
    t_par = time.perf_counter()
    result = rdd.flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1)).reduceByKey(add).collect()
    t_end = time.perf_counter()
    return result, t_par - t, t_end - t_par


rss_before = vm_kib("VmRSS")
result, par0, first = job()  # cold: worker processes start here
jobs, pars = [], []
for _ in range(repeats):
    result, par, t_job = job()
    jobs.append(t_job)
    pars.append(par)
peak = vm_kib("VmHWM")
workers = [w.proc.pid for w in getattr(getattr(sc, "_pool", None), "_all", [])]
worker_peak = sum(vm_kib("VmHWM", pid) for pid in workers)

got = dict(result)
assert got == counts, "the engine's word count differs from collections.Counter"
top = sorted(got.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
digest = hashlib.sha256(repr((len(got), sum(got.values()), top)).encode()).hexdigest()[:16]
report(tokens=tokens, input_bytes=input_bytes, limit_s=limit, job_s=jobs, parallelize_s=pars,
       first_job_s=first, digest=digest, driver_job_rss_kib=peak - rss_before,
       worker_peak_kib=worker_peak, workers=len(workers), median_job_s=statistics.median(jobs))
sc.stop()
