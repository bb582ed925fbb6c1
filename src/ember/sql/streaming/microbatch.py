"""The micro-batch loop of one query: offsets, the write-ahead log, the batch, the sink, the commit.

Each trigger asks every source for its latest offset; when one moved (or the first batch of a source
that starts with an empty batch, or a batch without data that only advances the watermark), the loop
writes ``offsets/N``, reads the rows, runs :class:`IncrementalExecution`, hands the result to the sink,
writes ``commits/N`` and tells the sources they may forget what was committed. On restart it resumes
after the last commit, re-running the one batch whose offsets were written but not committed.
"""

from __future__ import annotations

import datetime
import json
import threading
import time
import traceback
from typing import Any

from ember.sql.streaming.checkpoint import Checkpoint
from ember.sql.streaming.incremental import IncrementalExecution
from ember.sql.streaming.triggers import Trigger

POLL_SECONDS = 0.01
IDLE_EVENT_SECONDS = 10.0
RECENT = 100


def iso_now(ts: float | None = None) -> str:
    t = time.time() if ts is None else ts
    dt = datetime.datetime.fromtimestamp(t, tz=datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(t * 1000) % 1000:03d}Z"


def _json_value(source: Any, offset: Any) -> Any:
    """The offset as the JSON value the source writes (None for no offset yet)."""
    text = source.offset_json(offset)
    return None if text is None else json.loads(text)


class MicroBatchRunner:
    """Runs the batches of one query on its own thread; :class:`StreamingQuery` is its public face."""

    def __init__(self, query: Any, session: Any, plan: Any, sink: Any, mode: str, trigger: Trigger,
                 checkpoint: Checkpoint) -> None:
        self.query = query
        self.session = session
        self.sink = sink
        self.mode = mode
        self.trigger = trigger
        self.checkpoint = checkpoint
        partitions = 200
        try:
            partitions = int(session.conf.get("spark.sql.shuffle.partitions", "200"))
        except Exception:  # a session without that setting: Spark's default
            pass
        # a temporary checkpoint never serves a restart, so its state needs no snapshots
        state_root = None if checkpoint.temporary else str(checkpoint.state_dir)
        self.exec = IncrementalExecution(plan, mode, state_root, partitions)
        self.leaves = self.exec.sources
        self.sources: list[Any] = []
        self.committed: list[Any] = [None] * len(self.leaves)
        self.has_committed = False
        self.batch_id = 0
        self.watermark_ms = 0
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.lock = threading.Condition()
        self.checks_started = 0
        self.idle_after = -1
        self.error: BaseException | None = None
        self.user_error = False
        self.status = {"message": "Initializing sources", "isDataAvailable": False, "isTriggerActive": False}
        self.last_trigger_start: float | None = None
        self.last_batch_wm = 0

    # -- start and recovery --------------------------------------------------------------------

    def open_sources(self) -> None:
        for i, leaf in enumerate(self.leaves):
            src = leaf.source.open(self.session)
            src.notify = self.wake.set
            self.sources.append(src)
            src.start(str(self.checkpoint.sources_dir / str(i)))

    def recover(self) -> tuple[list[Any] | None, dict | None]:
        """Resume from the checkpoint; returns the end offsets of a batch to re-run, if any."""
        latest = self.checkpoint.latest_offsets()
        if latest is None:
            return None, None
        n, meta, texts = latest
        offsets = [s.parse_offset(t) for s, t in zip(self.sources, texts)]
        commit = self.checkpoint.latest_commit()
        if commit is not None and commit[0] == n:
            self.committed = offsets
            self.has_committed = True
            self.batch_id = n + 1
            self.last_batch_wm = int(meta.get("batchWatermarkMs", 0))
            self.watermark_ms = int(commit[1].get("nextBatchWatermarkMs", self.last_batch_wm))
            self.exec.restore(n + 1)
            for s, o in zip(self.sources, offsets):
                s.resume(o)
                if o is not None:
                    s.commit(o)
            return None, None
        if n > 0:
            _, prev_texts = self.checkpoint.read_offsets(n - 1)
            self.committed = [s.parse_offset(t) for s, t in zip(self.sources, prev_texts)]
            self.has_committed = True
            for s, o in zip(self.sources, self.committed):
                s.resume(o)
        self.batch_id = n
        self.watermark_ms = int(meta.get("batchWatermarkMs", 0))
        self.exec.restore(n)
        return offsets, meta

    # -- the loop ------------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self.open_sources()
            self.sink.start(self.query)
            pending, meta = self.recover()
            if pending is not None:
                self.run_batch(pending, replay_meta=meta)
            self.loop()
        except BaseException as e:  # the query fails; awaitTermination re-raises it
            self.error = e
            self.trace = traceback.format_exc()
        finally:
            self.shutdown()

    def loop(self) -> None:
        interval = self.trigger.interval_ms / 1000.0
        caps: list[Any] = [None] * len(self.sources)
        if self.trigger.kind == "availableNow":
            for i, s in enumerate(self.sources):
                if not s.prepare_available_now():
                    caps[i] = ("cap", s.latest_offset())
        if self.trigger.kind == "once":
            for s in self.sources:
                s.ignore_limits()
        self.caps = caps
        # Spark reports the first idle trigger of a run (before any batch) as a progress of no rows;
        # ember does so for the triggers that run to an end, where nobody can race the first check
        last_progress = -float("inf") if self.trigger.kind in ("once", "availableNow") else time.monotonic()
        start = time.monotonic()
        k = 0
        while not self.stopping.is_set():
            with self.lock:
                self.checks_started += 1
                check_id = self.checks_started
            self.status = {"message": "Waiting for data to arrive", "isDataAvailable": False,
                           "isTriggerActive": True}
            trigger_start = time.time()
            t0 = time.perf_counter()
            latest = [s.latest_offset() for s in self.sources]
            latest_ms = (time.perf_counter() - t0) * 1000
            new_data = any(self._moved(i, o) for i, o in enumerate(latest))
            ran = True
            if new_data:
                self.run_batch(latest, latest_ms=latest_ms, trigger_start=trigger_start)
            elif self.has_committed and self.exec.wants_no_data_batch(self.last_batch_wm, self.watermark_ms):
                self.run_batch(list(self.committed), latest_ms=latest_ms, trigger_start=trigger_start)
                with self.lock:  # no new data was there: processAllAvailable may return (as in Spark)
                    self.idle_after = check_id
                    self.lock.notify_all()
            else:
                ran = False
                self.status = {"message": "Waiting for data to arrive", "isDataAvailable": False,
                               "isTriggerActive": False}
                with self.lock:
                    self.idle_after = check_id
                    self.lock.notify_all()
                if last_progress == -float("inf"):
                    self._report_idle(trigger_start, latest_ms, latest)
                    last_progress = time.monotonic()
                if self.trigger.kind == "availableNow":
                    return
                if time.monotonic() - last_progress >= IDLE_EVENT_SECONDS:
                    self.query._post_idle()  # Spark's noDataProgressEventInterval
                    last_progress = time.monotonic()
            if ran:
                last_progress = time.monotonic()
            if self.trigger.kind == "once":
                return
            if interval > 0:
                k += 1
                delay = start + k * interval - time.monotonic()
                if delay < 0:  # the batch overran: the next one starts at once
                    k = int((time.monotonic() - start) / interval)
                    continue
                self.status = {"message": "Waiting for next trigger", "isDataAvailable": new_data,
                               "isTriggerActive": False}
                self.stopping.wait(delay)
            elif not ran:
                self.wake.wait(POLL_SECONDS)
                self.wake.clear()

    def _moved(self, i: int, latest: Any) -> bool:
        if latest is None:
            return False
        cap = self.caps[i] if getattr(self, "caps", None) else None
        if cap is not None and self.has_committed and self.committed[i] == cap[1]:
            return False  # availableNow: this source reached what it had at start
        if not self.has_committed:
            return self.sources[i].runs_empty_first_batch or latest != -1
        return latest != self.committed[i]

    def run_batch(self, ends: list[Any], latest_ms: float = 0.0, trigger_start: float | None = None,
                  replay_meta: dict | None = None) -> None:
        cp = self.checkpoint
        bid = self.batch_id
        started = time.perf_counter()
        trigger_start = time.time() if trigger_start is None else trigger_start
        self.status = {"message": "Processing new data", "isDataAvailable": True, "isTriggerActive": True}
        t = time.perf_counter()
        if replay_meta is None:
            meta = {"batchWatermarkMs": self.watermark_ms, "batchTimestampMs": int(trigger_start * 1000),
                    "conf": _conf(self.session)}
            if not cp.temporary:  # a temporary checkpoint never serves a restart: skip its logs
                cp.write_offsets(bid, meta, [s.offset_json(o) for s, o in zip(self.sources, ends)])
        wal_ms = (time.perf_counter() - t) * 1000
        # the batch's processing time (GroupState.getCurrentProcessingTimeMs): the logged one on a re-run
        self.exec.batch_timestamp_ms = int((meta if replay_meta is None else replay_meta).get(
            "batchTimestampMs", trigger_start * 1000))
        t = time.perf_counter()
        frames = {}
        counts = []
        for leaf, s, start, end in zip(self.leaves, self.sources, self.committed, ends):
            frame = s.get_batch(start if self.has_committed else None, end)
            frames[id(leaf)] = frame
            counts.append(frame.height)
        get_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        result = self.exec.run(frames, self.watermark_ms, bid, getattr(self.sink, "rows_needed", None))
        del frames  # the batch's rows are not needed by the sink: let them go before it runs
        plan_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        try:
            self.sink.add_batch(bid, result.frame, self.query.output_schema, self.mode)
        except BaseException:
            self.user_error = True  # raised by the sink: user code in foreach / foreachBatch
            raise
        add_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        if not cp.temporary:
            cp.write_commit(bid, result.next_watermark_ms)
        for s, end in zip(self.sources, ends):
            s.commit(end)
        commit_ms = (time.perf_counter() - t) * 1000
        if bid >= 100 and bid % 10 == 0:
            cp.purge(bid - 100)
        previous = self.committed
        self.committed = list(ends)
        self.has_committed = True
        self.batch_id = bid + 1
        self.last_batch_wm = self.watermark_ms
        self.watermark_ms = result.next_watermark_ms
        total_ms = (time.perf_counter() - started) * 1000 + latest_ms
        self._report(bid, trigger_start, total_ms, counts, previous, ends, result,
                     {"addBatch": int(add_ms + plan_ms), "commitOffsets": int(commit_ms),
                      "getBatch": int(get_ms),
                      "latestOffset": int(latest_ms), "queryPlanning": 0, "triggerExecution": int(total_ms),
                      "walCommit": int(wal_ms)})

    def _report_idle(self, trigger_start: float, latest_ms: float, latest: list[Any]) -> None:
        """The progress of a trigger that found nothing to do: the next batch id and no input rows."""
        ends = list(self.committed) if self.has_committed else [None] * len(self.sources)
        total_ms = latest_ms
        durations = {"latestOffset": int(latest_ms), "triggerExecution": int(total_ms)}
        self._report(self.batch_id, trigger_start, total_ms, [0] * len(self.sources), ends, ends, None,
                     durations, latest=latest)

    def _report(self, bid, trigger_start, total_ms, counts, starts, ends, result, durations,
                latest: list[Any] | None = None) -> None:
        from ember.sql.streaming.listener import (
            SinkProgress,
            SourceProgress,
            StateOperatorProgress,
            StreamingQueryProgress,
        )

        since = None if self.last_trigger_start is None else trigger_start - self.last_trigger_start
        self.last_trigger_start = trigger_start
        n = sum(counts)
        secs = max(total_ms / 1000.0, 1e-9)

        def rate_in(rows: int) -> float:
            return 0.0 if not since else rows / since

        sources = []
        latest = ends if latest is None else latest
        for s, c, a, b, z in zip(self.sources, counts, starts, ends, latest):
            sources.append(SourceProgress({
                "description": s.description(), "startOffset": _json_value(s, a) if bid else None,
                "endOffset": _json_value(s, b), "latestOffset": _json_value(s, z), "numInputRows": c,
                "inputRowsPerSecond": rate_in(c), "processedRowsPerSecond": c / secs,
                "metrics": s.metrics()}))
        q = self.query
        out_rows = 0 if result is None else result.frame.height if result.rows is None else result.rows
        progress = StreamingQueryProgress({
            "id": q._id, "runId": q._run_id, "name": q.name, "timestamp": iso_now(trigger_start),
            "batchId": bid, "batchDuration": int(total_ms), "numInputRows": n,
            "inputRowsPerSecond": rate_in(n), "processedRowsPerSecond": n / secs, "durationMs": durations,
            "eventTime": {} if result is None else dict(result.event_time),
            "stateOperators": [] if result is None else [StateOperatorProgress(m) for m in result.operators],
            "sources": sources,
            "sink": SinkProgress({"description": self.sink.description(),
                                  "numOutputRows": out_rows if self.sink.counts_rows else -1, "metrics": {}}),
            "observedMetrics": {} if result is None else dict(result.observed)})
        q._add_progress(progress)

    def shutdown(self) -> None:
        for s in self.sources:
            try:
                s.stop()
            except Exception:  # a source that fails to stop must not hide the query's own error
                pass
        try:
            self.sink.stop()
        except Exception:
            pass
        self.status = {"message": "Stopped", "isDataAvailable": False, "isTriggerActive": False}
        with self.lock:
            self.lock.notify_all()


def _conf(session: Any) -> dict:
    keys = ["spark.sql.shuffle.partitions", "spark.sql.streaming.stateStore.providerClass",
            "spark.sql.streaming.multipleWatermarkPolicy"]
    out = {}
    for k in keys:
        try:
            v = session.conf.get(k, None)
        except Exception:
            v = None
        if v is not None:
            out[k] = str(v)
    return out
