"""The receiver write-ahead log needs a checkpoint directory: Spark's message, on both engines.

Spark starts the context and then fails its receiver's start task with this message, again and
again, while the batches run empty (the message only reaches the log). ember fails ``start()`` itself
with the same message: the difference is deliberate (a receiver that never runs should be loud).
"""

from __future__ import annotations

import socket
import time

import pytest

MANUAL_CLOCK = "org.apache.spark.util.ManualClock"
WAL = "spark.streaming.receiver.writeAheadLog.enable"
# captured from PySpark 4.x: org.apache.spark.SparkException in ReceiverSupervisorImpl
NEEDS_CHECKPOINT = ("Cannot enable receiver write-ahead log without checkpoint directory set. Please use "
                    "streamingContext.checkpoint() to set the checkpoint directory. See documentation for "
                    "more details.")


@pytest.fixture
def server():
    s = socket.create_server(("127.0.0.1", 0))
    yield s
    s.close()


def _spark_stage_failures(sc, timeout: float = 30.0) -> list[str]:
    """The failure reasons of failed stages in Spark's status store (where the receiver's error lands)."""
    store = sc._jsc.sc().statusStore()
    jvm = sc._jvm
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stages = store.stageList(jvm.java.util.ArrayList(), False, False,
                                 getattr(store, "stageList$default$4")(), jvm.java.util.ArrayList())
        reasons, it = [], stages.iterator()
        while it.hasNext():
            reason = it.next().failureReason()
            if reason.isDefined():
                reasons.append(reason.get())
        if reasons:
            return reasons
        time.sleep(0.1)  # Spark reports the failure asynchronously; nothing to wait on from Python
    return []


def test_write_ahead_log_without_checkpoint_directory(engine, make_context, server):
    sc = make_context(**{WAL: "true", "spark.streaming.clock": MANUAL_CLOCK})
    ssc = engine.module("streaming").StreamingContext(sc, 1)
    ssc.socketTextStream("127.0.0.1", server.getsockname()[1]).pprint()
    try:
        if engine.is_spark:
            ssc.start()
            reasons = _spark_stage_failures(sc)
            assert any(f"org.apache.spark.SparkException: {NEEDS_CHECKPOINT}" in r for r in reasons), reasons
        else:
            with pytest.raises(engine.module("errors").SparkException) as e:
                ssc.start()
            assert str(e.value) == NEEDS_CHECKPOINT
    finally:
        ssc.stop(stopSparkContext=False)


def test_write_ahead_log_with_checkpoint_directory_runs_the_receiver(engine, make_context, server, tmp_path):
    sc = make_context(**{WAL: "true", "spark.streaming.clock": MANUAL_CLOCK})
    ssc = engine.module("streaming").StreamingContext(sc, 1)
    ssc.checkpoint(str(tmp_path))
    ssc.socketTextStream("127.0.0.1", server.getsockname()[1]).pprint()
    ssc.start()
    server.settimeout(30)
    conn, _ = server.accept()  # the receiver runs and connects
    conn.close()
    ssc.stop(stopSparkContext=False)
