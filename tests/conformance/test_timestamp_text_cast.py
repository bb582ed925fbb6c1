"""``CAST(string AS TIMESTAMP)`` on text shapes Spark's cast takes that are easy to miss (expected rows from
PySpark 4.3, session time zone UTC): a ``+`` before the year, a point with no fraction digits (before a
zone too), one-digit fields with ``T``, fraction digits past the sixth, offsets after the seconds.
The JSON reader applies the same rules (tests/conformance/test_json_read_rules.py).
"""

from __future__ import annotations

import datetime

D = datetime.datetime

CASES = [
    ("+2024-01-01 00:00:00", D(2024, 1, 1)),
    ("2024-01-01 00:00:00.", D(2024, 1, 1)),
    ("2024-01-01T00:00:00.Z", D(2024, 1, 1)),
    (" +2024-01-01T00:00:00.Z ", D(2024, 1, 1)),
    ("2024-1-1T1:2:3.Z", D(2024, 1, 1, 1, 2, 3)),
    ("2024-01-01T00:00:00.+01:00", D(2023, 12, 31, 23, 0)),
    ("2024-01-01 12:34:56.1234567", D(2024, 1, 1, 12, 34, 56, 123456)),
    ("2024-01-01T00:00:00-05:30", D(2024, 1, 1, 5, 30)),
    ("2024-02-29T23:59:59.999999Z", D(2024, 2, 29, 23, 59, 59, 999999)),
]


def test_cast_text_to_timestamp(spark):
    df = spark.createDataFrame([(v,) for v, _ in CASES], "s string")
    got = [r[0] for r in df.select(df.s.cast("timestamp")).collect()]
    assert got == [want for _, want in CASES]


def test_cast_in_a_zone_with_daylight_saving(spark):
    # New York, 2024: 02:00-03:00 on March 10 does not exist (Spark moves it forward by the gap's hour);
    # 01:00-02:00 on November 3 happens twice (Spark takes the earlier, daylight-saving offset).
    texts = ["2024-03-10 02:30:00", "2024-11-03 01:30:00", "2024-03-10 01:59:59", "2024-03-10 03:00:00", None]
    old = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "America/New_York")
    try:
        df = spark.createDataFrame([(v,) for v in texts], "s string")
        got = [tuple(r) for r in df.selectExpr(
            "CAST(CAST(s AS TIMESTAMP) AS LONG)", "date_format(CAST(s AS TIMESTAMP), 'yyyy-MM-dd HH:mm:ss')"
        ).collect()]
    finally:
        spark.conf.set("spark.sql.session.timeZone", old)
    assert got == [
        (1710055800, "2024-03-10 03:30:00"),
        (1730611800, "2024-11-03 01:30:00"),
        (1710053999, "2024-03-10 01:59:59"),
        (1710054000, "2024-03-10 03:00:00"),
        (None, None),
    ]
