"""DStream batches on ember or PySpark, timed by the engine's own listener.

    dstream.py ENGINE overhead BATCHES          empty batches through flatMap/map/reduceByKey/pprint
    dstream.py ENGINE bigbatch REPEATS          all of big.txt as one batch, against a Counter loop
    dstream.py ENGINE window|state BATCHES [PAUSE_S]
                                                1 s batches of 10,000 lines: reduceByKeyAndWindow(add,
                                                sub, 30, 10) or updateStateByKey (running totals),
                                                PAUSE_S of idle time after each batch (default 0)
    dstream.py ENGINE steady SECONDS            10 ms batches on the system clock, a few lines each

Batches are driven on the manual clock (except ``steady``) with ember.testing.BatchDriver, which
also drives Spark's JVM clock. pprint output goes to /dev/null; the report is the last stdout line.
"""

import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from operator import add, sub

from _engine import corpus, engine_module, report

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from bench.proc import tree_cpu_s  # noqa: E402

engine, mode, amount = sys.argv[1], sys.argv[2], int(sys.argv[3])
# window|state: the idle time left between batches, as 1 s batches leave the engines most of a second
# (0: batches back to back, the next one starting as soon as the last one is done)
pause_s = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
mod = engine_module(engine)
streaming = __import__(f"{mod.__name__}.streaming", fromlist=["StreamingContext"])
from ember.testing import MANUAL_CLOCK, BatchDriver  # noqa: E402

conf = mod.SparkConf().setMaster("local[2]").setAppName("bench-dstream")
if mode != "steady":
    conf.set("spark.streaming.clock", MANUAL_CLOCK)
sc = mod.SparkContext(conf=conf)
sc.setLogLevel("ERROR")
real_stdout = sys.stdout
sys.stdout = open(os.devnull, "w")  # pprint's output: the cost of printing stays, the noise goes


class Timings(streaming.StreamingListener):
    """Processing and scheduling delays; on ember also the job thread's CPU ms per batch.

    ember calls its listeners on the job thread, so ``time.thread_time`` between a batch's start and
    completion events is the CPU that batch's jobs took (not inflated by waiting for a core).
    PySpark's events arrive on a py4j thread, and its work runs in the JVM and its workers: no CPU
    figure is taken there.
    """

    def __init__(self):
        self.processing, self.scheduling, self.cpu = [], [], []
        self._cpu0 = None

    def onBatchStarted(self, batchStarted):
        if engine == "ember":
            self._cpu0 = time.thread_time()

    def onBatchCompleted(self, batchCompleted):
        info = batchCompleted.batchInfo()
        self.processing.append(info.processingDelay())
        self.scheduling.append(info.schedulingDelay())
        if self._cpu0 is not None:
            self.cpu.append(round((time.thread_time() - self._cpu0) * 1000, 1))


def words(lines_stream):
    return lines_stream.flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1))


# removed when the program ends (each run wrote up to 270 MB into /tmp and left it there)
checkpoints = tempfile.TemporaryDirectory(prefix="bench-ckpt-")


def context(batch_s):
    ssc = streaming.StreamingContext(sc, batch_s)
    ssc.checkpoint(tempfile.mkdtemp(dir=checkpoints.name))
    timings = Timings()
    ssc.addStreamingListener(timings)
    return ssc, timings


def digest(batches):
    """What the engines must agree on before their times count: every batch's sorted result."""
    text = repr([sorted(b, key=repr) for b in batches])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def keep(stream, into):
    stream.foreachRDD(lambda rdd: into.append(rdd.collect()))


def done(**values):
    sys.stdout = real_stdout
    report(**values)
    sc.stop()


if mode == "overhead":
    ssc, timings = context(1)
    words(ssc.queueStream([sc.parallelize([], 1)])).reduceByKey(add).pprint()  # PySpark needs one RDD
    driver = BatchDriver(ssc)
    ssc.start()
    driver.advance(min(5, amount))  # warm-up
    t, cpu = time.perf_counter(), time.process_time()
    driver.advance(amount)
    per_batch = (time.perf_counter() - t) / amount
    cpu_per_batch = (time.process_time() - cpu) / amount  # this process, all threads (the writer too)
    ssc.stop(stopSparkContext=False)
    done(per_batch_s=per_batch, cpu_per_batch_s=cpu_per_batch, batches=amount, load=os.getloadavg()[0])

elif mode == "bigbatch":
    lines = corpus()
    limit = []
    for _ in range(amount):
        t = time.perf_counter()
        Counter(w for line in lines for w in line.split(" "))
        limit.append(time.perf_counter() - t)
    batch_s, results = [], []
    for i in range(amount + 1):  # the first run warms up (Spark starts its workers there)
        ssc, timings = context(1)
        counts = words(ssc.queueStream([sc.parallelize(lines)])).reduceByKey(add)
        counts.pprint()
        if i == 0:
            keep(counts, results)
        driver = BatchDriver(ssc)
        ssc.start()
        t = time.perf_counter()
        driver.advance(1)
        if i:
            batch_s.append(time.perf_counter() - t)
        ssc.stop(stopSparkContext=False)
    done(limit_s=limit, batch_s=batch_s, digest=digest(results))

elif mode in ("window", "state"):
    lines = corpus()
    chunks = [lines[i:i + 10_000] for i in range(0, len(lines), 10_000)]
    chunks = [chunks[i % len(chunks)] for i in range(amount)]
    ssc, timings = context(1)
    pairs = words(ssc.queueStream([sc.parallelize(c) for c in chunks]))
    if mode == "window":
        out = pairs.reduceByKeyAndWindow(add, sub, 30, 10)
    else:
        out = pairs.updateStateByKey(lambda new, old: sum(new) + (old or 0))
    out.pprint()
    # The engines must agree before their times count, but collecting the whole window or state (81k
    # keys) every batch is this program's cost, not the pipeline's: only the last batch (a slide time
    # for the window) collects, and it is left out of the figures.
    results, collecting = [], []
    out.foreachRDD(lambda rdd: results.append(rdd.collect()) if collecting else None)
    pairs.foreachRDD(lambda rdd: None)  # an output every batch, so Spark reports every batch
    driver = BatchDriver(ssc)
    ssc.start()
    walls = []
    tree_cpu = []  # the process tree's CPU (all threads, ember's workers, Spark's JVM) after batch 1
    for i in range(amount):
        if i == amount - 1:
            collecting.append(True)
        if i in (1, amount - 1):
            tree_cpu.append(tree_cpu_s(os.getpid()))
        t = time.perf_counter()
        driver.advance(1)
        walls.append(time.perf_counter() - t)
        if pause_s:
            time.sleep(pause_s)
    ssc.stop(stopSparkContext=False)
    timed = amount - 1
    done(processing_ms=timings.processing[:timed], cpu_ms=timings.cpu[:timed], wall_s=walls[:timed],
         batches=timed, digest=digest(results), load=os.getloadavg()[0],
         tree_cpu_per_batch_ms=(tree_cpu[1] - tree_cpu[0]) * 1000 / max(1, timed - 1))

elif mode == "steady":
    ssc = streaming.StreamingContext(sc, 0.01)
    timings = Timings()
    ssc.addStreamingListener(timings)
    small = ["the quick brown fox jumps over the lazy dog"] * 10
    words(ssc.queueStream([], default=small)).reduceByKey(add).pprint()
    ssc.start()
    ssc.awaitTerminationOrTimeout(amount)
    ssc.stop(stopSparkContext=False)
    delays = sorted(timings.scheduling)
    done(batches=len(delays), max_sched_ms=delays[-1] if delays else None,
         p99_sched_ms=delays[int(len(delays) * 0.99)] if delays else None,
         median_processing_ms=statistics.median(timings.processing) if timings.processing else None)
