"""The seed's windowed word count over big.txt as ONE micro-batch, and the same as a bare Polars query.

    structured_wordcount.py ENGINE FRACTION WORKDIR

Lines of big.txt get event times 1 ms apart and go into one JSON-lines file; a file source with
``trigger(availableNow=True)`` reads it as a single micro-batch, the query is the seed's
(``explode(split)``, ``groupBy(window(10 s, 5 s), word).count().orderBy("window")``, complete mode)
and ``foreachBatch`` sums the result. ember's process also times the same computation written
directly in Polars.

Both engines first run the same query once over the first 1,000 lines (not timed with the rest,
reported as ``warmup_s``): bare Polars is timed after ``import polars``, so ember's query is timed
after the modules it loads on first use (Polars among them) are loaded, and Spark's after its
first query has warmed the JVM.
"""

import datetime
import json
import os
import sys
import time

from _engine import corpus, report, vm_kib

engine, fraction, workdir = sys.argv[1], float(sys.argv[2]), sys.argv[3]
lines = corpus(fraction)
src = os.path.join(workdir, f"in-{engine}")
warm = os.path.join(workdir, f"warm-{engine}")
base = datetime.datetime(2024, 1, 1)
for folder, count in ((src, len(lines)), (warm, 1000)):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "big.json"), "w", encoding="utf-8") as fh:
        for i, line in enumerate(lines[:count]):
            ts = (base + datetime.timedelta(milliseconds=i)).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
            fh.write(json.dumps({"value": line, "timestamp": ts}) + "\n")

if engine == "ember":
    import ember.sql as sql
    from ember.sql import functions as F
else:
    import pyspark.sql as sql
    from pyspark.sql import functions as F

spark = (sql.SparkSession.builder.master("local[2]").config("spark.sql.shuffle.partitions", "2")
         .config("spark.sql.session.timeZone", "UTC").getOrCreate())
if engine == "spark":
    spark.sparkContext.setLogLevel("ERROR")
result = {}


def summarise(df, batch_id):
    row = df.agg(F.count("*").alias("groups"), F.sum("count").alias("total")).collect()[0]
    result[batch_id] = (row["groups"], row["total"])


def run_query(folder):
    """The seed's query over ``folder`` as one micro-batch: (query, wall s, CPU s of this process)."""
    t0, c0 = time.perf_counter(), time.process_time()
    lines_df = spark.readStream.schema("value STRING, timestamp TIMESTAMP").json(folder)
    words = lines_df.select(F.explode(F.split(lines_df.value, " ")).alias("word"), lines_df.timestamp)
    windows = F.window(words.timestamp, "10 seconds", "5 seconds")
    counts = words.groupBy(windows, words.word).count().orderBy("window")
    q = counts.writeStream.outputMode("complete").foreachBatch(summarise).trigger(availableNow=True).start()
    q.awaitTermination()
    return q, time.perf_counter() - t0, time.process_time() - c0  # CPU: this process (not a JVM)


_, warmup_s, warmup_cpu = run_query(warm)
result.clear()
rss0 = vm_kib("VmRSS")
q, query_s, query_cpu = run_query(src)
batch_ms = [p["durationMs"]["triggerExecution"] for p in q.recentProgress]
read_ms = [p["durationMs"].get("getBatch", 0) for p in q.recentProgress]
peak = vm_kib("VmHWM")

polars_s = polars_cpu = None
if engine == "ember":
    import polars as pl

    t0, c0 = time.perf_counter(), time.process_time()
    frame = pl.read_ndjson(os.path.join(src, "big.json"))
    us = pl.col("ts").dt.epoch("us")
    w, s = 10_000_000, 5_000_000
    out = (frame.lazy()
           .select(pl.col("value").str.split(" ").alias("word"),
                   pl.col("timestamp").str.to_datetime(time_unit="us").alias("ts"))
           .explode("word")
           .with_columns(pl.int_ranges(0, w // s, dtype=pl.Int64).alias("k")).explode("k")
           .with_columns((us - us % s - pl.col("k") * s).alias("start"))
           .filter(pl.col("start") + w > us)
           .group_by("start", "word").agg(pl.len().alias("count"))
           .sort("start")
           .collect())
    polars_s, polars_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert (out.height, int(out["count"].sum())) == tuple(result[max(result)]), "ember differs from Polars"

groups, total = result[max(result)]
report(groups=groups, total=total, batches=len(batch_ms), query_s=query_s, warmup_s=warmup_s,
       warmup_cpu=warmup_cpu, batch_ms=batch_ms, read_ms=read_ms,
       polars_s=polars_s, query_cpu=query_cpu, polars_cpu=polars_cpu, lines=len(lines), peak_rss_kib=peak,
       rss_growth_kib=peak - rss0)
spark.stop()
