"""The ember command: --version, --help and the demo."""

import subprocess
import sys

from ember import SPARK_VERSION, __version__


def ember(*args):
    return subprocess.run([sys.executable, "-m", "ember", *args], capture_output=True, text=True, timeout=60)


def test_version():
    out = ember("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"ember {__version__} (Spark {SPARK_VERSION} API)"


def test_help_lists_commands():
    out = ember("--help")
    assert out.returncode == 0
    assert "demo" in out.stdout and "usage: ember" in out.stdout


def test_demo_counts_words_of_a_file(tmp_path):
    f = tmp_path / "words.txt"
    f.write_text("the cat\nthe dog and the bird\n\nbird\n")
    out = ember("demo", "--rdd", "--file", str(f), "--top", "2")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[1] == "5 distinct words; the 2 most frequent cover 5 occurrences:"
    assert lines[2:4] == ["  the          3", "  bird         2"]


def test_demo_missing_file_is_a_clear_error(tmp_path):
    out = ember("demo", "--file", str(tmp_path / "missing.txt"))
    assert out.returncode == 2
    assert "no such file" in out.stderr


def test_streaming_demo_runs_the_consumers_and_stops(tmp_path):
    f = tmp_path / "words.txt"
    f.write_text("good news\nthe good day\n")
    out = ember("demo", "--file", str(f), "--seconds", "2.5", "--rate", "400")
    assert out.returncode == 0, out.stderr
    assert "ember demo: serving 2 lines of words.txt" in out.stdout
    blocks = out.stdout.split("Time: ")[1:]
    # 2.5 s of 1 s batches: 2 or 3 depending on where the first boundary falls, and on a starved
    # machine the last batch can still be running at the stop
    assert 1 <= len(blocks) <= 3, out.stdout
    assert any("happiest        good (" in b for b in blocks)
    # the seed's Structured Streaming query on the same producer; after the stop, every line it received
    # has been counted, so the latest window's top word is there whatever the machine's pace
    summary = out.stdout.splitlines()[-1]
    assert summary.startswith("structured query: latest window from ")
    assert ": good (" in summary and "news (" in summary
    assert "ember demo: stopped after" in out.stderr
