"""The seed's query on a socket fed as fast as possible: lines/s sustained and per-batch overhead.

    structured_socket.py ENGINE SECONDS

``ember produce --rate 0 --loop`` serves big.txt; the query is the seed's windowed word count in
complete mode with 1 s processing-time batches and a noop sink. Reports the lines processed per
second of query time, the batch durations, and (ember only) the per-batch overhead of an empty
micro-batch measured on a memory stream. A second run of the same length reads the socket into a
noop sink with no query at all: the lines per second (and per CPU second) the source itself sustains.
Last (ember only), the CPU per line of the seed query's incremental work (with ``orderBy`` and the
console's 20 rows) on the same micro-batches, ember against bare Polars, in this process.
"""

import os
import socket
import subprocess
import sys
import time

from _engine import report, vm_kib, wait_listening

engine, seconds = sys.argv[1], float(sys.argv[2])
if engine == "ember":
    import ember.sql as sql
    from ember.sql import functions as F
else:
    import pyspark.sql as sql
    from pyspark.sql import functions as F

probe = socket.create_server(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
env = dict(os.environ, PYTHONPATH=os.path.join(root, "src"))
producer = subprocess.Popen([sys.executable, "-m", "ember", "produce", "--port", str(port), "--rate", "0",
                             "--loop"], stderr=subprocess.DEVNULL, env=env)
wait_listening(port)

spark = (sql.SparkSession.builder.master("local[2]").config("spark.sql.shuffle.partitions", "2")
         .getOrCreate())
if engine == "spark":
    spark.sparkContext.setLogLevel("ERROR")
lines = (spark.readStream.format("socket").option("host", "127.0.0.1").option("port", port)
         .option("includeTimestamp", True).load())
words = lines.select(F.explode(F.split(lines.value, " ")).alias("word"), lines.timestamp)
counts = words.groupBy(F.window(words.timestamp, "10 seconds", "5 seconds"), words.word).count()


def run_for(df, mode):
    """Run ``df`` into a noop sink in 1 s batches for ``seconds``: (progress with rows, wall s, CPU s)."""
    q = df.writeStream.outputMode(mode).format("noop").trigger(processingTime="1 second").start()
    started, cpu0 = time.perf_counter(), time.process_time()
    time.sleep(seconds)
    q.stop()  # waits for a running batch: its rows count, and so does the time it took
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu0
    return [p for p in q.recentProgress if p["numInputRows"]], elapsed, cpu


progress, elapsed, cpu = run_for(counts, "complete")
rows = sum(p["numInputRows"] for p in progress)
busy = sum(p["durationMs"]["triggerExecution"] for p in progress) / 1000
# the source alone (lines into a noop sink, no aggregation): what the socket source can hand over;
# CPU is this process's (all threads: reader, batches), the producer is another process
src_progress, src_elapsed, src_cpu = run_for(lines, "append")
src_rows = sum(p["numInputRows"] for p in src_progress)
producer.terminate()
overhead_ms = stateless_ms = (None, None)
per_line = None


def cpu_per_line(spark, F, batches: int = 8, lines_per_batch: int = 250_000, rounds: int = 3) -> dict:
    """CPU microseconds per line of the seed query's incremental work, ember against bare Polars.

    Both run the same micro-batches (big.txt lines, each batch one second later) in this process:
    ember through its incremental execution (the query's plan with ``orderBy("window")``, the
    console's first 20 rows), bare Polars as the shortest hand-written equivalent (split and explode,
    count per (5 s bucket, word), spread over the two windows, merge into the touched windows' counts,
    all windows end to end sorted by window, the first 20 rows). The best of ``rounds`` runs, after
    the first two batches (their cost is the first windows' state and imports).
    """
    import polars as pl
    from _engine import corpus

    from ember.sql.streaming.incremental import IncrementalExecution

    text = corpus()
    t0_ms = 1_700_000_000_000
    frames = []
    for b in range(batches):
        rows = [text[(b * lines_per_batch + i) % len(text)] for i in range(lines_per_batch)]
        ts = pl.Series([t0_ms + b * 1000 + i * 1000 // lines_per_batch for i in range(lines_per_batch)])
        ts = ts.cast(pl.Datetime("ms")).cast(pl.Datetime("us"))
        frames.append(pl.DataFrame({"value": rows, "timestamp": ts}))
    src = spark.readStream.format("socket").option("host", "127.0.0.1").option("port", 9) \
        .option("includeTimestamp", True).load()
    ws = src.select(F.explode(F.split(src.value, " ")).alias("word"), src.timestamp)
    seed = ws.groupBy(F.window(ws.timestamp, "10 seconds", "5 seconds"), ws.word).count().orderBy("window")

    def ember_run() -> float:
        ex = IncrementalExecution(seed._plan, "complete", None, 2)
        leaf = ex.sources[0]
        cpu = 0.0
        for b, f in enumerate(frames):
            c0 = time.process_time()
            ex.run({id(leaf): f}, 0, b).frame.head(20).rows()
            cpu += (time.process_time() - c0) if b >= 2 else 0.0
        return cpu

    def polars_run() -> float:
        slide, length = 5_000_000, 10_000_000
        state: dict = {}
        cpu = 0.0
        for b, f in enumerate(frames):
            c0 = time.process_time()
            t = pl.col("timestamp").cast(pl.Int64)
            part = (f.lazy().select(pl.col("value").str.split(" ").alias("word"), (t - t % slide).alias("b"))
                    .explode("word").group_by("b", "word", maintain_order=True).agg(pl.len().alias("n"))
                    .with_columns(pl.concat_list(pl.col("b") - slide, pl.col("b")).alias("ws"))
                    .explode("ws").collect())
            for (w,), rows in part.partition_by("ws", as_dict=True, maintain_order=True).items():
                rows = rows.select("word", "n")
                old = state.get(w)
                both = rows if old is None else pl.concat([old, rows])
                state[w] = both.group_by("word", maintain_order=True).agg(pl.col("n").sum())
            out = pl.concat([v.with_columns(pl.lit(w).alias("start"), pl.lit(w + length).alias("end"))
                             for w, v in state.items()], rechunk=False)
            out.sort("start", maintain_order=True).head(20).rows()
            cpu += (time.process_time() - c0) if b >= 2 else 0.0
        return cpu

    lines = (batches - 2) * lines_per_batch
    ember_cpu = min(ember_run() for _ in range(rounds))
    polars_cpu = min(polars_run() for _ in range(rounds))
    return {"ember_us": ember_cpu / lines * 1e6, "polars_us": polars_cpu / lines * 1e6, "lines": lines}


if engine == "ember":
    from ember.sql.streaming.memory import MemoryStream

    def one_row_batches(make):
        """Median duration of 200 one-row micro-batches (after 100 to warm up) of ``make``'s query."""
        stream = MemoryStream(spark, "value STRING")
        q = make(stream.to_df()).writeStream.outputMode("complete" if make is counted else "append") \
            .format("noop").start()
        for i in range(300):
            if i == 100:
                cpu0 = time.process_time()
            stream.add_data(f"w{i % 50}")
            q.processAllAvailable()
        cpu_ms = (time.process_time() - cpu0) * 1000 / 200  # all of this process's threads, per batch
        q.stop()
        runs = sorted(p["batchDuration"] for p in q.recentProgress[-200:])
        return runs[len(runs) // 2], round(cpu_ms, 2)

    def counted(df):
        return df.select(F.explode(F.split("value", " ")).alias("word")).groupBy("word").count()

    overhead_ms = one_row_batches(counted)
    stateless_ms = one_row_batches(lambda df: df.select(F.explode(F.split("value", " ")).alias("word")))
    per_line = cpu_per_line(spark, F)
report(lines=rows, seconds=elapsed, lines_per_s=rows / elapsed, cpu_s=cpu, busy_s=busy,
       source_lines=src_rows, source_seconds=src_elapsed, source_cpu_s=src_cpu,
       source_lines_per_s=src_rows / src_elapsed,
       lines_per_busy_s=rows / busy if busy else None, batches=len(progress),
       batch_ms=[p["durationMs"]["triggerExecution"] for p in progress], overhead_ms=overhead_ms,
       stateless_ms=stateless_ms, cpu_per_line=per_line,
       peak_rss_kib=vm_kib("VmHWM"))
