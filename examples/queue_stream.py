"""A stream made of ready-made batches: ``queueStream``, the way to try DStreams with no server.

    python examples/queue_stream.py

Five batches of numbers, one per second; each prints how many numbers end in each digit.
"""

from operator import add

from ember import SparkContext
from ember.streaming import StreamingContext

sc = SparkContext(appName="QueueStream")
sc.setLogLevel("WARN")
ssc = StreamingContext(sc, 1)

batches = [sc.parallelize(range(i * 1000, (i + 1) * 1000), 2) for i in range(5)]
digits = ssc.queueStream(batches).map(lambda n: (n % 10, 1)).reduceByKey(add)
digits.pprint()

ssc.start()
ssc.awaitTermination(5.5)
ssc.stop()
