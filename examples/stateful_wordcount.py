"""Running word totals since the start, carried from batch to batch with ``updateStateByKey``.

    python examples/stateful_wordcount.py [HOST] [PORT] [SECONDS]

The totals start from an initial state where "hello" and "world" have already been seen once.
"""

import sys
import tempfile

from ember import SparkContext
from ember.streaming import StreamingContext

host = sys.argv[1] if len(sys.argv) > 1 else "localhost"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9999
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else None

sc = SparkContext(appName="StatefulWordCount")
sc.setLogLevel("WARN")
ssc = StreamingContext(sc, 1)
# a directory of its own, removed when the program ends (a cluster would want a shared one)
checkpoint_dir = tempfile.TemporaryDirectory(prefix="stateful-wordcount-")
ssc.checkpoint(checkpoint_dir.name)

initial = sc.parallelize([("hello", 1), ("world", 1)])


def update_total(new_counts, total):
    return sum(new_counts) + (total or 0)


pairs = ssc.socketTextStream(host, port).flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1))
pairs.updateStateByKey(update_total, initialRDD=initial).pprint()

ssc.start()
ssc.awaitTermination(seconds)
ssc.stop()
checkpoint_dir.cleanup()
