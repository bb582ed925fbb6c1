"""ember-only checks of ember.sql.types: where ember deliberately differs, and its own helpers.

Everything Spark defines is in tests/conformance/test_sql_types_show.py.
"""

from __future__ import annotations

import doctest
import pickle

import pytest

import ember.sql.row
import ember.sql.show
import ember.sql.types
from ember.errors import ParseException, PySparkAttributeError, PySparkNotImplementedError, PySparkValueError
from ember.sql.types import (
    ArrayType,
    DecimalType,
    IntegerType,
    LongType,
    MapType,
    NullType,
    PySparkIndexError,
    PySparkKeyError,
    Row,
    StringType,
    StructField,
    StructType,
    _has_nulltype,
    _parse_datatype_string,
)


@pytest.mark.parametrize("module", [ember.sql.types, ember.sql.row, ember.sql.show])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


def test_error_classes_are_the_builtin_kinds():
    assert issubclass(PySparkKeyError, KeyError)
    assert issubclass(PySparkIndexError, IndexError)
    assert issubclass(PySparkAttributeError, AttributeError)
    with pytest.raises(PySparkKeyError) as e:
        StructType()["x"]
    assert e.value.getErrorClass() == "KEY_NOT_EXISTS"
    assert e.value.getMessageParameters() == {"key": "x"}


def test_ddl_needs_no_session():
    # PySpark asks the JVM; ember parses in Python, so no context is needed.
    expected = StructType([StructField("a", ArrayType(IntegerType())),
                           StructField("b", MapType(StringType(), LongType()), False)])
    assert _parse_datatype_string("a array<int>, b map<string, bigint> not null") == expected


def test_ddl_comment_goes_to_metadata():
    schema = _parse_datatype_string("a int comment 'hi' , b string comment 'x\\'y'")
    assert schema["b"].metadata == {"comment": "x'y"}
    assert schema.toDDL().startswith("a INT COMMENT")


def test_ddl_decimal_scale_above_precision():
    # Spark's text for this one was not captured; ember refuses it with a ValueError.
    with pytest.raises(PySparkValueError):
        _parse_datatype_string("a decimal(5,7)")


@pytest.mark.parametrize("ddl", ["interval", "interval year to month", "a interval"])
def test_ddl_intervals_ember_lacks(ddl):
    with pytest.raises(PySparkNotImplementedError):
        _parse_datatype_string(ddl)


def test_ddl_errors_are_parse_exceptions():
    with pytest.raises(ParseException) as e:
        _parse_datatype_string("a int,")
    assert e.value.getErrorClass() == "PARSE_SYNTAX_ERROR"


def test_struct_type_add_parses_ddl_types():
    s = StructType().add("a", "int").add("b", "array<string>", False)
    assert s == StructType([StructField("a", IntegerType()),
                            StructField("b", ArrayType(StringType()), False)])


def test_has_nulltype():
    assert _has_nulltype(StructType([StructField("a", ArrayType(NullType()))]))
    assert _has_nulltype(MapType(StringType(), NullType()))
    assert not _has_nulltype(StructType([StructField("a", DecimalType())]))


def test_row_pickles_with_nested_rows():
    r = Row(a=Row(b=1), c=[Row(d=None)])
    back = pickle.loads(pickle.dumps(r))
    assert back == r and back.a.b == 1 and back.c[0].__fields__ == ["d"]
