"""Spark's own DStream examples (``streaming/``), run unchanged: through ``ember run``, on ember and on Spark.

How they are found, fed, run and read: ``spark_examples_support.py``. The Structured Streaming examples
are in ``test_spark_examples_structured.py``.
"""

from __future__ import annotations

import ast
import os
import re
from collections import Counter

import spark_examples_support as support
from spark_examples_support import (
    COUNTS,
    EXAMPLES,
    FEW_PARTITIONS,
    LINES,
    PATIENCE,
    LineServer,
    pprint_batches,
    summed,
)

pytestmark = support.needs_examples
run_example = support.run_example  # the fixture: pytest finds it under this name


def example(name: str) -> str:
    return str(EXAMPLES / "streaming" / name)


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
        prog = run_example(example("sql_network_wordcount.py"), "127.0.0.1", str(server.port),
                           spark_conf=FEW_PARTITIONS)
        done = prog.wait_for(lambda lines: sql_tables(lines) == COUNTS)
        assert done, (prog.lines[-40:], prog.errors())
        assert any(re.match(r"^========= \d{4}-\d\d-\d\d \d\d:\d\d:\d\d =========$", ln) for ln in prog.lines)
        assert "|    word|total|" in prog.lines
        assert "+--------+-----+" in prog.lines
    finally:
        server.close()
