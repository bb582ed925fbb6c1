"""The happiest words of each batch: word counts joined with the AFINN-111 happiness index.

    python examples/happiest_words.py [HOST] [PORT] [SECONDS] [AFINN_FILE]

AFINN-111 (Finn Årup Nielsen, ODbL 1.0) scores 2,477 English words from -5 to +5; its lines are
``word<TAB>score`` (splitting on a space instead leaves most of them broken). Each batch's word counts
are joined with it in ``transform``, weighted, and sorted with ``sortByKey(False)``.
"""

import os
import sys
from operator import add

from ember import SparkContext
from ember.streaming import StreamingContext

host = sys.argv[1] if len(sys.argv) > 1 else "localhost"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9999
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else None
here = os.path.dirname(os.path.abspath(__file__))
bundled = os.path.join(here, "..", "src", "ember", "data", "AFINN-111.txt")
afinn = sys.argv[4] if len(sys.argv) > 4 else bundled

sc = SparkContext(appName="HappiestWords")
sc.setLogLevel("WARN")
ssc = StreamingContext(sc, 1)

happiness = sc.textFile(afinn).map(lambda line: line.split("\t")).map(lambda ws: (ws[0], int(ws[1])))
happiness.cache()


def show(time, rdd):
    top = rdd.take(5)
    print(f"Happiest words at {time} ({rdd.count()} scored):")
    for score, word in top:
        print(f"  {word} ({score} happiness)")
    sys.stdout.flush()


counts = ssc.socketTextStream(host, port).flatMap(lambda line: line.split(" ")) \
    .map(lambda word: (word.lower(), 1)).reduceByKey(add)
scored = counts.transform(lambda rdd: happiness.join(rdd)) \
    .map(lambda kv: (kv[1][0] * kv[1][1], kv[0]))
scored.transform(lambda rdd: rdd.sortByKey(False)).foreachRDD(show)

ssc.start()
ssc.awaitTermination(seconds)
ssc.stop()
