"""A checkpointed running word count with the receiver write-ahead log on: the process that gets killed.

    python wal_wordcount.py PORT CHECKPOINT_DIR TOTALS_FILE

Batches of 0.2 s on the system clock; after every batch the running totals are written to
TOTALS_FILE (JSON, replaced atomically) so the test can read them from outside.
"""

import json
import os
import sys

from ember import SparkConf, SparkContext
from ember.streaming import StreamingContext

port, checkpoint, totals_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def write_totals(rdd):
    tmp = totals_path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(dict(rdd.collect()), fh)
    os.replace(tmp, totals_path)


def update_total(new_counts, total):
    return sum(new_counts) + (total or 0)


def create_context():
    print("Creating new context", file=sys.stderr, flush=True)
    conf = (SparkConf().setMaster("local[2]").setAppName("wal-wordcount")
            .set("spark.streaming.receiver.writeAheadLog.enable", "true"))
    ssc = StreamingContext(SparkContext(conf=conf), 0.2)
    words = ssc.socketTextStream("127.0.0.1", port).flatMap(str.split).map(lambda w: (w, 1))
    words.updateStateByKey(update_total).foreachRDD(write_totals)
    return ssc


ssc = StreamingContext.getOrCreate(checkpoint, create_context)
if ssc._recovered is not None:
    print("Recovered from the checkpoint", file=sys.stderr, flush=True)
ssc.start()
ssc.awaitTermination()
