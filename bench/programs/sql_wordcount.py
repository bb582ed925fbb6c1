"""DataFrame word count of big.txt, cold and warm, and ``SparkSession.builder.getOrCreate()`` cold.

    sql_wordcount.py ENGINE FRACTION WORKDIR WARM_RUNS

The query is ``read.text -> explode(split(value, " ")) -> groupBy("word").count() ->
orderBy(desc("count")) -> collect()``, first in a fresh session (cold), then WARM_RUNS more times.
ember's process also times the same query written directly in Polars (``scan_lines``, ``str.split``,
``explode``, ``group_by``, ``sort``, ``rows()`` so that both end with Python values), cold and warm,
and checks that the two agree. The report carries a digest of the result: the number of words, the
total count, and the (word, count) pairs as a sorted multiset, since rows with equal counts come in
no defined order.
"""

import hashlib
import os
import sys
import time

from _engine import T0, corpus, report

engine, fraction, workdir, warm_runs = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
path = os.path.join(workdir, f"big-{engine}.txt")
with open(path, "w", encoding="utf-8") as fh:
    fh.write("\n".join(corpus(fraction)) + "\n")

t_import = time.time()
if engine == "ember":
    import ember.sql as sql
    from ember.sql import functions as F
else:
    import pyspark.sql as sql
    from pyspark.sql import functions as F
t0 = time.time()
spark = (sql.SparkSession.builder.master("local[2]").config("spark.sql.shuffle.partitions", "2")
         .getOrCreate())
ready = time.time()
if engine == "spark":
    spark.sparkContext.setLogLevel("ERROR")


def query():
    lines = spark.read.text(path)
    words = lines.select(F.explode(F.split(lines.value, " ")).alias("word"))
    return words.groupBy("word").count().orderBy(F.desc("count")).collect()


def digest(pairs):
    pairs = [(str(w), int(n)) for w, n in pairs]
    counts = [n for _, n in pairs]
    assert counts == sorted(counts, reverse=True), "not ordered by count"
    h = hashlib.sha256(repr(sorted(pairs)).encode()).hexdigest()[:16]
    return {"groups": len(pairs), "total": sum(counts), "sha": h, "top": pairs[0]}


def timed(fn):
    """Wall seconds, this process's CPU seconds (all threads; not the JVM's) and the result."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t, time.process_time() - c, out


cold_s, cold_cpu, rows = timed(query)
warm = [timed(query)[:2] for _ in range(warm_runs)]
result = digest((r["word"], r["count"]) for r in rows)

polars = None
if engine == "ember":
    import polars as pl

    def bare():
        return (pl.scan_lines(path, name="value")
                .select(pl.col("value").str.split(" ").alias("word")).explode("word")
                .group_by("word").agg(pl.len().alias("count"))
                .sort("count", descending=True)
                .collect().rows())

    p_cold, p_cold_cpu, p_rows = timed(bare)
    p_warm = [timed(bare)[:2] for _ in range(warm_runs)]
    assert digest(p_rows) == result, "ember differs from bare Polars"
    polars = {"cold_s": p_cold, "cold_cpu": p_cold_cpu, "warm_s": [w for w, _ in p_warm],
              "warm_cpu": [c for _, c in p_warm]}

report(import_s=t0 - t_import, getorcreate_s=ready - t0, ready_at=ready, interpreter_at=T0, cold_s=cold_s,
       cold_cpu=cold_cpu, warm_s=[w for w, _ in warm], warm_cpu=[c for _, c in warm], polars=polars,
       lines=len(corpus(fraction)), **result)
spark.stop()
