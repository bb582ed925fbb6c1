"""SQL text for DataFrames: ``expr()``/``selectExpr``/``filter("...")`` expressions and ``spark.sql``.

SQL is read with sqlglot's Spark dialect and translated into calls on the public PySpark-shaped API
of the engine the caller belongs to (its ``functions`` module, Column methods, DataFrame methods).
The translation never produces SQL for another engine and never touches plan internals, so the
very same code runs on ember and on PySpark (which is how the tests check it).

Examples
--------
>>> from ember.sql import functions as F
>>> parse_expression("count(*)", F)  # doctest: +ELLIPSIS
Column<...>
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from sqlglot import exp

from ember.sql.sqlparse.commands import run_command
from ember.sql.sqlparse.dialect import parse_one_expression, parse_statements, second_statement_error
from ember.sql.sqlparse.errors import SqlErrors, engine_root
from ember.sql.sqlparse.expressions import ExprTranslator
from ember.sql.sqlparse.naming import spark_name
from ember.sql.sqlparse.query import QueryTranslator

__all__ = ["parse_expression", "run_sql", "spark_name"]

_QUERIES = (exp.Select, exp.Union, exp.Except, exp.Intersect, exp.Subquery)
_MULTI_OUTPUT = frozenset({"posexplode", "posexplode_outer", "inline", "inline_outer", "stack", "json_tuple"})


def parse_expression(text: str, functions: ModuleType) -> Any:
    """One SQL expression as a Column of the engine that ``functions`` belongs to.

    The Column carries Spark's default name for the text (``count(*)`` is named ``count(1)``,
    ``n between 1 and 3`` is named ``between(n, 1, 3)``); ``AS name`` names it explicitly.

    Parameters
    ----------
    text : str
        A Spark SQL expression, e.g. ``"upper(word) AS w"``.
    functions : module
        The engine's ``functions`` module (``ember.sql.functions`` or ``pyspark.sql.functions``).

    Returns
    -------
    Column

    Raises
    ------
    ParseException
        The text is not a valid expression, or uses SQL ember does not translate.

    Examples
    --------
    >>> from ember.sql import functions as F
    >>> c = parse_expression("n + 1", F)
    """
    errors = SqlErrors.for_object(functions)
    node = parse_one_expression(text, errors)
    if isinstance(node, _QUERIES) or not isinstance(node, exp.Expr) or isinstance(node, exp.Command):
        raise errors.parse_syntax_error(text, f"Syntax error at or near '{text.split()[0]}'.", 1, 0)
    translator = ExprTranslator(functions, errors, text)
    column = translator.column(node)
    if translator.renamed and not isinstance(node, (exp.Alias, exp.Aliases)) and not _multi_output(node):
        column = column.alias(spark_name(node))
    return column


def run_sql(session: Any, text: str) -> Any:
    """Run one SQL statement on ``session`` and return its DataFrame.

    Queries (SELECT with joins, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, set operations,
    subqueries, CTEs) read the session's temp views through ``session.table``. Commands:
    ``SHOW TABLES``, ``CREATE [OR REPLACE] TEMP VIEW v AS <query>``, ``DROP VIEW``, ``DESCRIBE t``.

    Parameters
    ----------
    session : SparkSession
        The session whose tables the query reads (ember's or PySpark's).
    text : str
        One SQL statement.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> from ember.sql import SparkSession
    >>> spark = SparkSession.builder.getOrCreate()
    >>> words = spark.createDataFrame([("a",), ("b",), ("a",)], "word STRING")
    >>> words.createOrReplaceTempView("words")
    >>> query = "select word, count(*) as total from words group by word order by word"
    >>> run_sql(spark, query).collect()
    [Row(word='a', total=2), Row(word='b', total=1)]
    """
    root = engine_root(session)
    errors = SqlErrors.for_root(root)
    functions = importlib.import_module(f"{root}.sql.functions")
    statements = parse_statements(text, errors)
    if len(statements) != 1:
        if not statements:
            raise errors.empty_statement(text)
        raise second_statement_error(text, errors)
    statement = statements[0]
    translator = QueryTranslator(session, functions, errors, text)
    if isinstance(statement, _QUERIES):
        return translator.query(statement)
    return run_command(translator, statement)


def _multi_output(node: exp.Expr) -> bool:
    while isinstance(node, exp.Paren):
        node = node.this
    return isinstance(node, exp.Anonymous) and str(node.this).lower() in _MULTI_OUTPUT
