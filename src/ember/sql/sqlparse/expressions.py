"""A sqlglot expression tree as a Column, built only with the public functions and Column methods.

Nothing here knows how the engine evaluates a Column: the same translator produces PySpark
Columns when handed ``pyspark.sql.functions`` and ember Columns when handed ember's module.

Examples
--------
>>> from ember.sql.sqlparse.dialect import parse_one_expression
>>> class FakeF:
...     @staticmethod
...     def col(name):
...         return f"col({name})"
>>> ExprTranslator(FakeF, None).column(parse_one_expression("t.word"))
'col(t.word)'
"""

from __future__ import annotations

from decimal import Decimal
from types import ModuleType
from typing import Any, Callable

from sqlglot import exp

from ember.sql.sqlparse.calls import call
from ember.sql.sqlparse.errors import SqlErrors
from ember.sql.sqlparse.literals import Literal, decimal_type, duration_text, java_double, literal_value

Resolver = Callable[[exp.Expr], Any]


def column_path(node: exp.Column) -> str:
    """The dotted name ``F.col`` takes for a (possibly qualified) column reference.

    Parts with a dot or a backquote are backquoted so the engine reads them as one name.
    """
    parts = [p.name for p in node.parts]
    return ".".join(_quote(p) for p in parts)


def _quote(part: str) -> str:
    if "." in part or "`" in part:
        return "`" + part.replace("`", "``") + "`"
    return part


class ExprTranslator:
    """Turns expression nodes into Columns of the engine whose ``functions`` module is ``F``.

    ``resolver`` (optional) is asked first about every node; a non-None answer replaces the
    node's own translation. Queries use it to point grouped expressions and aggregates at the
    columns an aggregation produced. ``renamed`` becomes True when a construct was built with a
    function whose default name differs from the one Spark gives the SQL text.
    """

    def __init__(self, F: ModuleType | Any, errors: SqlErrors | None, text: str = "",
                 resolver: Resolver | None = None) -> None:
        self.F = F
        self.errors = errors
        self.text = text
        self.resolver = resolver
        self.renamed = False

    # -- entry points --------------------------------------------------------------------------
    def column(self, node: exp.Expr) -> Any:
        """The Column for ``node``."""
        if self.resolver is not None:
            found = self.resolver(node)
            if found is not None:
                return found
        handler = _HANDLERS.get(type(node))
        if handler is not None:
            return handler(self, node)
        literal = literal_value(node)
        if literal.ok:
            return self.lit(literal.value)
        raise self.unsupported(node)

    def value(self, node: exp.Expr) -> Any:
        """A Python value for a literal argument (what ``F.split(s, " ")`` wants), else a Column."""
        literal = literal_value(node)
        if literal.ok:
            return literal.value
        return self.column(node)

    def lit(self, value: Any) -> Any:
        """A literal Column; a duration (an INTERVAL) is built with ``make_dt_interval``."""
        import datetime

        if isinstance(value, datetime.timedelta):
            self.renamed = True
            maker = getattr(self.F, "make_dt_interval", None)
            if maker is None:
                return self.F.lit(value)
            seconds = value.total_seconds()
            return maker(secs=self.F.lit(seconds))
        if isinstance(value, Decimal):
            # SQL's 1.5 is DECIMAL(2,1); spell the type out rather than trust lit()'s inference.
            self.renamed = True
            return self.F.lit(value).cast(decimal_type(value))
        if isinstance(value, float) and java_double(value) != repr(value):
            self.renamed = True  # lit() may name 1e20 the Python way; Spark says 1.0E20
        if isinstance(value, datetime.datetime) and value.microsecond:
            self.renamed = True
        return self.F.lit(value)

    def duration(self, node: exp.Expr) -> Any:
        """A duration argument (``window(ts, INTERVAL 10 SECONDS)``) as the string F.window takes."""
        import datetime

        value = self.value(node)
        if isinstance(value, datetime.timedelta):
            return duration_text(value)
        return value

    def unsupported(self, node: exp.Expr, what: str | None = None) -> Exception:
        label = what or _describe(node)
        errors = self.errors or SqlErrors.for_root("ember")
        return errors.unsupported(label, node.sql(dialect="spark"))

    # -- node kinds ----------------------------------------------------------------------------
    def _column_ref(self, node: exp.Column) -> Any:
        if isinstance(node.this, exp.Star):
            prefix = ".".join(_quote(p.name) for p in node.parts[:-1])
            return self.F.col(f"{prefix}.*")
        return self.F.col(column_path(node))

    def _star(self, node: exp.Star) -> Any:
        return self.F.col("*")

    def _alias(self, node: exp.Alias) -> Any:
        return self.column(node.this).alias(node.alias)

    def _aliases(self, node: exp.Aliases) -> Any:
        """``posexplode(a) AS (p, v)``: one name per generated column."""
        return self.column(node.this).alias(*[i.name for i in node.expressions])

    def _paren(self, node: exp.Paren) -> Any:
        return self.column(node.this)

    def _neg(self, node: exp.Neg) -> Any:
        literal = literal_value(node)
        if literal.ok:
            return self.lit(literal.value)
        self.renamed = True
        return -self.column(node.this)

    def _not(self, node: exp.Not) -> Any:
        inner = node.this
        if isinstance(inner, exp.Is) and isinstance(inner.expression, exp.Null):
            return self.column(inner.this).isNotNull()
        return ~self.column(inner)

    def _is(self, node: exp.Is) -> Any:
        if isinstance(node.expression, exp.Null):
            return self.column(node.this).isNull()
        raise self.unsupported(node, "IS TRUE/IS FALSE")

    def _in(self, node: exp.In) -> Any:
        if node.args.get("query") is not None or node.args.get("unnest") is not None:
            raise self.unsupported(node, "IN (subquery)")
        return self.column(node.this).isin(*[self.column(v) for v in node.expressions])

    def _between(self, node: exp.Between) -> Any:
        self.renamed = True
        return self.column(node.this).between(self.column(node.args["low"]), self.column(node.args["high"]))

    def _like(self, node: exp.Like) -> Any:
        result = self.column(node.this).like(self._pattern(node.expression))
        return ~result if node.args.get("negate") else result

    def _ilike(self, node: exp.ILike) -> Any:
        result = self.column(node.this).ilike(self._pattern(node.expression))
        return ~result if node.args.get("negate") else result

    def _rlike(self, node: exp.RegexpLike) -> Any:
        return self.column(node.this).rlike(self._pattern(node.expression))

    def _pattern(self, node: exp.Expr) -> Any:
        literal = literal_value(node)
        if literal.ok and isinstance(literal.value, str):
            return literal.value
        raise self.unsupported(node, "a LIKE/RLIKE pattern that is not a string literal")

    def _case(self, node: exp.Case) -> Any:
        subject = node.this
        result = None
        for branch in node.args.get("ifs") or []:
            cond = self.column(branch.this)
            if subject is not None:
                cond = self.column(subject) == cond
            value = self.column(branch.args["true"])
            result = self.F.when(cond, value) if result is None else result.when(cond, value)
        if result is None:
            raise self.unsupported(node, "CASE without WHEN")
        default = node.args.get("default")
        if default is not None:
            result = result.otherwise(self.column(default))
        return result

    def _if(self, node: exp.If) -> Any:
        self.renamed = True
        result = self.F.when(self.column(node.this), self.column(node.args["true"]))
        false = node.args.get("false")
        return result.otherwise(self.column(false)) if false is not None else result

    def _cast(self, node: exp.Cast) -> Any:
        literal = literal_value(node)
        if literal.ok:
            return self.lit(literal.value)
        target = node.to.sql(dialect="spark")
        # Spark names a typed literal (3L) plainly, a cast of a column by the column at the top of a
        # select list and CAST(n AS STRING) inside an expression; the name is set at the top.
        self.renamed = True
        child = self.column(node.this)
        # Look on the class: a Column's attribute access is struct field access.
        if node.args.get("safe") and getattr(type(child), "try_cast", None) is not None:
            return child.try_cast(target)
        return child.cast(target)

    def _dpipe(self, node: exp.DPipe) -> Any:
        return self.F.concat(self.column(node.this), self.column(node.expression))

    def _bracket(self, node: exp.Bracket) -> Any:
        if len(node.expressions) != 1:
            raise self.unsupported(node, "a subscript with several indexes")
        return self.column(node.this)[self.value(node.expressions[0])]

    def _binary(self, node: exp.Binary) -> Any:
        left, right = self.column(node.this), self.column(node.expression)
        return _BINARY[type(node)](left, right)

    def _bitwise(self, node: exp.Binary) -> Any:
        left, right = self.column(node.this), self.column(node.expression)
        method = {exp.BitwiseAnd: "bitwiseAND", exp.BitwiseOr: "bitwiseOR", exp.BitwiseXor: "bitwiseXOR"}
        if getattr(type(left), method[type(node)], None) is None:
            raise self.unsupported(node, f"the {method[type(node)]} operator on this engine")
        return getattr(left, method[type(node)])(right)

    def _anonymous(self, node: exp.Anonymous) -> Any:
        return call(self, str(node.this), list(node.expressions), node)

    def _substring(self, node: exp.Substring) -> Any:
        args = [node.this, node.args.get("start")]
        if node.args.get("length") is not None:
            args.append(node.args["length"])
        return call(self, node.meta.get("name", "substring"), args, node)

    def _trim(self, node: exp.Trim) -> Any:
        if node.args.get("expression") is not None or node.args.get("position") is not None:
            raise self.unsupported(node, "TRIM with characters or BOTH/LEADING/TRAILING")
        return self.F.trim(self.column(node.this))

    def _ignore_nulls(self, node: exp.IgnoreNulls) -> Any:
        inner = node.this
        if isinstance(inner, exp.Anonymous) and str(inner.this).lower() in ("first", "last"):
            return getattr(self.F, str(inner.this).lower())(self.column(inner.expressions[0]), True)
        raise self.unsupported(node, "IGNORE NULLS here")

    def _int_div(self, node: exp.IntDiv) -> Any:
        # Spark's ``a div b`` is a BIGINT quotient truncated toward zero, as a cast of ``a / b`` is.
        self.renamed = True
        return (self.column(node.this) / self.column(node.expression)).cast("bigint")

    def _extract(self, node: exp.Extract) -> Any:
        unit = node.this.name.upper()
        name = _EXTRACT_FUNCTIONS.get(unit)
        if name is None:
            raise self.unsupported(node, f"EXTRACT({unit} FROM ...)")
        self.renamed = True
        return getattr(self.F, name)(self.column(node.expression))

    def _window(self, node: exp.Window) -> Any:
        from ember.sql.sqlparse.windows import over

        return over(self, node)

    def _current_timestamp(self, node: exp.Expr) -> Any:
        return self.F.current_timestamp()

    def _current_date(self, node: exp.Expr) -> Any:
        return self.F.current_date()


def _describe(node: exp.Expr) -> str:
    """A readable name for a node kind: ``Window`` -> ``window functions (OVER)``."""
    names = {exp.Window: "window functions (OVER)", exp.Subquery: "subqueries in expressions",
             exp.Exists: "EXISTS (subquery)", exp.Lambda: "lambda functions",
             exp.Filter: "FILTER (WHERE ...)",
             exp.Interval: "this INTERVAL", exp.IntDiv: "the div operator",
             exp.Extract: "EXTRACT", exp.BitwiseNot: "the ~ operator"}
    for kind, label in names.items():
        if isinstance(node, kind):
            return label
    return f"the expression {type(node).__name__}"


# EXTRACT fields with a function of the same result type (SECOND is a DECIMAL in Spark: left out).
_EXTRACT_FUNCTIONS = {"YEAR": "year", "YEARS": "year", "MONTH": "month", "MONTHS": "month",
                      "DAY": "dayofmonth", "DAYS": "dayofmonth", "HOUR": "hour", "HOURS": "hour",
                      "MINUTE": "minute", "MINUTES": "minute", "QUARTER": "quarter", "DAYOFWEEK": "dayofweek",
                      "DOW": "dayofweek", "DAYOFYEAR": "dayofyear", "DOY": "dayofyear"}

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    exp.Add: lambda a, b: a + b,
    exp.Sub: lambda a, b: a - b,
    exp.Mul: lambda a, b: a * b,
    exp.Div: lambda a, b: a / b,
    exp.Mod: lambda a, b: a % b,
    exp.EQ: lambda a, b: a == b,
    exp.NEQ: lambda a, b: a != b,
    exp.GT: lambda a, b: a > b,
    exp.GTE: lambda a, b: a >= b,
    exp.LT: lambda a, b: a < b,
    exp.LTE: lambda a, b: a <= b,
    exp.And: lambda a, b: a & b,
    exp.Or: lambda a, b: a | b,
    exp.NullSafeEQ: lambda a, b: a.eqNullSafe(b),
}

_HANDLERS: dict[type, Callable[[ExprTranslator, Any], Any]] = {
    exp.Column: ExprTranslator._column_ref,
    exp.Star: ExprTranslator._star,
    exp.Alias: ExprTranslator._alias,
    exp.Aliases: ExprTranslator._aliases,
    exp.Paren: ExprTranslator._paren,
    exp.Neg: ExprTranslator._neg,
    exp.Not: ExprTranslator._not,
    exp.Is: ExprTranslator._is,
    exp.In: ExprTranslator._in,
    exp.Between: ExprTranslator._between,
    exp.Like: ExprTranslator._like,
    exp.ILike: ExprTranslator._ilike,
    exp.RegexpLike: ExprTranslator._rlike,
    exp.Case: ExprTranslator._case,
    exp.If: ExprTranslator._if,
    exp.Cast: ExprTranslator._cast,
    exp.TryCast: ExprTranslator._cast,
    exp.DPipe: ExprTranslator._dpipe,
    exp.Bracket: ExprTranslator._bracket,
    exp.Anonymous: ExprTranslator._anonymous,
    exp.Substring: ExprTranslator._substring,
    exp.Trim: ExprTranslator._trim,
    exp.IgnoreNulls: ExprTranslator._ignore_nulls,
    exp.CurrentTimestamp: ExprTranslator._current_timestamp,
    exp.IntDiv: ExprTranslator._int_div,
    exp.Window: ExprTranslator._window,
    exp.Extract: ExprTranslator._extract,
    exp.CurrentDate: ExprTranslator._current_date,
    exp.Literal: lambda self, node: self.lit(literal_value(node).value),
    exp.Boolean: lambda self, node: self.lit(literal_value(node).value),
    exp.Null: lambda self, node: self.lit(None),
    exp.BitwiseAnd: ExprTranslator._bitwise,
    exp.BitwiseOr: ExprTranslator._bitwise,
    exp.BitwiseXor: ExprTranslator._bitwise,
    **{kind: ExprTranslator._binary for kind in _BINARY},
}

__all__ = ["ExprTranslator", "Literal", "column_path"]
