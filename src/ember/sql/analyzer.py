"""Names, types and nullability of expressions against a plan's output, as Spark's analyzer gives them.

Everything here runs when a DataFrame is built, so a bad column or a type mismatch raises
:class:`~ember.errors.AnalysisException` at once, as in Spark, never at ``collect()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import types as T
from ember.sql.attributes import Attribute, suggestions
from ember.sql.typerules import agg_type, func_name, func_type, literal_sql, numeric_result, sql_type


@dataclass(frozen=True)
class Info:
    name: str
    dtype: object
    nullable: bool = True


def unresolved(name: str, attrs, plan_text: str = "") -> AnalysisException:
    proposal = suggestions(name, attrs)
    msg = (
        f"A column, variable, or function parameter with name `{name}` cannot be resolved. "
        f"Did you mean one of the following? [{proposal}]. SQLSTATE: 42703"
    )
    if plan_text:
        msg += ";\n" + plan_text
    return AnalysisException(
        msg,
        errorClass="UNRESOLVED_COLUMN.WITH_SUGGESTION",
        messageParameters={"objectName": f"`{name}`", "proposal": proposal},
    )


def split_name(name: str) -> list[str]:
    """``a.b`` -> [a, b]; backquoted parts keep their dots (```a.b``` -> [a.b])."""
    parts, cur, quoted, i = [], "", False, 0
    while i < len(name):
        ch = name[i]
        if ch == "`":
            if quoted and i + 1 < len(name) and name[i + 1] == "`":
                cur += "`"
                i += 2
                continue
            quoted = not quoted
        elif ch == "." and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    parts.append(cur)
    return parts


def resolve_ref(ref: E.ColumnRef, attrs: tuple[Attribute, ...]) -> tuple[Attribute, list[str]] | None:
    """The attribute ``ref`` names and the struct fields to extract after it, or None."""
    if ref.attr_id is not None:
        for a in attrs:
            if a.id == ref.attr_id:
                return a, []
    parts = split_name(ref.name)
    low = [p.lower() for p in parts]
    # qualified: t.a[.f...]
    if len(parts) > 1:
        for a in attrs:
            if a.qualifier and a.qualifier[-1].lower() == low[0] and a.name.lower() == low[1]:
                return a, parts[2:]
    hits = [a for a in attrs if a.name.lower() == low[0]]
    if len(hits) > 1 and len({a.same_as or a.id for a in hits}) > 1:
        quoted = ", ".join(f"`{'.'.join((*a.qualifier, a.name))}`" for a in hits)
        raise AnalysisException(
            f"Reference `{ref.name}` is ambiguous, could be: [{quoted}]. SQLSTATE: 42704",
            errorClass="AMBIGUOUS_REFERENCE",
            messageParameters={"name": f"`{ref.name}`", "referenceNames": f"[{quoted}]"},
        )
    if hits:
        return hits[0], parts[1:]
    return None


def field_type(dtype, field: str, base_name: str):
    if isinstance(dtype, T.StructType):
        for f in dtype.fields:
            if f.name.lower() == field.lower():
                return f
        names = ", ".join(f"`{f.name}`" for f in dtype.fields)
        raise AnalysisException(
            f"No such struct field `{field}` in {names}. SQLSTATE: 42704", errorClass="FIELD_NOT_FOUND"
        )
    raise AnalysisException(
        f'Can\'t extract a value from "{base_name}". Need a complex type [STRUCT, ARRAY, MAP] but got '
        f'"{sql_type(dtype)}". SQLSTATE: 42000',
        errorClass="INVALID_EXTRACT_BASE_FIELD_TYPE",
    )


def analyze(expr: E.Expr, attrs: tuple[Attribute, ...]) -> Info:
    """The Spark name, type and nullability of ``expr`` over ``attrs``."""
    f = _RULES.get(type(expr))
    if f is None:
        raise AnalysisException(f"Cannot analyze expression {expr!r}")
    return f(expr, attrs)


def _arg(expr: E.Expr, attrs) -> Info:
    """An argument's info; an alias inside an expression prints as ``child AS name`` (Spark's SQL)."""
    if isinstance(expr, E.Alias):
        inner = _arg(expr.child, attrs)
        return Info(f"{inner.name} AS {expr.name}", inner.dtype, inner.nullable)
    if isinstance(expr, E.Cast):
        # a cast keeps its column's name only at the top of a select; inside an expression Spark
        # prints it whole: sum(CAST(d AS DECIMAL(5,2)))
        i = analyze(expr, attrs)
        return Info(f"CAST({_arg(expr.child, attrs).name} AS {sql_type(expr.to)})", i.dtype, i.nullable)
    return analyze(expr, attrs)


def _ref(e: E.ColumnRef, attrs) -> Info:
    found = resolve_ref(e, attrs)
    if found is None:
        raise unresolved(e.name, attrs)
    a, path = found
    dtype, nullable, name = a.dtype, a.nullable, a.name
    for p in path:
        f = field_type(dtype, p, name)
        dtype, nullable, name = f.dataType, nullable or f.nullable, f.name
    return Info(name, dtype, nullable)


def _lit(e: E.Literal, attrs) -> Info:
    return Info(literal_sql(e.value, e.dtype), e.dtype, e.value is None)


def _alias(e: E.Alias, attrs) -> Info:
    i = analyze(e.child, attrs)
    return Info(e.name, i.dtype, i.nullable)


def _cast(e: E.Cast, attrs) -> Info:
    i = analyze(e.child, attrs) if isinstance(e.child, E.Cast) else _arg(e.child, attrs)
    base = e.child
    while isinstance(base, E.Cast):
        base = base.child
    if isinstance(base, E.ColumnRef):
        name = i.name
    else:
        name = f"CAST({i.name} AS {sql_type(e.to)})"
    return Info(name, e.to, i.nullable or not isinstance(e.to, type(i.dtype)))


_CMP = {"=", "!=", "<", "<=", ">", ">=", "<=>"}


def _binop(e: E.BinOp, attrs) -> Info:
    left, right = _arg(e.left, attrs), _arg(e.right, attrs)
    nullable = left.nullable or right.nullable
    if e.op == "!=":
        name = f"(NOT ({left.name} = {right.name}))"
    else:
        name = f"({left.name} {e.op} {right.name})"
    if e.op in _CMP or e.op in ("AND", "OR"):
        return Info(name, T.BooleanType(), nullable and e.op != "<=>")
    lt, rt = left.dtype, right.dtype
    if isinstance(lt, T.DecimalType) or isinstance(rt, T.DecimalType):
        lt, rt = _literal_decimal(e.left, lt), _literal_decimal(e.right, rt)
    dtype = numeric_result(e.op, lt, rt, name)
    return Info(name, dtype, nullable or e.op in ("/", "%"))


def _literal_decimal(expr: E.Expr, dtype):
    """An integer literal meets a decimal as the narrowest decimal holding it (Spark's rule)."""
    inner = E.strip_alias(expr)
    if isinstance(inner, E.Literal) and isinstance(inner.value, int) and not isinstance(inner.value, bool):
        return T.DecimalType(max(1, len(str(abs(inner.value)))), 0)
    return dtype


def _unary(e: E.Unary, attrs) -> Info:
    i = _arg(e.child, attrs)
    if e.op == "NOT":
        return Info(f"(NOT {i.name})", T.BooleanType(), i.nullable)
    if e.op == "NEG":
        return Info(f"negative({i.name})", i.dtype, i.nullable)
    if e.op == "ISNULL":
        return Info(f"({i.name} IS NULL)", T.BooleanType(), False)
    if e.op == "ISNOTNULL":
        return Info(f"({i.name} IS NOT NULL)", T.BooleanType(), False)
    if e.op == "BITNOT":
        return Info(f"~{i.name}", i.dtype, i.nullable)
    if e.op == "ISNAN":
        return Info(f"isnan({i.name})", T.BooleanType(), False)
    raise AnalysisException(f"unknown unary operator {e.op}")


def _case(e: E.CaseWhen, attrs) -> Info:
    parts, types, nullable = ["CASE"], [], e.otherwise is None
    for cond, val in e.branches:
        c, v = _arg(cond, attrs), _arg(val, attrs)
        parts += ["WHEN", c.name, "THEN", v.name]
        types.append(v.dtype)
        nullable = nullable or v.nullable
    if e.otherwise is not None:
        o = _arg(e.otherwise, attrs)
        parts += ["ELSE", o.name]
        types.append(o.dtype)
        nullable = nullable or o.nullable
    parts.append("END")
    return Info(" ".join(parts), common_type(types), nullable)


def common_type(types):
    out = None
    for t in types:
        if isinstance(t, T.NullType):
            continue
        if out is None:
            out = t
        elif type(out) is not type(t):
            try:
                out = numeric_result("+", out, t, "")
            except AnalysisException:
                out = T.StringType()
    return out if out is not None else T.NullType()


def struct_names(args, attrs) -> list[str]:
    """Field names of ``struct(...)``: an alias or a column's name, else ``col<n>``."""
    out = []
    for i, a in enumerate(args):
        if isinstance(a, E.Alias):
            out.append(a.name)
        elif isinstance(a, (E.ColumnRef, E.GetField)):
            out.append(analyze(a, attrs).name.split(".")[-1])
        else:
            out.append(f"col{i + 1}")
    return out


def _func(e: E.Func, attrs) -> Info:
    infos = [_arg(a, attrs) for a in e.args]
    if e.name == "struct":
        names = struct_names(e.args, attrs)
        dtype = T.StructType([T.StructField(n, i.dtype, i.nullable) for n, i in zip(names, infos)])
        return Info(func_name(e.name, [i.name for i in infos], e.params, infos), dtype, False)
    dtype, nullable = func_type(e.name, infos, e.params)
    return Info(func_name(e.name, [i.name for i in infos], e.params, infos), dtype, nullable)


def _agg(e: E.AggFunc, attrs) -> Info:
    infos = [_arg(a, attrs) for a in e.args]
    for a in e.args:
        if E.contains_agg(a):
            raise AnalysisException(
                "It is not allowed to use an aggregate function in the argument of another aggregate "
                "function. Please use the inner aggregate function in a sub-query. SQLSTATE: 42K0C",
                errorClass="NESTED_AGGREGATE_FUNCTION",
            )
    dtype, nullable = agg_type(e.name, infos)
    names = [i.name for i in infos]
    shown = {"mean": "avg", "countDistinct": "count"}.get(e.name, e.name)
    inner = ", ".join(names)
    if e.distinct:
        inner = "DISTINCT " + inner
    return Info(f"{shown}({inner})", dtype, nullable)


def _generator(e: E.Generator, attrs) -> Info:
    i = _arg(e.child, attrs)
    if isinstance(i.dtype, T.ArrayType):
        return Info("col", i.dtype.elementType, e.kind.endswith("outer") or i.dtype.containsNull)
    if isinstance(i.dtype, T.MapType):
        return Info("key", i.dtype.keyType, False)
    raise AnalysisException(
        f'Cannot resolve "{e.kind}({i.name})" due to data type mismatch: The first parameter requires '
        f'the ("ARRAY" or "MAP") type, however "{i.name}" has the type "{sql_type(i.dtype)}". '
        "SQLSTATE: 42K09",
        errorClass="DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
    )


def generator_outputs(e: E.Generator, attrs) -> list[Info]:
    """The columns a generator adds: ``col`` (or ``key, value``), preceded by ``pos`` for posexplode."""
    i = _arg(e.child, attrs)
    analyze(e, attrs)
    outer = e.kind.endswith("outer")
    if isinstance(i.dtype, T.MapType):
        out = [Info("key", i.dtype.keyType, outer), Info("value", i.dtype.valueType, True)]
    else:
        out = [Info("col", i.dtype.elementType, outer or i.dtype.containsNull)]
    if e.kind.startswith("pos"):
        out.insert(0, Info("pos", T.IntegerType(), outer))
    return out


def _sort(e: E.SortOrder, attrs) -> Info:
    i = _arg(e.child, attrs)
    nf = e.ascending if e.nulls_first is None else e.nulls_first
    return Info(
        f"{i.name} {'ASC' if e.ascending else 'DESC'} NULLS {'FIRST' if nf else 'LAST'}", i.dtype, i.nullable
    )


def _getfield(e: E.GetField, attrs) -> Info:
    i = _arg(e.child, attrs)
    if isinstance(i.dtype, T.MapType):
        return Info(f"{i.name}[{e.field_name}]", i.dtype.valueType, True)
    f = field_type(i.dtype, e.field_name, i.name)
    return Info(f"{i.name}.{f.name}", f.dataType, i.nullable or f.nullable)


def _getitem(e: E.GetItem, attrs) -> Info:
    i, k = _arg(e.child, attrs), _arg(e.key, attrs)
    if isinstance(i.dtype, T.ArrayType):
        return Info(f"{i.name}[{k.name}]", i.dtype.elementType, True)
    if isinstance(i.dtype, T.MapType):
        return Info(f"{i.name}[{k.name}]", i.dtype.valueType, True)
    if isinstance(i.dtype, T.StructType) and isinstance(e.key, E.Literal):
        return _getfield(E.GetField(e.child, str(e.key.value)), attrs)
    return field_type(i.dtype, str(k.name), i.name)


def _udf(e: E.UdfCall, attrs) -> Info:
    infos = [_arg(a, attrs) for a in e.args]
    return Info(f"{e.fname}({', '.join(i.name for i in infos)})", e.return_type, True)


def _in(e: E.In, attrs) -> Info:
    i = _arg(e.child, attrs)
    vals = [_arg(v, attrs) for v in e.values]
    return Info(
        f"({i.name} IN ({', '.join(v.name for v in vals)}))",
        T.BooleanType(),
        i.nullable or any(v.nullable for v in vals),
    )


def _star(e: E.Star, attrs) -> Info:
    raise AnalysisException(
        "Invalid usage of '*' in expression 'unresolvedstar'.", errorClass="INVALID_USAGE_OF_STAR_OR_REGEX"
    )


def _window(e: E.WindowExpr, attrs) -> Info:
    from ember.sql.window_rules import analyze_window

    return analyze_window(e, attrs)


def _window_func(e: E.WindowFunc, attrs) -> Info:
    from ember.sql.window_rules import analyze_bare

    return analyze_bare(e, attrs)


_RULES = {
    E.WindowExpr: _window,
    E.WindowFunc: _window_func,
    E.ColumnRef: _ref,
    E.Literal: _lit,
    E.Alias: _alias,
    E.Cast: _cast,
    E.BinOp: _binop,
    E.Unary: _unary,
    E.CaseWhen: _case,
    E.Func: _func,
    E.AggFunc: _agg,
    E.Generator: _generator,
    E.SortOrder: _sort,
    E.GetField: _getfield,
    E.GetItem: _getitem,
    E.UdfCall: _udf,
    E.In: _in,
    E.Star: _star,
}
