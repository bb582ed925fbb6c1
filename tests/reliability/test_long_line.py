"""A 100 MB line: skipped with a count and one warning, the lines around it arrive, memory stays flat.

The receiver keeps at most ``ember.receiver.maxLineBytes`` (8 MiB by default) of an unfinished line;
past that it drops bytes up to the line's end. The sender streams the line from one 1 MiB buffer, so
the peak RSS of this process (reset before the run) measures the receiver.
"""

from __future__ import annotations

import logging
import threading

from reliability_helpers import peak_rss_kib, reset_peak_rss

from ember.streaming import StreamingContext
from ember.testing import BatchDriver

LINE_MB = 100


def test_a_100_mb_line_is_skipped_and_counted(sc, server, caplog):
    caplog.set_level(logging.WARNING, logger="ember.streaming")
    ssc = StreamingContext(sc, 1)
    stream = ssc.socketTextStream("127.0.0.1", server.port)
    out: list = []
    stream.foreachRDD(lambda rdd: out.append(rdd.collect()))
    driver = BatchDriver(ssc)
    ssc.start()
    reset_peak_rss()
    base = peak_rss_kib()
    piece = b"x" * (1 << 20)

    def send() -> None:
        server.send(b"before\n")
        for _ in range(LINE_MB):
            server.send(piece)
        server.send(b"\nafter 1\r\nafter 2\n")

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    assert stream.buffer.wait_received(3, 30)
    sender.join(30)
    driver.advance(1)
    ssc.stop(stopSparkContext=False)
    grown_mb = (peak_rss_kib() - base) / 1024
    print(f"\npeak RSS grew by {grown_mb:.1f} MB while a {LINE_MB} MB line went by")
    assert out == [["before", "after 1", "after 2"]]
    assert stream._receiver.skipped_lines == 1
    warnings = [r.getMessage() for r in caplog.records if "skipped a line" in r.getMessage()]
    assert len(warnings) == 1
    assert "longer than 8388608 bytes" in warnings[0] and "(1 skipped so far;" in warnings[0]
    assert grown_mb < 40  # the 8 MiB kept before giving up on the line, and the read buffers
