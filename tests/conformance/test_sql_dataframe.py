"""DataFrame methods: projection, filters, columns, ordering, set operations, actions, views.

Each case of ``sql_cases.DATAFRAME`` must equal the literal captured from real Spark in
``sql_expected.py``; the tests below cover what a table case cannot (printed text, laziness, Row
types). Includes the batch word count of the streaming examples.
"""

import pytest
import sql_cases
from sql_cases import DATAFRAME, people
from sql_expected import EXPECTED


@pytest.mark.parametrize("name", list(DATAFRAME))
def test_dataframe(spark, engine, name):
    assert DATAFRAME[name](spark, engine.module("sql.functions")) == EXPECTED[f"dataframe.{name}"]


def test_every_case_has_an_expected_value():
    names = {f"{group}.{name}" for group, cases in sql_cases.GROUPS.items() for name in cases}
    assert names == set(EXPECTED)


def test_collect_returns_rows(spark, engine):
    Row = engine.module("sql").Row
    rows = people(spark).orderBy("id").collect()
    assert isinstance(rows, list)
    assert all(isinstance(r, Row) for r in rows)
    assert rows[0] == Row(id=1, name="Alice", score=10.5, grp="a")
    assert rows[0].asDict() == {"id": 1, "name": "Alice", "score": 10.5, "grp": "a"}
    assert repr(rows[1]) == "Row(id=2, name='Bob', score=None, grp='b')"
    assert isinstance(people(spark).orderBy("id").first(), Row)
    assert isinstance(people(spark).orderBy("id").head(), Row)
    assert all(isinstance(r, Row) for r in people(spark).take(2))


def test_nested_struct_is_a_row(spark, engine):
    F = engine.module("sql.functions")
    Row = engine.module("sql").Row
    row = people(spark).filter("id = 1").select(F.struct("id", "name").alias("s")).first()
    assert isinstance(row.s, Row)
    assert row.s.name == "Alice"
    assert row == Row(s=Row(id=1, name="Alice"))


def test_to_local_iterator_is_an_iterator(spark):
    it = people(spark).orderBy("id").toLocalIterator()
    assert next(it).id == 1
    assert [r.id for r in it] == [2, 3, 4]


def test_rdd_is_an_rdd_of_rows(spark, engine):
    Row = engine.module("sql").Row
    rdd = people(spark).select("id").rdd
    assert isinstance(rdd, engine.module("").RDD)
    assert sorted(rdd.collect()) == [Row(id=1), Row(id=2), Row(id=3), Row(id=4)]


def test_print_schema(spark, capsys):
    people(spark).printSchema()
    assert capsys.readouterr().out == (
        "root\n"
        " |-- id: integer (nullable = true)\n"
        " |-- name: string (nullable = true)\n"
        " |-- score: double (nullable = true)\n"
        " |-- grp: string (nullable = true)\n"
        "\n"
    )


def test_print_schema_nested_and_aggregate(spark, engine, capsys):
    F = engine.module("sql.functions")
    df = sql_cases.events(spark).groupBy(F.window("ts", "5 seconds")).agg(
        F.count("*"), F.collect_list("k").alias("ks"))
    df.printSchema()
    assert capsys.readouterr().out == PRINT_SCHEMA_WINDOW


def test_print_schema_map_and_not_null(spark, capsys):
    spark.createDataFrame([({"a": 1}, [1.0])], "m MAP<STRING, INT>, xs ARRAY<DOUBLE>").printSchema()
    spark.range(2).printSchema()
    assert capsys.readouterr().out == PRINT_SCHEMA_MAP


def test_schema_repr_and_fields(spark, engine):
    T = engine.module("sql.types")
    schema = people(spark).schema
    assert isinstance(schema, T.StructType)
    assert schema.names == ["id", "name", "score", "grp"]
    assert schema["score"].dataType == T.DoubleType()
    assert repr(schema) == SCHEMA_REPR


def test_temp_view_is_visible_to_table_and_sql(spark):
    people(spark).createOrReplaceTempView("people_tv")
    assert sorted(r.id for r in spark.table("people_tv").collect()) == [1, 2, 3, 4]
    assert spark.table("people_tv").columns == ["id", "name", "score", "grp"]


def test_is_streaming_false_for_batch(spark):
    assert people(spark).isStreaming is False
    assert spark.range(1).isStreaming is False


def test_transformations_return_new_frames(spark, engine):
    F = engine.module("sql.functions")
    df = people(spark)
    df.withColumn("x", F.lit(1))
    df.drop("name")
    df.withColumnRenamed("id", "key")
    assert df.columns == ["id", "name", "score", "grp"]


def test_column_names_resolve_case_insensitively_and_keep_the_given_spelling(spark):
    df = people(spark).select("ID", "Name")
    assert df.columns == ["ID", "Name"]
    assert [tuple(r) for r in df.orderBy("id").collect()][0] == (1, "Alice")


def test_word_count_from_text_file(spark, engine, tmp_path):
    F = engine.module("sql.functions")
    (tmp_path / "lines.txt").write_text("to be or not to be\nbe quick\n\nor not\n")
    lines = spark.read.text(str(tmp_path / "lines.txt"))
    words = lines.select(F.explode(F.split(lines.value, " ")).alias("word"))
    counts = words.groupBy("word").count().orderBy(F.desc("count"), "word")
    assert counts.columns == ["word", "count"]
    assert [tuple(r) for r in counts.collect()] == [
        ("be", 3), ("not", 2), ("or", 2), ("to", 2), ("", 1), ("quick", 1)]


SCHEMA_REPR = (
    "StructType([StructField('id', IntegerType(), True), StructField('name', StringType(), True), "
    "StructField('score', DoubleType(), True), StructField('grp', StringType(), True)])"
)
PRINT_SCHEMA_WINDOW = (
    "root\n"
    " |-- window: struct (nullable = false)\n"
    " |    |-- start: timestamp (nullable = true)\n"
    " |    |-- end: timestamp (nullable = true)\n"
    " |-- count(1): long (nullable = false)\n"
    " |-- ks: array (nullable = false)\n"
    " |    |-- element: string (containsNull = false)\n"
    "\n"
)
PRINT_SCHEMA_MAP = (
    "root\n"
    " |-- m: map (nullable = true)\n"
    " |    |-- key: string\n"
    " |    |-- value: integer (valueContainsNull = true)\n"
    " |-- xs: array (nullable = true)\n"
    " |    |-- element: double (containsNull = true)\n"
    "\n"
    "root\n"
    " |-- id: long (nullable = false)\n"
    "\n"
)


def test_foreach_runs_on_every_row(spark):
    acc = spark.sparkContext.accumulator(0)
    assert people(spark).foreach(lambda row: acc.add(row.id)) is None
    assert acc.value == 10


def test_with_watermark_on_a_batch_frame_keeps_rows(spark):
    df = sql_cases.events(spark).withWatermark("ts", "10 seconds")
    assert df.isStreaming is False
    assert df.columns == ["ts", "v", "k"]
    assert [r.v for r in df.orderBy("v").collect()] == [1, 2, 3, 4]


def test_column_attribute_and_item_access(spark, engine):
    df = people(spark)
    assert df.select(df.name, df["id"], df[0]).columns == ["name", "id", "id"]
    with pytest.raises(engine.module("errors").PySparkAttributeError) as info:
        _ = df.nope
    assert str(info.value) == "[ATTRIBUTE_NOT_SUPPORTED] Attribute `nope` is not supported."
