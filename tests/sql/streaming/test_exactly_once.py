"""Exactly-once from a file source to a file sink across ``kill -9`` at random moments."""

from __future__ import annotations

import os
import pathlib
import random
import signal
import subprocess
import sys
import time

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
    # The kill moments follow the job's progress, not the wall clock (a fast machine finished the whole
    # job before a timed kill): some while it starts or recovers, the others a few milliseconds after a
    # chosen number of batches has been committed, which lands inside the next batch.
    for attempt in range(12):
        proc = subprocess.Popen([sys.executable, str(JOB), str(src), str(out), str(chk)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if attempt < 8:
            if attempt % 3 == 2:  # at start-up or during recovery
                _wait(proc, lambda: False, rng.uniform(0.05, 0.4))
            else:
                target = min(39, _committed(chk) + rng.randint(1, 5))
                _wait(proc, lambda t=target: _committed(chk) >= t, 60)
                _wait(proc, lambda: False, rng.uniform(0, 0.03))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                kills += 1
                continue
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        assert proc.returncode == 0, proc.stderr.read().decode()
        break
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


def _committed(chk: pathlib.Path) -> int:
    """How many batches the job has committed so far."""
    commits = chk / "commits"
    return len(_batch_ids(commits)) if commits.is_dir() else 0


def _wait(proc: subprocess.Popen, done, seconds: float) -> None:
    """Until ``done()`` holds, the job ends or ``seconds`` pass (polling: the job is another process)."""
    deadline = time.monotonic() + seconds
    while proc.poll() is None and not done() and time.monotonic() < deadline:
        time.sleep(0.002)


def _batch_ids(directory: pathlib.Path) -> list[int]:
    return sorted(int(p.name) for p in directory.iterdir() if p.name.isdigit())
