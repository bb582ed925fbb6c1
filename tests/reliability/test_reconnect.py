"""The producer goes away mid-stream and comes back: the receiver reconnects, quietly, and loses nothing.

The receiver retries every 2 s in real life; here every 0.05 s, and the test waits until several
tries have failed, so the outage is long enough to prove that they make no noise: one warning when
the connection drops and one when it is back, no trace per try.
"""

from __future__ import annotations

import logging
import threading

from ember.producer import Producer
from ember.streaming import StreamingContext, StreamingListener
from ember.streaming.sources import socket as socket_source
from ember.testing import BatchDriver


def test_producer_disconnect_and_restart(sc, monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="ember.streaming")
    monkeypatch.setattr(socket_source, "RETRY_SECONDS", 0.05)
    failed_tries = []
    tried_enough = threading.Event()
    connect = socket_source.socket.create_connection

    def counting_connect(*args, **kwargs):
        try:
            return connect(*args, **kwargs)
        except OSError:
            failed_tries.append(1)
            if len(failed_tries) >= 5:
                tried_enough.set()
            raise

    monkeypatch.setattr(socket_source.socket, "create_connection", counting_connect)
    dropped = threading.Event()

    class Drops(StreamingListener):
        def onReceiverError(self, receiverError):
            dropped.set()

    before = [f"before {i}" for i in range(1000)]
    first = Producer(before, port=0, rate=20_000, loop=True)  # paced, endless: cut off mid-stream
    first.start()
    ssc = StreamingContext(sc, 1)
    ssc.addStreamingListener(Drops())
    stream = ssc.socketTextStream("127.0.0.1", first.port)
    out: list = []
    stream.foreachRDD(lambda rdd: out.extend(rdd.collect()))
    driver = BatchDriver(ssc)
    ssc.start()
    assert stream.buffer.wait_received(1500, 10)
    first.stop()  # the producer goes away in the middle of its stream
    assert dropped.wait(10)
    sent_before = first.sent  # final: the receiver saw the connection close after the last send
    driver.advance(1)
    assert tried_enough.wait(10)  # the receiver kept trying while nobody listened

    after = [f"after {i}" for i in range(3000)]
    second = Producer(after, port=first.port, rate=0)  # the same port, at once (SO_REUSEADDR)
    second.start()
    try:
        assert stream.buffer.wait_received(sent_before + len(after), 10)
        driver.advance(1)
    finally:
        ssc.stop(stopSparkContext=False)
        second.stop()
    expected_before = [before[i % len(before)] for i in range(sent_before)]
    assert out == expected_before + after
    here = f"127.0.0.1:{first.port}"
    messages = [m for m in (r.getMessage() for r in caplog.records if r.name == "ember.streaming")
                if here in m]
    closed = (f"socketTextStream: 127.0.0.1:{first.port} closed the connection (no more data); "
              "reconnecting every 0 s")
    found = [m for m in messages if "closed the connection" in m or "connected to" in m]
    # the outage: one line as it begins, one as it ends (then the second producer, done, may hang up
    # before the context stops)
    assert found[:2] == [closed, f"socketTextStream: connected to {here}"], messages
    assert found[2:] in ([], [closed]), messages
    assert not [m for m in messages if "cannot connect" in m]
    assert not [r for r in caplog.records if r.exc_info]
    assert len(failed_tries) >= 5
    print(f"\n{sent_before} lines before the outage, {len(failed_tries)} silent failed tries, "
          f"{len(after)} lines after")
