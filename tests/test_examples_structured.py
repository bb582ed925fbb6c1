"""The Structured Streaming and SQL examples print the right answers for a fixed input.

Each program runs as a subprocess against a loopback server the test controls, which sends four fixed
lines once the program has connected. The console tables are compared as text: headers and borders
exactly, the rows of a table without an ``orderBy`` (and the ties within one window) as multisets,
since Spark leaves their order to its shuffle. The table layouts are Spark's: right-aligned cells by
default, left-aligned with ``truncate`` false, and the empty ``Batch: 0`` table, as in the run of
Spark's own windowed example captured in /work/shared/golden/structured_windowed_socket.sample.txt.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINES = ["hello world", "happy happy joy", "good day", "hello spark"]
WORDS = ["hello", "world", "happy", "joy", "good", "day", "spark"]
COUNTS = {"hello": 2, "world": 1, "happy": 2, "joy": 1, "good": 1, "day": 1, "spark": 1}


def run_example(name: str, *args: str, send_on: str | None = None, slide: float | None = None) -> list[str]:
    """Run ``examples/<name> 127.0.0.1 PORT *args`` and return its stdout lines.

    The lines are sent as soon as the program connects, or, with ``send_on``, just after it first
    prints a line starting with that text. With ``slide``, they are sent early in a slide interval of
    the wall clock, so that their arrival times all fall into the same windows.
    """
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    conns: list[socket.socket] = []
    accepted = threading.Event()

    def accept() -> None:
        conn, _ = server.accept()
        conns.append(conn)
        accepted.set()

    threading.Thread(target=accept, daemon=True).start()
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "src"), PYTHONWARNINGS="ignore")
    cmd = [sys.executable, os.path.join(ROOT, "examples", name), "127.0.0.1", str(port), *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    payload = "".join(line + "\n" for line in LINES).encode()

    def send() -> None:
        if slide is not None:
            phase = time.time() % slide
            if phase > slide - 1.5:  # too near a window boundary: the lines could straddle it
                time.sleep(slide - phase + 0.05)
        conns[0].sendall(payload)

    out: list[str] = []
    try:
        assert accepted.wait(30), "the example never connected"
        if send_on is None:
            send()
        for line in proc.stdout:  # type: ignore[union-attr]
            out.append(line.rstrip("\n"))
            if send_on is not None and payload and line.startswith(send_on):
                send()
                payload = b""
        assert proc.wait(60) == 0, proc.stderr.read()  # type: ignore[union-attr]
    finally:
        proc.kill()
        server.close()
        for c in conns:
            c.close()
    return out


def console_batches(out: list[str]) -> list[tuple[int, list[str]]]:
    """The console sink's blocks: (batch id, the table's lines) for each ``Batch: N`` header."""
    blocks: list[tuple[int, list[str]]] = []
    for line in out:
        m = re.fullmatch(r"Batch: (\d+)", line)
        if m:
            blocks.append((int(m.group(1)), []))
        elif blocks and line.startswith(("+", "|")):
            blocks[-1][1].append(line)
    return blocks


def split_table(table: list[str]) -> tuple[list[str], list[str]]:
    """(border, header, border) and the row lines of one show() table."""
    assert table[0] == table[2] == table[-1] and table[0].startswith("+-")
    return table[:3], table[3:-1]


def test_structured_network_wordcount():
    blocks = console_batches(run_example("structured_network_wordcount.py", "3"))
    assert [b for b, _ in blocks] == list(range(len(blocks)))
    empty = ["+----+-----+", "|word|count|", "+----+-----+", "+----+-----+"]
    assert all(table == empty for _, table in blocks if len(table) == 4)  # Batch: 0 before the lines came
    head, rows = split_table(blocks[-1][1])
    assert head == ["+-----+-----+", "| word|count|", "+-----+-----+"]
    assert Counter(rows) == Counter(f"|{w:>5}|{n:>5}|" for w, n in COUNTS.items())


def _windowed(blocks: list[tuple[int, list[str]]], slide: int) -> None:
    empty = ["+------+----+-----+", "|window|word|count|", "+------+----+-----+", "+------+----+-----+"]
    assert all(table == empty for _, table in blocks if len(table) == 4)
    head, rows = split_table(blocks[-1][1])
    assert head == ["+------------------------------------------+-----+-----+",
                    "|window                                    |word |count|",
                    "+------------------------------------------+-----+-----+"]
    cells = [row.strip("|").split("|") for row in rows]
    windows = list(dict.fromkeys(c[0] for c in cells))  # in the order printed: orderBy("window")
    assert len(windows) == 2, windows  # 10 s windows every 5 s: two hold the moment the lines came
    bounds = [re.fullmatch(r"\{(\S+ \d\d:\d\d:(\d\d)), (\S+ \d\d:\d\d:(\d\d))\} *", w) for w in windows]
    assert all(b and int(b.group(2)) % slide == 0 for b in bounds), windows
    assert windows == sorted(windows)
    for w in windows:
        assert Counter((c[1].rstrip(), c[2].rstrip()) for c in cells if c[0] == w) \
            == Counter((word, str(n)) for word, n in COUNTS.items())


def test_structured_network_wordcount_windowed():
    out = run_example("structured_network_wordcount_windowed.py", "10", "5", "3", slide=5)
    _windowed(console_batches(out), 5)


def test_structured_network_wordcount_windowed_needs_a_window():
    program = os.path.join(ROOT, "examples", "structured_network_wordcount_windowed.py")
    out = subprocess.run([sys.executable, program, "localhost"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.startswith("usage: structured_network_wordcount_windowed.py HOST PORT WINDOW_SECS")


def test_structured_windowed_wordcount_is_the_seed_query():
    _windowed(console_batches(run_example("structured_windowed_wordcount.py", "3", slide=5)), 5)


def test_sql_network_wordcount():
    out = run_example("sql_network_wordcount.py", "3.5", send_on="=========")
    stamp = r"========= \d{4}-\d\d-\d\d \d\d:\d\d:\d\d ========="
    headers = [i for i, line in enumerate(out) if re.fullmatch(stamp, line)]
    assert len(headers) >= 2 and headers[0] == 0
    tables = [out[a + 1:b] for a, b in zip(headers, headers[1:] + [len(out)])]
    assert tables[0] == []  # an empty batch prints its time only
    full = [t for t in tables if t]
    assert len(full) == 1, tables  # the lines were sent together, after the first batch
    table = full[0]
    assert table[-1] == ""  # show() ends with an empty line
    head, rows = split_table(table[:-1])
    assert head == ["+-----+-----+", "| word|total|", "+-----+-----+"]
    assert Counter(rows) == Counter(f"|{w:>5}|{n:>5}|" for w, n in COUNTS.items())
