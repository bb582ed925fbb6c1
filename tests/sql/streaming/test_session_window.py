"""Session windows on a stream within one running query (the conformance suite restarts per round).

Spark's behaviour is pinned by tests/conformance/test_structured_session_window.py; here the same
operator runs in one query on an in-memory checkpoint, where the previous batch's watermark (used to
drop late rows) comes from memory rather than from the offset log.
"""

from __future__ import annotations

from datetime import datetime

from ember.sql import functions as F
from ember.sql.streaming.memory import MemoryStream


def _t(second: int) -> datetime:
    return datetime(2026, 1, 1, 0, 0, second)


def test_sessions_merge_and_late_rows_drop_within_one_query(spark):
    stream = MemoryStream(spark, "time TIMESTAMP, user STRING")
    sessions = stream.to_df().withWatermark("time", "10 seconds").groupBy(
        F.session_window("time", "5 seconds"), "user").count()
    log = []
    q = sessions.writeStream.outputMode("complete").foreachBatch(
        lambda b, i: log.append((i, sorted(tuple(r) for r in b.collect())))).start()
    q.processAllAvailable()  # the empty first batch, before any data
    stream.add_data((_t(20), "a"), (_t(30), "a"))
    q.processAllAvailable()
    stream.add_data((_t(25), "a"), (_t(12), "b"))  # the watermark is 20 now; late rows only from next batch
    q.processAllAvailable()
    stream.add_data((_t(11), "c"), (_t(16), "c"))  # c at 11 ends at 16 <= 20: dropped
    q.processAllAvailable()
    progress = [p.stateOperators[0] for p in q.recentProgress]
    q.stop()
    assert log[-1] == (3, [((_t(12), _t(17)), "b", 1), ((_t(16), _t(21)), "c", 1),
                           ((_t(20), _t(35)), "a", 3)])
    assert [(p.numRowsTotal, p.numRowsUpdated, p.numRowsRemoved, p.numRowsDroppedByWatermark)
            for p in progress] == [(0, 0, 0, 0), (2, 2, 0, 0), (2, 2, 1, 0), (3, 1, 0, 1)]
