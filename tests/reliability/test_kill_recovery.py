"""kill -9 of a checkpointed running word count, restarted with getOrCreate: totals equal what was sent.

The consumer (``wal_wordcount.py``, a subprocess: updateStateByKey running totals, write-ahead log on,
0.2 s batches) is killed with SIGKILL at seeded random moments: a quarter while it starts or
recovers, the rest a random time after it connected, while receiving, in the middle of a batch or
of a checkpoint. Each time it is restarted with ``StreamingContext.getOrCreate`` against the same
producer, which keeps serving lines.

Bytes in a killed process's socket buffer are lost to any TCP receiver, so the producer acts as a
source that resends what was not acknowledged (as Kafka does for Spark's reliable receivers): the
acknowledgement is the write-ahead log, whose newest block shows the last line stored. At the end
the consumer's totals must equal a plain Counter of every line sent: nothing lost, nothing twice.
"""

from __future__ import annotations

import json
import os
import pathlib
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

from ember.streaming import wal

HERE = pathlib.Path(__file__).resolve().parent
VOCABULARY = [f"w{i}" for i in range(40)]
_rng = random.Random(2024)
# each line starts with its own number, so the totals also show that every line counted exactly once
LINES = [f"n{i} " + " ".join(_rng.choice(VOCABULARY) for _ in range(3)) for i in range(15_000)]
RATE = 5000  # lines per second
KILLS = 8
#: a soak run can try other kill points: EMBER_RELIABILITY_SEED=7 pytest tests/reliability
SEED = int(os.environ.get("EMBER_RELIABILITY_SEED", "99"))


class Feed:
    """Serves LINES to whoever connects, from ``resume`` on, paced in 10 ms ticks."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.resume = 0
        self.connections = 0
        self.connected = threading.Event()
        self._senders: list[tuple[socket.socket, threading.Event]] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            stop = threading.Event()
            self._senders.append((conn, stop))
            self.connections += 1
            self.connected.set()
            threading.Thread(target=self._send, args=(conn, self.resume, stop), daemon=True).start()

    def _send(self, conn: socket.socket, start: int, stop: threading.Event) -> None:
        began, i = time.monotonic(), start
        try:
            while i < len(LINES) and not stop.is_set():
                due = start + int((time.monotonic() - began) * RATE)
                if due > i:
                    conn.sendall("".join(line + "\n" for line in LINES[i:due]).encode())
                    i = due
                stop.wait(0.01)
        except OSError:
            pass  # the consumer was killed

    def cut(self) -> None:
        """Drop every connection (after a kill)."""
        for conn, stop in self._senders:
            stop.set()
            conn.close()
        self._senders.clear()

    def close(self) -> None:
        self.cut()
        self.listener.close()


def _last_line_stored(checkpoint: pathlib.Path) -> int:
    """The number of the newest line in the write-ahead log (-1 when it holds none)."""
    blocks = wal.read_log(str(checkpoint / "receivedData" / "0"))
    return int(blocks[-1].lines[-1].split()[0][1:]) if blocks else -1


def test_kill_9_at_random_points_loses_and_duplicates_nothing(tmp_path):
    feed = Feed()
    checkpoint, totals = tmp_path / "ckpt", tmp_path / "totals.json"
    log = open(tmp_path / "consumer.log", "w")

    def consumer() -> subprocess.Popen:
        return subprocess.Popen([sys.executable, str(HERE / "wal_wordcount.py"), str(feed.port),
                                 str(checkpoint), str(totals)], stdout=log, stderr=log, cwd=tmp_path)

    rng = random.Random(SEED)
    started = time.monotonic()
    kill_points = []
    try:
        for _ in range(KILLS):
            feed.connected.clear()
            proc = consumer()
            if rng.random() < 0.25:  # early: while starting or recovering, before reading anything new
                delay = rng.uniform(0.05, 0.6)
            else:  # while receiving and processing, counted from the moment it connected
                assert feed.connected.wait(30), "the consumer never connected"
                delay = rng.uniform(0.1, 1.0)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            feed.cut()
            feed.resume = _last_line_stored(checkpoint) + 1
            kill_points.append((round(delay, 2), feed.resume))
        proc = consumer()
        expected = Counter(w for line in LINES for w in line.split())
        seen: dict = {}
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            try:
                seen = json.loads(totals.read_text())
            except (OSError, ValueError):
                pass
            if seen == expected:
                break
            time.sleep(0.1)  # polling another process's output file: there is nothing to wait on
        proc.kill()
        proc.wait(10)
    finally:
        feed.close()
        log.close()
    output = (tmp_path / "consumer.log").read_text()
    replays = output.count("replaying")
    recoveries = output.count("Recovered from the checkpoint")
    print(f"\nkills (seconds, lines stored by then): {kill_points}; "
          f"{recoveries} restarts recovered a checkpoint, {replays} replayed logged lines; "
          f"{feed.connections} connections; "
          f"{time.monotonic() - started:.1f} s")
    missing = {k: v - seen.get(k, 0) for k, v in expected.items() if seen.get(k, 0) != v}
    assert seen == expected, f"{len(missing)} keys differ, e.g. {list(missing.items())[:5]}\n{output[-3000:]}"
    # kills before the first checkpoint start afresh (and replay the log); later ones recover
    assert recoveries >= 1 and replays >= 1
    assert not (checkpoint / "receivedData" / "0" / "done").exists() or \
        len(wal.segments(str(checkpoint / "receivedData" / "0"))) <= 3  # processed segments were deleted
