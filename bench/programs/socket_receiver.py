"""The socket receiver alone: how many MB/s of lines it takes in from an unpaced producer.

    socket_receiver.py ember SECONDS

Starts ``ember produce`` unpaced (a separate process on the same two cores) and runs ember's socket
receiver (the thread ``socketTextStream`` starts) into its bounded buffer, with a thread that empties
the buffer every 10 ms and drops what it takes, as if batches were free. Reports the bytes and lines
received per second and the CPU the receiving process used per MB. Spark has no such seam (its
receiver feeds the block manager inside the JVM), so this program is ember only.
"""

import os
import socket
import subprocess
import sys
import threading
import time

from _engine import report, wait_listening

engine, seconds = sys.argv[1], float(sys.argv[2])
if engine != "ember":
    raise SystemExit("socket_receiver.py measures ember's receiver only")

from ember.streaming.sources.socket import DEFAULT_BUFFER_BYTES, LineBuffer, SocketReceiver  # noqa: E402

probe = socket.create_server(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
env = dict(os.environ, PYTHONPATH=os.path.join(root, "src"))
cmd = [sys.executable, "-m", "ember", "produce", "--port", str(port), "--rate", "0", "--loop"]
producer = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, env=env)
wait_listening(port)

buffer = LineBuffer(DEFAULT_BUFFER_BYTES)
receiver = SocketReceiver("127.0.0.1", port, buffer, 8 << 20, 0.0, lambda kind, msg: None)
taken = {"bytes": 0, "lines": 0}
stop = threading.Event()


def drain() -> None:
    while not stop.wait(0.01):
        blocks, counts = buffer.take()
        taken["bytes"] += sum(len(b) + 1 for b in blocks)  # each block's lines and their line ends
        taken["lines"] += sum(counts)


drainer = threading.Thread(target=drain, daemon=True)
receiver.start()
buffer.wait_received(1, 10)  # connected and reading
time.sleep(0.5)  # past the connection's start
drainer.start()
b0, l0 = taken["bytes"], taken["lines"]
t0, c0 = time.perf_counter(), time.process_time()
time.sleep(seconds)
elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
got_bytes, got_lines = taken["bytes"] - b0, taken["lines"] - l0
stop.set()
receiver.stop()
producer.terminate()
producer.wait()
report(seconds=elapsed, mb_per_s=got_bytes / elapsed / 1e6, lines_per_s=got_lines / elapsed,
       cpu_s_per_mb=cpu / max(1e-9, got_bytes / 1e6), cpu_share=cpu / elapsed)
