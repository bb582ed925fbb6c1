"""``ember produce``: serve the lines of a text file over TCP, for ``socketTextStream`` consumers.

Every client that connects gets its own copy of the file from the first line (not a shared live feed),
so two consumers started a few seconds apart see the same data. Lines go out at ``rate`` lines per
second in 10 ms ticks (``rate`` 0 sends as fast as the client reads), optionally looping over the file
and stopping after ``max_lines``. The server binds 127.0.0.1 unless told otherwise and reuses its
address at once after a restart.

Examples
--------
>>> p = Producer(["a", "b"], port=0, rate=0)
>>> p.start(); p.port > 0
True
>>> p.stop()
"""

from __future__ import annotations

import itertools
import socket
import socketserver
import sys
import threading
import time

TICK = 0.01
_UNPACED_LINES = 4096  # lines per send when unpaced


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class Producer:
    """A TCP line server; ``start`` runs it on a thread, ``serve_forever`` in the calling one."""

    def __init__(self, lines: list[str], host: str = "127.0.0.1", port: int = 9999, rate: float = 0,
                 loop: bool = False, max_lines: int | None = None) -> None:
        # the file as one buffer and each line's end in it: a tick's lines go out as one slice of it,
        # so serving costs the kernel's copy, not Python work per line (the producer shares the cores
        # with the consumers it feeds)
        encoded = [(line + "\n").encode("utf-8") for line in lines]
        self.data = memoryview(b"".join(encoded))
        self.ends = [0, *itertools.accumulate(map(len, encoded))]
        self.rate, self.loop, self.max_lines = rate, loop, max_lines
        self.clients = 0
        self.sent = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        producer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                producer._serve_client(self.request)

        self.server = _Server((host, port), Handler)
        self.host, self.port = self.server.server_address[:2]
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="ember-producer", daemon=True)
        self._thread.start()

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.1)

    def stop(self) -> None:
        self._stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def _slices(self, count: int, at: int) -> tuple[list[memoryview], int, int]:
        """Up to ``count`` lines from line ``at`` on, wrapping when looping: (slices, lines, next line)."""
        total, ends = len(self.ends) - 1, self.ends
        views: list[memoryview] = []
        taken = 0
        while taken < count and total:
            if at == total:
                if not self.loop:
                    break
                at = 0
            k = min(count - taken, total - at)
            views.append(self.data[ends[at]:ends[at + k]])
            taken, at = taken + k, at + k
        return views, taken, at

    def _serve_client(self, conn: socket.socket) -> None:
        with self._lock:
            self.clients += 1
        try:
            self._serve(conn)
        except OSError:
            pass  # the client went away: nothing to clean up but the count
        finally:
            with self._lock:
                self.clients -= 1

    def _serve(self, conn: socket.socket) -> None:
        """Send the lines: in ticks of ``rate * TICK`` lines, or as fast as the client reads."""
        left = float("inf") if self.max_lines is None else self.max_lines
        at = sent = 0
        started = time.monotonic()
        while left > 0 and not self._stopping.is_set():
            if self.rate > 0:
                want = int((time.monotonic() - started) * self.rate) - sent
            else:
                want = _UNPACED_LINES
            views, taken, at = self._slices(int(min(want, left)), at)
            for view in views:
                conn.sendall(view)
            if taken:
                sent += taken
                left -= taken
                with self._lock:
                    self.sent += taken
            elif want > 0:
                return  # the file is served (not looping)
            if self.rate > 0:
                time.sleep(TICK)


def run(path: str, host: str, port: int, rate: float, loop: bool, max_lines: int | None) -> int:
    """The body of ``ember produce``: serve until Ctrl-C, with a status line on stderr."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError as e:
        print(f"ember produce: cannot read {path}: {e.strerror}", file=sys.stderr)
        return 2
    try:
        producer = Producer(lines, host, port, rate, loop, max_lines)
    except OSError as e:
        print(f"ember produce: cannot listen on {host}:{port}: {e.strerror} (pick another --port)",
              file=sys.stderr)
        return 2
    producer.start()
    pace = f"{rate:g} lines/s" if rate > 0 else "unpaced"
    print(f"ember produce: serving {len(lines):,} lines of {path} on {producer.host}:{producer.port} "
          f"({pace}{', looping' if loop else ''}); Ctrl-C stops", file=sys.stderr)
    tty = sys.stderr.isatty()
    last_sent, last_t, last_print = 0, time.monotonic(), 0.0
    try:
        while True:
            time.sleep(1.0)
            now = time.monotonic()
            per_s = (producer.sent - last_sent) / (now - last_t)
            last_sent, last_t = producer.sent, now
            status = (f"ember produce: {producer.clients} client(s), {per_s:,.0f} lines/s, "
                      f"{producer.sent:,} sent")
            if tty:
                print("\r" + status.ljust(70), end="", file=sys.stderr, flush=True)
            elif now - last_print >= 10:
                print(status, file=sys.stderr, flush=True)
                last_print = now
    except KeyboardInterrupt:
        pass
    producer.stop()
    print(f"{chr(10) if tty else ''}ember produce: stopped after {producer.sent:,} lines", file=sys.stderr)
    return 0
