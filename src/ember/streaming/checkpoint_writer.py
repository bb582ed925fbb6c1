"""The checkpoint writer: one background thread that puts the job thread's checkpoints on disk.

As Spark's CheckpointWriter does, the job thread only takes a checkpoint (:func:`checkpoint.snapshot`:
references, no pickling of data, no file work) and hands it over; a single writer thread pickles the
state, writes each file to a temporary name, fsyncs and renames it. Checkpoints are written in batch
order. When the writer falls behind (fsync is slow, batches are short), a checkpoint still waiting
is replaced by the newer one (which takes over the window batches the older would have written): the
newest checkpoint is the one a restart reads, and the write-ahead log keeps every block after it.

A failed write is retried (three attempts in all, as Spark does); if it still fails, a warning names
the batch time and the file, and the error reaches ``awaitTermination`` like a failed batch. The
stream goes on, and the log blocks of that batch stay in the log. ``stop`` waits for the checkpoint
being written and the one waiting.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from ember.streaming import checkpoint

log = logging.getLogger("ember.streaming")

ATTEMPTS = 3


class CheckpointWriter:
    """Writes the checkpoints of one StreamingContext, newest first when it falls behind."""

    def __init__(self, ssc: Any, on_error: Any) -> None:
        self._ssc = ssc
        self._on_error = on_error  # (what, exception): how the scheduler reports a failure
        self._cond = threading.Condition()
        self._pending: checkpoint.Pending | None = None
        self._busy = False
        self._stopped = False
        self._thread: threading.Thread | None = None
        #: checkpoints replaced by a newer one before they were written (Spark logs the same)
        self.skipped = 0
        self.written = 0

    def submit(self, pending: checkpoint.Pending) -> None:
        """Queue ``pending``; an older checkpoint still waiting is dropped for it."""
        with self._cond:
            if self._stopped:
                stopped = True
            else:
                stopped = False
                if self._pending is not None:
                    pending.absorb(self._pending)
                    self.skipped += 1
                self._pending = pending
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="ember-checkpoint-writer",
                                                     daemon=True)
                    self._thread.start()
                self._cond.notify_all()
        if stopped:  # a batch that finished after stop: written here, as before the writer existed
            self._write(pending)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every checkpoint handed over is written (or failed); False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def stop(self) -> None:
        """Write what is waiting, then end the thread."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._stopped)
                pending, self._pending = self._pending, None
                if pending is None:  # stopped with nothing left to write
                    return
                self._busy = True
            try:
                self._write(pending)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _write(self, pending: checkpoint.Pending) -> None:
        path = os.path.join(self._ssc._checkpoint_dir or "", f"checkpoint-{pending.time_ms}")
        for attempt in range(1, ATTEMPTS + 1):
            try:
                pending.write(self._ssc)
                self.written += 1
                return
            except Exception as e:
                if attempt < ATTEMPTS:
                    log.warning("Error in attempt %d of writing checkpoint to '%s': %s", attempt, path, e)
                    continue
                log.warning("Could not write checkpoint for time %d ms to file '%s'", pending.time_ms, path)
                self._on_error(f"Error writing the checkpoint of batch {pending.time_ms} ms", e)
