"""The stream graph and the job thread that runs one batch per interval.

One thread does what Spark's timer, job generator and job executor do together: it sleeps until the
next batch time on the context's clock, asks every output stream for its job, runs the jobs in order
(Spark's ``spark.streaming.concurrentJobs`` is 1), reports timings to the listeners, and forgets RDDs
no window needs any more; the checkpoint of each batch goes to the checkpoint writer's thread.
A batch that runs long delays the next ones, which then start late (their
scheduling delay says by how much); no batch is skipped and two never overlap.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from typing import TYPE_CHECKING, Any, Callable

from ember.streaming import listener as L
from ember.streaming.checkpoint_writer import CheckpointWriter

if TYPE_CHECKING:
    from ember.streaming.dstream import DStream
    from ember.streaming.sources import InputDStream
    from ember.streaming.transformed import ForEachDStream

log = logging.getLogger("ember.streaming")


def _wall_ms() -> int:
    return int(time.time() * 1000)


class DStreamGraph:
    """The input and output streams of a context, and the remember duration asked for."""

    def __init__(self, batch_ms: int) -> None:
        self.batch_ms = batch_ms
        self.inputs: list[InputDStream] = []
        self.outputs: list[ForEachDStream] = []
        self.remember_ms: int | None = None
        self.zero_ms: int | None = None
        #: after a recovery, the first batch time: earlier batches exist only as the checkpoint saved them
        self.resume_ms: int | None = None
        #: streams whose RDD is computed in its own batch (kept for windows), not when a window needs it
        self.eager: list[DStream] = []

    def add_input(self, stream: InputDStream) -> int:
        self.inputs.append(stream)
        return len(self.inputs) - 1

    def add_output(self, stream: ForEachDStream) -> None:
        self.outputs.append(stream)

    def all_streams(self) -> list[DStream]:
        seen: dict[int, DStream] = {}
        for o in self.outputs:
            for d in o._all_streams():
                seen.setdefault(id(d), d)
        return list(seen.values())

    def start(self, zero_ms: int) -> None:
        self.zero_ms = zero_ms
        for o in self.outputs:
            o._initialize(zero_ms)
        for o in self.outputs:
            o._remember(self.remember_ms)
        for o in self.outputs:
            o._validate_at_start()

    def generate_jobs(self, t: int) -> list[tuple[ForEachDStream, Callable[[], None]]]:
        jobs = []
        for o in self.outputs:
            job = o._generate_job(t)
            if job is not None:
                jobs.append((o, job))
        return jobs

    def warm_rdds(self, t: int) -> list:
        """RDDs that windows will reuse: computing each in its own batch spreads a window's work."""
        out = []
        for s in self.eager:
            rdd = s._get_or_compute(t) if s._zero_ms is not None else None
            if rdd is not None:
                out.append(rdd)
        return out

    def clear_metadata(self, t: int) -> None:
        for o in self.outputs:
            o._clear_metadata(t)


class ContextWaiter:
    """What ``awaitTermination`` waits on: the context stopping, or a batch failing."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._stopped = False
        self._error: BaseException | None = None

    def notify_error(self, e: BaseException) -> None:
        with self._cond:
            self._error = e
            self._cond.notify_all()

    def notify_stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """True once stopped, False on timeout; raises the first error a batch reported."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not self._stopped and self._error is None:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                # wake now and then so Ctrl-C reaches the main thread
                self._cond.wait(0.25 if left is None else min(left, 0.25))
            if self._error is not None:
                raise self._error
            return self._stopped


class JobScheduler:
    """Runs the batches of one StreamingContext on a thread of its own."""

    def __init__(self, ssc: Any) -> None:
        self.ssc = ssc
        self.graph: DStreamGraph = ssc._graph
        self.clock = ssc._clock
        self.batch_ms = self.graph.batch_ms
        self.listeners: list[L.StreamingListener] = []
        self.waiter = ContextWaiter()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._done = threading.Condition()
        self.batches_done = 0
        self.last_batch_ms: int | None = None
        self.start_ms = 0
        self.checkpoint_writer = CheckpointWriter(ssc, self._report)

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        recovered = self.ssc._recovered
        if recovered is not None and type(self.clock).__name__ == "ManualClock":
            # as Spark's JobGenerator does on a restart: a test clock resumes at the checkpoint's time
            jump = int(self.ssc._sc.getConf().get("spark.streaming.manualClock.jump", "0") or 0)
            self.clock.setTime(recovered.time_ms + jump)
        now = self.clock.getTimeMillis()
        if recovered is None:
            self.start_ms = (now // self.batch_ms + 1) * self.batch_ms
            self.graph.start(self.start_ms - self.batch_ms)
        else:
            # keep the old batch grid; batches missed while down are not replayed (their input is gone)
            zero = recovered.zero_ms
            self.start_ms = max(recovered.time_ms, zero + ((now - zero) // self.batch_ms) * self.batch_ms) \
                + self.batch_ms
            self.graph.start(zero)
            from ember.streaming.state import StateDStream

            for s in self.graph.all_streams():
                if isinstance(s, StateDStream):
                    s._restore(self.start_ms - s._slide_ms)
            from ember.streaming import checkpoint

            checkpoint.restore_windows(self.ssc, recovered)
            # batches before the restart that were not saved have lost their input: none is made up
            self.graph.resume_ms = self.start_ms
        for s in self.graph.inputs:
            s.start()
        self._post("onStreamingStarted", L.StreamingListenerStreamingStarted(_wall_ms()))
        self._thread = threading.Thread(target=self._run, name="ember-streaming-jobs", daemon=True)
        self._thread.start()

    def stop(self, graceful: bool) -> None:
        for s in self.graph.inputs:
            s.stop()
        if graceful and self._thread is not None and any(s.has_pending() for s in self.graph.inputs):
            self._finish_pending()
        self._stopping = True
        self.clock.interrupt()
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join()
        self.checkpoint_writer.stop()  # the last checkpoints reach the disk before stop returns

    def _finish_pending(self) -> None:
        """Let the batches that hold already-received data run before stopping (graceful stop)."""
        limit = time.monotonic() + max(10 * self.batch_ms / 1000.0, 1.0)
        with self._done:
            while any(s.has_pending() for s in self.graph.inputs) and time.monotonic() < limit:
                self._done.wait(0.05)

    def wait_for_batch(self, t: int, timeout: float) -> bool:
        """Block until the batch at time ``t`` (ms) has been processed."""
        deadline = time.monotonic() + timeout
        with self._done:
            while self.last_batch_ms is None or self.last_batch_ms < t:
                left = deadline - time.monotonic()
                if left <= 0 or self._stopping:
                    return False
                self._done.wait(min(left, 0.25))
            return True

    # -- the job thread ------------------------------------------------------------------------

    def _run(self) -> None:
        t = self.start_ms
        while not self._stopping and self.clock.waitTillTime(t):
            if self._stopping:
                break
            self._run_batch(t)
            t += self.batch_ms

    def _run_batch(self, t: int) -> None:
        manual = type(self.clock).__name__ == "ManualClock"
        submitted = _wall_ms() if manual else min(_wall_ms(), t)
        warm: list = []
        try:
            with self.ssc._graph_lock:
                warm = self.graph.warm_rdds(t)
                jobs = self.graph.generate_jobs(t)
        except Exception as e:  # a user's transform function failed while building the batch
            self._report(f"Error generating jobs for time {t} ms", e)
            jobs = []
        if jobs:
            self._run_jobs(t, submitted, jobs, warm)
        elif warm:
            self._warm(t, warm)
        if self.ssc._checkpoint_dir is not None:
            from ember.streaming import checkpoint

            try:
                with self.ssc._graph_lock:
                    pending = checkpoint.snapshot(self.ssc, t)
            except Exception as e:  # an unpicklable graph, say: heard of, not the end of the stream
                self._report(f"Error writing the checkpoint of batch {t} ms", e)
            else:
                self.checkpoint_writer.submit(pending)  # pickled and written on the writer's thread
        try:
            with self.ssc._graph_lock:
                self.graph.clear_metadata(t)
        except Exception as e:
            self._report(f"Error clearing old batches at time {t} ms", e)
        with self._done:
            self.batches_done += 1
            self.last_batch_ms = t
            self._done.notify_all()

    def _warm(self, t: int, rdds: list) -> None:
        try:
            for rdd in rdds:
                for split in range(rdd.getNumPartitions()):
                    for _ in rdd._iterator(split):
                        pass
        except Exception as e:
            self._report(f"Error running job streaming job {t} ms (window input)", e)

    def _run_jobs(self, t: int, submitted: int, jobs: list, warm: list) -> None:
        info = L.BatchInfo(t, submitted, self._input_infos(t))
        for i, (stream, _) in enumerate(jobs):
            info._outputs[i] = L.OutputOperationInfo(t, i, stream.name, stream.name)
        if self.listeners:
            self._post("onBatchSubmitted", L.StreamingListenerBatchSubmitted(info.snapshot()))
        info._start = _wall_ms()
        if self.listeners:
            self._post("onBatchStarted", L.StreamingListenerBatchStarted(info.snapshot()))
        if warm:
            self._warm(t, warm)
        for i, (_stream, job) in enumerate(jobs):
            out = info._outputs[i]
            out._start = _wall_ms()
            if self.listeners:
                self._post("onOutputOperationStarted", L.StreamingListenerOutputOperationStarted(
                    L.OutputOperationInfo(**vars(out))))
            try:
                job()
            except Exception as e:
                out._failure = "".join(traceback.format_exception(e))
                self._report(f"Error running job streaming job {t} ms.{i}", e)
            finally:
                out._end = _wall_ms()
                sys.stdout.flush()
            if self.listeners:
                self._post("onOutputOperationCompleted", L.StreamingListenerOutputOperationCompleted(
                    L.OutputOperationInfo(**vars(out))))
        info._end = _wall_ms()
        if self.listeners:
            self._post("onBatchCompleted", L.StreamingListenerBatchCompleted(info.snapshot()))

    def _input_infos(self, t: int) -> dict:
        infos = {}
        for s in self.graph.inputs:
            n = getattr(s, "records_at", lambda _t: None)(t)
            if n is not None:
                infos[s.id] = L.StreamInputInfo(s.id, n)
        return infos

    def _report(self, what: str, e: BaseException) -> None:
        log.error("%s", what, exc_info=e)
        self.waiter.notify_error(e)

    def _post(self, method: str, event: Any) -> None:
        for lst in list(self.listeners):
            try:
                getattr(lst, method)(event)
            except Exception:  # a broken listener must not stop the stream (Spark logs and goes on)
                log.exception("StreamingListener %r failed in %s", lst, method)
