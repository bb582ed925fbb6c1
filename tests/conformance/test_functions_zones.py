"""to_utc_timestamp / from_utc_timestamp: Spark 4's results for region ids, offsets, DST gaps and
overlaps, zone columns, string and date inputs, nulls and bad zones (literals from a real Spark run).
"""

import datetime as dt
import re

import pytest

D = dt.datetime

ROWS = [
    ("2024-03-10 01:30:00", "America/Los_Angeles"),  # before the spring-forward gap
    ("2024-03-10 02:30:00", "America/Los_Angeles"),  # inside the gap
    ("2024-11-03 01:30:00", "America/Los_Angeles"),  # inside the fall-back overlap
    ("2024-11-03 08:30:00", "America/Los_Angeles"),
    ("2024-01-01 00:00:00", "+08:00"),
    ("2024-01-01 00:00:00", "-05:30"),
    ("2024-06-30 23:59:59.123456", "Asia/Kolkata"),
    (None, "UTC"),
    ("2024-01-01 12:00:00", None),
    ("2024-01-01 12:00:00", "GMT+1"),
    ("2024-01-01 12:00:00", "UTC"),
    ("2024-01-01 12:00:00", "Z"),
    ("2024-01-01 12:00:00", "+8"),
    ("2024-01-01 12:00:00", "+8:00"),
    ("2024-01-01 12:00:00", "PST"),
    ("2024-01-01 12:00:00", "EST"),
    ("2024-01-01 12:00:00", "UTC+08:00"),
    ("2024-01-01 12:00:00", "Europe/London"),
    ("2024-03-31 01:30:00", "Europe/Berlin"),
    ("2024-10-27 02:30:00", "Europe/Berlin"),  # overlap: the earlier (summer) offset
    ("1900-01-01 00:00:00", "Asia/Shanghai"),  # local mean time, +08:05:43
]


def message(exc: BaseException) -> str:
    line = str(exc).strip().split("\n")[0]
    found = re.match(r"(.*?SQLSTATE: [0-9A-Z]{5})", line)
    return found.group(1) if found else line


def invalid(zone: str) -> str:
    return (
        f"[INVALID_TIMEZONE] The timezone: {zone} is invalid. The timezone must be either a region-based "
        "zone ID or a zone offset. Region IDs must have the form 'area/city', such as "
        "'America/Los_Angeles'. Zone offsets must be in the format '(+|-)HH', '(+|-)HH:mm’ or "
        "'(+|-)HH:mm:ss', e.g '-08' , '+01:00' or '-13:33:33', and must be in the range from -18:00 to "
        "+18:00. 'Z' and 'UTC' are accepted as synonyms for '+00:00'. SQLSTATE: 22009"
    )


@pytest.fixture
def df(spark, F):
    return spark.createDataFrame(ROWS, "s string, z string").withColumn("t", F.col("s").cast("timestamp"))


def test_zone_column_region_ids_offsets_gaps_overlaps_nulls(df, F):
    out = df.select("s", "z", F.to_utc_timestamp("t", F.col("z")), F.from_utc_timestamp("t", F.col("z")))
    assert out.schema.simpleString() == (
        "struct<s:string,z:string,to_utc_timestamp(t, z):timestamp,from_utc_timestamp(t, z):timestamp>"
    )
    assert [tuple(r)[2:] for r in out.collect()] == [
        (D(2024, 3, 10, 9, 30), D(2024, 3, 9, 17, 30)),
        (D(2024, 3, 10, 10, 30), D(2024, 3, 9, 18, 30)),
        (D(2024, 11, 3, 8, 30), D(2024, 11, 2, 18, 30)),
        (D(2024, 11, 3, 16, 30), D(2024, 11, 3, 1, 30)),
        (D(2023, 12, 31, 16, 0), D(2024, 1, 1, 8, 0)),
        (D(2024, 1, 1, 5, 30), D(2023, 12, 31, 18, 30)),
        (D(2024, 6, 30, 18, 29, 59, 123456), D(2024, 7, 1, 5, 29, 59, 123456)),
        (None, None),
        (None, None),
        (D(2024, 1, 1, 11, 0), D(2024, 1, 1, 13, 0)),
        (D(2024, 1, 1, 12, 0), D(2024, 1, 1, 12, 0)),
        (D(2024, 1, 1, 12, 0), D(2024, 1, 1, 12, 0)),
        (D(2024, 1, 1, 4, 0), D(2024, 1, 1, 20, 0)),
        (D(2024, 1, 1, 4, 0), D(2024, 1, 1, 20, 0)),
        (D(2024, 1, 1, 20, 0), D(2024, 1, 1, 4, 0)),
        (D(2024, 1, 1, 17, 0), D(2024, 1, 1, 7, 0)),
        (D(2024, 1, 1, 4, 0), D(2024, 1, 1, 20, 0)),
        (D(2024, 1, 1, 12, 0), D(2024, 1, 1, 12, 0)),
        (D(2024, 3, 31, 0, 30), D(2024, 3, 31, 3, 30)),
        (D(2024, 10, 27, 0, 30), D(2024, 10, 27, 3, 30)),
        (D(1899, 12, 31, 15, 54, 17), D(1900, 1, 1, 8, 5, 43)),
    ]


def test_literal_zones(df, F):
    out = df.select(F.to_utc_timestamp("t", "America/Los_Angeles"), F.from_utc_timestamp("t", "Asia/Tokyo"))
    assert out.columns == ["to_utc_timestamp(t, America/Los_Angeles)", "from_utc_timestamp(t, Asia/Tokyo)"]
    got = [tuple(r) for r in out.collect()]
    assert got[:8] == [
        (D(2024, 3, 10, 9, 30), D(2024, 3, 10, 10, 30)),
        (D(2024, 3, 10, 10, 30), D(2024, 3, 10, 11, 30)),
        (D(2024, 11, 3, 8, 30), D(2024, 11, 3, 10, 30)),
        (D(2024, 11, 3, 16, 30), D(2024, 11, 3, 17, 30)),
        (D(2024, 1, 1, 8, 0), D(2024, 1, 1, 9, 0)),
        (D(2024, 1, 1, 8, 0), D(2024, 1, 1, 9, 0)),
        (D(2024, 7, 1, 6, 59, 59, 123456), D(2024, 7, 1, 8, 59, 59, 123456)),
        (None, None),
    ]
    assert got[18:] == [
        (D(2024, 3, 31, 8, 30), D(2024, 3, 31, 10, 30)),
        (D(2024, 10, 27, 9, 30), D(2024, 10, 27, 11, 30)),
        (D(1900, 1, 1, 8, 0), D(1900, 1, 1, 9, 0)),
    ]


def test_string_and_date_inputs(spark, df, F):
    out = df.select(F.to_utc_timestamp("s", "+08:00").alias("a"), F.from_utc_timestamp(F.col("s"), "+08:00"))
    assert out.schema.simpleString() == "struct<a:timestamp,from_utc_timestamp(s, +08:00):timestamp>"
    assert [tuple(r) for r in out.collect()][:5] == [
        (D(2024, 3, 9, 17, 30), D(2024, 3, 10, 9, 30)),
        (D(2024, 3, 9, 18, 30), D(2024, 3, 10, 10, 30)),
        (D(2024, 11, 2, 17, 30), D(2024, 11, 3, 9, 30)),
        (D(2024, 11, 3, 0, 30), D(2024, 11, 3, 16, 30)),
        (D(2023, 12, 31, 16, 0), D(2024, 1, 1, 8, 0)),
    ]
    dates = spark.createDataFrame([(dt.date(2024, 1, 5),)], "d date")
    got = dates.select(F.to_utc_timestamp("d", "Asia/Tokyo"), F.from_utc_timestamp("d", "Asia/Tokyo"))
    assert [tuple(r) for r in got.collect()] == [(D(2024, 1, 4, 15, 0), D(2024, 1, 5, 9, 0))]


def test_string_input_is_read_in_the_session_zone(spark, F):
    spark.conf.set("spark.sql.session.timeZone", "America/New_York")
    try:
        df = spark.createDataFrame([("2024-03-10 01:30:00",), ("2024-03-10 02:30:00",)], "s string")
        got = df.select(F.to_utc_timestamp("s", "Asia/Tokyo"), F.from_utc_timestamp("s", "Asia/Tokyo"))
        assert [tuple(r) for r in got.collect()] == [
            (D(2024, 3, 9, 21, 30), D(2024, 3, 10, 15, 30)),
            (D(2024, 3, 9, 22, 30), D(2024, 3, 10, 16, 30)),
        ]
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")


ZONES = {
    "+0530": (D(2024, 7, 1, 6, 30), D(2024, 7, 1, 17, 30)),
    "+053000": (D(2024, 7, 1, 6, 30), D(2024, 7, 1, 17, 30)),
    "-18:00": (D(2024, 7, 2, 6, 0), D(2024, 6, 30, 18, 0)),
    "GMT+8:00": (D(2024, 7, 1, 4, 0), D(2024, 7, 1, 20, 0)),
    "UT+1": (D(2024, 7, 1, 11, 0), D(2024, 7, 1, 13, 0)),
    "Etc/GMT+8": (D(2024, 7, 1, 20, 0), D(2024, 7, 1, 4, 0)),
    "CET": (D(2024, 7, 1, 10, 0), D(2024, 7, 1, 14, 0)),
    "IST": (D(2024, 7, 1, 6, 30), D(2024, 7, 1, 17, 30)),
    "CST": (D(2024, 7, 1, 17, 0), D(2024, 7, 1, 7, 0)),
    "EST5EDT": (D(2024, 7, 1, 16, 0), D(2024, 7, 1, 8, 0)),
    "+05:43:21": (D(2024, 7, 1, 6, 16, 39), D(2024, 7, 1, 17, 43, 21)),
    "GMT0": (D(2024, 7, 1, 12, 0), D(2024, 7, 1, 12, 0)),
    "+1:30": (D(2024, 7, 1, 10, 30), D(2024, 7, 1, 13, 30)),
    "UTC+1:30": (D(2024, 7, 1, 10, 30), D(2024, 7, 1, 13, 30)),
    "UT": (D(2024, 7, 1, 12, 0), D(2024, 7, 1, 12, 0)),
    "-00:00": (D(2024, 7, 1, 12, 0), D(2024, 7, 1, 12, 0)),
    "MST": (D(2024, 7, 1, 19, 0), D(2024, 7, 1, 5, 0)),
    "HST": (D(2024, 7, 1, 22, 0), D(2024, 7, 1, 2, 0)),
    "Asia/Calcutta": (D(2024, 7, 1, 6, 30), D(2024, 7, 1, 17, 30)),
    "US/Pacific": (D(2024, 7, 1, 19, 0), D(2024, 7, 1, 5, 0)),
    "Europe/Kyiv": (D(2024, 7, 1, 9, 0), D(2024, 7, 1, 15, 0)),
}


def test_zone_id_forms(spark, F):
    df = spark.createDataFrame([(D(2024, 7, 1, 12, 0), z) for z in ZONES], "t timestamp, z string")
    literal = [df.select(F.to_utc_timestamp("t", z), F.from_utc_timestamp("t", F.lit(z))) for z in ZONES]
    assert {z: tuple(d.first()) for z, d in zip(ZONES, literal)} == ZONES
    by_column = df.select("z", F.to_utc_timestamp("t", F.col("z")), F.from_utc_timestamp("t", F.col("z")))
    assert {r[0]: (r[1], r[2]) for r in by_column.collect()} == ZONES


def test_a_plain_string_is_a_zone_id_not_a_column_name(spark, F, errors):
    df = spark.createDataFrame([(D(2024, 7, 1, 12, 0), "UTC")], "t timestamp, z string")
    with pytest.raises(errors.DateTimeException) as info:
        df.select(F.from_utc_timestamp("t", "z")).collect()
    assert message(info.value) == invalid("z")


@pytest.mark.parametrize(
    "zone",
    ["Mars/Olympus", "utc", "gmt+1", "America/los_angeles", "+18:01", "", " UTC", "+123", "+05:4321", "z"],
)
def test_invalid_literal_zone_fails_when_rows_are_computed(spark, F, errors, zone):
    df = spark.createDataFrame([(D(2024, 7, 1, 12, 0),)], "t timestamp")
    out = df.select(F.to_utc_timestamp("t", zone))  # no error yet: the zone is read at execution
    with pytest.raises(errors.DateTimeException) as info:
        out.collect()
    assert message(info.value) == invalid(zone)
    assert info.value.getCondition() == "INVALID_TIMEZONE"


def test_invalid_zones_in_a_column_and_nulls(spark, F, errors):
    bad = spark.createDataFrame([("2024-01-01 00:00:00", "Nope")], "s string, z string")
    with pytest.raises(errors.DateTimeException) as info:
        bad.select(F.from_utc_timestamp(F.col("s"), F.col("z"))).collect()
    assert message(info.value) == invalid("Nope")
    # a null time never reads its zone; a literal zone is read even with no rows
    nulls = spark.createDataFrame([(None, "Bad")], "t timestamp, z string")
    assert [tuple(r) for r in nulls.select(F.to_utc_timestamp("t", F.col("z"))).collect()] == [(None,)]
    with pytest.raises(errors.DateTimeException) as info:
        spark.createDataFrame([], "t timestamp").select(F.to_utc_timestamp("t", "Bad")).collect()
    assert message(info.value) == invalid("Bad")
    with pytest.raises(errors.DateTimeException) as info:
        nulls.select(F.from_utc_timestamp("t", F.lit(1))).collect()
    assert message(info.value) == invalid("1")


def test_wrong_input_type_and_malformed_string(spark, F, errors):
    df = spark.createDataFrame([(1,)], "n int")
    with pytest.raises(errors.AnalysisException) as info:
        df.select(F.to_utc_timestamp(F.lit(1), "UTC"))
    assert message(info.value) == (
        '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "to_utc_timestamp(1, UTC)" due to data '
        'type mismatch: The first parameter requires the "TIMESTAMP" type, however "1" has the type "INT". '
        "SQLSTATE: 42K09"
    )
    with pytest.raises(errors.DateTimeException) as info:
        df.select(F.to_utc_timestamp(F.lit("garbage"), "UTC")).collect()
    assert info.value.getCondition() == "CAST_INVALID_INPUT"


def test_nullability_and_sql(spark, F):
    df = spark.createDataFrame([(D(2024, 1, 1),)], "t timestamp")
    assert df.select(F.to_utc_timestamp("t", "Asia/Tokyo")).schema.fields[0].nullable is True
    lit = F.lit(D(2020, 1, 1))
    assert df.select(F.from_utc_timestamp(lit, "Asia/Tokyo")).schema.fields[0].nullable is False
    got = spark.sql(
        "select to_utc_timestamp('2024-01-01 00:00:00', 'Asia/Tokyo') a, "
        "from_utc_timestamp(timestamp'2024-01-01 00:00:00', 'Asia/Tokyo') b"
    )
    assert [tuple(r) for r in got.collect()] == [(D(2023, 12, 31, 15, 0), D(2024, 1, 1, 9, 0))]
    named = spark.createDataFrame([("2024-01-01 00:00:00", "Asia/Tokyo")], "s string, z string")
    assert named.selectExpr("to_utc_timestamp(s, z)", "from_utc_timestamp(s, 'UTC')").columns == [
        "to_utc_timestamp(s, z)",
        "from_utc_timestamp(s, UTC)",
    ]
