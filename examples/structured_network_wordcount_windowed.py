"""Word counts per event-time window, sliding, over the lines read from a TCP server.

    python examples/structured_network_wordcount_windowed.py HOST PORT WINDOW_SECS [SLIDE_SECS] [SECONDS]

With ``includeTimestamp`` the socket source stamps each line with the time it arrived. Every word
counts in each window ``[start, start + WINDOW_SECS)`` that holds its line's time; windows start every
SLIDE_SECS (default: WINDOW_SECS, so they tumble). The console sink prints the whole table, ordered by
window, after each micro-batch, without truncating the ``{start, end}`` cells. SECONDS stops the query
after that long (default: run until Ctrl-C).
"""

import sys

from ember.sql import SparkSession
from ember.sql.functions import explode, split, window

if len(sys.argv) < 4:
    print("usage: structured_network_wordcount_windowed.py HOST PORT WINDOW_SECS [SLIDE_SECS] [SECONDS]",
          file=sys.stderr)
    sys.exit(2)
host, port = sys.argv[1], int(sys.argv[2])
window_secs = int(sys.argv[3])
slide_secs = int(sys.argv[4]) if len(sys.argv) > 4 else window_secs
seconds = float(sys.argv[5]) if len(sys.argv) > 5 else None
if slide_secs > window_secs:
    print("the slide must not be longer than the window", file=sys.stderr)
    sys.exit(2)

spark = SparkSession.builder.appName("StructuredNetworkWordCountWindowed").getOrCreate()
spark.sparkContext.setLogLevel("WARN")

lines = (spark.readStream.format("socket").option("host", host).option("port", port)
         .option("includeTimestamp", "true").load())
words = lines.select(explode(split(lines.value, " ")).alias("word"), lines.timestamp)
windows = window(words.timestamp, f"{window_secs} seconds", f"{slide_secs} seconds")
counts = words.groupBy(windows, words.word).count().orderBy("window")

query = counts.writeStream.outputMode("complete").format("console").option("truncate", "false").start()
query.awaitTermination(seconds)
query.stop()
spark.stop()
