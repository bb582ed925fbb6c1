"""A pool of worker processes for partition tasks too big to be worth running in the driver alone.

Small work runs inline: a batch of a few records costs microseconds there, and a process round trip
would cost more than the work. When a stage's input is large and the master has several cores, its
tasks are pickled (cloudpickle, as PySpark ships functions) and run on ``local[N]`` workers.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from typing import Any, Callable

from ember.core.worker import read_frame, write_task

#: below this many input records (or bytes / 64) a stage runs inline
POOL_MIN_WEIGHT = 40_000


class WorkerLost(RuntimeError):
    """A worker process died while running a task."""


class _Worker:
    def __init__(self) -> None:
        task_r, self._task_w = os.pipe()
        self._result_r, result_w = os.pipe()
        env = dict(os.environ)
        # Workers hash strings with seed 0 natively, as PySpark's workers do, and import what the
        # driver can import (user modules referenced by pickled functions).
        env["PYTHONHASHSEED"] = "0"
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ember.core.worker", str(task_r), str(result_w)],
            pass_fds=(task_r, result_w), env=env, stdin=subprocess.DEVNULL)
        os.close(task_r)
        os.close(result_w)

    def run(self, payload: tuple[bytes, list]) -> tuple:
        """Run one task: ``payload`` is its pickle and the pickle's out-of-band buffers."""
        try:
            write_task(self._task_w, *payload)
            frame = read_frame(self._result_r)
        except OSError as e:
            raise WorkerLost(f"worker process {self.proc.pid} is gone ({e})") from None
        if frame is None:
            try:
                code = self.proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                code = None
            raise WorkerLost(f"worker process {self.proc.pid} died while running a task (exit code {code})")
        return pickle.loads(frame)

    def close(self) -> None:
        for fd in (self._task_w, self._result_r):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class WorkerPool:
    """``size`` worker processes, started on first use, each running one task at a time."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()

    def _start(self) -> None:
        with self._lock:
            while len(self._all) < self.size:
                w = _Worker()
                self._all.append(w)
                self._idle.put(w)

    def map(self, payloads: list[tuple[bytes, list]], on_reply: Callable[[int, tuple], Any]) -> list:
        """Run every payload on some worker; ``on_reply(i, reply)`` turns replies into results."""
        self._start()
        results: list = [None] * len(payloads)
        errors: list[BaseException] = []
        todo: queue.Queue[int] = queue.Queue()
        for i in range(len(payloads)):
            todo.put(i)

        def drive() -> None:
            while not errors:
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    return
                w = self._idle.get()
                try:
                    reply = w.run(payloads[i])
                except WorkerLost as e:
                    self._replace(w)
                    errors.append(e)
                    return
                self._idle.put(w)
                try:
                    results[i] = on_reply(i, reply)
                except BaseException as e:
                    errors.append(e)
                    return

        threads = [threading.Thread(target=drive, daemon=True) for _ in range(min(self.size, len(payloads)))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        return results

    def _replace(self, dead: _Worker) -> None:
        with self._lock:
            dead.close()
            self._all.remove(dead)
        self._start()

    def shutdown(self) -> None:
        with self._lock:
            for w in self._all:
                w.close()
            self._all = []
            self._idle = queue.Queue()
