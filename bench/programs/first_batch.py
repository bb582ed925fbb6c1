"""Cold start and one-line latency of examples/network_wordcount.py on one engine.

    first_batch.py ENGINE PROBES

This program is the server. It starts the consumer (``python examples/network_wordcount.py`` on ember,
``ember run --engine spark`` on Spark), times launch -> connected and the first batch's print against
the batch time it shows, then sends PROBES single lines and times each one until its count is printed.

A line sent at a random moment waits for the next batch boundary (half an interval on average) before
any engine can count it, so a dozen random moments scatter the median by +-80 ms. The probes are sent at
evenly spread phases of the 1 s interval instead (a stratified sample, one probe per second, in a
shuffled order; both engines cut batches on whole seconds of the system clock), which measures the
median over uniformly random send times without that sampling noise.
"""

import atexit
import os
import random
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime

from _engine import report

engine, probes = sys.argv[1], int(sys.argv[2])
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, root)
from bench.proc import stop_group, tree_cpu_s  # noqa: E402

example = os.path.join(root, "examples", "network_wordcount.py")
server = socket.create_server(("127.0.0.1", 0))
port = server.getsockname()[1]
cmd = [sys.executable, example, "127.0.0.1", str(port)]
if engine == "spark":
    cmd = [sys.executable, "-m", "ember", "run", "--engine", "spark", "--master", "local[2]", example,
           "127.0.0.1", str(port)]
env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONWARNINGS="ignore")
launched = time.time()
proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                        start_new_session=True)
atexit.register(stop_group, proc)  # also when something below fails
conn, _ = server.accept()
connected = time.time()

seen: dict[str, float] = {}
printed_probe = threading.Condition()
first: list[tuple[float, float, float]] = []


def read() -> None:
    for line in proc.stdout:  # type: ignore[union-attr]
        now = time.time()
        if line.startswith("Time: ") and not first:
            batch = datetime.strptime(line[6:].strip()[:19], "%Y-%m-%d %H:%M:%S").timestamp()
            first.append((batch, now, tree_cpu_s(proc.pid)))
        elif line.startswith("('probe"):
            with printed_probe:
                seen.setdefault(line.split("'")[1], now)
                printed_probe.notify_all()


threading.Thread(target=read, daemon=True).start()
while not first:
    time.sleep(0.005)
rng = random.Random(7)
phases = [(i + 0.5) / probes for i in range(probes)]
rng.shuffle(phases)
latencies = []
for i, phase in enumerate(phases):
    at = (int(time.time()) + 1) + phase  # this phase of the next whole second
    time.sleep(max(0.0, at - time.time()))
    word = f"probe{i}"
    sent = time.time()
    conn.sendall((word + "\n").encode())
    with printed_probe:
        printed_probe.wait_for(lambda w=word: w in seen, timeout=20)
    latencies.append(seen.get(word, sent + 20) - sent)
stop_group(proc)
batch_time, printed, cpu = first[0]
report(connect_s=connected - launched, first_print_after_batch_s=printed - batch_time,
       latencies_s=latencies, launch_to_first_print_s=printed - launched, first_print_cpu_s=cpu)
