"""``DataFrame.explain`` (its modes, sections and argument errors) and ``toPandas`` without pandas.

Texts captured from PySpark 4.3.0. The plan trees themselves differ (Spark prints its physical
operators, ember its own plan), so only the section headers and errors are compared.
"""

import importlib.util

import pytest


@pytest.fixture
def df(spark):
    return spark.createDataFrame([(1, "a")], "id INT, s STRING")


def _explained(df, capsys, *args, **kwargs):
    df.explain(*args, **kwargs)
    return capsys.readouterr().out


def test_explain_sections(df, capsys):
    simple = _explained(df, capsys)
    assert simple.startswith("== Physical Plan ==\n")
    assert simple.endswith("\n\n\n")
    ext = _explained(df, capsys, True)
    headers = [line for line in ext.split("\n") if line.startswith("== ")]
    assert headers == [
        "== Parsed Logical Plan ==",
        "== Analyzed Logical Plan ==",
        "== Optimized Logical Plan ==",
        "== Physical Plan ==",
    ]
    assert ext.split("\n")[ext.split("\n").index("== Analyzed Logical Plan ==") + 1] == "id: int, s: string"
    assert ext.endswith("\n\n")


def test_explain_modes(df, capsys):
    first = [
        _explained(df, capsys, mode=m).split("\n")[0] for m in ("simple", "extended", "cost", "formatted")
    ]
    assert first == [
        "== Physical Plan ==",
        "== Parsed Logical Plan ==",
        "== Optimized Logical Plan ==",
        "== Physical Plan ==",
    ]
    assert _explained(df, capsys, "extended").split("\n")[0] == "== Parsed Logical Plan =="
    assert _explained(df, capsys, mode="codegen").startswith("Found ")
    assert "\n\n\n(1) " in _explained(df, capsys, mode="formatted")


def test_explain_argument_errors(df, engine):
    errors = engine.module("errors")
    with pytest.raises(errors.IllegalArgumentException) as info:
        df.explain(mode="bogus")
    assert str(info.value).startswith(
        "Unknown explain mode: bogus. Accepted explain modes are 'simple', 'extended', 'codegen', 'cost', "
        "'formatted'."
    )
    with pytest.raises(errors.IllegalArgumentException):
        df.explain("bogus")
    with pytest.raises(errors.PySparkValueError) as info:
        df.explain(True, "simple")
    assert str(info.value) == "[CANNOT_SET_TOGETHER] extended and mode should not be set together."
    with pytest.raises(errors.PySparkTypeError) as info:
        df.explain(3)
    assert str(info.value) == "[NOT_EXPECTED_TYPE] Argument `extended` should be bool or str, got int."


@pytest.mark.skipif(importlib.util.find_spec("pandas") is not None, reason="pandas is installed")
def test_to_pandas_without_pandas(df, engine):
    with pytest.raises(ImportError) as info:
        df.toPandas()
    assert isinstance(info.value, engine.module("errors").PySparkImportError)
    assert str(info.value) == (
        "[PACKAGE_NOT_INSTALLED] Pandas >= 2.2.0 must be installed; however, it was not found."
    )


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed")
def test_to_pandas(spark):
    # PySpark's dtypes without Arrow (its default): sized integers, float64 once a column holds a
    # null, float32 for FLOAT, Python objects for dates, decimals, arrays, maps and structs
    import datetime
    import decimal

    schema = ("b BOOLEAN, i INT, l LONG, sh SHORT, d DOUBLE, f FLOAT, s STRING, ts TIMESTAMP, dt DATE, "
              "dec DECIMAL(5,2), arr ARRAY<INT>, m MAP<STRING,INT>")
    full = (True, 1, 2**40, 3, 1.5, 2.5, "a", datetime.datetime(2024, 1, 2, 3, 4, 5),
            datetime.date(2024, 1, 2), decimal.Decimal("1.25"), [1, 2], {"k": 1})
    pdf = spark.createDataFrame([full], schema).toPandas()
    assert {c: str(t) for c, t in pdf.dtypes.items() if c not in ("s", "ts")} == {
        "b": "bool", "i": "int32", "l": "int64", "sh": "int16", "d": "float64", "f": "float32",
        "dt": "object", "dec": "object", "arr": "object", "m": "object"}
    assert str(pdf.dtypes["ts"]).startswith("datetime64[")  # [ns] with pandas 2, [us] with pandas 3
    assert pdf.iloc[0].tolist()[:7] == [True, 1, 2**40, 3, 1.5, 2.5, "a"]
    assert pdf.iloc[0].tolist()[8:10] == [datetime.date(2024, 1, 2), decimal.Decimal("1.25")]
    assert list(pdf["arr"][0]) == [1, 2] and pdf["m"][0] == {"k": 1}
    nulls = spark.createDataFrame([full, (None,) * 12], schema).toPandas()
    assert {c: str(t) for c, t in nulls.dtypes.items() if c in "b i l sh d f".split()} == {
        "b": "object", "i": "float64", "l": "float64", "sh": "float64", "d": "float64", "f": "float32"}
    assert nulls["b"].tolist() == [True, None] and nulls["dt"].tolist() == [datetime.date(2024, 1, 2), None]
    assert str(spark.createDataFrame([], "i INT").toPandas().dtypes["i"]) == "int32"


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed")
def test_create_data_frame_from_pandas_reads_nan_as_null(spark):
    import pandas as pd

    df = spark.createDataFrame(pd.DataFrame({"a": [1, 2], "b": ["x", None], "c": [1.5, float("nan")]}))
    assert df.schema.simpleString() == "struct<a:bigint,b:string,c:double>"
    assert [tuple(r) for r in df.collect()] == [(1, "x", 1.5), (2, None, None)]
