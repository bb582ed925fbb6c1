"""The socket source into the console sink on both engines, as Spark's network word count runs it.

A loopback server (ephemeral port, 127.0.0.1) holds the connection open and sends one line only after
the query has printed its first, empty batch: the socket source plans batch 0 at start with no data.
Expected text was captured from PySpark 4.3.0.
"""

from __future__ import annotations

import pytest
from test_structured_support import ConsoleOut, checkpoint, wait_for

from ember.testing import LoopbackServer

pytestmark = pytest.mark.usefixtures("stop_streams")


LineServer = LoopbackServer


@pytest.fixture
def server():
    s = LineServer()
    yield s
    s.close()


def test_socket_word_count_console(engine, spark, server, tmp_path, request):
    F = engine.module("sql.functions")
    lines = spark.readStream.format("socket").option("host", "127.0.0.1").option("port", server.port).load()
    words = lines.select(F.explode(F.split(lines.value, " ")).alias("word"))
    counts = words.groupBy("word").count()
    console = ConsoleOut(request, spark)
    q = counts.writeStream.outputMode("complete").format("console").option(
        "checkpointLocation", checkpoint(tmp_path)).start()
    seen = []

    def printed(marker):
        seen.append(console.read())
        return marker in "".join(seen)

    wait_for(lambda: printed("Batch: 0"), what="the empty first batch")
    server.send("hello world hello\n")
    wait_for(lambda: printed("Batch: 1"), what="the batch of the line sent")
    q.processAllAvailable()
    q.stop()
    seen.append(console.read())
    out = "".join(seen)
    first, second = out.split("-------------------------------------------\nBatch: 1\n")
    assert first == (
        "-------------------------------------------\n"
        "Batch: 0\n"
        "-------------------------------------------\n"
        "+----+-----+\n"
        "|word|count|\n"
        "+----+-----+\n"
        "+----+-----+\n"
        "\n"
    )
    rows = second.split("\n")
    assert rows[:4] == ["-------------------------------------------", "+-----+-----+", "| word|count|",
                        "+-----+-----+"]
    assert sorted(rows[4:6]) == ["|hello|    2|", "|world|    1|"]
    assert rows[6:] == ["+-----+-----+", "", ""]
