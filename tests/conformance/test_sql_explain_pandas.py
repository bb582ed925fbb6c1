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
    pdf = spark.createDataFrame([(1, "a"), (2, None)], "id INT, s STRING").toPandas()
    assert list(pdf.columns) == ["id", "s"]
    assert pdf["id"].tolist() == [1, 2]
    assert pdf["s"].tolist()[0] == "a"
