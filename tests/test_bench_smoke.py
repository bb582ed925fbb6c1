"""The benchmark harness keeps working: its quick mode runs every scenario without Spark."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_quick_benchmark_runs_every_scenario():
    out = subprocess.run([sys.executable, "-m", "bench", "--quick", "--runs", "1"], cwd=ROOT,
                         capture_output=True, text=True, timeout=1800)  # slow only on a loaded machine
    assert out.returncode == 0, out.stdout + out.stderr
    for name in ("startup", "rdd_wordcount", "installed_size", "dstream", "socket", "first_batch",
                 "sql", "structured", "structured_latency", "structured_rss", "consumers"):
        assert f"| {name} |" in out.stdout
    assert "FAILED" not in out.stdout
