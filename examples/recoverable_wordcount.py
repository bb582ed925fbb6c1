"""A running word count that survives a restart: ``StreamingContext.getOrCreate``.

    python examples/recoverable_wordcount.py [HOST] [PORT] [CHECKPOINT_DIR] [SECONDS]

The first run prints "Creating new context" and builds the stream; every batch saves the graph and the
running totals into CHECKPOINT_DIR (default ./checkpoint-recoverable). Stop it (Ctrl-C, or kill it) and
run it again: it carries on from the saved totals without building anything anew.
"""

import sys

from ember import SparkContext
from ember.streaming import StreamingContext

host = sys.argv[1] if len(sys.argv) > 1 else "localhost"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9999
checkpoint = sys.argv[3] if len(sys.argv) > 3 else "checkpoint-recoverable"
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else None


def update_total(new_counts, total):
    return sum(new_counts) + (total or 0)


def create_context():
    print("Creating new context", flush=True)
    sc = SparkContext(appName="RecoverableWordCount")
    sc.setLogLevel("WARN")
    ssc = StreamingContext(sc, 1)
    words = ssc.socketTextStream(host, port).flatMap(lambda line: line.split(" "))
    words.map(lambda w: (w, 1)).updateStateByKey(update_total).pprint()
    return ssc


ssc = StreamingContext.getOrCreate(checkpoint, create_context)
ssc.start()
ssc.awaitTermination(seconds)
ssc.stop()
