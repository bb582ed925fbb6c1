# ruff: noqa: E501
"""pyspark.sql.types and show() on both engines, against literals captured from PySpark 4.

Types, Row, schema inference and DDL parsing need no session (DDL parsing needs a SparkContext on
Spark). The show() tables go through ``createDataFrame(rows, ddl).show(...)``; tests/sql/test_show.py
checks the same tables against ember's formatter directly.
"""

from __future__ import annotations

import pickle
from collections import namedtuple
from datetime import date as D
from datetime import datetime as T
from datetime import timedelta
from decimal import Decimal

import pytest


@pytest.fixture
def t(engine):
    """``pyspark.sql.types`` or ``ember.sql.types``."""
    return engine.module("sql.types")


def _message(exc: BaseException) -> str:
    # Spark's captured errors start with a newline; the text after it is the same.
    return str(exc).strip()


# -- types -------------------------------------------------------------------------------------

TYPES = [
    # (builder, repr, simpleString, jsonValue)
    (lambda t: t.NullType(), "NullType()", "void", "void"),
    (lambda t: t.StringType(), "StringType()", "string", "string"),
    (lambda t: t.BinaryType(), "BinaryType()", "binary", "binary"),
    (lambda t: t.BooleanType(), "BooleanType()", "boolean", "boolean"),
    (lambda t: t.ByteType(), "ByteType()", "tinyint", "byte"),
    (lambda t: t.ShortType(), "ShortType()", "smallint", "short"),
    (lambda t: t.IntegerType(), "IntegerType()", "int", "integer"),
    (lambda t: t.LongType(), "LongType()", "bigint", "long"),
    (lambda t: t.FloatType(), "FloatType()", "float", "float"),
    (lambda t: t.DoubleType(), "DoubleType()", "double", "double"),
    (lambda t: t.DecimalType(), "DecimalType(10,0)", "decimal(10,0)", "decimal(10,0)"),
    (lambda t: t.DecimalType(5, 2), "DecimalType(5,2)", "decimal(5,2)", "decimal(5,2)"),
    (lambda t: t.DateType(), "DateType()", "date", "date"),
    (lambda t: t.TimestampType(), "TimestampType()", "timestamp", "timestamp"),
    (lambda t: t.TimestampNTZType(), "TimestampNTZType()", "timestamp_ntz", "timestamp_ntz"),
    (lambda t: t.DayTimeIntervalType(), "DayTimeIntervalType(0, 3)", "interval day to second", "interval day to second"),
    (lambda t: t.DayTimeIntervalType(0, 0), "DayTimeIntervalType(0, 0)", "interval day", "interval day"),
    (lambda t: t.DayTimeIntervalType(1, 3), "DayTimeIntervalType(1, 3)", "interval hour to second", "interval hour to second"),
    (lambda t: t.CharType(3), "CharType(3)", "char(3)", "char(3)"),
    (lambda t: t.VarcharType(5), "VarcharType(5)", "varchar(5)", "varchar(5)"),
    (lambda t: t.ArrayType(t.StringType()), "ArrayType(StringType(), True)", "array<string>",
     {"type": "array", "elementType": "string", "containsNull": True}),
    (lambda t: t.ArrayType(t.IntegerType(), False), "ArrayType(IntegerType(), False)", "array<int>",
     {"type": "array", "elementType": "integer", "containsNull": False}),
    (lambda t: t.MapType(t.StringType(), t.LongType()), "MapType(StringType(), LongType(), True)", "map<string,bigint>",
     {"type": "map", "keyType": "string", "valueType": "long", "valueContainsNull": True}),
    (lambda t: t.StructField("a", t.LongType()), "StructField('a', LongType(), True)", "a:bigint",
     {"name": "a", "type": "long", "nullable": True, "metadata": {}}),
    (lambda t: t.StructField("b", t.StringType(), False, {"x": 1}), "StructField('b', StringType(), False)", "b:string",
     {"name": "b", "type": "string", "nullable": False, "metadata": {"x": 1}}),
    (lambda t: t.StructType([t.StructField("word", t.StringType()), t.StructField("n", t.IntegerType(), False)]),
     "StructType([StructField('word', StringType(), True), StructField('n', IntegerType(), False)])",
     "struct<word:string,n:int>",
     {"type": "struct", "fields": [{"name": "word", "type": "string", "nullable": True, "metadata": {}},
                                   {"name": "n", "type": "integer", "nullable": False, "metadata": {}}]}),
    (lambda t: t.StructType(), "StructType([])", "struct<>", {"type": "struct", "fields": []}),
]


@pytest.mark.parametrize("build, rep, simple, json_value", TYPES, ids=[c[1] for c in TYPES])
def test_type_repr_simple_string_and_json(t, build, rep, simple, json_value):
    dt = build(t)
    assert repr(dt) == rep
    assert str(dt) == rep
    assert dt.simpleString() == simple
    assert dt.jsonValue() == json_value
    assert hash(dt) == hash(build(t))
    assert dt == build(t)


def test_type_names(t):
    names = {c.__name__: c.typeName() for c in (
        t.NullType, t.StringType, t.BinaryType, t.BooleanType, t.ByteType, t.ShortType, t.IntegerType,
        t.LongType, t.FloatType, t.DoubleType, t.DecimalType, t.DateType, t.TimestampType,
        t.TimestampNTZType, t.DayTimeIntervalType, t.ArrayType, t.MapType, t.StructType)}
    assert names == {
        "NullType": "void", "StringType": "string", "BinaryType": "binary", "BooleanType": "boolean",
        "ByteType": "byte", "ShortType": "short", "IntegerType": "integer", "LongType": "long",
        "FloatType": "float", "DoubleType": "double", "DecimalType": "decimal", "DateType": "date",
        "TimestampType": "timestamp", "TimestampNTZType": "timestamp_ntz",
        "DayTimeIntervalType": "daytimeinterval", "ArrayType": "array", "MapType": "map", "StructType": "struct"}
    with pytest.raises(TypeError) as e:
        t.StructField("a", t.LongType()).typeName()
    assert _message(e.value) == ("[INVALID_TYPENAME_CALL] StructField does not have typeName. "
                                 "Use typeName on its type explicitly instead.")


def test_equality(t):
    assert t.LongType() == t.LongType() and t.LongType() is t.LongType()
    assert t.LongType() != t.IntegerType()
    assert t.DecimalType(10, 2) == t.DecimalType(10, 2) != t.DecimalType(10, 3)
    assert t.ArrayType(t.LongType()) != t.ArrayType(t.LongType(), False)
    assert t.StructField("a", t.LongType()) == t.StructField("a", t.LongType(), True, {})


def test_json(t):
    s = t.StructType([t.StructField("word", t.StringType()), t.StructField("n", t.IntegerType(), False)])
    assert s.json() == ('{"fields":[{"metadata":{},"name":"word","nullable":true,"type":"string"},'
                        '{"metadata":{},"name":"n","nullable":false,"type":"integer"}],"type":"struct"}')
    assert t.MapType(t.StringType(), t.LongType(), False).json() == (
        '{"keyType":"string","type":"map","valueContainsNull":false,"valueType":"long"}')
    assert t.DecimalType(5, 2).json() == '"decimal(5,2)"'
    assert t.StructType.fromJson(s.jsonValue()) == s
    nested = _nested(t)
    assert t.StructType.fromJson(nested.jsonValue()) == nested
    assert t.StructField.fromJson({"name": "a", "type": "long", "nullable": False}) == t.StructField("a", t.LongType(), False)
    assert t.ArrayType.fromJson({"type": "array", "elementType": "long", "containsNull": False}) == t.ArrayType(t.LongType(), False)


def _nested(t):
    window = t.StructType([t.StructField("start", t.TimestampType()), t.StructField("end", t.TimestampType())])
    return t.StructType([
        t.StructField("window", window, False),
        t.StructField("tags", t.ArrayType(t.StringType())),
        t.StructField("m", t.MapType(t.StringType(), t.ArrayType(t.LongType(), False), True)),
        t.StructField("aa", t.ArrayType(t.StructType([t.StructField("x", t.DoubleType())]))),
        t.StructField("d", t.DecimalType(10, 2)),
        t.StructField("my col", t.ByteType(), False),
        t.StructField("i", t.IntegerType()),
        t.StructField("s", t.ShortType()),
        t.StructField("n", t.NullType()),
        t.StructField("ntz", t.TimestampNTZType()),
        t.StructField("iv", t.DayTimeIntervalType()),
        t.StructField("b", t.BinaryType()),
        t.StructField("e", t.StructType()),
    ])


def test_nested_strings(t):
    nested = _nested(t)
    assert nested.simpleString() == (
        "struct<window:struct<start:timestamp,end:timestamp>,tags:array<string>,m:map<string,array<bigint>>,"
        "aa:array<struct<x:double>>,d:decimal(10,2),my col:tinyint,i:int,s:smallint,n:void,ntz:timestamp_ntz,"
        "iv:interval day to second,b:binary,e:struct<>>")
    assert repr(nested[:4]) == (
        "StructType([StructField('window', StructType([StructField('start', TimestampType(), True), "
        "StructField('end', TimestampType(), True)]), False), StructField('tags', ArrayType(StringType(), True), True), "
        "StructField('m', MapType(StringType(), ArrayType(LongType(), False), True), True), "
        "StructField('aa', ArrayType(StructType([StructField('x', DoubleType(), True)]), True), True)])")


TREE = (
    "root\n"
    " |-- window: struct (nullable = false)\n"
    " |    |-- start: timestamp (nullable = true)\n"
    " |    |-- end: timestamp (nullable = true)\n"
    " |-- tags: array (nullable = true)\n"
    " |    |-- element: string (containsNull = true)\n"
    " |-- m: map (nullable = true)\n"
    " |    |-- key: string\n"
    " |    |-- value: array (valueContainsNull = true)\n"
    " |    |    |-- element: long (containsNull = false)\n"
    " |-- aa: array (nullable = true)\n"
    " |    |-- element: struct (containsNull = true)\n"
    " |    |    |-- x: double (nullable = true)\n"
    " |-- d: decimal(10,2) (nullable = true)\n"
    " |-- my col: byte (nullable = false)\n"
    " |-- i: integer (nullable = true)\n"
    " |-- s: short (nullable = true)\n"
    " |-- n: void (nullable = true)\n"
    " |-- ntz: timestamp_ntz (nullable = true)\n"
    " |-- iv: interval day to second (nullable = true)\n"
    " |-- b: binary (nullable = true)\n"
    " |-- e: struct (nullable = true)\n"
)


def test_tree_string(t):
    nested = _nested(t)
    assert nested.treeString() == TREE
    assert nested.treeString(0) == TREE
    assert nested.treeString(-1) == TREE
    assert nested[:4].treeString(1) == (
        "root\n |-- window: struct (nullable = false)\n |-- tags: array (nullable = true)\n"
        " |-- m: map (nullable = true)\n |-- aa: array (nullable = true)\n")
    assert nested[2:4].treeString(2) == (
        "root\n |-- m: map (nullable = true)\n |    |-- key: string\n"
        " |    |-- value: array (valueContainsNull = true)\n |-- aa: array (nullable = true)\n"
        " |    |-- element: struct (containsNull = true)\n")
    assert t.StructType().treeString() == "root\n"


def test_struct_type_access(t):
    s = t.StructType([t.StructField("word", t.StringType()), t.StructField("n", t.IntegerType(), False)])
    assert s.fieldNames() == ["word", "n"] == s.names
    assert s.fields == [t.StructField("word", t.StringType()), t.StructField("n", t.IntegerType(), False)]
    assert s["n"] == t.StructField("n", t.IntegerType(), False)
    assert s[0].name == "word" and s[-1].name == "n"
    assert repr(s[0:1]) == "StructType([StructField('word', StringType(), True)])"
    assert len(s) == 2 and [f.name for f in s] == ["word", "n"]
    assert "word" not in s  # iterates over fields, not names
    with pytest.raises(KeyError) as e:
        s["zz"]
    assert _message(e.value) == "[KEY_NOT_EXISTS] Key `zz` does not exist."
    with pytest.raises(IndexError) as e:
        s[5]
    assert _message(e.value) == "[INDEX_OUT_OF_RANGE] StructType index out of range, got '5'."
    with pytest.raises(TypeError) as e:
        s[1.5]
    assert _message(e.value) == "[NOT_EXPECTED_TYPE] Argument `key` should be int, slice or str, got float."


def test_struct_type_add(t):
    s = t.StructType().add("a", t.IntegerType()).add(t.StructField("b", t.LongType()))
    s.add("c", t.LongType(), False, {"m": 1})
    assert repr(s) == ("StructType([StructField('a', IntegerType(), True), StructField('b', LongType(), True), "
                       "StructField('c', LongType(), False)])")
    assert s["c"].metadata == {"m": 1}
    assert s.names == ["a", "b", "c"]
    with pytest.raises(ValueError) as e:
        t.StructType().add("a")
    assert _message(e.value) == ("[ARGUMENT_REQUIRED] Argument `data_type` is required when passing name of "
                                 "struct_field to create.")


def test_to_ddl(t, engine, request):
    if engine.is_spark:
        request.getfixturevalue("spark")  # PySpark asks the JVM
    s = t.StructType([
        t.StructField("window", t.StructType([t.StructField("start", t.TimestampType()),
                                              t.StructField("end", t.TimestampType())]), False),
        t.StructField("tags", t.ArrayType(t.StringType())),
        t.StructField("m", t.MapType(t.StringType(), t.ArrayType(t.LongType(), False), True)),
        t.StructField("aa", t.ArrayType(t.StructType([t.StructField("x", t.DoubleType())]))),
        t.StructField("d", t.DecimalType(10, 2)), t.StructField("my col", t.ByteType(), False),
        t.StructField("i", t.IntegerType()), t.StructField("s", t.ShortType()), t.StructField("n", t.NullType()),
        t.StructField("ntz", t.TimestampNTZType()), t.StructField("iv", t.DayTimeIntervalType()),
        t.StructField("iv2", t.DayTimeIntervalType(1, 2)), t.StructField("b", t.BinaryType()),
        t.StructField("c", t.CharType(3)), t.StructField("v", t.VarcharType(5)),
        t.StructField("a`b", t.FloatType()), t.StructField("e", t.StructType()),
    ])
    assert s.toDDL() == (
        "window STRUCT<start: TIMESTAMP, end: TIMESTAMP> NOT NULL,tags ARRAY<STRING>,m MAP<STRING, ARRAY<BIGINT>>,"
        "aa ARRAY<STRUCT<x: DOUBLE>>,d DECIMAL(10,2),`my col` TINYINT NOT NULL,i INT,s SMALLINT,n VOID,"
        "ntz TIMESTAMP_NTZ,iv INTERVAL DAY TO SECOND,iv2 INTERVAL HOUR TO MINUTE,b BINARY,c CHAR(3),v VARCHAR(5),"
        "`a``b` FLOAT,e STRUCT<>")


def test_from_ddl(t, sc):
    assert repr(t.DataType.fromDDL("a int, b string")) == (
        "StructType([StructField('a', IntegerType(), True), StructField('b', StringType(), True)])")
    assert t.DataType.fromDDL("int") == t.IntegerType()


def test_json_schema_strings(t):
    parse = t._parse_datatype_json_string
    assert parse('"integer"') == t.IntegerType() and parse('"void"') == t.NullType()
    assert parse('"decimal"') == t.DecimalType(10, 0)
    assert parse('"interval day to second"') == t.DayTimeIntervalType(0, 3)
    nested = _nested(t)
    assert parse(nested.json()) == nested
    for text, message in [('"null"', "[CANNOT_PARSE_DATATYPE] Unable to parse datatype. null."),
                          ('"foo"', "[CANNOT_PARSE_DATATYPE] Unable to parse datatype. foo."),
                          ('{"type": "foo"}', "[UNSUPPORTED_DATA_TYPE] Unsupported DataType `foo`.")]:
        with pytest.raises(ValueError) as e:
            parse(text)
        assert _message(e.value) == message


def test_day_time_interval_fields(t):
    assert repr(t.DayTimeIntervalType(1)) == "DayTimeIntervalType(1, 1)"
    with pytest.raises(RuntimeError) as e:
        t.DayTimeIntervalType(4)
    assert _message(e.value) == "[INVALID_INTERVAL_CASTING] Interval 4 to 4 is invalid."


# -- Row ---------------------------------------------------------------------------------------


def test_row_keywords(t):
    r = t.Row(word="a", count=1)
    assert repr(r) == "Row(word='a', count=1)" == str(r)
    assert r.__fields__ == ["word", "count"]
    assert (r.word, r["count"], r[1], r[0:1]) == ("a", 1, 1, ("a",))
    assert isinstance(r, tuple) and len(r) == 2
    assert "word" in r and "a" not in r
    assert r == ("a", 1) and r == t.Row(x="a", y=1) and hash(r) == hash(("a", 1))
    assert r.asDict() == {"word": "a", "count": 1}
    back = pickle.loads(pickle.dumps(r))
    assert back == r and back.__fields__ == ["word", "count"] and repr(back) == repr(r)
    assert not hasattr(r, "__foo__")


def test_row_errors(t):
    r = t.Row(word="a", count=1)
    with pytest.raises(ValueError) as e:
        r["zz"]
    assert _message(e.value) == "zz"
    with pytest.raises(AttributeError) as e:
        _ = r.zz
    assert _message(e.value) == "[ATTRIBUTE_NOT_SUPPORTED] Attribute `zz` is not supported."
    with pytest.raises(IndexError):
        r[5]
    with pytest.raises(RuntimeError) as e:
        r.word = 2
    assert _message(e.value) == "[READ_ONLY] Row is read-only."
    with pytest.raises(ValueError) as e:
        t.Row("a", b=1)
    assert _message(e.value) == "[CANNOT_SET_TOGETHER] args and kwargs should not be set together."


def test_row_factory_and_positional(t):
    person = t.Row("a", "b")
    assert repr(person) == "<Row('a', 'b')>"
    assert not hasattr(person, "__fields__")
    assert "a" in person
    assert repr(person(1, 2)) == "Row(a=1, b=2)" and person(1, 2).b == 2
    assert repr(person(1)) == "Row(a=1)"
    with pytest.raises(ValueError) as e:
        person(1, 2, 3)
    assert _message(e.value) == "[TOO_MANY_VALUES] Expected 2 values for `fields`, got 3."
    assert repr(pickle.loads(pickle.dumps(person))) == "<Row('a', 'b')>"
    p = t.Row(1, "x", None)
    assert repr(p) == "<Row(1, 'x', None)>" and 1 in p and repr(t.Row()) == "<Row()>"
    with pytest.raises(TypeError) as e:
        p.asDict()
    assert _message(e.value) == "[CANNOT_CONVERT_TYPE] Cannot convert Row into dict."
    with pytest.raises(AttributeError) as e:
        _ = p.a
    assert _message(e.value) == "[ATTRIBUTE_NOT_SUPPORTED] Attribute `__fields__` is not supported."
    dup = t.Row("a", "a")(1, 2)
    assert repr(dup) == "Row(a=1, a=2)" and dup.asDict() == {"a": 2} and dup["a"] == 1


def test_row_nested(t):
    r = t.Row(a=t.Row(b=1, c=[t.Row(d=2)]), e={"k": t.Row(f=3)})
    assert repr(r) == "Row(a=Row(b=1, c=[Row(d=2)]), e={'k': Row(f=3)})"
    assert repr(r.asDict()) == "{'a': Row(b=1, c=[Row(d=2)]), 'e': {'k': Row(f=3)}}"
    assert r.asDict(True) == {"a": {"b": 1, "c": [{"d": 2}]}, "e": {"k": {"f": 3}}}
    values = t.Row(a=None, b=1.5, c="x'y", d=b"ab", e=D(2020, 1, 2), f=Decimal("1.50"))
    assert repr(values) == ("Row(a=None, b=1.5, c=\"x'y\", d=b'ab', e=datetime.date(2020, 1, 2), "
                            "f=Decimal('1.50'))")


# -- DDL ---------------------------------------------------------------------------------------

DDL = [
    ("word STRING, n INT", "StructType([StructField('word', StringType(), True), StructField('n', IntegerType(), True)])"),
    ("word: string, n: int", "StructType([StructField('word', StringType(), True), StructField('n', IntegerType(), True)])"),
    ("struct<a:int,b:string>", "StructType([StructField('a', IntegerType(), True), StructField('b', StringType(), True)])"),
    ("array<string>", "ArrayType(StringType(), True)"),
    ("map<string,int>", "MapType(StringType(), IntegerType(), True)"),
    ("int", "IntegerType()"),
    ("INT", "IntegerType()"),
    ("bigint", "LongType()"),
    ("long", "LongType()"),
    ("decimal(10,2)", "DecimalType(10,2)"),
    ("decimal", "DecimalType(10,0)"),
    ("decimal(5)", "DecimalType(5,0)"),
    ("dec(10,2)", "DecimalType(10,2)"),
    ("numeric(10,2)", "DecimalType(10,2)"),
    ("timestamp", "TimestampType()"),
    ("timestamp_ltz", "TimestampType()"),
    ("timestamp_ntz", "TimestampNTZType()"),
    ("`my col` int, `a``b` string", "StructType([StructField('my col', IntegerType(), True), StructField('a`b', StringType(), True)])"),
    ("Array<Int>", "ArrayType(IntegerType(), True)"),
    ("tinyint", "ByteType()"), ("byte", "ByteType()"), ("smallint", "ShortType()"), ("short", "ShortType()"),
    ("integer", "IntegerType()"), ("float", "FloatType()"), ("real", "FloatType()"), ("double", "DoubleType()"),
    ("date", "DateType()"), ("boolean", "BooleanType()"), ("binary", "BinaryType()"), ("void", "NullType()"),
    ("string", "StringType()"), ("varchar(10)", "VarcharType(10)"), ("char(3)", "CharType(3)"),
    ("a int not null, b string", "StructType([StructField('a', IntegerType(), False), StructField('b', StringType(), True)])"),
    ("a int comment 'hi'", "StructType([StructField('a', IntegerType(), True)])"),
    ("a int not null comment 'x'", "StructType([StructField('a', IntegerType(), False)])"),
    ("struct<a int, b string>", "StructType([StructField('a', IntegerType(), True), StructField('b', StringType(), True)])"),
    ("struct<>", "StructType([])"),
    ("struct<a:int not null>", "StructType([StructField('a', IntegerType(), False)])"),
    ("a struct<x: int, y: array<map<string, double>>>",
     "StructType([StructField('a', StructType([StructField('x', IntegerType(), True), StructField('y', ArrayType(MapType(StringType(), DoubleType(), True), True), True)]), True)])"),
    ("interval day to second", "DayTimeIntervalType(0, 3)"),
    ("interval day", "DayTimeIntervalType(0, 0)"),
    ("", "StructType([])"),
    ("  a  int  ,  b  string  ", "StructType([StructField('a', IntegerType(), True), StructField('b', StringType(), True)])"),
    ("a: struct<b: int>", "StructType([StructField('a', StructType([StructField('b', IntegerType(), True)]), True)])"),
    ("a:int", "StructType([StructField('a', IntegerType(), True)])"),
    ("a int, a string", "StructType([StructField('a', IntegerType(), True), StructField('a', StringType(), True)])"),
    ("Word String", "StructType([StructField('Word', StringType(), True)])"),
    ("`a.b` int", "StructType([StructField('a.b', IntegerType(), True)])"),
    ("a: int, b: string, c: decimal(  16 , 8   )",
     "StructType([StructField('a', IntegerType(), True), StructField('b', StringType(), True), StructField('c', DecimalType(16,8), True)])"),
    ("a int, `b c` map<string, array<struct<`x y`:bigint>>>",
     "StructType([StructField('a', IntegerType(), True), StructField('b c', MapType(StringType(), ArrayType(StructType([StructField('x y', LongType(), True)]), True), True), True)])"),
    ("decimal(38,38)", "DecimalType(38,38)"),
]


@pytest.mark.parametrize("ddl, rep", DDL, ids=[c[0] for c in DDL])
def test_parse_ddl(t, sc, ddl, rep):
    assert repr(t._parse_datatype_string(ddl)) == rep


DDL_ERRORS = [
    ("foo BAR", "UNSUPPORTED_DATATYPE", '[UNSUPPORTED_DATATYPE] Unsupported data type "BAR". SQLSTATE: 0A000 (line 1, pos 4)\n\n== SQL ==\nfoo BAR\n----^^^'),
    ("a int,", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 (line 1, pos 6)\n\n== SQL ==\na int,\n------^^^"),
    ("a", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 (line 1, pos 1)\n\n== SQL ==\na\n-^^^"),
    ("array<>", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near '<>'. SQLSTATE: 42601 (line 1, pos 5)\n\n== SQL ==\narray<>\n-----^^^"),
    ("map<string>", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near '<'. SQLSTATE: 42601 (line 1, pos 3)\n\n== SQL ==\nmap<string>\n---^^^"),
    ("a int b int", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near 'b'. SQLSTATE: 42601 (line 1, pos 6)\n\n== SQL ==\na int b int\n------^^^"),
    ("decimal(10,2", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near '('. SQLSTATE: 42601 (line 1, pos 7)\n\n== SQL ==\ndecimal(10,2\n-------^^^"),
    ("decimal(40,2)", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near '('. SQLSTATE: 42601 (line 1, pos 7)\n\n== SQL ==\ndecimal(40,2)\n-------^^^"),
    ("a: int b: int", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near ':'. SQLSTATE: 42601 (line 1, pos 1)\n\n== SQL ==\na: int b: int\n-^^^"),
    ("a select", "UNSUPPORTED_DATATYPE", '[UNSUPPORTED_DATATYPE] Unsupported data type "SELECT". SQLSTATE: 0A000 (line 1, pos 2)\n\n== SQL ==\na select\n--^^^'),
    ("blabla", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 (line 1, pos 6)\n\n== SQL ==\nblabla\n------^^^"),
    ("array<int", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near '<'. SQLSTATE: 42601 (line 1, pos 5)\n\n== SQL ==\narray<int\n-----^^^"),
    ("a array<int not null>", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near '<'. SQLSTATE: 42601 (line 1, pos 7)\n\n== SQL ==\na array<int not null>\n-------^^^"),
    ("a b c", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near 'c': extra input 'c'. SQLSTATE: 42601 (line 1, pos 4)\n\n== SQL ==\na b c\n----^^^"),
    ("123 int", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near '123'. SQLSTATE: 42601 (line 1, pos 0)\n\n== SQL ==\n123 int\n^^^"),
    ("int, string", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near ','. SQLSTATE: 42601 (line 1, pos 3)\n\n== SQL ==\nint, string\n---^^^"),
    ("a int(5)", "UNSUPPORTED_DATATYPE", '[UNSUPPORTED_DATATYPE] Unsupported data type "INT(5)". SQLSTATE: 0A000 (line 1, pos 2)\n\n== SQL ==\na int(5)\n--^^^'),
    ("a array<int>, b foo", "UNSUPPORTED_DATATYPE", '[UNSUPPORTED_DATATYPE] Unsupported data type "FOO". SQLSTATE: 0A000 (line 1, pos 16)\n\n== SQL ==\na array<int>, b foo\n----------------^^^'),
    ("a struct<b:foo>", "UNSUPPORTED_DATATYPE", '[UNSUPPORTED_DATATYPE] Unsupported data type "FOO". SQLSTATE: 0A000 (line 1, pos 11)\n\n== SQL ==\na struct<b:foo>\n-----------^^^'),
    ("a int NOT", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input: missing 'NULL'. SQLSTATE: 42601 (line 1, pos 9)\n\n== SQL ==\na int NOT\n---------^^^"),
    ("a int comment 5", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near '5'. SQLSTATE: 42601 (line 1, pos 14)\n\n== SQL ==\na int comment 5\n--------------^^^"),
    ("a int default 1", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near 'default'. SQLSTATE: 42601 (line 1, pos 6)\n\n== SQL ==\na int default 1\n------^^^"),
    ("a.b int", "PARSE_SYNTAX_ERROR", "[PARSE_SYNTAX_ERROR] Syntax error at or near '.'. SQLSTATE: 42601 (line 1, pos 1)\n\n== SQL ==\na.b int\n-^^^"),
]


@pytest.mark.parametrize("ddl, error_class, message", DDL_ERRORS, ids=[c[0] for c in DDL_ERRORS])
def test_parse_ddl_errors(t, sc, errors, engine, request, ddl, error_class, message):
    if engine.is_spark:
        request.getfixturevalue("spark")  # Spark turns JVM parse errors into ParseException only with a session
    with pytest.raises(errors.ParseException) as e:
        t._parse_datatype_string(ddl)
    assert e.value.getCondition() == error_class
    assert _message(e.value) == message


def test_parse_ddl_decimal_precision(t, sc, errors, engine, request):
    if engine.is_spark:
        request.getfixturevalue("spark")
    with pytest.raises(errors.ArithmeticException) as e:
        t._parse_datatype_string("a decimal(40,2)")
    assert _message(e.value) == ("[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision 40 exceeds max "
                                 "precision 38. SQLSTATE: 22003")


# -- inference ---------------------------------------------------------------------------------

Point = namedtuple("Point", "x y")

INFER = [
    (1, "LongType()"), (2**63, "LongType()"), (1.5, "DoubleType()"), (True, "BooleanType()"), ("s", "StringType()"),
    (T(2020, 1, 1), "TimestampType()"), (D(2020, 1, 1), "DateType()"), (Decimal("1.5"), "DecimalType(38,18)"),
    (b"ab", "BinaryType()"), (bytearray(b"ab"), "BinaryType()"), (None, "NullType()"),
    (timedelta(days=1, seconds=3), "DayTimeIntervalType(0, 3)"),
    ([1, 2], "ArrayType(LongType(), True)"), ([], "ArrayType(NullType(), True)"), ([None, 1], "ArrayType(LongType(), True)"),
    ([1, "a"], "ArrayType(StringType(), True)"), ([[1], [None]], "ArrayType(ArrayType(LongType(), True), True)"),
    ({"a": 1}, "MapType(StringType(), LongType(), True)"), ({}, "MapType(NullType(), NullType(), True)"),
    ({"a": None}, "MapType(StringType(), NullType(), True)"), ({1: "x", 2: None}, "MapType(LongType(), StringType(), True)"),
    ({"a": 1, 2: 1}, "MapType(StringType(), LongType(), True)"),
    ((1, "a"), "StructType([StructField('_1', LongType(), True), StructField('_2', StringType(), True)])"),
    (Point(1, 2), "StructType([StructField('x', LongType(), True), StructField('y', LongType(), True)])"),
    ([{"a": 1}, {"b": "x"}], "ArrayType(MapType(StringType(), StringType(), True), True)"),
]


@pytest.mark.parametrize("value, rep", INFER, ids=[repr(c[0]) for c in INFER])
def test_infer_type(t, value, rep):
    assert repr(t._infer_type(value)) == rep


def test_infer_type_rows_and_errors(t):
    assert repr(t._infer_type(t.Row(a=1, b="x"))) == ("StructType([StructField('a', LongType(), True), "
                                                       "StructField('b', StringType(), True)])")
    assert repr(t._infer_type([t.Row(a=1), t.Row(a=None)])) == (
        "ArrayType(StructType([StructField('a', LongType(), True)]), True)")
    for value, name in [(object(), "object"), ({1}, "set"), (1 + 2j, "complex")]:
        with pytest.raises(TypeError) as e:
            t._infer_type(value)
        assert _message(e.value) == f"[UNSUPPORTED_DATA_TYPE] Unsupported DataType `{name}`."
    with pytest.raises(TypeError) as e:
        t._infer_type([1, 2.0])
    assert _message(e.value) == "[CANNOT_MERGE_TYPE] Can not merge type `LongType` and `DoubleType`."


def test_infer_schema(t):
    assert repr(t._infer_schema((1, "x", 3.0), ["p"])) == (
        "StructType([StructField('p', LongType(), True), StructField('_2', StringType(), True), "
        "StructField('_3', DoubleType(), True)])")
    assert repr(t._infer_schema({"b": 1, "a": "x"})) == (
        "StructType([StructField('a', StringType(), True), StructField('b', LongType(), True)])")
    assert repr(t._infer_schema(t.Row(1, 2))) == (
        "StructType([StructField('_1', LongType(), True), StructField('_2', LongType(), True)])")
    assert repr(t._infer_schema((None, 1))) == (
        "StructType([StructField('_1', NullType(), True), StructField('_2', LongType(), True)])")
    for value, name in [(1, "int"), ("ab", "str"), (None, "NoneType")]:
        with pytest.raises(TypeError) as e:
            t._infer_schema(value)
        assert _message(e.value) == f"[CANNOT_INFER_SCHEMA_FOR_TYPE] Can not infer schema for type: `{name}`."
    with pytest.raises(TypeError) as e:
        t._infer_schema((object(),))
    assert _message(e.value) == "[CANNOT_INFER_TYPE_FOR_FIELD] Unable to infer the type of the field `_1`."


def test_infer_flags(t):
    # The switches behind spark.sql.pyspark.inferNestedDictAsStruct.enabled and friends.
    assert repr(t._infer_type({"b": 1, "a": None, "c": "x"}, infer_dict_as_struct=True)) == (
        "StructType([StructField('b', LongType(), True), StructField('c', StringType(), True)])")
    assert repr(t._infer_type({"a": None, "b": 1, "c": "x"}, infer_map_from_first_pair=True)) == (
        "MapType(StringType(), LongType(), True)")
    assert repr(t._infer_type({"a": None}, infer_map_from_first_pair=True)) == "MapType(NullType(), NullType(), True)"
    assert repr(t._infer_type([1, "x"], infer_array_from_first_element=True)) == "ArrayType(LongType(), True)"
    assert repr(t._infer_type(T(2020, 1, 1), prefer_timestamp_ntz=True)) == "TimestampNTZType()"
    assert repr(t._infer_schema({"x": {"b": 1}, "a": 2}, infer_dict_as_struct=True)) == (
        "StructType([StructField('a', LongType(), True), "
        "StructField('x', StructType([StructField('b', LongType(), True)]), True)])")
    assert repr(t._infer_schema((T(2020, 1, 1),), prefer_timestamp_ntz=True)) == (
        "StructType([StructField('_1', TimestampNTZType(), True)])")


def test_merge_type(t):
    merge = t._merge_type
    assert merge(t.NullType(), t.LongType()) == t.LongType() == merge(t.LongType(), t.NullType())
    assert merge(t.LongType(), t.StringType()) == t.StringType() == merge(t.StringType(), t.LongType())
    assert merge(t.DecimalType(38, 18), t.DecimalType(10, 2)) == t.DecimalType(38, 18)
    a = t._infer_schema((None, 1, "x"), ["a", "b", "c"])
    b = t._infer_schema((1, None, None), ["a", "b", "d"])
    assert repr(merge(a, b)) == ("StructType([StructField('a', LongType(), True), StructField('b', LongType(), True), "
                                 "StructField('c', StringType(), True), StructField('d', NullType(), True)])")
    assert merge(t.ArrayType(t.NullType()), t.ArrayType(t.LongType())) == t.ArrayType(t.LongType())
    assert merge(t.ArrayType(t.StringType(), False), t.ArrayType(t.StringType())) == t.ArrayType(t.StringType(), True)
    assert merge(t.MapType(t.StringType(), t.NullType()), t.MapType(t.StringType(), t.LongType())) == (
        t.MapType(t.StringType(), t.LongType()))
    strict = t.StructType([t.StructField("a", t.LongType(), False)])
    assert merge(strict, t.StructType([t.StructField("a", t.LongType())])) == t.StructType([t.StructField("a", t.LongType())])
    with pytest.raises(TypeError) as e:
        merge(t.LongType(), t.DoubleType())
    assert _message(e.value) == "[CANNOT_MERGE_TYPE] Can not merge type `LongType` and `DoubleType`."


# -- show() ------------------------------------------------------------------------------------

from show_cases import SHOW_CASES  # noqa: E402  (the tables, shared with tests/sql/test_show.py)


@pytest.mark.parametrize("name, ddl, kw, rows, expected", SHOW_CASES, ids=[c[0] for c in SHOW_CASES])
def test_show(spark, capsys, name, ddl, kw, rows, expected):
    df = spark.createDataFrame(rows, ddl)
    capsys.readouterr()
    df.show(**kw)
    assert capsys.readouterr().out == expected + "\n"


@pytest.mark.parametrize("kw, message", [
    ({"n": "2"}, "[NOT_EXPECTED_TYPE] Argument `n` should be int, got str."),
    ({"n": True}, "[NOT_EXPECTED_TYPE] Argument `n` should be int, got bool."),
    ({"truncate": "x"}, "[NOT_EXPECTED_TYPE] Argument `truncate` should be bool, got str."),
    ({"vertical": 1}, "[NOT_EXPECTED_TYPE] Argument `vertical` should be bool, got int."),
])
def test_show_bad_arguments(spark, kw, message):
    df = spark.createDataFrame([(1,)], "n BIGINT")
    with pytest.raises(TypeError) as e:
        df.show(**kw)
    assert _message(e.value) == message
