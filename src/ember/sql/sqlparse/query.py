"""A SELECT statement as DataFrame calls: table, alias, join, where, groupBy/agg, select, orderBy, limit.

The translation follows the order in which SQL evaluates a query block: FROM (tables, joins,
lateral views), WHERE, GROUP BY with the aggregates, HAVING, ORDER BY, the select list, DISTINCT,
LIMIT. Only public DataFrame methods are called, so any engine with PySpark's API runs the result.

Examples
--------
>>> from ember.sql.sqlparse.dialect import parse_statements
>>> from ember.sql.sqlparse.errors import SqlErrors
>>> node = parse_statements("select 1", SqlErrors.for_root("ember"))[0]
>>> type(node).__name__
'Select'
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from sqlglot import exp

from ember.sql.sqlparse.aggregate import AggregatePlan, aggregate_calls, contains_aggregate, normalized
from ember.sql.sqlparse.errors import SqlErrors
from ember.sql.sqlparse.expressions import ExprTranslator, column_path
from ember.sql.sqlparse.literals import literal_value
from ember.sql.sqlparse.naming import spark_name
from ember.sql.sqlparse.windows import direct

# Generators that produce several columns: Spark names them itself, an alias would need every name.
_MULTI_GENERATORS = frozenset({"posexplode", "posexplode_outer", "inline", "inline_outer", "stack",
                               "json_tuple"})
_GENERATORS = frozenset({"explode", "explode_outer"}) | _MULTI_GENERATORS

# Clauses of a query block this translator does not handle, with the words a user would recognise.
_UNSUPPORTED_CLAUSES = {"sort": "SORT BY", "cluster": "CLUSTER BY", "distribute": "DISTRIBUTE BY",
                        "qualify": "QUALIFY", "windows": "WINDOW", "prewhere": "PREWHERE",
                        "connect": "CONNECT BY", "match": "MATCH_RECOGNIZE", "pivots": "PIVOT",
                        "exclude": "SELECT * EXCEPT"}


class QueryTranslator:
    """Runs query trees against ``session`` through the public DataFrame API of its engine."""

    def __init__(self, session: Any, F: ModuleType, errors: SqlErrors, text: str) -> None:
        self.session = session
        self.F = F
        self.errors = errors
        self.text = text
        self.ctes: dict[str, Any] = {}

    # -- helpers -------------------------------------------------------------------------------
    def translator(self, resolver: Any = None) -> ExprTranslator:
        return ExprTranslator(self.F, self.errors, self.text, resolver)

    def expr(self, node: exp.Expr, resolver: Any = None) -> Any:
        return self.translator(resolver).column(node)

    def unsupported(self, what: str, node: exp.Expr) -> Exception:
        return self.errors.unsupported(what, node.sql(dialect="spark"))

    # -- queries -------------------------------------------------------------------------------
    def query(self, node: exp.Expr) -> Any:
        """The DataFrame of a query: a SELECT, a set operation or a parenthesised query."""
        saved = dict(self.ctes)
        try:
            self._register_ctes(node)
            if isinstance(node, exp.Select):
                return self.select(node)
            if isinstance(node, (exp.Union, exp.Except, exp.Intersect)):
                return self._finish(self.set_operation(node), node)
            if isinstance(node, exp.Subquery):
                return self._finish(self.query(node.this), node)
            if isinstance(node, exp.Paren):
                return self.query(node.this)
            raise self.unsupported(f"the statement {type(node).__name__}", node)
        finally:
            self.ctes = saved

    def _register_ctes(self, node: exp.Expr) -> None:
        with_ = node.args.get("with_") or node.args.get("with")
        if with_ is None:
            return
        if with_.args.get("recursive"):
            raise self.unsupported("WITH RECURSIVE", with_)
        for cte in with_.expressions:
            df = self.query(cte.this)
            columns = [c.name for c in (cte.args.get("alias").columns if cte.args.get("alias") else [])]
            if columns:
                df = df.toDF(*columns)
            self.ctes[cte.alias.lower()] = df

    def set_operation(self, node: exp.Expr) -> Any:
        """UNION / INTERSECT / EXCEPT, by position as SQL matches columns; DISTINCT unless ALL."""
        left = self.query(node.this)
        right = self.query(node.expression)
        distinct = node.args.get("distinct", True) is not False
        if isinstance(node, exp.Union):
            result = left.union(right)
            return result.distinct() if distinct else result
        if isinstance(node, exp.Intersect):
            return left.intersect(right) if distinct else self._method(left, "intersectAll", node)(right)
        return left.subtract(right) if distinct else self._method(left, "exceptAll", node)(right)

    def _method(self, df: Any, name: str, node: exp.Expr) -> Any:
        """``df.<name>``, or a clear error when this engine's DataFrame lacks it."""
        method = getattr(type(df), name, None)
        if method is None:
            words = {"intersectAll": "INTERSECT ALL", "exceptAll": "EXCEPT ALL"}.get(name, name)
            raise self.unsupported(f"{words} on this engine", node)
        return getattr(df, name)

    def _finish(self, df: Any, node: exp.Expr) -> Any:
        """ORDER BY and LIMIT attached to a set operation: they see only the output columns."""
        order = node.args.get("order")
        if order is not None:
            df = df.orderBy(*self._output_order(df, order.expressions, None))
        return self._limit(df, node)

    def _limit(self, df: Any, node: exp.Expr) -> Any:
        offset = node.args.get("offset")
        if offset is not None:
            value = literal_value(offset.expression)
            if not value.ok or not isinstance(value.value, int) or not hasattr(df, "offset"):
                raise self.unsupported("this OFFSET", offset)
            df = df.offset(value.value)
        limit = node.args.get("limit")
        if limit is not None:
            value = literal_value(limit.expression)
            if not value.ok or not isinstance(value.value, int):
                raise self.unsupported("a LIMIT that is not an integer literal", limit)
            df = df.limit(value.value)
        return df

    # -- one query block -----------------------------------------------------------------------
    def select(self, node: exp.Select) -> Any:
        for key, words in _UNSUPPORTED_CLAUSES.items():
            if node.args.get(key):
                raise self.unsupported(words, node)
        node = _strip_lateral_qualifiers(node)
        df = self.from_clause(node)
        where = node.args.get("where")
        if where is not None:
            invalid = aggregate_calls(where.this)
            if invalid:
                listed = ", ".join(spark_name(call) for call in invalid)
                raise self.errors.analysis(
                    "INVALID_WHERE_CONDITION",
                    f"The WHERE condition \"{spark_name(where.this)}\" contains invalid expressions: "
                    f"{listed}.\nRewrite the query to avoid window functions, aggregate functions, and "
                    "generator functions in the WHERE clause. SQLSTATE: 42903")
            df = df.where(self.expr(where.this))
        items = list(node.expressions)
        grouped = node.args.get("group") is not None or node.args.get("having") is not None \
            or any(contains_aggregate(i) for i in items)
        if grouped:
            plan = AggregatePlan(self, df, node, items)
            return self._limit(plan.run(), node)
        return self._limit(self._project(df, node, items), node)

    def _project(self, df: Any, node: exp.Select, items: list[exp.Expr]) -> Any:
        """A select list without aggregation, with ORDER BY before or after it as Spark resolves it."""
        order = node.args.get("order")
        distinct = node.args.get("distinct") is not None
        if distinct and node.args["distinct"].args.get("on"):
            raise self.unsupported("DISTINCT ON", node)
        columns = [self.output_column(item) for item in items]
        has_generator = any(_is_generator(i) for i in items)
        if order is not None and not distinct and not has_generator:
            keys = [self._substitute_output(o, items) for o in order.expressions]
            df = df.orderBy(*[self.sort_key(k) for k in keys])
            order = None
        out = df.select(*columns)
        if distinct:
            out = out.distinct()
        if order is not None:
            out = out.orderBy(*self._output_order(out, order.expressions, items))
        return out

    def output_column(self, item: exp.Expr, resolver: Any = None) -> Any:
        """A select-list entry as a Column named as Spark names it."""
        if isinstance(item, exp.Aliases):
            return self.expr(item, resolver)
        inner = item.this if isinstance(item, exp.Alias) else item
        if isinstance(item, exp.Star) or (isinstance(item, exp.Column) and isinstance(item.this, exp.Star)):
            if resolver is not None:
                raise self.unsupported("* in an aggregate query", item)
            return self.expr(item)
        if isinstance(item, exp.Column) and resolver is None:
            return self.expr(item)
        column = self.expr(inner, resolver)
        if isinstance(item, exp.Alias):
            names = [item.alias]
            return column.alias(*names)
        if _is_generator(inner) and _call_name(inner) in _MULTI_GENERATORS:
            return column
        return column.alias(spark_name(item))

    def sort_key(self, ordered: exp.Ordered, resolver: Any = None) -> Any:
        """An ORDER BY entry as a Column with its direction and null ordering."""
        column = self.expr(ordered.this, resolver)
        return direct(column, ordered)

    def _substitute_output(self, ordered: exp.Ordered, items: list[exp.Expr]) -> exp.Ordered:
        """Replace ordinals and select-list aliases in an ORDER BY entry by the expressions they name."""
        ordered = ordered.copy()
        ordered.set("this", substitute_aliases(ordinal_item(ordered.this, items, self), items, outputs=True))
        return ordered

    def _output_order(self, df: Any, entries: list[exp.Ordered], items: list[exp.Expr] | None) -> list:
        """ORDER BY over a finished output (after DISTINCT or a set operation): names and ordinals."""
        names = list(df.columns)
        keys = []
        for ordered in entries:
            target = ordered.this
            position = _ordinal(target)
            if position is not None:
                if not 1 <= position <= len(names):
                    raise _ordinal_error(self, position, len(names), "ORDER BY")
                keys.append(direct(self.F.col(_quote_name(names[position - 1])), ordered))
                continue
            if items is not None:
                for index, item in enumerate(items):
                    if normalized(item.this if isinstance(item, exp.Alias) else item) == normalized(target) \
                            and index < len(names):
                        target = exp.column(names[index], quoted=True)
                        break
            keys.append(direct(self.expr(target), ordered))
        return keys

    # -- FROM ----------------------------------------------------------------------------------
    def from_clause(self, node: exp.Select) -> Any:
        source = node.args.get("from_") or node.args.get("from")
        if source is None:
            if node.args.get("joins"):
                raise self.unsupported("JOIN without FROM", node)
            return self.session.range(1)
        df = self.relation(source.this)
        for join in node.args.get("joins") or []:
            df = self.join(df, join)
        for lateral in node.args.get("laterals") or []:
            df = self.lateral_view(df, lateral)
        return df

    def relation(self, node: exp.Expr) -> Any:
        """A table, view, CTE or subquery, aliased so qualified names (``t.col``) resolve."""
        if isinstance(node, exp.Table):
            if node.args.get("sample") is not None:
                raise self.unsupported("TABLESAMPLE", node)
            if isinstance(node.this, exp.Anonymous) or node.args.get("joins"):
                raise self.unsupported("table-valued functions", node)
            df = self.table(node)
            alias = node.alias or node.name
            columns = _alias_columns(node)
            if columns:
                df = df.toDF(*columns)
            return df.alias(alias)
        if isinstance(node, exp.Subquery):
            df = self.query(node.this)
            df = self._finish(df, node) if node.args.get("order") or node.args.get("limit") else df
            columns = _alias_columns(node)
            if columns:
                df = df.toDF(*columns)
            return df.alias(node.alias) if node.alias else df
        if isinstance(node, exp.Values):
            raise self.unsupported("VALUES lists", node)
        raise self.unsupported(f"{type(node).__name__} in FROM", node)

    def table(self, node: exp.Table) -> Any:
        name = node.name
        qualified = ".".join(p.name for p in node.parts)
        if not node.args.get("db") and name.lower() in self.ctes:
            return self.ctes[name.lower()]
        try:
            return self.session.table(qualified)
        except self.errors.AnalysisException as error:
            if _error_class(error) != "TABLE_OR_VIEW_NOT_FOUND":
                raise
            start = node.this.meta.get("start")
            line = node.this.meta.get("line", 1)
            pos = _position(self.text, start) if start is not None else 0
            shown = ".".join(f"`{p.name}`" for p in node.parts)
            raise self.errors.table_not_found(shown, line, pos) from None

    def join(self, df: Any, join: exp.Join) -> Any:
        right = self.relation(join.this)
        method = str(join.args.get("method") or "").upper()
        if method and method != "NATURAL":
            raise self.unsupported(f"{method} JOIN", join)
        side = (join.side or "").upper()
        kind = (join.kind or "").upper()
        on = join.args.get("on")
        using = join.args.get("using")
        if kind in ("SEMI", "ANTI"):
            how = "left_semi" if kind == "SEMI" else "left_anti"
        elif side in ("LEFT", "RIGHT", "FULL"):
            how = {"LEFT": "left", "RIGHT": "right", "FULL": "full"}[side]
        elif kind == "CROSS":
            how = "cross"
        else:
            how = "inner"
        if method == "NATURAL":
            # The columns both sides share, in the left side's order, as USING would list them.
            theirs = {c.lower() for c in right.columns}
            using = [exp.to_identifier(c) for c in df.columns if c.lower() in theirs]
            if not using:
                return df.crossJoin(right) if how == "inner" else df.join(right, how=how)
        if using:
            return df.join(right, on=[u.name for u in using], how=how if how != "cross" else "inner")
        if on is not None:
            return df.join(right, on=self.expr(on), how=how)
        if how in ("inner", "cross"):
            return df.crossJoin(right)
        return df.join(right, how=how)  # Spark joins every row with every row, then pads

    def lateral_view(self, df: Any, lateral: exp.Lateral) -> Any:
        """``LATERAL VIEW [OUTER] explode(x) t AS c``: every input column plus the generated ones."""
        if not lateral.args.get("view"):
            raise self.unsupported("LATERAL subqueries", lateral)
        call = lateral.this
        name = _call_name(call)
        if name not in _GENERATORS:
            raise self.unsupported(f"LATERAL VIEW {name}", lateral)
        if lateral.args.get("outer") and not name.endswith("_outer"):
            call = exp.Anonymous(this=f"{name}_outer", expressions=list(call.expressions))
        column = self.expr(call)
        alias = lateral.args.get("alias")
        names = [c.name for c in alias.columns] if alias is not None else []
        if names:
            column = column.alias(*names)
        return df.select(self.F.col("*"), column)


def substitute_aliases(node: exp.Expr, items: list[exp.Expr], outputs: bool = False) -> exp.Expr:
    """``node`` with unqualified references to select-list aliases replaced by the aliased expressions.

    With ``outputs`` (ORDER BY, which sees the select list first) a name also stands for a plain
    column of the list: ``ORDER BY start`` after ``SELECT window.start``.
    """
    aliases = {i.alias.lower(): i.this for i in items if isinstance(i, exp.Alias)}
    if outputs:
        for item in items:
            if isinstance(item, exp.Column) and item.table and not isinstance(item.this, exp.Star):
                aliases.setdefault(item.name.lower(), item)
    if not aliases:
        return node

    def replace(n: exp.Expr) -> exp.Expr:
        if isinstance(n, exp.Column) and not n.table and n.name.lower() in aliases:
            return aliases[n.name.lower()].copy()
        return n

    return node.copy().transform(replace)


def ordinal_item(node: exp.Expr, items: list[exp.Expr], owner: QueryTranslator) -> exp.Expr:
    """The select-list expression an ordinal (``ORDER BY 2``, ``GROUP BY 1``) stands for."""
    position = _ordinal(node)
    if position is None:
        return node
    if not 1 <= position <= len(items):
        raise _ordinal_error(owner, position, len(items), "ORDER BY")
    item = items[position - 1]
    return (item.this if isinstance(item, exp.Alias) else item).copy()


def _ordinal(node: exp.Expr) -> int | None:
    if isinstance(node, exp.Literal) and not node.is_string:
        value = literal_value(node).value
        return value if isinstance(value, int) else None
    return None


def _ordinal_error(owner: QueryTranslator, position: int, size: int, clause: str) -> Exception:
    return owner.errors.analysis(
        "ORDER_BY_POS_OUT_OF_RANGE" if clause == "ORDER BY" else "GROUP_BY_POS_OUT_OF_RANGE",
        f"{clause} position {position} is not in select list (valid range is [1, {size}]). SQLSTATE: 42805")


def _quote_name(name: str) -> str:
    if "." in name or "`" in name:
        return "`" + name.replace("`", "``") + "`"
    return name


def _call_name(node: exp.Expr) -> str:
    while isinstance(node, exp.Paren):
        node = node.this
    return str(node.this).lower() if isinstance(node, exp.Anonymous) else ""


def _is_generator(node: exp.Expr) -> bool:
    inner = node.this if isinstance(node, exp.Alias) else node
    return _call_name(inner) in _GENERATORS


def _alias_columns(node: exp.Expr) -> list[str]:
    alias = node.args.get("alias")
    if alias is None or not isinstance(alias, exp.TableAlias):
        return []
    return [c.name for c in alias.columns]


def _strip_lateral_qualifiers(node: exp.Select) -> exp.Select:
    """``t.c`` for a LATERAL VIEW ``t AS c`` becomes ``c``: the generated column has no table."""
    names = {lat.alias.lower() for lat in node.args.get("laterals") or [] if lat.alias}
    if not names:
        return node

    def strip(n: exp.Expr) -> exp.Expr:
        if isinstance(n, exp.Column) and n.table and n.table.lower() in names:
            return exp.column(n.name, quoted=n.this.quoted if isinstance(n.this, exp.Identifier) else False)
        return n

    return node.copy().transform(strip)


def _error_class(error: Exception) -> str | None:
    getter = getattr(error, "getErrorClass", None) or getattr(error, "getCondition", None)
    return getter() if getter is not None else None


def _position(text: str, offset: int) -> int:
    return offset - (text.rfind("\n", 0, offset) + 1)


__all__ = ["QueryTranslator", "column_path", "ordinal_item", "substitute_aliases"]
