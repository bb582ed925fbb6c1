"""A windowed word count on the manual clock, for the kill -9 window test; driven through stdin.

    python window_consumer.py PORT CHECKPOINT_DIR RESULTS_FILE

Recovers from CHECKPOINT_DIR if it can (``StreamingContext.getOrCreate``). For each stdin line ``N`` it
waits until N lines have been received in all (in this run), runs one batch, waits for its checkpoint
to be written and prints ``done``.
Each window output appends ``[name, sorted records]`` as a JSON line to RESULTS_FILE.
"""

import json
import sys
from operator import add, sub

from ember import SparkConf, SparkContext
from ember.streaming import StreamingContext
from ember.testing import MANUAL_CLOCK, BatchDriver


def record(name, rdd):
    # the path is read when the batch runs: a recovered graph writes where this run was told to
    with open(sys.argv[3], "a", encoding="utf-8") as fh:
        fh.write(json.dumps([name, sorted(rdd.collect())]) + "\n")


def setup():
    print("Creating new context", flush=True)
    ssc = StreamingContext(sc, 1)
    words = ssc.socketTextStream("127.0.0.1", int(sys.argv[1])).flatMap(str.split)
    pairs = words.map(lambda w: (w, 1))
    words.window(3, 1).foreachRDD(lambda rdd: record("window", rdd))
    pairs.reduceByKeyAndWindow(add, None, 3, 1).foreachRDD(lambda rdd: record("plain", rdd))
    pairs.reduceByKeyAndWindow(add, sub, 5, 1).foreachRDD(lambda rdd: record("inverse", rdd))
    return ssc


sc = SparkContext(conf=SparkConf().setMaster("local[2]").setAppName("windows")
                  .set("spark.streaming.clock", MANUAL_CLOCK))
ssc = StreamingContext.getOrCreate(sys.argv[2], setup)
driver = BatchDriver(ssc)
ssc.start()
stream = ssc._graph.inputs[0]
for line in sys.stdin:
    assert stream.buffer.wait_received(int(line), 30), "the lines never arrived"
    driver.advance(1)
    # checkpoints are written in the background: the kill comes once this batch's is on disk
    assert ssc._scheduler.checkpoint_writer.flush(30), "the checkpoint was not written"
    print("done", flush=True)
