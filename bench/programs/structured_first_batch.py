"""Cold start and one-line latency of examples/structured_network_wordcount.py on one engine.

    structured_first_batch.py ENGINE PROBES [KEY=VALUE...]

This program is the TCP server. It launches the example (``python examples/...`` on ember,
``ember run --engine spark --master local[2]`` on Spark, with each KEY=VALUE as a ``--conf``), times
launch -> connected and launch -> the first micro-batch's table fully printed by the console sink (and
the consumer tree's CPU seconds at that moment, which a loaded machine does not inflate), then sends
PROBES single words at random moments, one at a time, and times each until the console sink prints
its row. The query runs with the default trigger (a micro-batch as soon as data arrives), complete
mode: the probes are the only words, so every table stays under the sink's 20 rows.
"""

import atexit
import os
import random
import socket
import subprocess
import sys
import threading
import time

from _engine import report

engine, probes, confs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, root)
from bench.proc import stop_group, tree_cpu_s  # noqa: E402

example = os.path.join(root, "examples", "structured_network_wordcount.py")
server = socket.create_server(("127.0.0.1", 0))
port = server.getsockname()[1]
cmd = [sys.executable, example, "127.0.0.1", str(port)]
if engine == "spark":
    cmd = [sys.executable, "-m", "ember", "run", "--engine", "spark", "--master", "local[2]"]
    for kv in confs:
        cmd += ["--conf", kv]
    cmd += [example, "127.0.0.1", str(port)]
env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONWARNINGS="ignore")
launched = time.time()
proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                        start_new_session=True)
server.settimeout(600)  # a JVM on a loaded machine can take minutes
atexit.register(stop_group, proc)  # also when something below fails
conn, _ = server.accept()
connected = time.time()

seen: dict[str, tuple[float, str]] = {}
first: dict = {}
lock = threading.Lock()


def read() -> None:
    """Follows the console sink: the first table's end and rows, then each probe's row."""
    in_first = False
    for line in proc.stdout:  # type: ignore[union-attr]
        now = time.time()
        if not first and line.startswith("Batch: "):
            in_first = True
            first["rows"] = []
        elif in_first and line.startswith("|") and "word" not in line.split("|")[1]:
            first["rows"].append(line.strip())
        elif in_first and not line.strip():
            in_first = False
            with lock:  # the consumer's CPU so far, read before anything else happens
                first.update(at=now, cpu_s=tree_cpu_s(proc.pid))
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 2 and cells[0].startswith("probe"):
                seen.setdefault(cells[0], (now, cells[1]))


threading.Thread(target=read, daemon=True).start()
while "at" not in first:
    if proc.poll() is not None:
        raise SystemExit(f"the consumer ended ({proc.returncode}) before its first micro-batch")
    time.sleep(0.002)
rng = random.Random(7)
latencies, counts = [], []
for i in range(probes):
    time.sleep(rng.uniform(0.2, 1.3))
    word = f"probe{i}x"
    sent = time.time()
    conn.sendall((word + "\n").encode())
    deadline = sent + 60
    while word not in seen and time.time() < deadline:
        time.sleep(0.001)
    at, count = seen.get(word, (deadline, "missing"))
    latencies.append(at - sent)
    counts.append(count)
stop_group(proc)
conn.close()
report(connect_s=connected - launched, first_table_s=first["at"] - launched, first_cpu_s=first["cpu_s"],
       first_rows=first["rows"], latencies_s=latencies, probe_counts=counts)
