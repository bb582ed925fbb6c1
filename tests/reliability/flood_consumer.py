"""A slow consumer for the flood test: a word count per 0.5 s batch, and each batch's line count.

    python flood_consumer.py PORT

Prints ``lines N`` after every batch (N lines in that batch), flushed, for the test to add up.
"""

import sys
from operator import add

from ember import SparkConf, SparkContext
from ember.streaming import StreamingContext

sc = SparkContext(conf=SparkConf().setMaster("local[2]").setAppName("flood"))
ssc = StreamingContext(sc, 0.5)
lines = ssc.socketTextStream("127.0.0.1", int(sys.argv[1]))
lines.count().foreachRDD(lambda rdd: print(f"lines {sum(rdd.collect())}", flush=True))
counts = lines.flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1)).reduceByKey(add)
counts.foreachRDD(lambda rdd: rdd.count())
ssc.start()
ssc.awaitTermination()
