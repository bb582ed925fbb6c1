"""GROUP BY, aggregates and HAVING as ``groupBy(keys).agg(aggregates)`` followed by a projection.

Every grouping expression and every distinct aggregate call of the block (select list, HAVING,
ORDER BY) becomes one column of the aggregation under a private name; the select list, HAVING and
ORDER BY are then translated with those calls replaced by references to the private columns, and
the final projection gives each column Spark's name. That is how ``count(*) + 1``,
``sum(n) / count(n)`` or ``HAVING count(*) > 1`` work without the engine knowing SQL.

Examples
--------
>>> from ember.sql.sqlparse.dialect import parse_one_expression
>>> contains_aggregate(parse_one_expression("count(*) + 1"))
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlglot import exp

from ember.sql.sqlparse.calls import is_aggregate
from ember.sql.sqlparse.naming import spark_name

if TYPE_CHECKING:
    from ember.sql.sqlparse.query import QueryTranslator

_KEY = "__sql_group_{}"
_AGG = "__sql_agg_{}"


def _is_aggregate_call(node: exp.Expr) -> bool:
    if isinstance(node, exp.Anonymous):
        return is_aggregate(str(node.this))
    if isinstance(node, exp.IgnoreNulls):
        return _is_aggregate_call(node.this)
    return False


def contains_aggregate(node: exp.Expr) -> bool:
    """Whether ``node`` calls an aggregate function anywhere inside."""
    return bool(aggregate_calls(node))


def aggregate_calls(node: exp.Expr) -> list[exp.Expr]:
    """The outermost aggregate calls inside ``node``, in order of appearance."""
    found: list[exp.Expr] = []

    def walk(n: exp.Expr) -> None:
        if _is_aggregate_call(n):
            found.append(n)
            return
        if isinstance(n, exp.Window):
            # ``sum(n) OVER (...)`` is a window function, not an aggregate; aggregates inside it
            # (``rank() OVER (ORDER BY sum(n))``, ``sum(sum(n)) OVER ()``) run in the GROUP BY
            func = n.this.this if isinstance(n.this, exp.IgnoreNulls) else n.this
            inner = list(func.iter_expressions()) if _is_aggregate_call(func) else [func]
            inner += list(n.args.get("partition_by") or [])
            if n.args.get("order") is not None:
                inner += [o.this for o in n.args["order"].expressions]
            for child in inner:
                walk(child)
            return
        if isinstance(n, (exp.Subquery, exp.Select)):
            return
        for child in n.iter_expressions():
            walk(child)

    walk(node)
    return found


def normalized(node: exp.Expr, qualified: bool = False) -> str:
    """A comparison key: case-folded, without parentheses and (unless ``qualified``) table names."""

    def clean(n: exp.Expr) -> exp.Expr:
        if isinstance(n, exp.Paren):
            return n.this
        if isinstance(n, exp.Column) and not qualified and n.table:
            return exp.column(n.name)
        return n

    return node.copy().transform(clean).sql(dialect="spark").lower()


class AggregatePlan:
    """One aggregate query block: keys, aggregates, HAVING, ORDER BY, the projection."""

    def __init__(self, owner: QueryTranslator, df: Any, node: exp.Select, items: list[exp.Expr]) -> None:
        from ember.sql.sqlparse.query import ordinal_item, substitute_aliases

        self.owner = owner
        self.F = owner.F
        self.df = df
        self.node = node
        self.items = items
        self._ordinal_item = ordinal_item
        self._substitute_aliases = substitute_aliases
        self.keys = self._keys()
        self.exact = {normalized(k, qualified=True): i for i, k in enumerate(self.keys)}
        self.loose: dict[str, int | None] = {}
        for i, k in enumerate(self.keys):
            text = normalized(k)
            self.loose[text] = None if text in self.loose else i
        self.key_names = {spark_name(k).lower(): i for i, k in enumerate(self.keys)}
        self.aggregates: dict[str, int] = {}
        self.aggregate_nodes: list[exp.Expr] = []

    def _keys(self) -> list[exp.Expr]:
        group = self.node.args.get("group")
        if group is None:
            return []
        for kind in ("rollup", "cube", "grouping_sets", "totals"):
            if group.args.get(kind):
                raise self.owner.unsupported("ROLLUP/CUBE/GROUPING SETS", group)
        if group.args.get("all"):
            return [self._inner(i).copy() for i in self.items if not contains_aggregate(i)]
        inputs = {c.lower() for c in self.df.columns}
        aliases = {i.alias.lower(): i.this for i in self.items if isinstance(i, exp.Alias)}
        keys = []
        for key in group.expressions:
            if isinstance(key, (exp.Rollup, exp.Cube, exp.GroupingSets)):
                raise self.owner.unsupported("ROLLUP/CUBE/GROUPING SETS", key)
            key = self._ordinal_item(key, self.items, self.owner)
            if isinstance(key, exp.Column) and not key.table and key.name.lower() not in inputs \
                    and key.name.lower() in aliases:
                key = aliases[key.name.lower()].copy()
            keys.append(key)
        return keys

    @staticmethod
    def _inner(item: exp.Expr) -> exp.Expr:
        return item.this if isinstance(item, exp.Alias) else item

    def _collect(self, node: exp.Expr) -> None:
        for call in aggregate_calls(node):
            text = normalized(call, qualified=True)
            if text not in self.aggregates:
                self.aggregates[text] = len(self.aggregate_nodes)
                self.aggregate_nodes.append(call)

    def resolve(self, node: exp.Expr) -> Any:
        """The aggregation's column standing for ``node``, or None to translate it as usual."""
        if isinstance(node, exp.Window):
            return None  # computed over the aggregation's rows (its aggregates resolve below)
        index = self.exact.get(normalized(node, qualified=True))
        if index is None:
            index = self.loose.get(normalized(node))
        if index is not None:
            return self.F.col(_KEY.format(index))
        if _is_aggregate_call(node) and normalized(node, qualified=True) in self.aggregates:
            return self.F.col(_AGG.format(self.aggregates[normalized(node, qualified=True)]))
        if isinstance(node, exp.Column) and not isinstance(node.this, exp.Star):
            if node.table and node.table.lower() in self.key_names and not node.args.get("db"):
                return self.F.col(_KEY.format(self.key_names[node.table.lower()])).getField(node.name)
            raise self._missing(node)
        return None

    def _missing(self, node: exp.Column) -> Exception:
        name = node.sql(dialect="spark").replace("`", "")
        if not self.keys:
            return self.owner.errors.analysis(
                "MISSING_GROUP_BY",
                "The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window "
                "functions using OVER clauses. SQLSTATE: 42803")
        return self.owner.errors.analysis(
            "MISSING_AGGREGATION",
            f"The non-aggregating expression \"{name}\" is based on columns which are not participating "
            "in the GROUP BY clause.\nAdd the columns or the expression to the GROUP BY, aggregate the "
            f"expression, or use \"any_value({name})\" if you do not care which of the values within a "
            "group is returned. SQLSTATE: 42803")

    def run(self) -> Any:
        owner, node, items = self.owner, self.node, self.items
        having = node.args.get("having")
        order = node.args.get("order")
        distinct = node.args.get("distinct") is not None
        having_expr = self._substitute_aliases(having.this, items) if having is not None else None
        order_entries = []
        if order is not None and not distinct:
            for ordered in order.expressions:
                ordered = ordered.copy()
                target = self._ordinal_item(ordered.this, items, owner)
                ordered.set("this", self._substitute_aliases(target, items, outputs=True))
                order_entries.append(ordered)
        for part in [self._inner(i) for i in items] + ([having_expr] if having_expr is not None else []) \
                + [o.this for o in order_entries]:
            self._collect(part)
        key_columns = [owner.expr(k).alias(_KEY.format(i)) for i, k in enumerate(self.keys)]
        agg_columns = [owner.expr(a).alias(_AGG.format(j)) for j, a in enumerate(self.aggregate_nodes)]
        if agg_columns:
            grouped = self.df.groupBy(*key_columns).agg(*agg_columns)
        elif key_columns:
            grouped = self.df.select(*key_columns).distinct()
        else:
            raise owner.unsupported("HAVING without aggregates or GROUP BY", node)
        if having_expr is not None:
            grouped = grouped.where(owner.expr(having_expr, self.resolve))
        if order_entries:
            grouped = grouped.orderBy(*[owner.sort_key(o, self.resolve) for o in order_entries])
        out = grouped.select(*[owner.output_column(i, self.resolve) for i in items])
        if distinct:
            out = out.distinct()
            if order is not None:
                out = out.orderBy(*owner._output_order(out, order.expressions, items))
        return out
