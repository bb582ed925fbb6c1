"""Word count of big.txt as one RDD job, against a plain Counter loop in the same process.

    rdd_wordcount.py ENGINE FRACTION REPEATS

The job's memory is the peak RSS increase it causes, measured per job (BENCHMARKS.md says why):
the driver's peak RSS during the job minus its RSS just before it, plus, for every worker process
alive at the end of the job, its peak RSS during the job minus its RSS just before it (a worker the
job started counts from a freshly started, idle worker's RSS). Peaks are reset before each job
through ``/proc/<pid>/clear_refs``, so the Counter loop and earlier jobs do not count. The job's
output (the collected list) is part of the job and is alive when the peak is read.
"""

import gc
import hashlib
import os
import statistics
import sys
import time
from collections import Counter
from operator import add

from _engine import corpus, engine_module, report, vm_kib

engine, fraction, repeats = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
lines = corpus(fraction)
input_bytes = sum(len(line.encode("utf-8")) + 1 for line in lines)
tokens = sum(len(line.split(" ")) for line in lines)


def reset_peak(pid="self") -> None:
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as fh:
            fh.write("5")  # "5" resets VmHWM to the current RSS
    except OSError:
        pass


def cpu_s(pid) -> float:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_worker_kib() -> int:
    """RSS of a freshly started ember worker process waiting for its first task."""
    if engine != "ember":
        return 0
    from ember.core.pool import _Worker

    w = _Worker()
    last, stable = -1, 0
    while stable < 5:  # RSS unchanged for 5 x 50 ms: its imports are done, it waits on its pipe
        time.sleep(0.05)
        now = vm_kib("VmRSS", w.proc.pid)
        stable = stable + 1 if now == last else 0
        last = now
    w.close()
    return last


fresh_worker_kib = idle_worker_kib()


def counter_loop() -> tuple[Counter, float, float, int]:
    """The plain-Python limit: a Counter over the same tokens (time, CPU time, peak RSS increase)."""
    gc.collect()
    before = vm_kib("VmRSS")
    reset_peak()
    t, c = time.perf_counter(), time.process_time()
    counts = Counter(w for line in lines for w in line.split(" "))
    return counts, time.perf_counter() - t, time.process_time() - c, vm_kib("VmHWM") - before


sc = engine_module(engine).SparkContext("local[2]", "bench-rdd-wordcount")
sc.setLogLevel("ERROR")


def worker_pids() -> list[int]:
    return [w.proc.pid for w in getattr(getattr(sc, "_pool", None), "_all", None) or []]


def job() -> dict:
    """One measured job; its output stays alive until the peak has been read."""
    gc.collect()
    pids = worker_pids()
    before = {pid: vm_kib("VmRSS", pid) for pid in pids}
    cpu0 = time.process_time() + sum(cpu_s(pid) for pid in pids)
    driver_before = vm_kib("VmRSS")
    reset_peak()
    for pid in pids:
        reset_peak(pid)
    t = time.perf_counter()
    rdd = sc.parallelize(lines)
    t_par = time.perf_counter()
    result = rdd.flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1)).reduceByKey(add).collect()
    t_end = time.perf_counter()
    driver_kib = vm_kib("VmHWM") - driver_before
    pids = worker_pids()
    workers_kib = sum(vm_kib("VmHWM", pid) - before.get(pid, fresh_worker_kib) for pid in pids)
    cpu = time.process_time() + sum(cpu_s(pid) for pid in pids) - cpu0
    return dict(result=result, parallelize_s=t_par - t, job_s=t_end - t_par, cpu_s=cpu,
                driver_kib=driver_kib, workers_kib=workers_kib, workers=len(pids))


# Counter loops and jobs alternate, so both see the same load on a shared machine.
runs, limit, limit_cpu, counter_kib = [], [], [], []
for i in range(repeats + 1):  # the first job is cold: an engine's workers start there
    if i:
        counts, seconds, cpu, kib = counter_loop()
        limit.append(seconds)
        limit_cpu.append(cpu)
        counter_kib.append(kib)
        if i < repeats:
            del counts
    run = job()
    result = run.pop("result")
    if i < repeats:
        del result  # the next job's peak must not include this job's output
    runs.append(run)
cold, warm = runs[0], runs[1:]
worst = max(runs, key=lambda r: r["driver_kib"] + r["workers_kib"])

got = dict(result)
assert got == counts, "the engine's word count differs from collections.Counter"
top = sorted(got.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
digest = hashlib.sha256(repr((len(got), sum(got.values()), top)).encode()).hexdigest()[:16]
report(tokens=tokens, input_bytes=input_bytes, limit_s=limit, limit_cpu_s=limit_cpu,
       job_s=[r["job_s"] for r in warm], job_cpu_s=[r["cpu_s"] for r in warm],
       parallelize_s=[r["parallelize_s"] for r in warm],
       first_job_s=cold["job_s"], first_job_cpu_s=cold["cpu_s"], digest=digest,
       job_kib=[r["driver_kib"] + r["workers_kib"] for r in runs],
       driver_job_rss_kib=worst["driver_kib"], worker_peak_kib=worst["workers_kib"],
       workers=max(r["workers"] for r in runs), fresh_worker_kib=fresh_worker_kib,
       counter_kib=max(counter_kib), median_job_s=statistics.median(r["job_s"] for r in warm))
sc.stop()
