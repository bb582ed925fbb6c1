"""``functions.hash`` (Murmur3 x86_32, seed 42) and ``xxhash64`` (seed 42) over Spark's value
encodings: every number below was printed by PySpark 4.3.0.
"""

import datetime
import decimal

import pytest

SCHEMA = (
    "i INT, l BIGINT, s STRING, d DOUBLE, f FLOAT, b BOOLEAN, dt DATE, ts TIMESTAMP, dec DECIMAL(10,2), "
    "bin BINARY, arr ARRAY<INT>, st STRUCT<x:INT,y:STRING>, sh SMALLINT, by TINYINT, bigdec DECIMAL(30,1)"
)
ROW = (
    1,
    2**40,
    "abc",
    1.5,
    1.5,
    True,
    datetime.date(2024, 1, 2),
    datetime.datetime(2024, 1, 2, 3, 4, 5, 6),
    decimal.Decimal("12.34"),
    bytearray(b"\x01\x02"),
    [1, 2],
    (1, "a"),
    7,
    3,
    decimal.Decimal("123456789012345678901.5"),
)

# column -> (hash, xxhash64)
BY_TYPE = {
    "i": (-559580957, -6698625589789238999),
    "l": (-1596767687, 1821704621099523357),
    "s": (1322437556, 1423657621850124518),
    "d": (1290763749, 7738255526519901366),
    "f": (-221251528, 6163473420726370430),
    "b": (-559580957, -6698625589789238999),
    "dt": (-21057580, 2483697508354006915),
    "ts": (2001076787, 6439367812430657979),
    "dec": (-1028144669, -3802813071951760351),
    "bin": (1964783052, -449066226287847073),
    "arr": (-222940379, -8133857028838179022),
    "st": (-936062819, 8205864924878002737),
    "sh": (1079293707, 2786828215451145335),
    "by": (-1823081949, 6258084186791473711),
    "bigdec": (975144850, -4810510553267051780),
}


@pytest.fixture
def typed(spark):
    return spark.createDataFrame([ROW], SCHEMA)


def _tuples(df):
    return [tuple(r) for r in df.collect()]


@pytest.mark.parametrize("name", list(BY_TYPE))
def test_hash_of_each_type(typed, engine, name):
    F = engine.module("sql.functions")
    assert _tuples(typed.select(F.hash(name), F.xxhash64(name))) == [BY_TYPE[name]]


def test_several_columns_fold_left_to_right(typed, engine):
    F = engine.module("sql.functions")
    assert _tuples(typed.select(F.hash("i", "s", "d"))) == [(-1702017628,)]
    assert _tuples(typed.select(F.xxhash64("i", "s", "d"))) == [(-9141143154296765076,)]
    assert typed.select(F.hash("i", "s"), F.xxhash64("i"), F.hash(F.col("i") + 1)).columns == [
        "hash(i, s)",
        "xxhash64(i)",
        "hash((i + 1))",
    ]
    assert typed.select(F.hash("i")).schema.simpleString() == "struct<hash(i):int>"
    assert typed.select(F.xxhash64("i")).schema.simpleString() == "struct<xxhash64(i):bigint>"


def test_nulls_leave_the_seed(spark, engine):
    F = engine.module("sql.functions")
    df = spark.createDataFrame([(None, None, "")], "i INT, s STRING, e STRING")
    out = df.select(
        F.hash("i"),
        F.hash("s"),
        F.hash("i", "s"),
        F.hash("e"),
        F.xxhash64("i"),
        F.xxhash64("e"),
        F.xxhash64("i", "e"),
    )
    assert _tuples(out) == [(42, 42, 42, 142593372, 42, -7444071767201028348, -7444071767201028348)]
    lits = spark.range(1).select(F.hash(F.lit(1)), F.hash(F.lit("a")), F.hash(F.lit(None)))
    assert _tuples(lits) == [(-559580957, 1485273170, 42)]


def test_float_specials(spark, engine):
    F = engine.module("sql.functions")
    df = spark.createDataFrame(
        [(0.0, -0.0, float("nan"), float("inf"), 0.0)], "a DOUBLE, b DOUBLE, c DOUBLE, d DOUBLE, e FLOAT"
    )
    out = df.select(*[F.hash(x) for x in "abcde"], *[F.xxhash64(x) for x in "abcde"])
    assert _tuples(out) == [
        (
            -1670924195,
            -1670924195,
            -1281358385,
            833680482,
            933211791,
            -5252525462095825812,
            -5252525462095825812,
            -3127944061524951246,
            5810986238603807492,
            3614696996920510707,
        )
    ]


def test_strings(spark, engine):
    F = engine.module("sql.functions")
    df = spark.createDataFrame([("héllo wörld ✓ 😀",), ("a",), ("abcd",), ("abcde",)], "s STRING")
    assert _tuples(df.select(F.hash("s"), F.xxhash64("s"))) == [
        (1966578065, -142877710141881431),
        (1485273170, -8582455328737087284),
        (-396302900, -6810745876291105281),
        (814637928, -990457398947679591),
    ]


def test_long_strings(spark, engine):
    F = engine.module("sql.functions")
    df = spark.createDataFrame([("x" * 40,), ("y" * 100,)], "s STRING")
    assert _tuples(df.select(F.hash("s"), F.xxhash64("s"))) == [
        (-187053838, -5348608777870439244),
        (723092462, 5011348227102350976),
    ]


def test_longs_and_ints(spark, engine):
    F = engine.module("sql.functions")
    out = spark.range(-3, 3).select(
        F.hash("id"), F.hash(F.col("id").cast("int")), F.xxhash64("id"), F.xxhash64(F.col("id").cast("int"))
    )
    assert _tuples(out) == [
        (-925101593, -1573329414, 1828574075509201448, 1399955818750051488),
        (-981642528, -1160545675, 7059853439729830566, 6162728026222640212),
        (-939490007, -1604776387, 3858142552250413010, 2017008487422258757),
        (-1670924195, 933211791, -5252525462095825812, 3614696996920510707),
        (-1712319331, -559580957, -7001672635703045582, -6698625589789238999),
        (-797927272, 1765031574, -3341702809300393011, 8420071140774656230),
    ]


def test_arrays_and_structs(spark, engine):
    F = engine.module("sql.functions")
    arrs = spark.createDataFrame(
        [([], [None], [1, None], ["a", "b"])], "a ARRAY<INT>, b ARRAY<INT>, c ARRAY<INT>, d ARRAY<STRING>"
    )
    out = arrs.select(*[F.hash(x) for x in "abcd"], *[F.xxhash64(x) for x in "abcd"])
    assert _tuples(out) == [
        (42, 42, -559580957, 190734147, 42, 42, -6698625589789238999, -7357372313250070212)
    ]
    structs = spark.createDataFrame([((None, "a"),), (None,)], "s STRUCT<x:INT,y:STRING>")
    assert _tuples(structs.select(F.hash("s"), F.xxhash64("s"))) == [
        (1485273170, -8582455328737087284),
        (42, 42),
    ]


def test_timestamp_ntz_and_decimals(spark, engine):
    F = engine.module("sql.functions")
    ntz = spark.createDataFrame([(datetime.datetime(2024, 1, 2, 3, 4, 5, 6),)], "t TIMESTAMP_NTZ")
    assert _tuples(ntz.select(F.hash("t"), F.xxhash64("t"))) == [(2001076787, 6439367812430657979)]
    small = spark.createDataFrame(
        [(decimal.Decimal("-1.00"), decimal.Decimal("0"), decimal.Decimal("99999999999999999.9"))],
        "a DECIMAL(5,2), b DECIMAL(18,0), c DECIMAL(18,1)",
    )
    out = small.select(F.hash("a"), F.hash("b"), F.hash("c"), F.xxhash64("a"), F.xxhash64("c"))
    assert _tuples(out) == [(904948192, -1670924195, -1795328666, 5675770457807661948, 2162198894918931945)]
    big = spark.createDataFrame(
        [(decimal.Decimal("-1.5"), decimal.Decimal("0.0"), decimal.Decimal("1000000000000000000000"))],
        "a DECIMAL(20,1), b DECIMAL(20,1), c DECIMAL(38,0)",
    )
    out = big.select(F.hash("a"), F.hash("b"), F.hash("c"), F.xxhash64("a"), F.xxhash64("b"), F.xxhash64("c"))
    assert _tuples(out) == [
        (
            1306670177,
            -783713497,
            -1434727740,
            -8884217007808299905,
            -8959994473701255385,
            -4493503680330862812,
        )
    ]
