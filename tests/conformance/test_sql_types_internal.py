"""``DataType.needConversion`` / ``toInternal`` / ``fromInternal`` on both engines.

Spark's internal forms: a date is days since 1970-01-01, a timestamp microseconds since the epoch
(a naive datetime read as local time), a struct a plain tuple. Literals captured from PySpark 4.3.0.
"""

from __future__ import annotations

from datetime import date as D
from datetime import datetime as T
from datetime import timedelta, timezone

import pytest

pytestmark = pytest.mark.usefixtures("utc")


@pytest.fixture
def t(engine):
    return engine.module("sql.types")


def test_needs_conversion(t):
    assert [t.DateType().needConversion(), t.TimestampType().needConversion(),
            t.TimestampNTZType().needConversion(), t.StringType().needConversion(),
            t.DecimalType().needConversion(), t.IntegerType().needConversion()] == [
        True, True, True, False, False, False]
    assert t.ArrayType(t.DateType()).needConversion() is True
    assert t.ArrayType(t.IntegerType()).needConversion() is False
    assert t.MapType(t.StringType(), t.DateType()).needConversion() is True
    assert t.MapType(t.StringType(), t.LongType()).needConversion() is False
    assert t.StructField("d", t.DateType()).needConversion() is True
    assert t.StructType([t.StructField("a", t.IntegerType())]).needConversion() is True


def test_dates_and_timestamps(t):
    assert t.DateType().toInternal(D(2020, 1, 2)) == 18263
    assert t.DateType().fromInternal(18263) == D(2020, 1, 2)
    assert t.DateType().toInternal(T(1970, 1, 2, 5)) == 1
    assert t.DateType().fromInternal(-1) == D(1969, 12, 31)
    assert t.TimestampType().toInternal(T(2020, 1, 1, 1, 2, 3, 4)) == 1577840523000004
    assert t.TimestampType().fromInternal(1577840523000004) == T(2020, 1, 1, 1, 2, 3, 4)
    aware = T(2020, 1, 1, tzinfo=timezone(timedelta(hours=2)))
    assert t.TimestampType().toInternal(aware) == 1577829600000000
    assert t.TimestampNTZType().toInternal(T(2020, 1, 1, 1, 2, 3, 4)) == 1577840523000004
    assert t.TimestampNTZType().fromInternal(1577840523000004) == T(2020, 1, 1, 1, 2, 3, 4)
    assert [t.TimestampType().toInternal(None), t.DateType().fromInternal(None)] == [None, None]


def test_collections(t):
    assert t.ArrayType(t.DateType()).toInternal([D(1970, 1, 2), None]) == [1, None]
    assert t.ArrayType(t.DateType()).fromInternal([1]) == [D(1970, 1, 2)]
    assert t.MapType(t.StringType(), t.DateType()).toInternal({"a": D(1970, 1, 3)}) == {"a": 2}
    assert t.MapType(t.StringType(), t.DateType()).fromInternal({"a": 2}) == {"a": D(1970, 1, 3)}
    same = [1, 2]
    assert t.ArrayType(t.IntegerType()).toInternal(same) is same


def test_structs(t, engine):
    Row = engine.module("sql").Row
    plain = t.StructType([t.StructField("a", t.IntegerType()), t.StructField("b", t.StringType())])
    # a Row is taken by position, a dict by name
    assert plain.toInternal(Row(b="x", a=1)) == ("x", 1)
    assert plain.toInternal([1, "x"]) == (1, "x")
    assert plain.toInternal({"b": "x"}) == (None, "x")
    assert plain.toInternal(None) is None
    dated = t.StructType([t.StructField("a", t.IntegerType()), t.StructField("t", t.DateType())])
    assert dated.toInternal((1, D(1970, 1, 5))) == (1, 4)
    assert dated.toInternal({"a": 1, "t": None}) == (1, None)
    row = dated.fromInternal((1, 4))
    assert repr(row) == "Row(a=1, t=datetime.date(1970, 1, 5))"
    assert row.t == D(1970, 1, 5)
    assert repr(plain.fromInternal([1, "x"])) == "Row(a=1, b='x')"
    already = Row(a=1, t=2)
    assert dated.fromInternal(already) is already


def test_struct_of_something_else(t):
    plain = t.StructType([t.StructField("a", t.IntegerType())])
    with pytest.raises(ValueError) as info:
        plain.toInternal(5)
    assert str(info.value) == "[UNEXPECTED_TUPLE_WITH_STRUCT] Unexpected tuple 5 with StructType."
