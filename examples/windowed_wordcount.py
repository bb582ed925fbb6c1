"""Word counts over the last 30 seconds, every 10 seconds, kept up to date with an inverse function.

    python examples/windowed_wordcount.py [HOST] [PORT] [SECONDS]

``reduceByKeyAndWindow(add, sub, 30, 10)`` adds the batches that enter the window and subtracts the
ones that leave it (PySpark does the subtraction only for windows of at least five slides; this one
has three, so each window is recomputed, with the same answers). It needs a checkpoint directory.
"""

import sys
import tempfile
from operator import add, sub

from ember import SparkContext
from ember.streaming import StreamingContext

host = sys.argv[1] if len(sys.argv) > 1 else "localhost"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9999
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else None

sc = SparkContext(appName="WindowedWordCount")
sc.setLogLevel("WARN")
ssc = StreamingContext(sc, 1)
# a directory of its own, removed when the program ends (a cluster would want a shared one)
checkpoint_dir = tempfile.TemporaryDirectory(prefix="windowed-wordcount-")
ssc.checkpoint(checkpoint_dir.name)

pairs = ssc.socketTextStream(host, port).flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1))
pairs.reduceByKeyAndWindow(add, sub, 30, 10).pprint()

ssc.start()
ssc.awaitTermination(seconds)
ssc.stop()
checkpoint_dir.cleanup()
