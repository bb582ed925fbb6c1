"""What the tests of Spark's own example programs share: finding the examples, feeding and running them.

Spark's Python streaming examples run unchanged, through ``ember run`` on ember and on Spark in its lane:
``test_spark_examples.py`` runs the DStream ones (``streaming/``), ``test_spark_examples_structured.py``
the Structured Streaming ones (``sql/streaming/``). They are two files so that CI's Spark lane, which
hands whole files to its xdist workers, runs them on both workers at once (each case starts a JVM).

The pyspark wheel ships the examples as package data (``pyspark/examples/src/main/python/``). We do not
copy them: each test runs the file of the installed pyspark, found in the Spark virtualenv
(``~/.cache/ember/spark-venv``, or ``EMBER_SPARK_VENV``), and skips with the reason when it is absent.

Each example runs as a program of its own against a deterministic input: a loopback server on an
ephemeral port that hands fixed lines to each client that connects, or a directory that gets one file.
The examples run forever, so the test reads their output as it comes and stops the program (its whole
process group) once the expected output is there. In the default lane the program runs on ember with
``ember run``; with ``EMBER_TEST_ENGINE=spark`` the same file goes to Apache Spark through
``ember run --engine spark`` (spark-submit), and the same expectations must hold.

Batch boundaries are wall-clock times, so which batch a line lands in is not fixed: the tests compare
what is fixed (the records each example prints, summed over its batches, and the exact text of each
record and header) with literals captured from Spark 4.3.0.
"""

from __future__ import annotations

import ast
import glob
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest

ENGINE = os.environ.get("EMBER_TEST_ENGINE", "ember")
SPARK_CONF = pathlib.Path(__file__).resolve().parents[1] / "spark-conf"
#: seconds an example may take to print what is expected (Spark needs ~10 s to start, minutes on a busy
#: machine)
PATIENCE = 400 if ENGINE == "spark" else 60

#: ``--conf`` for the examples whose queries shuffle: on Spark every batch runs its aggregation's stages
#: over the shuffle partitions, even with no data; 2 instead of 200 keeps a batch within seconds on a
#: busy machine. The output is the same (ember runs them as given).
FEW_PARTITIONS = ("spark.sql.shuffle.partitions=2",)

DASHES = "-" * 43
TIME_LINE = re.compile(r"^Time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


#: Spark examples no test here can run, with the reason (tools/compatibility.py lists them)
NOT_APPLICABLE = {
    "pyspark/examples/src/main/python/sql/streaming/::structured_kafka_wordcount.py":
        "needs a Kafka broker and Spark's spark-sql-kafka package, neither of which this machine can "
        "fetch (only PyPI, Debian and npm are reachable), so ember has no Kafka source yet",
}


def _examples_dir() -> pathlib.Path | None:
    """``pyspark/examples/src/main/python`` of the installed pyspark (Spark venv), if any."""
    try:
        import pyspark  # only in the Spark lane's Python

        roots = [pathlib.Path(pyspark.__file__).parent]
    except ImportError:
        venv = os.environ.get("EMBER_SPARK_VENV", os.path.expanduser("~/.cache/ember/spark-venv"))
        roots = [pathlib.Path(p) for p in glob.glob(os.path.join(venv, "lib", "python3*", "site-packages",
                                                                  "pyspark"))]
    for root in roots:
        found = root / "examples" / "src" / "main" / "python"
        if (found / "streaming").is_dir():
            return found
    return None


EXAMPLES = _examples_dir()
#: the ``pytestmark`` of the example tests: they skip, with the reason, where no pyspark ships the examples
needs_examples = pytest.mark.skipif(EXAMPLES is None, reason="Spark's examples come from the installed "
                                    "pyspark package: no pyspark with examples found (set EMBER_SPARK_VENV)")

#: the lines most examples get, and the word counts Spark prints for them
LINES = ["to be or not to be", "that is the question", "to be is to do"]
COUNTS = {"to": 4, "be": 3, "or": 1, "not": 1, "that": 1, "is": 2, "the": 1, "question": 1, "do": 1}


# -- input --------------------------------------------------------------------------------------


class LineServer:
    """A loopback TCP server: the i-th client to connect gets ``payloads[i]`` (later ones: nothing).

    Connections stay open, so a receiver does not reconnect and get its lines twice.
    """

    def __init__(self, *payloads: list[str]) -> None:
        self.payloads = list(payloads)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            i = len(self.conns)
            self.conns.append(conn)
            if i < len(self.payloads):
                conn.sendall("".join(line + "\n" for line in self.payloads[i]).encode())

    def close(self) -> None:
        self.listener.close()
        for c in self.conns:
            c.close()


# -- running an example -------------------------------------------------------------------------


class Program:
    """An example running as a process of its own, its stdout gathered line by line."""

    def __init__(self, script: str, args: list[str], cwd: pathlib.Path, spark_conf: tuple = ()) -> None:
        cmd = [sys.executable, "-m", "ember", "run"]
        if ENGINE == "spark":
            cmd += ["--engine", "spark", "--conf", "spark.ui.enabled=false"]
            for setting in spark_conf:
                cmd += ["--conf", setting]
        cmd += ["--master", "local[2]", script, *args]
        env = dict(os.environ, PYTHONHASHSEED="0", TZ="UTC", SPARK_CONF_DIR=str(SPARK_CONF),
                   SPARK_LOCAL_IP="127.0.0.1", PYTHONUNBUFFERED="1")
        self.stderr = open(cwd / "stderr.txt", "w+")
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=self.stderr, text=True,
                                     env=env, start_new_session=True)
        self.lines: list[str] = []
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_for(self, predicate, timeout: float = PATIENCE) -> bool:
        """Block until ``predicate(lines)`` holds (checked at each new line) or the program ends."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate(list(self.lines)):
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self.reader.is_alive()):
                    return predicate(list(self.lines))
                self.cond.wait(min(left, 1.0))
            return True

    def stop(self) -> None:
        """End the program and everything it started (Spark: the JVM and its Python workers)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(20)
        self.reader.join(10)
        self.stderr.close()

    def errors(self) -> str:
        with open(self.stderr.name) as fh:
            return fh.read()[-3000:]


@pytest.fixture
def run_example(tmp_path):
    started: list[Program] = []

    def run(script: str, *args: str, spark_conf: tuple = ()) -> Program:
        p = Program(script, list(args), tmp_path, spark_conf)
        started.append(p)
        return p

    yield run
    for p in started:
        p.stop()


# -- reading the output -------------------------------------------------------------------------


def pprint_batches(lines: list[str]) -> list[list[str]]:
    """The records of each complete ``pprint`` block (dashes, ``Time:``, dashes, records, blank)."""
    batches, i = [], 0
    while i + 2 < len(lines):
        if lines[i] == DASHES and TIME_LINE.match(lines[i + 1]) and lines[i + 2] == DASHES:
            j = i + 3
            while j < len(lines) and lines[j] != "":
                j += 1
            if j == len(lines):
                break  # the block is not finished yet
            batches.append(lines[i + 3:j])
            i = j + 1
        else:
            i += 1
    return batches


def summed(batches: list[list[str]]) -> dict:
    """``(key, count)`` records added up over the batches."""
    total: Counter = Counter()
    for batch in batches:
        for record in batch:
            key, n = ast.literal_eval(record)
            total[key] += n
    return dict(total)
