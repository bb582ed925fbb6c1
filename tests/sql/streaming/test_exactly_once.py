"""Exactly-once from a file source to a file sink across ``kill -9`` at random moments."""

from __future__ import annotations

import os
import pathlib
import random
import signal
import subprocess
import sys

from ember.sql.streaming.sinks import committed_files

JOB = pathlib.Path(__file__).with_name("_file_to_file_job.py")


def _committed_lines(out: pathlib.Path) -> list[str]:
    lines: list[str] = []
    for f in committed_files(str(out)):
        lines += pathlib.Path(f).read_text(encoding="utf-8").splitlines()
    return lines


def test_kill_9_loses_nothing_and_duplicates_nothing(tmp_path):
    src, out, chk = tmp_path / "in", tmp_path / "out", tmp_path / "chk"
    src.mkdir()
    expected = []
    for i in range(40):
        rows = [f"file{i}-line{j}" for j in range(50)]
        expected += rows
        (src / f"f{i:03d}.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rng = random.Random(7)
    env = dict(os.environ, PYTHONHASHSEED="0")
    kills = 0
    for _ in range(30):
        proc = subprocess.Popen([sys.executable, str(JOB), str(src), str(out), str(chk)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=rng.uniform(0.4, 1.6))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            continue
        assert proc.returncode == 0, proc.stderr.read().decode()
        break
    else:
        proc = subprocess.run([sys.executable, str(JOB), str(src), str(out), str(chk)], env=env,
                              capture_output=True, timeout=120)
        assert proc.returncode == 0, proc.stderr.decode()
    assert kills >= 1, "the job always finished before the kill: make the input bigger"
    got = _committed_lines(out)
    assert sorted(got) == sorted(expected)
    assert len(got) == len(set(got))
    # every planned batch was committed, with no gaps; a kill between the file source's log and the
    # offset log folds two files into one batch on restart (Spark's FileStreamSource does the same),
    # so the count of batches may be below 40
    commits = _batch_ids(chk / "commits")
    assert commits == _batch_ids(chk / "offsets")
    assert commits == list(range(len(commits)))
    assert 40 - kills <= len(commits) <= 40


def _batch_ids(directory: pathlib.Path) -> list[int]:
    return sorted(int(p.name) for p in directory.iterdir() if p.name.isdigit())
