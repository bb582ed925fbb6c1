"""Socket word count at an offered rate: does the engine keep up?

    socket_wordcount.py ENGINE RATE SECONDS

Starts ``ember produce`` (a separate process on the same two cores) serving big.txt at RATE lines/s,
runs flatMap/map/reduceByKey/pprint on 1 s batches of ``socketTextStream`` for SECONDS, and reports
the lines processed, the worst scheduling delay after the first two batches, and the producer's CPU.
"""

import os
import socket
import subprocess
import sys
import time
from collections import Counter
from operator import add

from _engine import corpus, engine_module, report

engine, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
mod = engine_module(engine)
streaming = __import__(f"{mod.__name__}.streaming", fromlist=["StreamingContext"])

lines = corpus()
t = time.perf_counter()
Counter(w for line in lines for w in line.split(" "))
counter_lines_per_s = len(lines) / (time.perf_counter() - t)

probe = socket.create_server(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
env = dict(os.environ, PYTHONPATH=os.path.join(root, "src"))
cmd = [sys.executable, "-m", "ember", "produce", "--port", str(port), "--rate", str(rate), "--loop"]
producer = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, env=env)
deadline = time.monotonic() + 10
while True:  # wait until it listens
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        break
    except OSError:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.05)

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
ssc.start()
ssc.awaitTerminationOrTimeout(seconds)
ssc.stop(stopSparkContext=True, stopGraceFully=False)
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
       producer_cpu_share=producer_cpu_s / seconds, counter_lines_per_s=counter_lines_per_s)
