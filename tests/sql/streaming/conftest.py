"""ember-only Structured Streaming tests: a session in UTC and loopback servers."""

from __future__ import annotations

import socket
import threading

import pytest


@pytest.fixture
def spark():
    from ember.sql import SparkSession

    session = SparkSession.builder.getOrCreate()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    session.conf.set("spark.sql.shuffle.partitions", "2")
    yield session
    for q in list(session.streams.active):
        q.stop()
    session.streams.resetTerminated()


class LineServer:
    """A loopback TCP server on an ephemeral port; ``send`` writes to the connected client."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.conn: socket.socket | None = None
        self._accepted = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        try:
            self.conn, _ = self.listener.accept()
        except OSError:
            return
        self._accepted.set()

    def send(self, data: bytes) -> None:
        assert self._accepted.wait(10), "the source never connected"
        assert self.conn is not None
        self.conn.sendall(data)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.listener.close()


@pytest.fixture
def server():
    s = LineServer()
    yield s
    s.close()
