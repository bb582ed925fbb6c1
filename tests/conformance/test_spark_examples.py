"""Spark's own Python streaming examples, run unchanged: through ``ember run`` on ember, on Spark in its lane.

The pyspark wheel ships the examples as package data (``pyspark/examples/src/main/python/streaming/``).
We do not copy them: each test runs the file of the installed pyspark, found in the Spark virtualenv
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
pytestmark = pytest.mark.skipif(EXAMPLES is None, reason="Spark's examples come from the installed pyspark "
                                "package: no pyspark with examples found (set EMBER_SPARK_VENV)")


def example(name: str) -> str:
    return str(EXAMPLES / "streaming" / name)


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


# -- the examples -------------------------------------------------------------------------------

LINES = ["to be or not to be", "that is the question", "to be is to do"]
COUNTS = {"to": 4, "be": 3, "or": 1, "not": 1, "that": 1, "is": 2, "the": 1, "question": 1, "do": 1}


def test_network_wordcount(run_example):
    server = LineServer(LINES)
    try:
        prog = run_example(example("network_wordcount.py"), "127.0.0.1", str(server.port))
        done = prog.wait_for(lambda lines: summed(pprint_batches(lines)) == COUNTS)
        assert done, (prog.lines[-40:], prog.errors())
        batches = pprint_batches(prog.lines)
        assert all(len(b) <= 10 and "..." not in b for b in batches)
    finally:
        server.close()


def test_stateful_network_wordcount(run_example):
    server = LineServer(["hello world", "hello ember"])
    expected = ["('ember', 1)", "('hello', 3)", "('world', 2)"]  # the initial state is hello 1, world 1
    try:
        prog = run_example(example("stateful_network_wordcount.py"), "127.0.0.1", str(server.port))
        done = prog.wait_for(lambda lines: any(sorted(b) == expected for b in pprint_batches(lines)))
        assert done, (prog.lines[-40:], prog.errors())
        first = pprint_batches(prog.lines)[0]
        assert sorted(first) in (["('hello', 1)", "('world', 1)"], expected)
    finally:
        server.close()


def counts_lines(lines: list[str]) -> dict:
    """``Counts at time <t> [(word, n), ...]`` lines of recoverable_network_wordcount, added up."""
    total: Counter = Counter()
    for line in lines:
        m = re.match(r"^Counts at time \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? (\[.*\])$", line)
        if m:
            for word, n in ast.literal_eval(m.group(1)):
                total[word] += n
    return dict(total)


def counted_then(lines: list[str], expected: dict, more: int) -> bool:
    """The counts reached ``expected`` and ``more`` batches have printed their counts since."""
    counts = [i for i, ln in enumerate(lines) if ln.startswith("Counts at time")]
    reached = [i for i in counts if counts_lines(lines[:i + 1]) == expected]
    return bool(reached) and len([i for i in counts if i > reached[0]]) >= more


def test_recoverable_network_wordcount(run_example, tmp_path):
    server = LineServer(["a b c hello world hello"], ["hello again c"])
    checkpoint, output = str(tmp_path / "checkpoint"), str(tmp_path / "out.txt")
    args = ("127.0.0.1", str(server.port), checkpoint, output)
    try:
        first = run_example(example("recoverable_network_wordcount.py"), *args)

        # two more batches after the words came: a checkpoint holds them
        assert first.wait_for(lambda lines: counted_then(lines, {"hello": 2, "world": 1}, 2)), \
            (first.lines[-40:], first.errors())
        assert first.lines[0] == "Creating new context"
        assert "Dropped 3 word(s) totally" in first.lines
        first.stop()

        second = run_example(example("recoverable_network_wordcount.py"), *args)
        # one more batch after the words came: the batch that counted them has appended to the file
        done = second.wait_for(lambda lines: counted_then(lines, {"hello": 1, "again": 1}, 1)
                               and "Dropped 1 word(s) totally" in lines)
        assert done, (second.lines[-40:], second.errors())
        assert "Creating new context" not in second.lines
        second.stop()
        with open(output) as fh:
            assert counts_lines(fh.read().splitlines()) == {"hello": 3, "world": 1, "again": 1}
    finally:
        server.close()


def test_hdfs_wordcount(run_example, tmp_path):
    watched = tmp_path / "watched"
    watched.mkdir()
    prog = run_example(example("hdfs_wordcount.py"), str(watched))
    assert prog.wait_for(lambda lines: len(pprint_batches(lines)) >= 1), (prog.lines, prog.errors())
    # a new file, moved in whole (the file stream's contract); its time is now, after the start
    hidden = watched / ".words.txt"
    hidden.write_text("".join(line + "\n" for line in LINES))
    os.replace(hidden, watched / "words.txt")
    done = prog.wait_for(lambda lines: summed(pprint_batches(lines)) == COUNTS)
    assert done, (prog.lines[-40:], prog.errors())


def test_queue_stream(run_example):
    prog = run_example(example("queue_stream.py"))
    prog.proc.wait(PATIENCE)  # it stops itself, gracefully, six seconds after its start
    prog.reader.join(10)
    assert prog.proc.returncode == 0, prog.errors()
    batches = [b for b in pprint_batches(prog.lines) if b]
    # five RDDs of 1..1000 in 10 slices, (x % 10, 1) summed per batch into local[2]'s two
    # partitions, each in first-seen order
    assert batches == [["(2, 100)", "(4, 100)", "(6, 100)", "(8, 100)", "(0, 100)",
                        "(1, 100)", "(3, 100)", "(5, 100)", "(7, 100)", "(9, 100)"]] * 5


#: the sentiment list the example reads from ``data/streaming/AFINN-111.txt`` under its working
#: directory; it splits lines on one space, so this file (our own) is ``word score`` lines
SENTIMENTS = "happy 3\ngood 3\nbad -3\nsad -2\n"


def test_network_wordjoinsentiments(run_example, tmp_path):
    (tmp_path / "data" / "streaming").mkdir(parents=True)
    (tmp_path / "data" / "streaming" / "AFINN-111.txt").write_text(SENTIMENTS)
    server = LineServer(["a happy happy day", "good and bad", "nothing here"])

    def happiness(lines):
        total: Counter = Counter()
        for line in lines:
            m = re.match(r"^(\S+) \((-?\d+) happiness\)$", line)
            if m:
                total[m.group(1)] += int(m.group(2))
        return dict(total)

    try:
        prog = run_example(example("network_wordjoinsentiments.py"), "127.0.0.1", str(server.port))
        done = prog.wait_for(lambda lines: happiness(lines) == {"happy": 6, "good": 3, "bad": -3})
        assert done, (prog.lines[-40:], prog.errors())
        heads = [ln for ln in prog.lines if ln.startswith("Happiest topics")]
        assert "Happiest topics in the last 5 seconds (3 total):" in heads
        block = prog.lines.index("Happiest topics in the last 5 seconds (3 total):")
        assert prog.lines[block + 1:block + 4] == ["happy (6 happiness)", "good (3 happiness)",
                                                   "bad (-3 happiness)"]
    finally:
        server.close()


def sql_tables(lines: list[str]) -> dict:
    """The ``| word | total |`` rows that ``show()`` printed, added up over the batches."""
    total: Counter = Counter()
    for line in lines:
        m = re.match(r"^\|\s*(.*?)\s*\|\s*(\d+)\s*\|$", line)
        if m:
            total[m.group(1)] += int(m.group(2))
    return dict(total)


def test_sql_network_wordcount(run_example):
    # (ember.sql: createDataFrame of Rows, a temp view, spark.sql with group by, show)
    server = LineServer(LINES)
    try:
        prog = run_example(example("sql_network_wordcount.py"), "127.0.0.1", str(server.port))
        done = prog.wait_for(lambda lines: sql_tables(lines) == COUNTS)
        assert done, (prog.lines[-40:], prog.errors())
        assert any(re.match(r"^========= \d{4}-\d\d-\d\d \d\d:\d\d:\d\d =========$", ln) for ln in prog.lines)
        assert "|    word|total|" in prog.lines
        assert "+--------+-----+" in prog.lines
    finally:
        server.close()


# -- Spark's Structured Streaming examples (sql/streaming/) ------------------------------------------


def structured_example(name: str) -> str:
    return str(EXAMPLES / "sql" / "streaming" / name)


def last_console_table(lines: list[str]) -> list[list[str]]:
    """The data rows (cells stripped) of the last complete ``Batch: N`` table the console sink printed."""
    starts = [i for i, ln in enumerate(lines) if ln.startswith("Batch: ")]
    for start in reversed(starts):
        block = lines[start + 2:]  # past the dashes under "Batch: N"
        seps = [i for i, ln in enumerate(block) if ln.startswith("+")]
        if len(seps) < 3:
            continue  # the table is still being printed
        body = block[seps[1] + 1:seps[2]]
        return [[cell.strip() for cell in row.strip("|").split("|")] for row in body]
    return []


def test_structured_network_wordcount(run_example):
    # complete mode: the last batch's table holds every word's running count
    server = LineServer(LINES)
    try:
        prog = run_example(structured_example("structured_network_wordcount.py"), "127.0.0.1",
                           str(server.port))

        def counted(lines):
            return {w: int(n) for w, n in last_console_table(lines)} == COUNTS

        done = prog.wait_for(counted)
        assert done, (prog.lines[-40:], prog.errors())
        assert "Batch: 0" in prog.lines
        assert "|    word|count|" in prog.lines  # right-aligned to "question", the longest word
    finally:
        server.close()


def test_structured_network_wordcount_windowed(run_example):
    # 10 s windows every 5 s: each line's arrival time falls in exactly two windows, so the counts
    # summed over the windows of the last (complete) table are twice the word counts
    server = LineServer(LINES)
    try:
        prog = run_example(structured_example("structured_network_wordcount_windowed.py"), "127.0.0.1",
                           str(server.port), "10", "5")

        def counted(lines):
            total: Counter = Counter()
            for _window, word, n in last_console_table(lines):
                total[word] += int(n)
            return dict(total) == {w: 2 * n for w, n in COUNTS.items()}

        done = prog.wait_for(counted)
        assert done, (prog.lines[-40:], prog.errors())
        windows = [row[0] for row in last_console_table(prog.lines)]
        assert windows == sorted(windows)  # orderBy("window")
        assert all(re.match(r"^\{\d{4}-\d\d-\d\d \d\d:\d\d:\d[05], \d{4}-\d\d-\d\d \d\d:\d\d:\d[05]\}$", w)
                   for w in windows), windows
    finally:
        server.close()


def console_tables(lines: list[str]) -> dict[int, list[list[str]]]:
    """The data rows (cells stripped) of every complete ``Batch: N`` table the console sink printed."""
    tables = {}
    for start, line in enumerate(lines):
        if not line.startswith("Batch: "):
            continue
        block = lines[start + 2:]
        seps = [i for i, ln in enumerate(block[:60]) if ln.startswith("+")]
        if len(seps) >= 3:
            body = block[seps[1] + 1:seps[2]]
            tables[int(line.split()[1])] = [[c.strip() for c in row.strip("|").split("|")] for row in body]
    return tables


#: Batch 0 of structured_blockchain_admission_control.py, as Spark 4.3.0 printed it
BLOCKS_0_TO_4 = [
    ["0", "5feceb66ffc86f38", "1700000000", "1"],
    ["1", "6b86b273ff34fce1", "1700000012", "2"],
    ["2", "d4735e3a265e16ee", "1700000024", "3"],
    ["3", "4e07408562bedb8b", "1700000036", "4"],
    ["4", "4b227777d4dd1fc6", "1700000048", "5"],
]


def test_structured_blockchain_admission_control(run_example):
    # a Python data source (spark.dataSource.register) whose reader limits each batch to 20 blocks with
    # getDefaultReadLimit() = ReadMaxRows(20): batch k holds blocks 20k..20k+19, whatever the timing.
    # The program stops itself after 30 s; the test stops it once three batches are printed.
    if ENGINE == "spark":
        pytest.importorskip("pyarrow", reason="Spark's Python data sources need pyarrow in the Spark venv")
    prog = run_example(structured_example("structured_blockchain_admission_control.py"))
    done = prog.wait_for(lambda lines: {0, 1, 2} <= set(console_tables(lines)))
    assert done, (prog.lines[-40:], prog.errors())
    assert "Admission Control: getDefaultReadLimit() returns ReadMaxRows(20)" in prog.lines
    assert "|block_number|      block_hash| timestamp|transaction_count|" in prog.lines
    tables = console_tables(prog.lines)
    assert tables[0][:5] == BLOCKS_0_TO_4
    for k, table in tables.items():
        assert [int(row[0]) for row in table] == list(range(20 * k, 20 * k + 20)), k
        assert all(int(row[2]) == 1700000000 + 12 * int(row[0]) for row in table)


def test_structured_sessionization(run_example):
    # Spark 4.3's own example asks for session windows in update mode, which Spark 4.3 refuses at
    # start(): the program ends with the same error on both engines (no batch is printed)
    server = LineServer(LINES)
    try:
        prog = run_example(structured_example("structured_sessionization.py"), "127.0.0.1", str(server.port))
        prog.proc.wait(PATIENCE)
        assert prog.proc.returncode != 0
        assert not any(ln.startswith("Batch: ") for ln in prog.lines)
        text = prog.errors() + "\n".join(prog.lines)
        refused = ("[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: update. "
                   "This output mode is not supported for session window streaming aggregations on streaming "
                   "DataFrames/DataSets. SQLSTATE: 42KDE")
        assert refused in text, text
    finally:
        server.close()


def session_rows(lines: list[str]) -> list[list[str]]:
    """The data rows (cells stripped) of the session tables the console sink printed (not the headers)."""
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines
            if ln.startswith("|") and not ln.startswith("|sessionId|")]


def test_structured_network_wordcount_session_window(run_example):
    # applyInPandasWithState with a 10 s processing time timeout: every trigger runs a batch, with or
    # without data (their tables are empty), and each word's session is printed once, in the first batch
    # after it has been idle for 10 s. All lines arrive together: one session per word.
    server = LineServer(LINES)
    try:
        # on Spark every batch, with or without data, runs the function's stage over the shuffle
        # partitions: 2 instead of 200 keeps a batch within seconds on a busy machine (same output)
        prog = run_example(structured_example("structured_network_wordcount_session_window.py"), "127.0.0.1",
                           str(server.port), spark_conf=("spark.sql.shuffle.partitions=2",))
        seen: dict = {"next": 0, "rows": []}

        def sessions_done(lines):
            # only the lines not read yet: thousands of empty batches go by while the sessions wait
            seen["rows"] += session_rows(lines[seen["next"]:])
            seen["next"] = len(lines)
            return {w: int(n) for w, n, *_ in seen["rows"]} == COUNTS

        done = prog.wait_for(sessions_done, 2 * PATIENCE)
        assert done, (prog.lines[-40:], prog.errors())
        rows = session_rows(prog.lines)
        assert sorted(r[0] for r in rows) == sorted(COUNTS)  # each session once
        assert "|sessionId|count|start|end|" in prog.lines  # an empty batch's table
        assert "|sessionId|count|               start|                 end|" in prog.lines
        stamp = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:(\d\d(\.\d+)?|\.\.\.)$")
        assert all(stamp.match(r[2]) and stamp.match(r[3]) and r[2] <= r[3] for r in rows), rows
    finally:
        server.close()
