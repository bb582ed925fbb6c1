"""Running word counts of the lines read from a TCP server, as a Structured Streaming query.

    python examples/structured_network_wordcount.py [HOST] [PORT] [SECONDS]

The lines arrive as a streaming DataFrame with one ``value`` column; ``explode(split(...))`` turns each
line into one row per word, and ``groupBy("word").count()`` keeps the counts of everything seen so far.
In ``complete`` mode the console sink prints the whole table after each micro-batch. Start a producer
first (``ember produce`` serves big.txt on localhost:9999). SECONDS stops the query after that long
(default: run until Ctrl-C). On Apache Spark: ``ember run --engine spark examples/...``.
"""

import sys

from ember.sql import SparkSession
from ember.sql.functions import explode, split

host = sys.argv[1] if len(sys.argv) > 1 else "localhost"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9999
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else None

spark = SparkSession.builder.appName("StructuredNetworkWordCount").getOrCreate()
spark.sparkContext.setLogLevel("WARN")

lines = spark.readStream.format("socket").option("host", host).option("port", port).load()
words = lines.select(explode(split(lines.value, " ")).alias("word"))
counts = words.groupBy("word").count()

query = counts.writeStream.outputMode("complete").format("console").start()
query.awaitTermination(seconds)
query.stop()
spark.stop()
