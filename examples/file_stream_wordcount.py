"""Word counts of the text files that appear in a directory: ``textFileStream``.

    python examples/file_stream_wordcount.py DIRECTORY [SECONDS]

Every second, the files that appeared in DIRECTORY since the last batch (by modification time, with
Spark's rules: files there before the start are not read) have their words counted. Write a file
elsewhere and move it in (``mv``), so that it is never seen half-written:

    echo "to be or not to be" > /tmp/words.txt && mv /tmp/words.txt DIRECTORY/
"""

import sys
from operator import add

from ember import SparkContext
from ember.streaming import StreamingContext

if len(sys.argv) < 2:
    print("usage: file_stream_wordcount.py DIRECTORY [SECONDS]", file=sys.stderr)
    sys.exit(1)
directory = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else None

sc = SparkContext(appName="FileStreamWordCount")
sc.setLogLevel("WARN")
ssc = StreamingContext(sc, 1)

counts = ssc.textFileStream(directory).flatMap(lambda line: line.split(" ")) \
    .map(lambda word: (word, 1)).reduceByKey(add)
counts.pprint()

ssc.start()
ssc.awaitTermination(seconds)
ssc.stop()
