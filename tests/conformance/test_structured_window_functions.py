"""Window functions over partitions (``OVER``) on a stream: refused at start() on both engines.

Structured Streaming runs time windows (``window()``, ``session_window()``) only; a ranking, offset or
aggregate function ``OVER`` a window spec is Spark's NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING.
Messages captured from PySpark 4.3.0; Spark prints attribute ids (``VALUE#1L``), which depend on the
session's history, so they are taken out before comparing.
"""

from __future__ import annotations

import re

import pytest
from test_structured_support import checkpoint

pytestmark = pytest.mark.usefixtures("stop_streams")

TAIL = ("on streaming DataFrames/Datasets.\nStructured Streaming only supports time-window aggregation "
        "using the WINDOW function. (window specification: ({spec})) SQLSTATE: 42KDE")


CASES = {
    "rn": (lambda F, W: F.row_number().over(W.orderBy("value")),
           "ROW_NUMBER()", "ORDER BY VALUE ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"),
    "s": (lambda F, W: F.sum("value").over(W.partitionBy("timestamp")),
          "SUM(VALUE)", "PARTITION BY TIMESTAMP ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"),
    "lagv": (lambda F, W: F.lag("value", 2).over(W.partitionBy("timestamp").orderBy(F.desc("value"))),
             "LAG(VALUE, -2, NULL)",
             "PARTITION BY TIMESTAMP ORDER BY VALUE DESC NULLS LAST "
             "ROWS BETWEEN -2 FOLLOWING AND -2 FOLLOWING"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_window_function_on_a_stream_is_refused(engine, spark, tmp_path, name):
    F = engine.module("sql.functions")
    W = engine.module("sql").Window
    errors = engine.module("errors")
    build, func, spec = CASES[name]
    stream = spark.readStream.format("rate").load()
    writer = stream.select("value", build(F, W).alias(name)).writeStream.format("noop")
    with pytest.raises(errors.AnalysisException) as info:
        writer.option("checkpointLocation", checkpoint(tmp_path)).start()
    assert info.value.getCondition() == "NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING"
    text = re.sub(r"#\d+L?", "", str(info.value))
    assert text == (f"[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported in "
                    f"{func} (as column `{name}`) " + TAIL.format(spec=spec))
    assert spark.streams.active == []


def test_with_column_over_a_window_is_refused(engine, spark, tmp_path):
    F = engine.module("sql.functions")
    W = engine.module("sql").Window
    errors = engine.module("errors")
    stream = spark.readStream.format("rate").load()
    averaged = stream.withColumn("x", F.avg("value").over(W.partitionBy("timestamp")))
    writer = averaged.writeStream.format("noop")
    with pytest.raises(errors.AnalysisException) as info:
        writer.option("checkpointLocation", checkpoint(tmp_path)).start()
    assert re.sub(r"#\d+L?", "", str(info.value)) == (
        "[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported in AVG(VALUE) "
        "(as column `x`) " + TAIL.format(spec="PARTITION BY TIMESTAMP ROWS BETWEEN UNBOUNDED PRECEDING AND "
                                               "UNBOUNDED FOLLOWING"))
