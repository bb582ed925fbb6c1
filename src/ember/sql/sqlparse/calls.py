"""SQL function calls mapped onto the ``functions`` module, name by name, case-insensitively.

A call becomes ``F.<name>(...)``. Arguments the Python function takes as plain values (the pattern
of ``split``, the format of ``date_format``, the duration of ``window``) are passed as Python
values; everything else as Columns. Where the SQL form differs from the Python one (``count(*)``,
``count(DISTINCT x)``, ``substr``, ``first(x, true)``, ``nvl``) a small handler bridges the gap.

Examples
--------
>>> is_aggregate("COUNT"), is_aggregate("lower")
(True, False)
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import TYPE_CHECKING, Any, Callable

from sqlglot import exp

if TYPE_CHECKING:
    from ember.sql.sqlparse.expressions import ExprTranslator

AGGREGATES = frozenset({
    "count", "sum", "avg", "mean", "min", "max", "first", "last", "first_value", "last_value",
    "collect_list", "collect_set", "array_agg", "approx_count_distinct", "count_distinct", "stddev",
    "stddev_samp", "stddev_pop", "std", "variance", "var_samp", "var_pop", "skewness", "kurtosis",
    "corr", "covar_pop", "covar_samp", "count_if", "bool_and", "bool_or", "every", "some", "any",
    "max_by", "min_by", "percentile_approx", "approx_percentile", "median", "mode", "any_value",
    "sum_distinct", "product", "bit_and", "bit_or", "bit_xor", "listagg", "string_agg",
})

# Names in the functions module that are not SQL functions (or mean something else in SQL).
_NOT_SQL = frozenset({"col", "column", "lit", "expr", "udf", "pandas_udf", "udtf", "broadcast",
                      "call_function", "call_udf", "when", "asc", "desc", "asc_nulls_first",
                      "asc_nulls_last", "desc_nulls_first", "desc_nulls_last", "typedlit"})

_INT_MAX = 2147483647


def is_aggregate(name: str) -> bool:
    """Whether the SQL function ``name`` aggregates rows."""
    return name.lower() in AGGREGATES


def call(tr: ExprTranslator, name: str, args: list[exp.Expr], node: exp.Expr) -> Any:
    """The Column for the call ``name(args)``."""
    lower = name.lower()
    if args and isinstance(args[0], exp.Distinct) and lower != "count":
        return _distinct_aggregate(tr, lower, args, node)
    handler = _SPECIAL.get(lower)
    if handler is not None:
        return handler(tr, args, node)
    return generic(tr, lower, args, node)


def generic(tr: ExprTranslator, name: str, args: list[exp.Expr], node: exp.Expr) -> Any:
    """``F.<name>(*args)``, each argument a Column or a Python value as the function's signature asks."""
    fn = getattr(tr.F, name, None) if name not in _NOT_SQL else None
    if fn is None or not callable(fn):
        raise _unresolved(tr, name)
    kinds = _argument_kinds(fn)
    values = []
    for i, arg in enumerate(args):
        wants_column = kinds[i] if i < len(kinds) else (kinds[-1] if kinds else True)
        values.append(tr.column(arg) if wants_column else tr.value(arg))
    return fn(*values)


@cache
def _argument_kinds(fn: Callable) -> tuple[bool, ...]:
    """For each positional parameter of ``fn``: True when it takes a Column, False for a plain value.

    Read from the annotations (``"ColumnOrName"`` versus ``str``/``int``); a parameter without
    one is taken to be a Column. The last entry covers ``*cols``.
    """
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return ()
    kinds = []
    for p in params:
        if p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD):
            continue
        annotation = p.annotation
        if annotation is inspect.Parameter.empty:
            kinds.append(True)
        else:
            text = str(annotation)
            kinds.append("Column" in text)
        if p.kind == p.VAR_POSITIONAL:
            break
    return tuple(kinds)


def _unresolved(tr: ExprTranslator, name: str) -> Exception:
    errors = tr.errors
    if errors is None:
        from ember.sql.sqlparse.errors import SqlErrors

        errors = SqlErrors.for_root("ember")
    return errors.analysis(
        "UNRESOLVED_ROUTINE",
        f"Cannot resolve routine `{name}` on search path [`system`.`builtin`, `system`.`session`, "
        "`spark_catalog`.`default`]. SQLSTATE: 42883")


def _fn(tr: ExprTranslator, *names: str) -> Callable | None:
    for name in names:
        fn = getattr(tr.F, name, None)
        if fn is not None:
            return fn
    return None


def _count(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
    if len(args) == 1 and isinstance(args[0], exp.Distinct):
        fn = _fn(tr, "count_distinct", "countDistinct")
        return fn(*[tr.column(a) for a in args[0].expressions])
    if len(args) == 1 and isinstance(args[0], exp.Star):
        return tr.F.count(tr.F.lit(1))
    if len(args) != 1:
        raise tr.unsupported(node, f"count with {len(args)} arguments")
    return tr.F.count(tr.column(args[0]))


def _distinct_aggregate(tr: ExprTranslator, name: str, args: list[exp.Expr], node: exp.Expr) -> Any:
    inner = args[0].expressions
    if name in ("min", "max", "first", "last") and len(inner) == 1:
        return getattr(tr.F, name)(tr.column(inner[0]))
    fn = _fn(tr, f"{name}_distinct", f"{name}Distinct")
    if fn is None or len(inner) != 1:
        raise tr.unsupported(node, f"{name}(DISTINCT ...)")
    return fn(tr.column(inner[0]))


def _first_last(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
    name = str(node.this).lower() if isinstance(node, exp.Anonymous) else "first"
    fn = getattr(tr.F, name.replace("_value", ""))
    if len(args) == 2:
        return fn(tr.column(args[0]), bool(tr.value(args[1])))
    return fn(tr.column(args[0]))


def _substring(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
    name = node.meta.get("name") if isinstance(node, exp.Substring) else str(node.this).lower()
    if name == "substr":
        tr.renamed = True
    length = tr.value(args[2]) if len(args) > 2 else _INT_MAX
    return tr.F.substring(tr.column(args[0]), tr.value(args[1]), length)


def _renamed_to(*names: str) -> Callable:
    """A handler calling the first of ``names`` the module has, marking the name as Spark's SQL one."""

    def handler(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
        tr.renamed = True
        for name in names:
            if getattr(tr.F, name, None) is not None:
                return generic(tr, name, args, node)
        raise _unresolved(tr, str(node.this))

    return handler


def _same_or(own: str, *fallbacks: str) -> Callable:
    """Use ``F.<own>`` when the module has it, else a fallback with Spark's SQL name applied."""

    def handler(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
        if getattr(tr.F, own, None) is not None:
            return generic(tr, own, args, node)
        return _renamed_to(*fallbacks)(tr, args, node)

    return handler


def _is_null(negate: bool) -> Callable:
    def handler(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
        column = tr.column(args[0])
        return column.isNotNull() if negate else column.isNull()

    return handler


def _window(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
    values = [tr.duration(a) for a in args[1:]]
    return tr.F.window(tr.column(args[0]), *values)


def _session_window(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
    return tr.F.session_window(tr.column(args[0]), tr.duration(args[1]))


def _unix_timestamp(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
    if not args:
        return tr.F.unix_timestamp()
    return tr.F.unix_timestamp(*([tr.column(args[0])] + [tr.value(a) for a in args[1:]]))


def _plain_values(*positions: int) -> Callable:
    """Columns everywhere except at ``positions``, which take Python values (patterns, formats)."""

    def handler(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
        fn = getattr(tr.F, str(node.this).lower() if isinstance(node, exp.Anonymous) else "", None)
        if fn is None:
            raise _unresolved(tr, str(node.this))
        return fn(*[tr.value(a) if i in positions else tr.column(a) for i, a in enumerate(args)])

    return handler


def _regexp_extract(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
    index = tr.value(args[2]) if len(args) > 2 else 1
    return tr.F.regexp_extract(tr.column(args[0]), tr.value(args[1]), index)


def _round(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
    fn = getattr(tr.F, str(node.this).lower())
    scale = tr.value(args[1]) if len(args) > 1 else 0
    return fn(tr.column(args[0]), scale)


def _named_struct(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
    if getattr(tr.F, "named_struct", None) is not None:
        return generic(tr, "named_struct", args, node)
    if len(args) % 2:
        raise tr.unsupported(node, "named_struct with an odd number of arguments")
    tr.renamed = True
    fields = [tr.column(value).alias(str(tr.value(name))) for name, value in zip(args[::2], args[1::2])]
    return tr.F.struct(*fields)


def _now(tr: ExprTranslator, args: list[exp.Expr], node: exp.Expr) -> Any:
    tr.renamed = True
    return tr.F.current_timestamp()


_SPECIAL: dict[str, Callable[[Any, list, exp.Expr], Any]] = {
    "count": _count,
    "first": _first_last,
    "last": _first_last,
    "first_value": _first_last,
    "last_value": _first_last,
    "substring": _substring,
    "substr": _substring,
    "mean": _renamed_to("mean", "avg"),
    "isnull": _is_null(False),
    "isnotnull": _is_null(True),
    "nvl": _same_or("nvl", "coalesce"),
    "ifnull": _same_or("ifnull", "coalesce"),
    "lcase": _renamed_to("lower"),
    "ucase": _renamed_to("upper"),
    "ceiling": _same_or("ceiling", "ceil"),
    "pow": _renamed_to("pow"),
    "power": _same_or("power", "pow"),
    "char_length": _renamed_to("length"),
    "character_length": _renamed_to("length"),
    "map": _renamed_to("create_map"),
    "now": _now,
    "named_struct": _named_struct,
    "window": _window,
    "session_window": _session_window,
    "unix_timestamp": _unix_timestamp,
    "regexp_extract": _regexp_extract,
    "round": _round,
    "bround": _round,
    "split": _plain_values(1, 2),
    "concat_ws": _plain_values(0),
    "regexp_replace": _plain_values(1, 2),
    "to_timestamp": _plain_values(1),
    "to_date": _plain_values(1),
    "date_format": _plain_values(1),
    "from_unixtime": _plain_values(1),
    "approx_count_distinct": _plain_values(1),
    "array_contains": _plain_values(1),
    "element_at": _plain_values(1),
    "lpad": _plain_values(1, 2),
    "rpad": _plain_values(1, 2),
    "instr": _plain_values(1),
    "locate": _plain_values(0, 2),
    "date_add": _plain_values(1),
    "date_sub": _plain_values(1),
    "add_months": _plain_values(1),
    "date_trunc": _plain_values(0),
    "trunc": _plain_values(1),
    "format_number": _plain_values(1),
    "format_string": _plain_values(0),
    "repeat": _plain_values(1),
    "from_utc_timestamp": _plain_values(1),
    "to_utc_timestamp": _plain_values(1),
}
