"""A pool of worker processes for partition tasks too big to be worth running in the driver alone.

Small work runs inline: a batch of a few records costs microseconds there, and a process round trip
would cost more than the work. When a stage's input is large and the master has several cores, its
tasks are pickled (cloudpickle, as PySpark ships functions) and run on ``local[N]`` workers.
"""

from __future__ import annotations

import itertools
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


_SERIALS = itertools.count(1)


#: the pipes' buffer size asked for: a task or a reply of up to this size passes in one system call
#: (a batch's share of lines, a state partition's pickle); an unprivileged user's pipes share a quota
#: (``/proc/sys/fs/pipe-user-pages-soft``, 64 MiB by default), hence not more
PIPE_BYTES = 1 << 19


def _widen(fd: int) -> None:
    """Give pipe ``fd`` a buffer of :data:`PIPE_BYTES` where the system allows it.

    A 64 KiB pipe makes a big task or reply many writes and reads, and the driver thread doing them
    takes the GIL back after each one: while any other driver thread runs Python, that costs up to a
    switch interval (5 ms) per chunk.
    """
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except (OSError, ImportError, ValueError):  # not Linux, or over the system's limit: the default
        pass


class _Worker:
    def __init__(self) -> None:
        self.serial = next(_SERIALS)  # names this process for work pinned to it (never reused)
        task_r, self._task_w = os.pipe()
        self._result_r, result_w = os.pipe()
        for fd in (self._task_w, self._result_r):
            _widen(fd)
        env = dict(os.environ)
        # Workers hash strings with seed 0 natively, as PySpark's workers do, and import what the
        # driver can import (user modules referenced by pickled functions).
        env["PYTHONHASHSEED"] = "0"
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        # A task's big buffers (decoded blocks, pickled replies) go back to the system when freed, not
        # onto a heap that glibc's rising mmap threshold keeps: each worker of the stateful word count
        # held 27-35 MiB, 23-26 with this (unthrottled producer, 45 s). The user's own setting wins.
        env.setdefault("MALLOC_MMAP_THRESHOLD_", str(128 << 10))
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
    """``size`` worker processes, started on first use, each running one task at a time.

    Any idle worker runs the tasks of :meth:`map`; :meth:`run_on` runs tasks on given workers (those
    that hold data for the driver, see :mod:`ember.core.resident`). Both may be called from several
    threads at once.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)

    def _start(self) -> None:
        with self._cond:
            while len(self._all) < self.size:
                w = _Worker()
                self._all.append(w)
                self._idle.append(w)
            self._cond.notify_all()

    def serials(self) -> list[int]:
        """The workers' serial numbers (started if need be), for :meth:`run_on`."""
        self._start()
        with self._lock:
            return [w.serial for w in self._all]

    def _take(self, serial: int | None = None) -> _Worker:
        """An idle worker (the one numbered ``serial`` if given), waiting for it to be free."""
        with self._cond:
            while True:
                if serial is None:
                    if self._idle:
                        return self._idle.pop(0)
                else:
                    for w in self._idle:
                        if w.serial == serial:
                            self._idle.remove(w)
                            return w
                    if all(w.serial != serial for w in self._all):
                        raise WorkerLost(f"worker process #{serial} is gone (it died, or the pool was "
                                         "shut down)")
                self._cond.wait()

    def _give(self, w: _Worker) -> None:
        with self._cond:
            if w in self._all:
                self._idle.append(w)
            self._cond.notify_all()

    def run_on(self, jobs: list[tuple[int, tuple[bytes, list]]]) -> list[tuple]:
        """Run each ``(serial, payload)`` on that worker, all at once; the raw replies, in order.

        A worker that is gone, or dies meanwhile, raises :class:`WorkerLost` (once the others are done).
        """
        replies: list = [None] * len(jobs)
        errors: list[BaseException] = []

        def one(i: int) -> None:
            serial, payload = jobs[i]
            try:
                w = self._take(serial)
            except WorkerLost as e:
                errors.append(e)
                return
            try:
                replies[i] = w.run(payload)
            except WorkerLost as e:
                self._replace(w)
                errors.append(e)
                return
            self._give(w)

        threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(1, len(jobs))]
        for t in threads:
            t.start()
        if jobs:
            one(0)
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        return replies

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
                w = self._take()
                try:
                    reply = w.run(payloads[i])
                except WorkerLost as e:
                    self._replace(w)
                    errors.append(e)
                    return
                self._give(w)
                try:
                    results[i] = on_reply(i, reply)
                except BaseException as e:
                    errors.append(e)
                    return

        # the calling thread drives one worker itself: a thread fewer to start and to wake it up
        threads = [threading.Thread(target=drive, daemon=True)
                   for _ in range(min(self.size, len(payloads)) - 1)]
        for t in threads:
            t.start()
        drive()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        return results

    def _replace(self, dead: _Worker) -> None:
        with self._cond:
            dead.close()
            self._all.remove(dead)
            self._cond.notify_all()  # run_on calls waiting for it find it gone
        self._start()

    def shutdown(self) -> None:
        with self._cond:
            for w in self._all:
                w.close()
            self._all = []
            self._idle = []
            self._cond.notify_all()
