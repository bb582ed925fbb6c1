"""One of the seed's consumers against ``ember produce``: the peak RSS of its process tree.

    seed_consumers.py ENGINE EXAMPLE SECONDS [RATE]

Starts ``ember produce --rate RATE --loop`` (big.txt at RATE lines/s; 0, the default: as fast as the
consumer reads it; from another process on the same two cores) and runs ``examples/EXAMPLE.py``
against it for SECONDS: as it is on ember, through ``ember run --engine spark`` on Spark. The
consumer's whole process tree (its driver, any worker processes, Spark's JVM) is sampled every 50 ms;
the report gives the peak of the tree's summed RSS over the first and over the second half of the run
(memory that keeps growing shows as a higher second half), and the batches the program printed.
"""

import os
import socket
import subprocess
import sys
import threading
import time

from _engine import report, wait_listening
from bench.proc import stop_group, tree_pids, tree_rss_kib

engine, example, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
rate = sys.argv[4] if len(sys.argv) > 4 else "0"
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
env = dict(os.environ, PYTHONPATH=os.path.join(root, "src"))

probe = socket.create_server(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
producer = subprocess.Popen([sys.executable, "-m", "ember", "produce", "--port", str(port), "--rate", rate,
                             "--loop"], stderr=subprocess.DEVNULL, env=env)
wait_listening(port)

script = os.path.join(root, "examples", f"{example}.py")
args = [script, "127.0.0.1", str(port), str(seconds)]
cmd = [sys.executable, *args] if engine == "ember" else \
    [sys.executable, "-m", "ember", "run", "--engine", "spark", *args]
started = time.monotonic()
consumer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                            start_new_session=True)
batches = [0]


def read_output() -> None:
    for line in consumer.stdout:  # type: ignore[union-attr]
        if line.startswith(("Time: ", "Happiest words at ")):  # pprint; happiest_words prints its own
            batches[0] += 1


reader = threading.Thread(target=read_output, daemon=True)
reader.start()
halves = [0, 0]  # peak KiB over the first and the second half of the run
processes = 1
deadline = started + seconds + 120  # a consumer that does not stop on its own is stopped
while consumer.poll() is None and time.monotonic() < deadline:
    half = 0 if time.monotonic() - started < seconds / 2 else 1
    halves[half] = max(halves[half], tree_rss_kib(consumer.pid))
    processes = max(processes, len(tree_pids(consumer.pid)))
    time.sleep(0.05)
timed_out = consumer.poll() is None
stop_group(consumer)
reader.join(10)
producer.terminate()
producer.wait()
report(example=example, seconds=seconds, peak_mib=max(halves) / 1024, first_half_mib=halves[0] / 1024,
       second_half_mib=halves[1] / 1024, processes=processes, batches=batches[0],
       exit_code=None if timed_out else consumer.returncode, load_avg=os.getloadavg()[0])
