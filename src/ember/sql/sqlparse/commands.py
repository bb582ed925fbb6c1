"""The few commands ``spark.sql`` takes besides queries: temp views, tables, SHOW TABLES, DESCRIBE.

They go through the session's public catalog and DataFrame methods like everything else.

Examples
--------
>>> _like_pattern("w*|t")
'^(w.*|t)$'
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from ember.sql.sqlparse.errors import engine_root

if TYPE_CHECKING:
    from ember.sql.sqlparse.query import QueryTranslator


def run_command(owner: QueryTranslator, statement: exp.Expr) -> Any:
    """The DataFrame a command returns (empty for CREATE VIEW and DROP VIEW, as in Spark)."""
    if isinstance(statement, exp.Create):
        if str(statement.args.get("kind") or "").upper() == "TABLE":
            return _create_table(owner, statement)
        return _create_view(owner, statement)
    if isinstance(statement, exp.Drop):
        if str(statement.args.get("kind") or "").upper() == "TABLE":
            return _drop_table(owner, statement)
        return _drop_view(owner, statement)
    if isinstance(statement, exp.Insert):
        return _insert(owner, statement)
    if isinstance(statement, exp.Describe):
        return _describe(owner, statement)
    if isinstance(statement, exp.Command) and str(statement.this).upper() == "SHOW":
        return _show(owner, statement)
    what = str(statement.this).upper() if isinstance(statement, exp.Command) else type(statement).__name__
    raise owner.errors.unsupported(f"the command {what}", owner.text)


def _types(owner: QueryTranslator) -> Any:
    return importlib.import_module(f"{engine_root(owner.session)}.sql.types")


def _empty(owner: QueryTranslator) -> Any:
    return owner.session.createDataFrame([], _types(owner).StructType([]))


def _create_view(owner: QueryTranslator, statement: exp.Create) -> Any:
    kind = str(statement.args.get("kind") or "").upper()
    properties = statement.args.get("properties")
    temporary = properties is not None and any(
        isinstance(p, exp.TemporaryProperty) for p in properties.expressions)
    if kind != "VIEW" or not temporary:
        raise owner.errors.unsupported("CREATE statements other than CREATE TEMPORARY VIEW", owner.text)
    target = statement.this
    if isinstance(target, exp.Schema):
        raise owner.errors.unsupported("column lists in CREATE VIEW", owner.text)
    query = statement.args.get("expression")
    df = owner.query(query)
    name = target.name
    if statement.args.get("replace"):
        df.createOrReplaceTempView(name)
    elif statement.args.get("exists"):
        if not owner.session.catalog.tableExists(name):
            df.createTempView(name)
    else:
        df.createTempView(name)
    return _empty(owner)


def _tables() -> Any:
    # managed tables are ember's own module (the Spark lane never reaches this translator)
    return importlib.import_module("ember.sql.tables")


def _create_table(owner: QueryTranslator, statement: exp.Create) -> Any:
    target = statement.this
    properties = statement.args.get("properties")
    formats = [p for p in (properties.expressions if properties is not None else [])
               if isinstance(p, exp.FileFormatProperty)]
    names = [str(p.this.name if isinstance(p.this, exp.Expr) else p.this).lower() for p in formats]
    if any(n != "parquet" for n in names):
        raise owner.errors.unsupported("tables in formats other than parquet", owner.text)
    if statement.args.get("expression") is not None:
        raise owner.errors.unsupported("CREATE TABLE ... AS SELECT", owner.text)
    if not isinstance(target, exp.Schema):
        raise owner.errors.unsupported("CREATE TABLE without a column list", owner.text)
    columns = [c for c in target.expressions if isinstance(c, exp.ColumnDef)]
    ddl = ", ".join(f"`{c.name}` {c.args['kind'].sql(dialect='spark')}" for c in columns)
    schema = owner.session.createDataFrame([], ddl).schema
    exists = bool(statement.args.get("exists"))
    _tables().create(owner.session, target.this.name, schema, if_not_exists=exists)
    return _empty(owner)


def _drop_table(owner: QueryTranslator, statement: exp.Drop) -> Any:
    for table in statement.args.get("tables") or []:
        dropped = _tables().drop(owner.session, table.name)
        if not dropped and not statement.args.get("exists"):
            owner.session.table(table.name)  # Spark's TABLE_OR_VIEW_NOT_FOUND (a temp view stays)
    return _empty(owner)


def _insert(owner: QueryTranslator, statement: exp.Insert) -> Any:
    target = statement.this
    if not isinstance(target, exp.Table):
        raise owner.errors.unsupported("INSERT into a column list or a directory", owner.text)
    name = target.name
    tables = _tables()
    if not tables.exists(owner.session, name):
        owner.session.table(name)  # Spark's TABLE_OR_VIEW_NOT_FOUND
        raise owner.errors.unsupported("INSERT INTO a temporary view", owner.text)
    source = statement.expression
    if isinstance(source, exp.Values):
        df = _values(owner, source)
    else:
        df = owner.query(source)
    schema = tables.schema_of(owner.session, name)
    if len(df.columns) != len(schema.fields):
        raise owner.errors.unsupported("INSERT with a different number of columns", owner.text)
    df = df.select(*[df[c].cast(f.dataType).alias(f.name) for c, f in zip(df.columns, schema.fields)])
    tables.save(df, name, "overwrite" if statement.args.get("overwrite") else "append")
    return _empty(owner)


def _values(owner: QueryTranslator, values: exp.Values) -> Any:
    """``VALUES (...), (...)``: each row a one-row SELECT of its expressions, then UNION ALL."""
    df = None
    for row in values.expressions:
        items = row.expressions if isinstance(row, exp.Tuple) else [row]
        one = owner.query(exp.Select(expressions=[i.copy() for i in items]))
        df = one if df is None else df.union(one)
    return df


def _drop_view(owner: QueryTranslator, statement: exp.Drop) -> Any:
    if str(statement.args.get("kind") or "").upper() != "VIEW":
        raise owner.errors.unsupported("DROP statements other than DROP VIEW", owner.text)
    for table in statement.args.get("tables") or []:
        dropped = owner.session.catalog.dropTempView(table.name)
        if not dropped and not statement.args.get("exists"):
            raise owner.errors.analysis(
                "VIEW_NOT_FOUND",
                f"The view `{table.name}` cannot be found. Verify the spelling and correctness of the "
                "schema and catalog.\nIf you did not qualify the name with a schema, verify the "
                "current_schema() output, or qualify the name with the correct schema and catalog.\n"
                "To tolerate the error on drop use DROP VIEW IF EXISTS. SQLSTATE: 42P01")
    return _empty(owner)


def _describe(owner: QueryTranslator, statement: exp.Describe) -> Any:
    target = statement.this
    if not isinstance(target, exp.Table):
        raise owner.errors.unsupported("DESCRIBE of a query", owner.text)
    df = owner.table(target)
    rows = [(f.name, f.dataType.simpleString(), None) for f in df.schema.fields]
    return owner.session.createDataFrame(rows, "col_name STRING, data_type STRING, comment STRING")


def _show(owner: QueryTranslator, statement: exp.Command) -> Any:
    words = str(statement.expression.this if statement.expression is not None else "").strip()
    match = re.fullmatch(r"(?is)tables(?:\s+(?:in|from)\s+(\S+))?(?:\s+(?:like\s+)?'([^']*)')?\s*", words)
    if not match:
        first = words.split()[0].upper() if words else ""
        raise owner.errors.unsupported(f"SHOW {first}".strip(), owner.text)
    pattern = _like_pattern(match.group(2)) if match.group(2) is not None else None
    rows = []
    for table in owner.session.catalog.listTables():
        if not table.isTemporary:
            continue
        if pattern is not None and not re.match(pattern, table.name, flags=re.IGNORECASE):
            continue
        rows.append(("", table.name, True))
    rows.sort(key=lambda r: r[1])
    return owner.session.createDataFrame(rows, "namespace STRING, tableName STRING, isTemporary BOOLEAN")


def _like_pattern(text: str) -> str:
    """SHOW TABLES' pattern (``*`` any run, ``|`` alternatives) as a regular expression."""
    alternatives = [re.escape(p.strip()).replace(r"\*", ".*") for p in text.split("|")]
    return "^(" + "|".join(alternatives) + ")$"
