"""A file source -> file sink query run in a child process by test_exactly_once (killed at random)."""

from __future__ import annotations

import sys

from ember.sql import SparkSession


def main(src: str, out: str, chk: str) -> None:
    spark = SparkSession.builder.getOrCreate()
    lines = spark.readStream.option("maxFilesPerTrigger", 1).text(src)
    q = (lines.writeStream.format("text").option("checkpointLocation", chk)
         .trigger(availableNow=True).start(out))
    q.awaitTermination()


if __name__ == "__main__":
    main(*sys.argv[1:4])
