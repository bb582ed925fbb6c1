"""``ember demo``: the classic streaming setup on one machine, in a few seconds.

A producer serves big.txt on a free loopback port; one StreamingContext reads it with
``socketTextStream`` and runs the seed's consumers side by side: the word count of each batch,
running totals (``updateStateByKey``), the last 30 seconds every 10 (``reduceByKeyAndWindow`` with an
inverse function) and the happiest words (a ``transform`` joining the AFINN index). Beside them, the
seed's Structured Streaming query reads the same producer over its own connection: word counts per
10 second window sliding every 5 (``groupBy(window(timestamp, ...), word).count().orderBy("window")``,
complete mode), of which each block shows the latest window's top words. After ``--seconds``
everything stops cleanly.
"""

from __future__ import annotations

import sys
import tempfile
import time
from operator import add, sub
from typing import Any

TOP = 5


def _top(rdd: Any, n: int = TOP) -> list:
    return rdd.takeOrdered(n, key=lambda kv: (-kv[1], kv[0]))


def _fmt(pairs: list) -> str:
    return "  ".join(f"{w} ({n:,})" for w, n in pairs) or "-"


def _structured(spark: Any, host: str, port: int, batch: float, seen: dict[str, Any]) -> Any:
    """Start the seed's windowed word count on ``host:port``; each batch's latest window goes to ``seen``."""
    from ember.sql import functions as F

    lines = (spark.readStream.format("socket").option("host", host).option("port", port)
             .option("includeTimestamp", True).load())
    words = lines.select(F.explode(F.split(lines.value, " ")).alias("word"), lines.timestamp)
    counts = words.groupBy(F.window(words.timestamp, "10 seconds", "5 seconds"), words.word).count() \
        .orderBy("window")

    def latest(df: Any, batch_id: int) -> None:
        # the table holds every window so far; the newest one is the one still filling
        last = df.agg(F.max("window.start")).first()[0]
        if last is None:
            return
        top = (df.filter((df.window.start == last) & (df.word != "")).orderBy(F.desc("count"), "word")
               .select("word", "count").take(TOP))
        seen["structured"] = (last, [(r["word"], r["count"]) for r in top])

    # micro-batches at the DStreams' pace: back to back, they would take the cores from the other consumers
    return counts.writeStream.outputMode("complete").foreachBatch(latest) \
        .trigger(processingTime=f"{batch:g} seconds").start()


def run(path: str, afinn: str, seconds: float, rate: float, batch: float) -> int:
    """Serve ``path``, consume it for ``seconds``, print one block per batch."""
    from ember import SparkConf, SparkContext
    from ember.producer import Producer
    from ember.streaming import StreamingContext

    with open(path, encoding="utf-8", errors="replace") as fh:
        lines = fh.read().splitlines()
    producer = Producer(lines, port=0, rate=rate, loop=True)
    producer.start()
    sc = SparkContext(conf=SparkConf().setMaster("local[2]").setAppName("ember-demo"))
    sc.setLogLevel("ERROR")
    ssc = StreamingContext(sc, batch)
    ssc.checkpoint(tempfile.mkdtemp(prefix="ember-demo-"))
    print(f"ember demo: serving {len(lines):,} lines of {path.rsplit('/', 1)[-1]} on "
          f"{producer.host}:{producer.port} at {rate:,.0f} lines/s; four DStream consumers, {batch:g} s "
          f"batches, and the seed's Structured Streaming query; "
          f"{seconds:g} s", flush=True)

    text = ssc.socketTextStream(producer.host, producer.port)
    words = text.flatMap(lambda line: line.split(" ")).filter(bool).map(lambda w: (w, 1))
    counts = words.reduceByKey(add)
    totals = words.updateStateByKey(lambda new, old: sum(new) + (old or 0))
    window = words.reduceByKeyAndWindow(add, sub, 30, 10)
    # a list, not an RDD: with checkpointing on, the transform function is pickled, and Spark refuses
    # to pickle a function that holds an RDD (SPARK-5063)
    with open(afinn, encoding="utf-8") as fh:
        scores = [(w, int(s)) for w, s in (ln.rstrip("\n").split("\t") for ln in fh if "\t" in ln)]
    happiest = counts.transform(
        lambda rdd: rdd.context.parallelize(scores).join(rdd).mapValues(lambda hc: hc[0] * hc[1]))

    seen: dict[str, Any] = {}
    text.foreachRDD(lambda rdd: seen.__setitem__("lines", rdd.count()))
    counts.foreachRDD(lambda rdd: seen.__setitem__("batch", _top(rdd)))
    totals.foreachRDD(lambda rdd: seen.__setitem__("totals", _top(rdd)))
    window.foreachRDD(lambda rdd: seen.__setitem__("window", _top(rdd)))
    happiest.foreachRDD(lambda rdd: seen.__setitem__("happy", _top(rdd, 3)))

    def show(t: Any, rdd: Any) -> None:
        print("-" * 43)
        print(f"Time: {t}   ({seen.pop('lines', 0):,} lines)")
        print("-" * 43)
        print(f"this batch      {_fmt(seen.pop('batch', []))}")
        print(f"running totals  {_fmt(seen.pop('totals', []))}")
        if "window" in seen:
            print(f"last 30 s       {_fmt(seen.pop('window'))}")
        print(f"happiest        {_fmt(seen.pop('happy', []))}")
        if "structured" in seen:
            start, top = seen["structured"]
            print(f"window {start:%H:%M:%S}  {_fmt(top)}   (structured, 10 s every 5 s)")
        print(flush=True)

    text.foreachRDD(show)  # registered last, so it runs after the consumers of the same batch
    from ember.sql import SparkSession

    query = _structured(SparkSession.builder.getOrCreate(), producer.host, producer.port, batch, seen)
    started = time.monotonic()
    ssc.start()
    try:
        ssc.awaitTerminationOrTimeout(seconds)
    except KeyboardInterrupt:
        pass
    ssc.stop(stopSparkContext=False, stopGraceFully=False)
    producer.stop()
    query.processAllAvailable()  # the lines already received, so the summary below is never empty
    query.stop()
    if "structured" in seen:
        start, top = seen["structured"]
        print(f"structured query: latest window from {start:%H:%M:%S}: {_fmt(top)}", flush=True)
    sc.stop()
    print(f"ember demo: stopped after {time.monotonic() - started:.1f} s; {producer.sent:,} lines sent",
          file=sys.stderr)
    return 0
