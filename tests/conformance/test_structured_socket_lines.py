"""How the socket source cuts bytes into lines, on both engines (expected values captured from PySpark 4.3.0).

Spark reads the socket with Java's ``BufferedReader.readLine``: a line ends at ``\\n``, ``\\r\\n`` or a lone
``\\r`` (a ``\\n`` right after a ``\\r`` is skipped, even when it arrives later), bytes that are not UTF-8
become U+FFFD, and a last line without a newline still counts when the server closes. The rows go to a
memory sink, whose row order depends on Spark's partitions, so they are compared sorted.
"""

from __future__ import annotations

import socket
import threading

import pytest
from test_structured_support import wait_for

pytestmark = pytest.mark.usefixtures("stop_streams")


def _rows(spark, name: str) -> list[str]:
    return sorted(r[0] for r in spark.sql(f"select value from {name}").collect())


def test_line_ends_and_undecodable_bytes(spark):
    listener = socket.create_server(("127.0.0.1", 0))
    clients: list[socket.socket] = []
    threading.Thread(target=lambda: clients.append(listener.accept()[0]), daemon=True).start()
    port = listener.getsockname()[1]
    lines = spark.readStream.format("socket").option("host", "127.0.0.1").option("port", port).load()
    q = lines.writeStream.format("memory").queryName("socket_lines").start()
    try:
        wait_for(lambda: clients, what="the query to connect")
        conn = clients[0]
        conn.sendall(b"a\rb\r\nc\n\n\rd\xff\xfee\xc3\xa9\n")
        wait_for(lambda: q.processAllAvailable() or len(_rows(spark, "socket_lines")) == 6, what="6 lines")
        conn.sendall(b"f\r")  # a lone \r ends the line at once ...
        wait_for(lambda: q.processAllAvailable() or len(_rows(spark, "socket_lines")) == 7, what="line f")
        conn.sendall(b"\ng\nh")  # ... and the \n that follows it later is not an empty line
        wait_for(lambda: q.processAllAvailable() or len(_rows(spark, "socket_lines")) == 8, what="line g")
        conn.close()  # the server closes: the last line without a newline is a line too
        wait_for(lambda: q.processAllAvailable() or len(_rows(spark, "socket_lines")) == 9, what="line h")
        assert _rows(spark, "socket_lines") == ["", "", "a", "b", "c", "d\ufffd\ufffde\u00e9", "f", "g", "h"]
    finally:
        q.stop()
        listener.close()
