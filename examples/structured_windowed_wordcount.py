"""The seed's Structured Streaming query: word counts over 10 second windows that start every 5 seconds.

    python examples/structured_windowed_wordcount.py [HOST] [PORT] [SECONDS]

The socket source stamps each line with its arrival time (``includeTimestamp``); each word is counted
in the two windows that hold that time, and the console sink prints every window's counts, ordered by
window, after each micro-batch (``complete`` mode). ``ember produce`` serves big.txt on localhost:9999.
"""

import sys

from ember.sql import SparkSession
from ember.sql.functions import explode, split, window

host = sys.argv[1] if len(sys.argv) > 1 else "localhost"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9999
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else None

spark = SparkSession.builder.appName("StructuredWindowedWordCount").getOrCreate()
spark.sparkContext.setLogLevel("WARN")

lines = (spark.readStream.format("socket").option("host", host).option("port", port)
         .option("includeTimestamp", True).load())
words = lines.select(explode(split(lines.value, " ")).alias("word"), lines.timestamp)
counts = words.groupBy(window(words.timestamp, "10 seconds", "5 seconds"), words.word).count() \
    .orderBy("window")

query = counts.writeStream.outputMode("complete").format("console").option("truncate", False).start()
query.awaitTermination(seconds)
query.stop()
spark.stop()
