"""DStreams and DataFrames together: each batch of words becomes a table queried with SQL.

    python examples/sql_network_wordcount.py [HOST] [PORT] [SECONDS]

``foreachRDD`` hands every 1 s batch to a function that turns the words into a DataFrame of
``Row(word=...)``, registers it as the temporary view ``words`` and prints
``select word, count(*) as total from words group by word``. The SparkSession is made once, on the
first batch, from the streaming context's configuration, and reused after that.
"""

import sys

from ember import SparkContext
from ember.sql import Row, SparkSession
from ember.streaming import StreamingContext

host = sys.argv[1] if len(sys.argv) > 1 else "localhost"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9999
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else None

_session = []


def session_for(conf):
    """The one SparkSession of this program, made on first use."""
    if not _session:
        _session.append(SparkSession.builder.config(conf=conf).getOrCreate())
    return _session[0]


def count_words(time, rdd):
    print(f"========= {time} =========")
    if not rdd.isEmpty():  # there is no schema to infer from an empty batch
        spark = session_for(rdd.context.getConf())
        spark.createDataFrame(rdd.map(lambda w: Row(word=w))).createOrReplaceTempView("words")
        spark.sql("select word, count(*) as total from words group by word").show()
    sys.stdout.flush()


sc = SparkContext(appName="SqlNetworkWordCount")
sc.setLogLevel("WARN")
ssc = StreamingContext(sc, 1)
ssc.socketTextStream(host, port).flatMap(lambda line: line.split(" ")).foreachRDD(count_words)

ssc.start()
ssc.awaitTermination(seconds)
ssc.stop()
