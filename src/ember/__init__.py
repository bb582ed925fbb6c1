"""ember: Spark Streaming's programming model in pure Python. Same API, same answers, no JVM.

The top level mirrors ``pyspark``: ``SparkContext``, ``SparkConf``, ``RDD``, ``StorageLevel``,
``Broadcast``, ``Accumulator``. Porting a PySpark program is replacing ``pyspark`` with ``ember``.

Examples
--------
>>> from ember import SparkContext
>>> with SparkContext("local[2]", "hello") as sc:
...     sc.parallelize(range(10)).map(lambda x: x * x).sum()
285
"""

import os as _os

# Polars' allocator (jemalloc) keeps freed pages for 10 s by default, so a streaming query's RSS
# stays at its worst batch's peak; a quarter-second decay returns them between batches (seed query,
# 60 s at 100k lines/s, 3 runs each: peak 353-436 MiB -> 259-324 MiB, CPU per line no higher). One
# arena instead of four per core: each arena keeps its own free pages, and a streaming process
# allocates from a few threads (socket word count at 600k lines/s, pairs: peak RSS 123-124 ->
# 116-118 MiB, CPU per line the same). It must be set before Polars loads; a user's own setting wins.
_os.environ.setdefault("_RJEM_MALLOC_CONF", "narenas:1,dirty_decay_ms:250,muzzy_decay_ms:0")

from ember._version import SPARK_VERSION, __version__
from ember.accumulators import Accumulator, AccumulatorParam
from ember.broadcast import Broadcast
from ember.conf import SparkConf
from ember.core.context import SparkContext
from ember.core.rdd import RDD
from ember.core.statcounter import StatCounter
from ember.files import SparkFiles
from ember.resultiterable import ResultIterable
from ember.storagelevel import StorageLevel

__all__ = [
    "SparkConf", "SparkContext", "SparkFiles", "RDD", "StorageLevel", "Broadcast", "Accumulator",
    "AccumulatorParam", "StatCounter", "ResultIterable", "__version__", "SPARK_VERSION",
]
