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

# first, before anything loads Polars or starts a thread: the allocators' settings (see the module)
from ember import _allocators  # noqa: F401, I001

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
