"""Socket word count at an offered rate: does the engine keep up?

    socket_wordcount.py ENGINE RATE SECONDS

Starts ``ember produce`` (a separate process on the same two cores) serving big.txt at RATE lines/s,
runs flatMap/map/reduceByKey/pprint on 1 s batches of ``socketTextStream`` for SECONDS, and reports
the lines processed, the worst scheduling delay after the first two batches, the producer's CPU, and
the consumer's CPU (this process and its worker processes) per line processed: on a loaded machine the
wall-clock figures move a lot, the CPU per line much less. It also reports the consumer's peak RSS: the
sum of the peaks (VmHWM) of this process and of its worker processes, the producer left out.
"""

import os
import socket
import subprocess
import sys
import time
from collections import Counter
from operator import add

from _engine import corpus, engine_module, report, wait_listening

engine, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
mod = engine_module(engine)
streaming = __import__(f"{mod.__name__}.streaming", fromlist=["StreamingContext"])

if len(sys.argv) > 4 and sys.argv[4] == "counter":  # the Counter loop, in a process of its own
    lines = corpus()
    t, c = time.perf_counter(), time.process_time()
    Counter(w for line in lines for w in line.split(" "))
    print(len(lines) / (time.perf_counter() - t), (time.process_time() - c) / len(lines) * 1e6)
    sys.exit(0)

# the Counter loop runs in a child process, so that the corpus it reads is not in this consumer's RSS
out = subprocess.run([sys.executable, *sys.argv[:4], "counter"], capture_output=True, text=True, check=True)
counter_lines_per_s, counter_cpu_us_per_line = map(float, out.stdout.split())


def _cpu_s(pid) -> float:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _workers() -> set[int]:
    """This process's children alive now (the engine's workers), the producer left out."""
    me, kids = os.getpid(), set()
    for tid in os.listdir(f"/proc/{me}/task"):  # workers are children of the thread that started them
        try:
            with open(f"/proc/{me}/task/{tid}/children") as fh:
                kids.update(int(k) for k in fh.read().split())
        except OSError:
            pass
    kids.discard(producer.pid)
    return kids


def consumer_cpu_s() -> float:
    """CPU seconds of this process and of its children alive now (the engine's workers)."""
    return _cpu_s(os.getpid()) + sum(_cpu_s(k) for k in _workers())


def _peak_mib(pid) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0

probe = socket.create_server(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
env = dict(os.environ, PYTHONPATH=os.path.join(root, "src"))
cmd = [sys.executable, "-m", "ember", "produce", "--port", str(port), "--rate", str(rate), "--loop"]
producer = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, env=env)
wait_listening(port)

sc = mod.SparkContext("local[2]", "bench-socket")
sc.setLogLevel("ERROR")
real_stdout, sys.stdout = sys.stdout, open(os.devnull, "w")


class Batches(streaming.StreamingListener):
    def __init__(self):
        self.rows = []

    def onBatchCompleted(self, batchCompleted):
        info = batchCompleted.batchInfo()
        self.rows.append((info.numRecords(), info.schedulingDelay(), info.processingDelay()))


ssc = streaming.StreamingContext(sc, 1)
batches = Batches()
ssc.addStreamingListener(batches)
counts = ssc.socketTextStream("127.0.0.1", port).flatMap(lambda line: line.split(" ")) \
    .map(lambda w: (w, 1)).reduceByKey(add)
counts.pprint()
if engine == "spark":  # PySpark's Python workers start before the clock, so their start stays out
    sc.parallelize(range(200_000), 2).map(lambda x: (x % 7, 1)).reduceByKey(add).collect()
# ember's word count runs in the driver (Polars on both cores for big batches): the bench starts no worker
# processes for it, so the memory figures are the program's own (idle workers would add ~14 MiB each)
cpu0 = consumer_cpu_s()
ssc.start()
ssc.awaitTerminationOrTimeout(seconds)
ssc.stop(stopSparkContext=False, stopGraceFully=False)  # the batch at work finishes and is reported
cpu_run = consumer_cpu_s() - cpu0  # before the workers stop with the SparkContext
# the Spark lane's JVM is a child too (its peak is part of the consumer there)
peaks = [_peak_mib(os.getpid())] + sorted((_peak_mib(k) for k in _workers()), reverse=True)
total_lines = sum(r[0] for r in batches.rows)
sc.stop()
with open(f"/proc/{producer.pid}/stat") as fh:
    fields = fh.read().rsplit(")", 1)[1].split()
producer_cpu_s = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
producer.terminate()
producer.wait()

sys.stdout = real_stdout
steady = batches.rows[2:]
processed = sum(r[0] for r in steady)
report(rate=rate, batches=len(batches.rows), lines_per_s=processed / max(1, len(steady)),
       max_sched_ms=max((r[1] for r in steady), default=None),
       max_processing_ms=max((r[2] for r in steady), default=None),
       producer_cpu_share=producer_cpu_s / seconds, counter_lines_per_s=counter_lines_per_s,
       counter_cpu_us_per_line=counter_cpu_us_per_line, consumer_cpu_s=cpu_run,
       consumer_cpu_us_per_line=cpu_run / max(1, total_lines) * 1e6,
       consumer_peak_mib=sum(peaks), driver_peak_mib=peaks[0], worker_peaks_mib=peaks[1:],
       load_avg=os.getloadavg()[0])
