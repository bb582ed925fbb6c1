"""kill -9 of a windowed word count after a batch, restarted with getOrCreate: windows keep their batches.

The consumer (``window_consumer.py``, a subprocess on the manual clock, driven batch by batch) runs
``window``, ``reduceByKeyAndWindow`` without and with an inverse function over a socket. It is killed
with SIGKILL after its third batch (checkpoint written, nothing stopped cleanly) and restarted against
the same directory. The windows of the batches after the restart must hold the batches from before
it, exactly as an uninterrupted run has them.
"""

from __future__ import annotations

import json
import pathlib
import signal
import socket
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def _run(port: int, listener: socket.socket, tmp: pathlib.Path, texts: list[str], kill: bool) -> str:
    proc = subprocess.Popen([sys.executable, str(HERE / "window_consumer.py"), str(port), str(tmp / "ckpt"),
                             str(tmp / "results.jsonl")], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    listener.settimeout(60)
    conn, _ = listener.accept()
    said = []
    try:
        received = 0
        for text in texts:
            received += text.count("\n")
            conn.sendall(text.encode())
            proc.stdin.write(f"{received}\n")  # type: ignore[union-attr]
            proc.stdin.flush()  # type: ignore[union-attr]
            while (line := proc.stdout.readline()) != "done\n":  # type: ignore[union-attr]
                assert line, "the consumer died"
                said.append(line)
        if kill:
            proc.send_signal(signal.SIGKILL)
        else:
            proc.stdin.close()  # type: ignore[union-attr]
        proc.wait(30)
    finally:
        proc.kill()
        conn.close()
    return "".join(said)


def test_kill_9_then_windows_hold_the_batches_from_before(tmp_path):
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    try:
        first = _run(port, listener, tmp_path, ["a b\n", "b c\n", "c d\n"], kill=True)
        second = _run(port, listener, tmp_path, ["d e\n", "e f\n", "f\n"], kill=False)
    finally:
        listener.close()
    assert "Creating new context" in first and "Creating new context" not in second
    results: dict = {"window": [], "plain": [], "inverse": []}
    for line in (tmp_path / "results.jsonl").read_text().splitlines():
        name, records = json.loads(line)
        results[name].append([tuple(r) if isinstance(r, list) else r for r in records])
    assert len(results["window"]) == 6
    assert results["window"][3:] == [["b", "c", "c", "d", "d", "e"], ["c", "d", "d", "e", "e", "f"],
                                     ["d", "e", "e", "f", "f"]]
    assert results["plain"][3:] == [[("b", 1), ("c", 2), ("d", 2), ("e", 1)],
                                    [("c", 1), ("d", 2), ("e", 2), ("f", 1)],
                                    [("d", 1), ("e", 2), ("f", 2)]]
    assert results["inverse"][3:] == [[("a", 1), ("b", 2), ("c", 2), ("d", 2), ("e", 1)],
                                      [("a", 1), ("b", 2), ("c", 2), ("d", 2), ("e", 2), ("f", 1)],
                                      [("a", 0), ("b", 1), ("c", 2), ("d", 2), ("e", 2), ("f", 2)]]
