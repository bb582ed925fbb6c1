"""DataFrameReader/DataFrameWriter: text, csv, json and parquet round trips, save modes and file layout.

Spark writes a directory of ``part-*`` files plus ``_SUCCESS``; rows come back in no defined order, so
they are compared sorted. Raw csv/json/text lines are compared sorted across part files.
"""

import datetime
import pathlib

import pytest
from sql_cases import people

PEOPLE_SCHEMA = "struct<id:int,name:string,score:double,grp:string>"
PEOPLE_ROWS = [(1, "Alice", 10.5, "a"), (2, "Bob", None, "b"), (3, None, 7.0, "a"), (4, "dan", 2.5, None)]


def rows(df) -> list:
    return sorted((tuple(r) for r in df.collect()), key=repr)


def part_lines(path) -> list:
    return sorted(line for f in pathlib.Path(path).glob("part-*") for line in f.read_text().splitlines())


def data_files(path) -> list:
    return [f.name for f in pathlib.Path(path).iterdir() if not f.name.startswith((".", "_"))]


@pytest.fixture
def AnalysisException(engine):
    return engine.module("errors").AnalysisException


# -- parquet -------------------------------------------------------------------------------------


def test_parquet_round_trip_keeps_schema(spark, tmp_path):
    out = str(tmp_path / "pq")
    people(spark).write.parquet(out)
    back = spark.read.parquet(out)
    assert back.schema.simpleString() == PEOPLE_SCHEMA
    assert rows(back) == PEOPLE_ROWS


def test_written_directory_has_part_files_and_success_marker(spark, tmp_path):
    out = tmp_path / "pq"
    people(spark).write.parquet(str(out))
    assert (out / "_SUCCESS").is_file()
    names = data_files(out)
    assert names and all(n.startswith("part-") and n.endswith(".parquet") for n in names)


def test_default_mode_refuses_an_existing_path(spark, tmp_path, AnalysisException):
    out = tmp_path / "pq"
    people(spark).write.parquet(str(out))
    for write in (lambda: people(spark).write.parquet(str(out)),
                  lambda: people(spark).write.mode("error").parquet(str(out)),
                  lambda: people(spark).write.mode("errorifexists").parquet(str(out))):
        with pytest.raises(AnalysisException) as info:
            write()
        assert str(info.value).split("\n")[0] == (
            f'[PATH_ALREADY_EXISTS] Path file:{out} already exists. Set mode as "overwrite" to overwrite the '
            "existing path. SQLSTATE: 42K04")
        assert info.value.getCondition() == "PATH_ALREADY_EXISTS"


def test_save_modes_overwrite_append_ignore(spark, tmp_path):
    out = str(tmp_path / "pq")
    df = people(spark)
    df.write.parquet(out)
    df.filter("id = 1").write.mode("overwrite").parquet(out)
    assert rows(spark.read.parquet(out)) == [(1, "Alice", 10.5, "a")]
    df.filter("id = 2").write.mode("append").parquet(out)
    assert rows(spark.read.parquet(out)) == [(1, "Alice", 10.5, "a"), (2, "Bob", None, "b")]
    df.write.mode("ignore").parquet(out)
    assert rows(spark.read.parquet(out)) == [(1, "Alice", 10.5, "a"), (2, "Bob", None, "b")]


def test_invalid_save_mode(spark, tmp_path, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).write.mode("sideways").parquet(str(tmp_path / "x"))
    assert str(info.value).split("\n")[0] == (
        '[INVALID_SAVE_MODE] The specified save mode "sideways" is invalid. Valid save modes include '
        '"append", "overwrite", "ignore", "error", "errorifexists", and "default". SQLSTATE: 42000')


def test_format_save_and_load_default_to_parquet(spark, tmp_path):
    out = str(tmp_path / "dflt")
    people(spark).write.save(out)
    assert all(n.endswith(".parquet") for n in data_files(out))
    assert rows(spark.read.load(out)) == PEOPLE_ROWS
    people(spark).write.format("parquet").mode("overwrite").save(out)
    assert rows(spark.read.format("parquet").load(out)) == PEOPLE_ROWS


# -- csv -----------------------------------------------------------------------------------------


def test_csv_writes_nulls_as_empty_fields(spark, tmp_path):
    out = str(tmp_path / "csv")
    people(spark).write.csv(out)
    assert part_lines(out) == ["1,Alice,10.5,a", "2,Bob,,b", "3,,7.0,a", "4,dan,2.5,"]
    assert all(n.endswith(".csv") for n in data_files(out))


def test_csv_read_without_header_is_all_strings(spark, tmp_path):
    out = str(tmp_path / "csv")
    people(spark).write.csv(out)
    back = spark.read.csv(out)
    assert back.schema.simpleString() == "struct<_c0:string,_c1:string,_c2:string,_c3:string>"
    assert rows(back) == [("1", "Alice", "10.5", "a"), ("2", "Bob", None, "b"), ("3", None, "7.0", "a"),
                          ("4", "dan", "2.5", None)]


def test_csv_header_and_infer_schema(spark, tmp_path):
    out = str(tmp_path / "csv")
    people(spark).write.option("header", True).csv(out)
    lines = part_lines(out)
    assert [line for line in lines if line.startswith("id")] == ["id,name,score,grp"] * (len(lines) - 4)
    inferred = spark.read.csv(out, header=True, inferSchema=True)
    assert inferred.schema.simpleString() == PEOPLE_SCHEMA
    assert rows(inferred) == PEOPLE_ROWS
    strings = spark.read.option("header", "true").csv(out)
    assert strings.schema.simpleString() == "struct<id:string,name:string,score:string,grp:string>"


def test_csv_with_explicit_schema(spark, tmp_path):
    out = str(tmp_path / "csv")
    people(spark).write.csv(out)
    ddl = "id INT, name STRING, score DOUBLE, grp STRING"
    for back in (spark.read.schema(ddl).csv(out), spark.read.csv(out, schema=ddl)):
        assert back.schema.simpleString() == PEOPLE_SCHEMA
        assert rows(back) == PEOPLE_ROWS


def test_csv_quoting_and_empty_strings(spark, tmp_path):
    out = str(tmp_path / "csvq")
    spark.createDataFrame([(1, 'say "hi", ok'), (2, "")], "id INT, s STRING").write.csv(out)
    assert part_lines(out) == ['1,"say \\"hi\\", ok"', '2,""']
    assert rows(spark.read.csv(out)) == [("1", 'say "hi", ok'), ("2", None)]


def test_csv_separator_option(spark, tmp_path):
    out = str(tmp_path / "csvsep")
    people(spark).write.csv(out, sep=";", header=True)
    assert [line for line in part_lines(out) if not line.startswith("id")] == [
        "1;Alice;10.5;a", "2;Bob;;b", "3;;7.0;a", "4;dan;2.5;"]


# -- json ----------------------------------------------------------------------------------------


def test_json_lines_omit_nulls(spark, tmp_path):
    out = str(tmp_path / "json")
    people(spark).write.json(out)
    assert part_lines(out) == [
        '{"id":1,"name":"Alice","score":10.5,"grp":"a"}',
        '{"id":2,"name":"Bob","grp":"b"}',
        '{"id":3,"score":7.0,"grp":"a"}',
        '{"id":4,"name":"dan","score":2.5}',
    ]
    assert all(n.endswith(".json") for n in data_files(out))


def test_json_read_infers_sorted_fields_and_longs(spark, tmp_path):
    out = str(tmp_path / "json")
    people(spark).write.json(out)
    back = spark.read.json(out)
    assert back.schema.simpleString() == "struct<grp:string,id:bigint,name:string,score:double>"
    assert rows(back) == [("a", 1, "Alice", 10.5), ("a", 3, None, 7.0), ("b", 2, "Bob", None),
                          (None, 4, "dan", 2.5)]


def test_json_read_merges_fields_widens_numbers_and_nests(spark, engine, tmp_path):
    Row = engine.module("sql").Row
    path = tmp_path / "hand.json"
    path.write_text('{"b": "x", "a": 1}\n{"a": 2.5, "c": [1, 2]}\n{"a": null, "d": {"e": true}}\n')
    back = spark.read.json(str(path))
    assert back.schema.simpleString() == "struct<a:double,b:string,c:array<bigint>,d:struct<e:boolean>>"
    assert rows(back) == [(1.0, "x", None, None), (2.5, None, [1, 2], None), (None, None, None, Row(e=True))]


def test_json_overwrite_then_append(spark, tmp_path):
    out = str(tmp_path / "json")
    people(spark).write.mode("overwrite").json(out)
    people(spark).write.mode("append").json(out)
    assert spark.read.json(out).count() == 8


# -- text ----------------------------------------------------------------------------------------


def test_text_round_trip_writes_null_as_empty_line(spark, tmp_path):
    out = str(tmp_path / "txt")
    people(spark).select("name").write.text(out)
    assert part_lines(out) == ["", "Alice", "Bob", "dan"]
    assert all(n.endswith(".txt") for n in data_files(out))
    back = spark.read.text(out)
    assert back.schema.simpleString() == "struct<value:string>"
    assert rows(back) == [("",), ("Alice",), ("Bob",), ("dan",)]


def test_text_read_keeps_line_order_and_empty_lines(spark, tmp_path):
    (tmp_path / "a.txt").write_text("line one\n\nline  three\n")
    back = spark.read.text(str(tmp_path / "a.txt"))
    assert back.columns == ["value"]
    assert [tuple(r) for r in back.collect()] == [("line one",), ("",), ("line  three",)]


def test_text_read_strips_crlf(spark, tmp_path):
    (tmp_path / "crlf.txt").write_bytes(b"x\r\ny\r\n")
    assert rows(spark.read.text(str(tmp_path / "crlf.txt"))) == [("x",), ("y",)]


def test_text_read_directory_and_list_of_files(spark, tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "1.txt").write_text("a\nb\n")
    (tmp_path / "dir" / "2.txt").write_text("c")
    assert rows(spark.read.text(str(tmp_path / "dir"))) == [("a",), ("b",), ("c",)]
    files = [str(tmp_path / "dir" / "1.txt"), str(tmp_path / "dir" / "2.txt")]
    assert rows(spark.read.text(files)) == [("a",), ("b",), ("c",)]


def test_text_write_needs_one_string_column(spark, tmp_path, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).select("name", "grp").write.text(str(tmp_path / "t2"))
    assert str(info.value).split("\n")[0] == (
        "Text data source supports only a single column, and you have 2 columns.")
    with pytest.raises(AnalysisException) as info:
        people(spark).select("id").write.text(str(tmp_path / "t3"))
    assert str(info.value).split("\n")[0] == (
        "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Text datasource doesn't support the column `id` of the "
        'type "INT". SQLSTATE: 0A000')
    assert info.value.getCondition() == "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE"


def test_reading_a_missing_path(spark, tmp_path, AnalysisException):
    for read in (spark.read.text, spark.read.parquet, spark.read.csv, spark.read.json):
        with pytest.raises(AnalysisException) as info:
            read(str(tmp_path / "nope"))
        assert str(info.value).split("\n")[0] == (
            f"[PATH_NOT_FOUND] Path does not exist: file:{tmp_path / 'nope'}. SQLSTATE: 42K03")
        assert info.value.getCondition() == "PATH_NOT_FOUND"


# -- typed values in files -------------------------------------------------------------------------


def typed(spark):
    return spark.createDataFrame(
        [(1, 2.5, True, datetime.date(2016, 3, 11), datetime.datetime(2016, 3, 11, 9, 0, 7, 120000), [1, 2],
          (1, "x"), 1e10, 2**40)],
        "i INT, d DOUBLE, b BOOLEAN, dt DATE, ts TIMESTAMP, a ARRAY<INT>, s STRUCT<p: INT, q: STRING>, "
        "big DOUBLE, l BIGINT")


def test_parquet_round_trip_of_typed_values(spark, engine, tmp_path):
    Row = engine.module("sql").Row
    out = str(tmp_path / "p")
    typed(spark).write.parquet(out)
    back = spark.read.parquet(out)
    assert back.schema.simpleString() == (
        "struct<i:int,d:double,b:boolean,dt:date,ts:timestamp,a:array<int>,s:struct<p:int,q:string>,big:double,"
        "l:bigint>")
    assert [tuple(r) for r in back.collect()] == [
        (1, 2.5, True, datetime.date(2016, 3, 11), datetime.datetime(2016, 3, 11, 9, 0, 7, 120000), [1, 2],
         Row(p=1, q="x"), 10000000000.0, 1099511627776)]


def test_json_writes_iso_timestamps_and_java_doubles(spark, tmp_path):
    out = str(tmp_path / "j")
    typed(spark).write.json(out)
    assert part_lines(out) == [
        '{"i":1,"d":2.5,"b":true,"dt":"2016-03-11","ts":"2016-03-11T09:00:07.120Z","a":[1,2],'
        '"s":{"p":1,"q":"x"},"big":1.0E10,"l":1099511627776}']


def test_json_read_of_typed_values_keeps_dates_as_strings(spark, engine, tmp_path):
    Row = engine.module("sql").Row
    out = str(tmp_path / "j")
    typed(spark).write.json(out)
    back = spark.read.json(out)
    assert back.schema.simpleString() == (
        "struct<a:array<bigint>,b:boolean,big:double,d:double,dt:string,i:bigint,l:bigint,"
        "s:struct<p:bigint,q:string>,ts:string>")
    assert [tuple(r) for r in back.collect()] == [
        ([1, 2], True, 10000000000.0, 2.5, "2016-03-11", 1, 1099511627776, Row(p=1, q="x"),
         "2016-03-11T09:00:07.120Z")]


def test_csv_writes_iso_timestamps_and_java_doubles(spark, tmp_path):
    out = str(tmp_path / "c")
    typed(spark).drop("a", "s").write.csv(out, header=True)
    lines = part_lines(out)
    assert set(lines) == {"1,2.5,true,2016-03-11,2016-03-11T09:00:07.120Z,1.0E10,1099511627776",
                          "i,d,b,dt,ts,big,l"}
    back = spark.read.csv(out, header=True, inferSchema=True)
    assert back.schema.simpleString() == (
        "struct<i:int,d:double,b:boolean,dt:date,ts:timestamp,big:double,l:bigint>")
    assert [tuple(r) for r in back.collect()] == [
        (1, 2.5, True, datetime.date(2016, 3, 11), datetime.datetime(2016, 3, 11, 9, 0, 7, 120000),
         10000000000.0, 1099511627776)]


def test_csv_infer_schema_widens_and_finds_timestamps(spark, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("a,b,c,d\n1,x,2016-03-11 09:00:07,true\n2.5,,2016-03-12 00:00:00,false\n")
    back = spark.read.csv(str(path), header=True, inferSchema=True)
    assert back.schema.simpleString() == "struct<a:double,b:string,c:timestamp,d:boolean>"
    assert [tuple(r) for r in back.collect()] == [
        (1.0, "x", datetime.datetime(2016, 3, 11, 9, 0, 7), True),
        (2.5, None, datetime.datetime(2016, 3, 12, 0, 0), False)]


def test_format_and_option_spellings(spark, tmp_path):
    (tmp_path / "t.txt").write_text("a\nb\n")
    text = spark.read.format("text").load(str(tmp_path / "t.txt"))
    assert [tuple(r) for r in text.collect()] == [("a",), ("b",)]
    people(spark).write.format("json").save(str(tmp_path / "fj"))
    assert spark.read.format("json").load(str(tmp_path / "fj")).count() == 4
    people(spark).write.format("csv").option("header", "true").save(str(tmp_path / "fc"))
    back = (spark.read.format("csv").option("header", "true").option("inferSchema", "true")
            .load(str(tmp_path / "fc")))
    assert back.schema.simpleString() == PEOPLE_SCHEMA


def test_overwrite_creates_a_missing_path(spark, tmp_path):
    people(spark).write.mode("overwrite").parquet(str(tmp_path / "new"))
    assert spark.read.parquet(str(tmp_path / "new")).count() == 4


def test_text_edge_files(spark, tmp_path):
    (tmp_path / "e.txt").write_text("")
    assert spark.read.text(str(tmp_path / "e.txt")).count() == 0
    (tmp_path / "n.txt").write_text("a\n\n")
    assert [tuple(r) for r in spark.read.text(str(tmp_path / "n.txt")).collect()] == [("a",), ("",)]
