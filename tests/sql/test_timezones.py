"""Timestamps are UTC instants inside; the session zone applies to text, the process zone to collect()."""

from __future__ import annotations

import datetime
import os
import time

from ember.sql import functions as F


def test_window_buckets_on_instants_and_show_uses_session_zone(spark):
    df = spark.createDataFrame([("2016-03-11 09:00:07",)], ["s"]).select(F.to_timestamp("s").alias("t"))
    spark.conf.set("spark.sql.session.timeZone", "America/New_York")
    try:
        # the string is read in New York time: 14:00:07 UTC
        w = df.groupBy(F.window("t", "5 seconds")).count()
        text = w._show_string(truncate=False)
        assert "{2016-03-11 09:00:05, 2016-03-11 09:00:10}" in text
        assert df.select(F.unix_timestamp("t")).collect()[0][0] == 1457704807
        assert df.select(F.date_format("t", "HH:mm")).collect()[0][0] == "09:00"
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")


def test_collect_gives_local_time_of_the_process(spark):
    os.environ["TZ"] = "Asia/Tokyo"
    time.tzset()
    try:
        df = spark.createDataFrame([(datetime.datetime(2024, 1, 1, 9, 0),)], ["t"])  # 09:00 Tokyo = 00:00 UTC
        assert df.select(F.unix_timestamp("t")).collect()[0][0] == 1704067200
        assert df.collect()[0][0] == datetime.datetime(2024, 1, 1, 9, 0)
    finally:
        os.environ["TZ"] = "UTC"
        time.tzset()
