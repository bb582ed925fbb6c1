"""Peak RSS of the seed's Structured query on a socket fed at a fixed rate for a while.

    structured_rss.py ENGINE RATE SECONDS [KEY=VALUE...]

``ember produce --rate RATE --loop`` serves big.txt; this process runs the seed's query
(examples/structured_windowed_wordcount.py: socket with ``includeTimestamp``, ``explode(split)``,
``groupBy(window(10 s, 5 s), word).count().orderBy("window")``, complete mode, console sink) with the
default trigger, each KEY=VALUE as a session setting. The console output goes to a file (both engines
write it to file descriptor 1: ember from Python, Spark from the JVM). The RSS of this process and its
children (the JVM on Spark) is sampled every 0.2 s, the producer left out. Reports the peak, the RSS at
the end, the lines the query had committed (the socket source's offset) and the CPU seconds used.
"""

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

from _engine import report, wait_listening

engine, rate, seconds, confs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, root)
from bench.proc import rss_kib, stop_group, tree_cpu_s, tree_pids  # noqa: E402

# the console sink's tables go to a file; the report goes to the real stdout
real_stdout = os.fdopen(os.dup(1), "w")
console = tempfile.NamedTemporaryFile("w", prefix="bench-console-", suffix=".txt", delete=False)
os.dup2(console.fileno(), 1)
sys.stdout = open(1, "w", closefd=False)

import socket  # noqa: E402

probe = socket.create_server(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
env = dict(os.environ, PYTHONPATH=os.path.join(root, "src"))
serve = [sys.executable, "-m", "ember", "produce", "--port", str(port), "--rate", str(rate), "--loop"]
producer = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
atexit.register(stop_group, producer)  # also when the query fails
wait_listening(port)

samples: list[tuple[float, int]] = []
stop = threading.Event()


def sample() -> None:
    t0 = time.monotonic()
    while not stop.is_set():
        theirs = set(tree_pids(producer.pid))
        mine = sum(rss_kib(pid) for pid in tree_pids(os.getpid()) if pid not in theirs)
        samples.append((time.monotonic() - t0, mine))
        stop.wait(0.2)


threading.Thread(target=sample, daemon=True).start()
if engine == "ember":
    from ember.sql import SparkSession
    from ember.sql.functions import explode, split, window
else:
    from pyspark.sql import SparkSession
    from pyspark.sql.functions import explode, split, window

builder = SparkSession.builder.master("local[2]").appName("StructuredWindowedWordCount")
for kv in confs:
    builder = builder.config(*kv.split("=", 1))
spark = builder.getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
lines = (spark.readStream.format("socket").option("host", "127.0.0.1").option("port", port)
         .option("includeTimestamp", True).load())
words = lines.select(explode(split(lines.value, " ")).alias("word"), lines.timestamp)
counts = words.groupBy(window(words.timestamp, "10 seconds", "5 seconds"), words.word).count() \
    .orderBy("window")
query = counts.writeStream.outputMode("complete").format("console").option("truncate", False).start()
query.awaitTermination(seconds)  # SECONDS of input from the query's start
last = query.lastProgress
cpu = tree_cpu_s(os.getpid()) - tree_cpu_s(producer.pid)
producer_cpu = tree_cpu_s(producer.pid)
end_rss = samples[-1][1] if samples else 0
stop.set()
query.stop()
stop_group(producer)
spark.stop()


def committed(progress) -> int | None:
    """Lines the query has read: the socket source's end offset (a line count; -1 before any line)."""
    if not progress or not progress.get("sources"):
        return None
    end = progress["sources"][0].get("endOffset")
    try:
        return int(json.loads(end) if isinstance(end, str) else end) + 1
    except (TypeError, ValueError):
        return None


sys.stdout.flush()
console.close()
with open(console.name) as fh:
    batches = sum(1 for line in fh if line.startswith("Batch: "))
os.unlink(console.name)
sys.stdout = real_stdout
peak_at, peak = max(samples, key=lambda s: s[1]) if samples else (0, 0)
report(rate=rate, seconds=seconds, peak_rss_kib=peak, peak_at_s=peak_at, end_rss_kib=end_rss,
       lines=committed(last), offered=rate * seconds, batches=batches, cpu_s=cpu, producer_cpu_s=producer_cpu,
       last_batch_ms=(last or {}).get("durationMs", {}).get("triggerExecution"),
       rss_at_s=[(round(t, 1), kib) for t, kib in samples[::25]])
