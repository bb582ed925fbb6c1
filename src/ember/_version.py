"""ember's own version, and the Spark release whose API and answers it mirrors."""

__version__ = "0.1.0"

#: The Spark release ember matches output for (``sc.version`` reports it, so version checks in
#: PySpark programs keep working).
SPARK_VERSION = "4.3.0"
