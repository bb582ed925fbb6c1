"""Word count of each 1 s batch of lines read from a TCP server (the classic first streaming program).

    python examples/network_wordcount.py [HOST] [PORT] [SECONDS]

Start a producer first: ``ember produce`` serves big.txt on localhost:9999. SECONDS stops the program
after that long (default: run until Ctrl-C). On Apache Spark: ``ember run --engine spark examples/...``.
"""

import sys
from operator import add

from ember import SparkContext
from ember.streaming import StreamingContext

host = sys.argv[1] if len(sys.argv) > 1 else "localhost"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9999
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else None

sc = SparkContext(appName="NetworkWordCount")
sc.setLogLevel("WARN")
ssc = StreamingContext(sc, 1)

lines = ssc.socketTextStream(host, port)
counts = lines.flatMap(lambda line: line.split(" ")).map(lambda word: (word, 1)).reduceByKey(add)
counts.pprint()

ssc.start()
ssc.awaitTermination(seconds)
ssc.stop()
