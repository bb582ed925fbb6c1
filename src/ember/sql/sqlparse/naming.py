"""The column name Spark gives an unaliased SQL expression (``count(*)`` is ``count(1)``).

Spark prints the expression it analysed, not the text typed: operators get parentheses
(``(n + 1)``), string literals lose their quotes (``concat(s, x)``), a cast keeps its child's name,
``a <> b`` reads ``(NOT (a = b))`` and some functions show their defaults
(``split(s,  , -1)``). The rules here were read off Spark 4 runs; the tests compare them with
``selectExpr(...).columns`` on real Spark.

Examples
--------
>>> from ember.sql.sqlparse.dialect import parse_one_expression
>>> spark_name(parse_one_expression("count(*) + 1"))
'(count(1) + 1)'
"""

from __future__ import annotations

from decimal import Decimal

from sqlglot import exp

from ember.sql.sqlparse.literals import interval_parts, java_double, literal_value, typed_literal

_BINARY = {
    exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.Mod: "%", exp.IntDiv: "div",
    exp.BitwiseAnd: "&", exp.BitwiseOr: "|", exp.BitwiseXor: "^", exp.EQ: "=", exp.NullSafeEQ: "<=>",
    exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<=", exp.And: "AND", exp.Or: "OR",
}

# Functions whose printed name is not the lower-case name typed.
_PRETTY = {"sqrt": "SQRT", "power": "POWER", "ceil": "CEIL", "ceiling": "ceiling", "floor": "FLOOR",
           "rlike": "RLIKE", "regexp": "RLIKE", "regexp_like": "REGEXP_LIKE"}

# Default arguments Spark spells out in the name: name -> (argument count typed, defaults appended).
_DEFAULTS = {
    "split": (2, ["-1"]),
    "regexp_replace": (3, ["1"]),
    "regexp_extract": (2, ["1"]),
    "round": (1, ["0"]),
    "bround": (1, ["0"]),
    "substring": (2, ["2147483647"]),
    "substr": (2, ["2147483647"]),
    "unix_timestamp": (1, ["yyyy-MM-dd HH:mm:ss"]),
    "from_unixtime": (1, ["yyyy-MM-dd HH:mm:ss"]),
}

# Generators and other functions named after their output, not their call.
_FIXED = {"explode": "col", "explode_outer": "col", "posexplode": "pos", "posexplode_outer": "pos",
          "window": "window", "session_window": "session_window", "inline": "col1"}


def spark_name(node: exp.Expr) -> str:
    """Spark's default column name for the expression ``node`` (an ``AS`` alias wins).

    Examples
    --------
    >>> from ember.sql.sqlparse.dialect import parse_one_expression
    >>> spark_name(parse_one_expression("n between 1 and 3"))
    'between(n, 1, 3)'
    """
    if isinstance(node, exp.Alias):
        return node.alias
    if isinstance(node, exp.Aliases):
        return ", ".join(i.name for i in node.expressions)
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, (exp.Cast, exp.TryCast)) and isinstance(node.this, exp.Column) \
            and not node.meta.get("suffix"):
        # A cast of a column keeps the column's name, but only at the top of the select list.
        return node.this.name
    return _name(node)


def sql_type(node: exp.DataType) -> str:
    """A type as Spark prints it in names: ``INT``, ``DECIMAL(10,2)``, ``ARRAY<INT>``."""
    text = node.sql(dialect="spark")
    if text == "DECIMAL":
        return "DECIMAL(10,0)"
    return text.replace(", ", ",") if text.startswith("DECIMAL") else text


def _name(node: exp.Expr) -> str:  # noqa: C901 - one dispatch over sqlglot's node kinds
    if isinstance(node, exp.Alias):
        return _name(node.this)
    if isinstance(node, exp.Paren):
        return _name(node.this)
    if isinstance(node, exp.Column):
        return node.name
    if isinstance(node, exp.Star):
        return "*"
    literal = literal_value(node)
    if literal.ok:
        return _literal_name(node, literal.value)
    op = _BINARY.get(type(node))
    if op is not None:
        return f"({_name(node.this)} {op} {_name(node.expression)})"
    if isinstance(node, exp.NEQ):
        return f"(NOT ({_name(node.this)} = {_name(node.expression)}))"
    if isinstance(node, exp.Neg):
        return f"(- {_name(node.this)})"
    if isinstance(node, exp.Not):
        inner = node.this
        if isinstance(inner, exp.Is) and isinstance(inner.expression, exp.Null):
            return f"({_name(inner.this)} IS NOT NULL)"
        return f"(NOT {_name(inner)})"
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        return f"({_name(node.this)} IS NULL)"
    if isinstance(node, exp.In):
        values = ", ".join(_name(v) for v in node.expressions)
        return f"({_name(node.this)} IN ({values}))"
    if isinstance(node, exp.Between):
        return f"between({_name(node.this)}, {_name(node.args['low'])}, {_name(node.args['high'])})"
    if isinstance(node, exp.Like):
        text = f"{_name(node.this)} LIKE {_name(node.expression)}"
        return f"(NOT {text})" if node.args.get("negate") else text
    if isinstance(node, exp.ILike):
        text = f"ilike({_name(node.this)}, {_name(node.expression)})"
        return f"(NOT {text})" if node.args.get("negate") else text
    if isinstance(node, exp.RegexpLike):
        return f"RLIKE({_name(node.this)}, {_name(node.expression)})"
    if isinstance(node, exp.Case):
        return _case_name(node)
    if isinstance(node, exp.If):
        parts = [_name(node.this), _name(node.args["true"])]
        if node.args.get("false") is not None:
            parts.append(_name(node.args["false"]))
        else:
            parts.append("NULL")
        return f"(IF({', '.join(parts)}))"
    if isinstance(node, (exp.Cast, exp.TryCast)):
        if node.meta.get("suffix"):
            return _name(node.this)
        word = "TRY_CAST" if node.args.get("safe") else "CAST"
        return f"{word}({_name(node.this)} AS {sql_type(node.to)})"
    if isinstance(node, exp.DPipe):
        return f"concat({_name(node.this)}, {_name(node.expression)})"
    if isinstance(node, exp.Bracket):
        return f"{_name(node.this)}[{', '.join(_name(i) for i in node.expressions)}]"
    if isinstance(node, exp.CurrentTimestamp):
        return "current_timestamp()"
    if isinstance(node, exp.CurrentDate):
        return "current_date()"
    if isinstance(node, exp.Substring):
        args = [node.this, node.args.get("start")]
        if node.args.get("length") is not None:
            args.append(node.args["length"])
        return _call_name(node.meta.get("name", "substring"), args)
    if isinstance(node, exp.Trim):
        return _call_name("trim", [node.this])
    if isinstance(node, exp.Extract):
        return f"extract({node.meta.get('field') or node.this.name} FROM {_name(node.expression)})"
    if isinstance(node, exp.IgnoreNulls):
        return _name(node.this)
    if isinstance(node, exp.Window):
        from ember.sql.sqlparse.windows import window_name

        return window_name(node, _name)
    if isinstance(node, exp.Distinct):
        return "DISTINCT " + ", ".join(_name(e) for e in node.expressions)
    if isinstance(node, exp.Anonymous):
        return _call_name(str(node.this), node.expressions)
    return node.sql(dialect="spark")


def _literal_name(node: exp.Expr, value: object) -> str:
    typed = typed_literal(node)
    if typed is not None:
        kind, text = typed
        return f"{kind} '{text}'"
    interval = interval_parts(node)
    if interval is not None:
        amount, unit = interval
        return f"INTERVAL '{amount}' {unit.upper()}"
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _case_name(node: exp.Case) -> str:
    subject = node.this
    parts = ["CASE"]
    for branch in node.args.get("ifs") or []:
        cond = _name(branch.this)
        if subject is not None:
            cond = f"({_name(subject)} = {cond})"
        parts.append(f"WHEN {cond} THEN {_name(branch.args['true'])}")
    if node.args.get("default") is not None:
        parts.append(f"ELSE {_name(node.args['default'])}")
    parts.append("END")
    return " ".join(parts)


def _call_name(name: str, args: list) -> str:
    lower = name.lower()
    if lower in _FIXED:
        return _FIXED[lower]
    if lower == "count" and len(args) == 1 and (isinstance(args[0], exp.Star) or _is_literal(args[0])):
        return "count(1)" if isinstance(args[0], exp.Star) else f"count({_name(args[0])})"
    if lower == "isnull" and len(args) == 1:
        return f"({_name(args[0])} IS NULL)"
    if lower == "isnotnull" and len(args) == 1:
        return f"({_name(args[0])} IS NOT NULL)"
    if lower in ("first", "last", "first_value", "last_value") and len(args) == 2:
        args = args[:1]
    names = [_name(a) for a in args]
    if lower == "unix_timestamp" and not names:
        names = ["current_timestamp()"]
    if lower in _DEFAULTS:
        count, defaults = _DEFAULTS[lower]
        if len(names) == count:
            names = names + defaults
    return f"{_PRETTY.get(lower, lower)}({', '.join(names)})"


def _is_literal(node: exp.Expr) -> bool:
    return literal_value(node).ok
