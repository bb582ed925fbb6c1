"""ember produce: every client gets the file from the start, paced or not, bound to loopback."""

from __future__ import annotations

import socket
import subprocess
import sys

from ember.producer import Producer


def read_all(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                return b"".join(chunks)
            chunks.append(b)


def test_each_client_gets_the_whole_file():
    p = Producer(["one", "two", "three"], port=0, rate=0)
    p.start()
    try:
        assert read_all(p.port) == b"one\ntwo\nthree\n"
        assert read_all(p.port) == b"one\ntwo\nthree\n"
        assert p.host == "127.0.0.1"
    finally:
        p.stop()


def test_loop_with_max_lines_and_pacing():
    p = Producer(["a", "b"], port=0, rate=2000, loop=True, max_lines=5)
    p.start()
    try:
        assert read_all(p.port) == b"a\nb\na\nb\na\n"
    finally:
        p.stop()


def test_cli_reports_a_busy_port():
    busy = socket.create_server(("127.0.0.1", 0))
    port = busy.getsockname()[1]
    try:
        out = subprocess.run([sys.executable, "-m", "ember", "produce", "--port", str(port)],
                             capture_output=True, text=True, timeout=30)
    finally:
        busy.close()
    assert out.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in out.stderr
