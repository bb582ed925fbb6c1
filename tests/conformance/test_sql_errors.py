"""Errors: Spark's error classes and message texts, raised when the DataFrame is built.

Analysis errors (unknown column, non-aggregated column, type mismatch, ...) are raised by the
transformation itself (``select``/``filter``/``withColumn``/...), before any action; ANSI runtime
errors (invalid cast, division by zero) only when the rows are computed. Spark appends the logical
plan to the message after the ``SQLSTATE``; only the part up to the SQLSTATE is compared (ember may
omit the plan).
"""

import re

import pytest
from sql_cases import arrays, dept, emp, people


def message(exc: BaseException) -> str:
    """The message up to and including ``SQLSTATE: xxxxx`` (or its first line when it has none)."""
    line = str(exc).strip().split("\n")[0]
    found = re.match(r"(.*?SQLSTATE: [0-9A-Z]{5})", line)
    return found.group(1) if found else line


def unresolved(name: str, proposal: str) -> str:
    return (f"[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name "
            f"`{name}` cannot be resolved. Did you mean one of the following? [{proposal}]. SQLSTATE: 42703")


@pytest.fixture
def AnalysisException(engine):
    return engine.module("errors").AnalysisException


# -- unknown columns -----------------------------------------------------------------------------


def test_unknown_column_in_select(spark, AnalysisException):
    df = people(spark)
    with pytest.raises(AnalysisException) as info:
        df.select("nope")  # no action: raised while the DataFrame is built
    assert message(info.value) == unresolved("nope", "`grp`, `id`, `name`, `score`")
    assert info.value.getCondition() == "UNRESOLVED_COLUMN.WITH_SUGGESTION"
    assert info.value.getMessageParameters() == {
        "objectName": "`nope`", "proposal": "`grp`, `id`, `name`, `score`"}


def test_unknown_column_suggestions_are_ordered_by_similarity(spark, F, AnalysisException):
    df = people(spark)
    with pytest.raises(AnalysisException) as info:
        df.select("nme")
    assert message(info.value) == unresolved("nme", "`name`, `id`, `grp`, `score`")
    with pytest.raises(AnalysisException) as info:
        df.select(F.col("Nam") + 1)
    assert message(info.value) == unresolved("Nam", "`id`, `name`, `grp`, `score`")


def test_unknown_column_in_filter_column_and_sql_string(spark, F, AnalysisException):
    df = people(spark)
    with pytest.raises(AnalysisException) as info:
        df.filter(F.col("nope") > 1)
    assert message(info.value) == unresolved("nope", "`grp`, `id`, `name`, `score`")
    with pytest.raises(AnalysisException) as info:
        df.filter("nope > 1")
    assert message(info.value) == unresolved("nope", "`grp`, `id`, `name`, `score`")
    assert info.value.getCondition() == "UNRESOLVED_COLUMN.WITH_SUGGESTION"


def test_unknown_column_in_with_column_order_by_and_agg(spark, F, AnalysisException):
    df = people(spark)
    for build in (lambda: df.withColumn("x", F.col("nope")), lambda: df.orderBy("nope"),
                  lambda: df.agg(F.sum("nope")), lambda: df.groupBy("nope").count()):
        with pytest.raises(AnalysisException) as info:
            build()
        assert message(info.value) == unresolved("nope", "`grp`, `id`, `name`, `score`")


def test_group_by_unknown_column_raises_at_aggregation(spark, AnalysisException):
    grouped = people(spark).groupBy("nope")  # GroupedData is not analysed yet, as in Spark
    with pytest.raises(AnalysisException):
        grouped.count()


def test_dropped_column_is_unknown(spark, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).drop("name").select("name")
    assert message(info.value) == unresolved("name", "`id`, `grp`, `score`")


def test_column_after_aggregation_is_unknown(spark, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).groupBy("grp").count().orderBy("name")
    assert message(info.value) == unresolved("name", "`grp`, `count`")


def test_unknown_struct_field(spark, F, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).select(F.struct("id").alias("s")).select("s.nope")
    assert message(info.value) == "[FIELD_NOT_FOUND] No such struct field `nope` in `id`. SQLSTATE: 42704"
    assert info.value.getCondition() == "FIELD_NOT_FOUND"


def test_ambiguous_reference(spark, F, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).select("id", F.col("id").alias("id")).select("id")
    assert message(info.value) == (
        "[AMBIGUOUS_REFERENCE] Reference `id` is ambiguous, could be: [`id`, `id`]. SQLSTATE: 42704")
    assert info.value.getCondition() == "AMBIGUOUS_REFERENCE"


def test_unknown_join_column(spark, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        emp(spark).join(dept(spark), "nope")
    assert message(info.value) == (
        "[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `nope` cannot be resolved on the left side of the "
        "join. The left-side columns: [`dept`, `id`, `name`]. SQLSTATE: 42703")
    assert info.value.getCondition() == "UNRESOLVED_USING_COLUMN_FOR_JOIN"


def test_unknown_table(spark, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        spark.table("no_such_view")
    assert message(info.value) == (
        "[TABLE_OR_VIEW_NOT_FOUND] The table or view `no_such_view` cannot be found. Verify the spelling and "
        "correctness of the schema and catalog.")
    assert info.value.getCondition() == "TABLE_OR_VIEW_NOT_FOUND"


# -- aggregation ---------------------------------------------------------------------------------


def test_non_aggregated_column_in_grouped_select(spark, F, AnalysisException):
    df = people(spark)
    for build in (lambda: df.groupBy("grp").agg(F.col("name")),
                  lambda: df.groupBy("grp").agg(F.sum("id"), F.col("name"))):
        with pytest.raises(AnalysisException) as info:
            build()
        assert message(info.value) == (
            '[MISSING_AGGREGATION] The non-aggregating expression "name" is based on columns which are not '
            "participating in the GROUP BY clause.")
        assert info.value.getCondition() == "MISSING_AGGREGATION"
        assert info.value.getMessageParameters() == {
            "expression": '"name"', "expressionAnyValue": '"any_value(name)"'}


def test_aggregate_mixed_with_plain_column_without_group_by(spark, F, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).select("name", F.count("*"))
    assert message(info.value) == (
        "[MISSING_GROUP_BY] The query does not include a GROUP BY clause. Add GROUP BY or turn it into the "
        "window functions using OVER clauses. SQLSTATE: 42803")
    assert info.value.getCondition() == "MISSING_GROUP_BY"


def test_unknown_aggregate_function_in_dict(spark, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).groupBy("grp").agg({"id": "nosuch"})
    assert message(info.value) == (
        "[UNRESOLVED_ROUTINE] Cannot resolve routine `nosuch` on search path [`system`.`builtin`, "
        "`system`.`session`, `spark_catalog`.`default`]. SQLSTATE: 42883")
    assert info.value.getCondition() == "UNRESOLVED_ROUTINE"


# -- type mismatches -----------------------------------------------------------------------------


def test_binary_operator_with_incompatible_types(spark, F, AnalysisException):
    df = arrays(spark)
    with pytest.raises(AnalysisException) as info:
        df.select(F.col("arr") + 1)
    assert message(info.value) == (
        '[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve "(arr + 1)" due to data type mismatch: the '
        'left and right operands of the binary operator have incompatible types ("ARRAY<STRING>" and "INT"). '
        "SQLSTATE: 42K09")
    assert info.value.getCondition() == "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES"
    assert info.value.getMessageParameters() == {
        "left": '"ARRAY<STRING>"', "right": '"INT"', "sqlExpr": '"(arr + 1)"'}


def test_function_with_wrong_input_type(spark, F, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        arrays(spark).select(F.length("arr"))
    assert message(info.value) == (
        '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "length(arr)" due to data type mismatch: '
        'The first parameter requires the ("STRING" or "BINARY") type, however "arr" has the type '
        '"ARRAY<STRING>". SQLSTATE: 42K09')
    assert info.value.getCondition() == "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE"
    with pytest.raises(AnalysisException) as info:
        arrays(spark).select(F.upper("arr"))
    assert message(info.value) == (
        '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "upper(arr)" due to data type mismatch: '
        'The first parameter requires the "STRING" type, however "arr" has the type "ARRAY<STRING>". '
        "SQLSTATE: 42K09")


def test_explode_of_a_string(spark, F, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).select(F.explode("name"))
    assert message(info.value) == (
        '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "explode(name)" due to data type mismatch: '
        'The first parameter requires the ("ARRAY" or "MAP") type, however "name" has the type "STRING". '
        "SQLSTATE: 42K09")


def test_filter_on_a_non_boolean(spark, F, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).filter(F.col("id") + 1)
    assert message(info.value) == (
        '[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN] Cannot resolve "(id + 1)" due to data type mismatch: Filter '
        'expression "(id + 1)" of type "INT" is not a boolean. SQLSTATE: 42K09')
    assert info.value.getCondition() == "DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN"


# -- set operations and limits -------------------------------------------------------------------


def test_union_with_different_column_counts(spark, AnalysisException):
    df = people(spark)
    with pytest.raises(AnalysisException) as info:
        df.union(df.select("id"))
    assert message(info.value) == (
        "[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but "
        "the first input has 4 columns and the second input has 1 columns. SQLSTATE: 42826")
    assert info.value.getCondition() == "NUM_COLUMNS_MISMATCH"


def test_union_by_name_with_a_missing_column(spark, AnalysisException):
    df = people(spark)
    with pytest.raises(AnalysisException) as info:
        df.select("id", "name").unionByName(df.select("id"))
    assert message(info.value) == (
        '[UNRESOLVED_COLUMN_AMONG_FIELD_NAMES] Cannot resolve column name "name" among (id). SQLSTATE: 42703')
    assert info.value.getCondition() == "UNRESOLVED_COLUMN_AMONG_FIELD_NAMES"


def test_negative_limit(spark, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).limit(-1)
    assert message(info.value) == (
        '[INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE] The limit like expression "-1" is invalid. The limit '
        "expression must be equal to or greater than 0, but got -1. SQLSTATE: 42K0E")


def test_bad_interval_in_window(spark, F, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        spark.range(1).select(F.window(F.current_timestamp(), "5 apples"))
    assert info.value.getCondition() == "CANNOT_PARSE_INTERVAL"
    assert message(info.value) == (
        "[CANNOT_PARSE_INTERVAL] Unable to parse '5 apples'. Please ensure that the value provided is in a "
        "valid format for defining an interval. You can reference the documentation for the correct format. "
        "If the issue persists, please double check that the input value is not null or empty and try again. "
        "SQLSTATE: 22006")


# -- ANSI runtime errors: raised by the action, not by the transformation ------------------------


def test_invalid_cast_fails_at_collect_under_ansi(spark, engine, F):
    df = spark.createDataFrame([("12",), ("abc",)], "s STRING").select(F.col("s").cast("int"))  # builds fine
    with pytest.raises(engine.module("errors").NumberFormatException) as info:
        df.collect()
    assert message(info.value) == (
        "[CAST_INVALID_INPUT] The value 'abc' of the type \"STRING\" cannot be cast to \"INT\" because it is "
        "malformed. Correct the value as per the syntax, or change its target type. Use `try_cast` to "
        "tolerate malformed input and return NULL instead. SQLSTATE: 22018")
    assert info.value.getCondition() == "CAST_INVALID_INPUT"


def test_division_by_zero_fails_at_collect_under_ansi(spark, engine, F):
    df = spark.createDataFrame([(1,)], "n INT")
    divided = df.select(F.col("n") / 0)
    with pytest.raises(engine.module("errors").ArithmeticException) as info:
        divided.collect()
    assert message(info.value) == (
        "[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL "
        'instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22012')
    assert info.value.getCondition() == "DIVIDE_BY_ZERO"
    with pytest.raises(engine.module("errors").ArithmeticException) as info:
        df.select(F.col("n") % 0).collect()
    assert info.value.getCondition() == "REMAINDER_BY_ZERO"


def test_array_index_out_of_bounds_under_ansi(spark, engine, F):
    df = spark.createDataFrame([(["a", "b"],)], "arr ARRAY<STRING>").select(F.col("arr")[5])
    with pytest.raises(engine.module("errors").ArrayIndexOutOfBoundsException) as info:
        df.collect()
    assert message(info.value) == (
        "[INVALID_ARRAY_INDEX] The index 5 is out of bounds. The array has 2 elements. Use the SQL function "
        "`get()` to tolerate accessing element at invalid index and return NULL instead. SQLSTATE: 22003")


def test_unparseable_timestamp_under_ansi(spark, engine, F):
    df = spark.createDataFrame([("xx",)], "s STRING").select(F.to_timestamp("s"))
    with pytest.raises(engine.module("errors").DateTimeException) as info:
        df.collect()
    assert info.value.getCondition() == "CAST_INVALID_INPUT"


# -- parse errors in SQL strings -----------------------------------------------------------------


def test_parse_error_in_select_expr_and_filter(spark, engine):
    ParseException = engine.module("errors").ParseException
    df = people(spark)
    with pytest.raises(ParseException) as info:
        df.selectExpr("id +* 2")
    assert info.value.getCondition() == "PARSE_SYNTAX_ERROR"
    with pytest.raises(ParseException) as info:
        df.filter("id >> ")
    assert info.value.getCondition() == "PARSE_SYNTAX_ERROR"
    assert issubclass(ParseException, engine.module("errors").AnalysisException)


def test_unknown_type_name_in_cast(spark, engine, F):
    with pytest.raises(engine.module("errors").ParseException) as info:
        people(spark).select(F.col("id").cast("nosuchtype"))
    assert info.value.getCondition() == "UNSUPPORTED_DATATYPE"


def before_plan(exc: BaseException) -> str:
    """The whole message before Spark's appended plan (``;\\n<plan>``), for multi-line messages."""
    return str(exc).split(";\n")[0].strip()


def test_aggregate_in_filter(spark, F, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).filter(F.sum("id") > 1)
    assert before_plan(info.value) == (
        '[INVALID_WHERE_CONDITION] The WHERE condition "(sum(id) > 1)" contains invalid expressions: '
        "sum(id).\nRewrite the query to avoid window functions, aggregate functions, and generator functions "
        "in the WHERE clause. SQLSTATE: 42903")
    assert info.value.getCondition() == "INVALID_WHERE_CONDITION"


def test_union_of_incompatible_types(spark, AnalysisException):
    arrays_ = spark.createDataFrame([([1],)], "a ARRAY<INT>")
    with pytest.raises(AnalysisException) as info:
        arrays_.union(spark.createDataFrame([(1,)], "n INT"))
    assert message(info.value) == (
        "[INCOMPATIBLE_COLUMN_TYPE] UNION can only be performed on tables with compatible column types. The "
        'first column of the second table is "INT" type which is not compatible with "ARRAY<INT>" at the '
        "same column of the first table.. SQLSTATE: 42825")
    assert info.value.getCondition() == "INCOMPATIBLE_COLUMN_TYPE"


def test_null_literal_where_a_value_is_needed(spark, F, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        spark.createDataFrame([(["a"],)], "a ARRAY<STRING>").select(F.array_contains("a", None))
    assert message(info.value) == (
        '[DATATYPE_MISMATCH.NULL_TYPE] Cannot resolve "array_contains(a, NULL)" due to data type mismatch: '
        "Null typed values cannot be used as arguments of `array_contains`. SQLSTATE: 42K09")


def test_unsupported_join_type(spark, AnalysisException):
    with pytest.raises(AnalysisException) as info:
        people(spark).join(people(spark), "id", "sideways")
    assert message(info.value) == (
        "[UNSUPPORTED_JOIN_TYPE] Unsupported join type 'sideways'. Supported join types include: 'inner', "
        "'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', "
        "'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'. "
        "SQLSTATE: 0A000")
    assert info.value.getCondition() == "UNSUPPORTED_JOIN_TYPE"


def test_python_type_errors_for_non_columns(spark, engine):
    PySparkTypeError = engine.module("errors").PySparkTypeError
    with pytest.raises(PySparkTypeError) as info:
        people(spark).withColumn("x", 1)
    assert str(info.value) == "[NOT_EXPECTED_TYPE] Argument `col` should be Column, got int."
    assert info.value.getCondition() == "NOT_EXPECTED_TYPE"
    with pytest.raises(PySparkTypeError) as info:
        people(spark).select(1.5)
    assert str(info.value) == "[NOT_EXPECTED_TYPE] Argument `col` should be Column or str, got float."


def test_failing_udf_raises_python_exception_at_collect(spark, engine, F):
    boom = F.udf(lambda x: 1 // 0, "int")
    df = people(spark).filter("id = 1").select(boom("id"))  # builds fine
    with pytest.raises(engine.module("errors").PythonException) as info:
        df.collect()
    assert str(info.value).startswith("An exception was thrown from the Python worker:\nTraceback")
    assert "ZeroDivisionError: integer division or modulo by zero" in str(info.value)
    assert info.value.getCondition() == "PYTHON_EXCEPTION"


OVERFLOW = (
    "[ARITHMETIC_OVERFLOW] overflow. Use '{}' to tolerate overflow and return NULL instead. If necessary set "
    '"spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22003'
)


def test_integer_overflow_under_ansi(spark, engine, F):
    ArithmeticException = engine.module("errors").ArithmeticException
    ints = spark.createDataFrame([(2**31 - 1,)], "n INT").select(F.col("n") + 1)
    with pytest.raises(ArithmeticException) as info:
        ints.collect()
    assert message(info.value) == OVERFLOW.format("try_add")
    assert info.value.getCondition() == "ARITHMETIC_OVERFLOW"
    longs = spark.createDataFrame([(2**62,)], "n BIGINT").select(F.col("n") * 4)
    with pytest.raises(ArithmeticException) as info:
        longs.collect()
    assert message(info.value) == OVERFLOW.format("try_multiply")


def test_sum_overflow_under_ansi(spark, engine, F):
    df = spark.createDataFrame([(2**63 - 1,), (1,)], "n BIGINT").select(F.sum("n"))
    with pytest.raises(engine.module("errors").ArithmeticException) as info:
        df.collect()
    assert message(info.value) == OVERFLOW.format("try_add")


def test_regexp_extract_group_out_of_range(spark, engine, F):
    df = spark.createDataFrame([("ab",)], "s STRING").select(F.regexp_extract("s", "(a)", 2))
    with pytest.raises(engine.module("errors").SparkRuntimeException) as info:
        df.collect()
    assert message(info.value) == (
        "[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter(s) `idx` in `regexp_extract` is "
        "invalid: Expects group index between 0 and 1, but got 2. SQLSTATE: 22023")


def test_window_over_a_string_column_casts_at_runtime(spark, engine, F):
    df = spark.createDataFrame([("Alice",)], "s STRING").select(F.window("s", "5 seconds"))
    with pytest.raises(engine.module("errors").DateTimeException) as info:
        df.collect()
    assert message(info.value) == (
        "[CAST_INVALID_INPUT] The value 'Alice' of the type \"STRING\" cannot be cast to \"TIMESTAMP\" "
        "because it is malformed. Correct the value as per the syntax, or change its target type. Use "
        "`try_cast` to tolerate malformed input and return NULL instead. SQLSTATE: 22018")


def test_decimal_string_to_int_is_invalid_under_ansi(spark, engine, F):
    df = spark.createDataFrame([("2.7",)], "s STRING").select(F.col("s").cast("int"))
    with pytest.raises(engine.module("errors").NumberFormatException) as info:
        df.collect()
    assert info.value.getCondition() == "CAST_INVALID_INPUT"
