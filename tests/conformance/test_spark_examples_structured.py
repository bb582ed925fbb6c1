"""Spark's own Structured Streaming examples (``sql/streaming/``), run unchanged, on ember and on Spark.

How they are found, fed, run and read: ``spark_examples_support.py``. The DStream examples are in
``test_spark_examples.py``.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import spark_examples_support as support
from spark_examples_support import COUNTS, ENGINE, EXAMPLES, FEW_PARTITIONS, LINES, PATIENCE, LineServer

pytestmark = support.needs_examples
run_example = support.run_example  # the fixture: pytest finds it under this name


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
                           str(server.port), spark_conf=FEW_PARTITIONS)

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
                           str(server.port), "10", "5", spark_conf=FEW_PARTITIONS)

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
        prog = run_example(structured_example("structured_network_wordcount_session_window.py"), "127.0.0.1",
                           str(server.port), spark_conf=FEW_PARTITIONS)
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
