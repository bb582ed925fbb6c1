"""The output columns of each plan node (names, types, ids), with Spark's analysis errors."""

from __future__ import annotations

from dataclasses import replace

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import plan as P
from ember.sql import types as T
from ember.sql.analyzer import Info, analyze, generator_outputs, resolve_ref, split_name, unresolved
from ember.sql.attributes import Attribute, make


def plan_text(plan: P.Plan) -> str:
    from ember.sql.explain import tree_string

    return tree_string(plan)


def project_items(exprs, attrs) -> list[tuple[str, E.Expr, int]]:
    """``*`` expanded: a list of (kind, expr, width): kind ``attr`` (pass-through), ``expr``, ``gen``."""
    items: list[tuple[str, E.Expr, int]] = []
    for e in exprs:
        if isinstance(e, E.Star):
            items += _expand_star(e, attrs)
            continue
        inner = E.strip_alias(e)
        if isinstance(inner, E.Generator):
            items.append(("gen", e, len(generator_outputs(inner, attrs))))
        elif isinstance(e, E.ColumnRef):
            found = resolve_ref(e, attrs)
            if found is None:
                raise unresolved(e.name, attrs)
            items.append(("attr" if not found[1] else "expr", e, 1))
        else:
            items.append(("expr", e, 1))
    return items


def _expand_star(e: E.Star, attrs):
    if e.target is None:
        return [("attr", E.ColumnRef(a.name, a.id), 1) for a in attrs]
    qual = [a for a in attrs if a.qualifier and a.qualifier[-1].lower() == e.target.lower()]
    if qual:
        return [("attr", E.ColumnRef(a.name, a.id), 1) for a in qual]
    info = analyze(E.ColumnRef(e.target), attrs)
    if isinstance(info.dtype, T.StructType):
        return [
            ("expr", E.Alias(E.GetField(E.ColumnRef(e.target), f.name), f.name), 1) for f in info.dtype.fields
        ]
    raise AnalysisException(
        f"Cannot resolve '{e.target}.*' given input columns '{', '.join(a.name for a in attrs)}'.",
        errorClass="CANNOT_RESOLVE_STAR_EXPAND",
    )


def _udtf_alias_mismatch(expected: int, names) -> AnalysisException:
    return AnalysisException(
        "The number of aliases supplied in the AS clause does not match the number of columns output by "
        f"the UDTF.\nExpected {expected} aliases, but got {','.join(names)}.\nPlease ensure that the "
        "number of aliases provided matches the number of columns output by the UDTF. SQLSTATE: 42802",
        errorClass="UDTF_ALIAS_NUMBER_MISMATCH",
        messageParameters={"aliasesSize": str(expected), "aliasesNames": ",".join(names)},
    )


def _project(plan: P.Project):
    attrs = plan.child.output
    out: list[Attribute] = []
    for kind, e, _ in plan.items:
        if kind == "attr":
            a, _path = resolve_ref(e, attrs)
            if e.attr_id is None:
                # select("ID") names the column as written
                written = split_name(e.name)[-1]
                if written != a.name:
                    a = replace(a, name=written)
            if any(o.id == a.id for o in out):
                a = a.copy()  # the same column twice: two outputs
            out.append(a)
        elif kind == "gen":
            gen = E.strip_alias(e)
            infos = generator_outputs(gen, attrs)
            if isinstance(e, E.Alias) and (e.names or len(infos) > 1):
                names = e.names or (e.name,)
                if len(names) != len(infos):
                    raise _udtf_alias_mismatch(len(infos), names)
                infos = [Info(n, i.dtype, i.nullable) for n, i in zip(names, infos)]
            elif isinstance(e, E.Alias):
                infos[-1] = Info(e.name, infos[-1].dtype, infos[-1].nullable)
            out += [make(i.name, i.dtype, i.nullable) for i in infos]
        else:
            if isinstance(e, E.Alias) and e.names:
                shown, names = f'"{analyze(e.child, attrs).name}"', ", ".join(e.names)
                raise AnalysisException(
                    f"Multi part aliasing ({names}) is not supported with {shown} as it is not a generator "
                    "function. SQLSTATE: 42K0E",
                    errorClass="MULTI_ALIAS_WITHOUT_GENERATOR",
                    messageParameters={"expr": shown, "names": names},
                )
            if E.contains_agg(e):
                # select(F.sum(...)) without groupBy is a global aggregate; the DataFrame rewrites it
                raise AnalysisException("aggregate in projection")
            i = analyze(e, attrs)
            out.append(make(i.name, i.dtype, i.nullable))
    return out


_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]


def _union_type(a, b, i: int):
    """The column type of a UNION: numbers widen, a string meets a number as bigint (Spark 4, ANSI)."""
    from ember.sql.analyzer import common_type
    from ember.sql.typerules import is_numeric, sql_type

    if type(a) is type(b) and a == b:
        return a
    if isinstance(a, T.NullType):
        return b
    if isinstance(b, T.NullType):
        return a
    if is_numeric(a) and is_numeric(b):
        return common_type([a, b])
    if isinstance(a, T.StringType) and is_numeric(b) or isinstance(b, T.StringType) and is_numeric(a):
        num = b if isinstance(a, T.StringType) else a
        return (
            T.LongType()
            if type(num).__name__ in ("ByteType", "ShortType", "IntegerType", "LongType")
            else T.DoubleType()
        )
    if type(a) is type(b) and not isinstance(a, (T.ArrayType, T.MapType, T.StructType)):
        return a
    nth = _ORDINALS[i] if i < len(_ORDINALS) else f"{i + 1}th"
    raise AnalysisException(
        "UNION can only be performed on tables with compatible column types. The "
        f'{nth} column of the second table is "{sql_type(b)}" type which is not compatible with '
        f'"{sql_type(a)}" at the same column of the first table.. SQLSTATE: 42825',
        errorClass="INCOMPATIBLE_COLUMN_TYPE",
    )


def _filter(plan: P.Filter):
    attrs = plan.child.output
    if E.contains_window(plan.condition):
        raise AnalysisException(
            "It is not allowed to use window functions inside WHERE clause. SQLSTATE: 42601",
            errorClass="WINDOW_FUNCTION_NOT_ALLOWED_IN_CLAUSE",
            messageParameters={"clauseName": "WHERE"},
        )
    if E.contains_agg(plan.condition):
        cond = analyze(plan.condition, attrs).name
        aggs = ", ".join(analyze(x, attrs).name for x in E.walk(plan.condition) if isinstance(x, E.AggFunc))
        raise AnalysisException(
            f'The WHERE condition "{cond}" contains invalid expressions: {aggs}.\nRewrite the query to avoid '
            "window functions, aggregate functions, and generator functions in the WHERE clause. "
            "SQLSTATE: 42903",
            errorClass="INVALID_WHERE_CONDITION",
        )
    try:
        i = analyze(plan.condition, attrs)
    except AnalysisException as exc:
        if exc.getErrorClass() == "UNRESOLVED_COLUMN.WITH_SUGGESTION":
            text = f"'Filter {_cond_text(plan.condition)}\n+- {plan_text(plan.child)}"
            raise _with_plan(exc, text) from None
        raise
    if not isinstance(i.dtype, (T.BooleanType, T.NullType)):
        raise AnalysisException(
            f'Cannot resolve "{i.name}" due to data type mismatch: Filter expression "{i.name}" of type '
            f'"{i.dtype.simpleString().upper()}" is not a boolean. SQLSTATE: 42K09',
            errorClass="DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN",
        )
    return attrs


def _cond_text(e) -> str:
    try:
        return analyze(e, ()).name
    except Exception:
        return "condition"


def _with_plan(exc: AnalysisException, text: str) -> AnalysisException:
    return AnalysisException(
        exc._message + ";\n" + text,
        errorClass=exc.getErrorClass(),
        messageParameters=exc.getMessageParameters(),
    )


def _aggregate(plan: P.Aggregate):
    attrs = plan.child.output
    out = []
    key_names = set()
    for k in plan.keys:
        if isinstance(k, E.ColumnRef):
            found = resolve_ref(k, attrs)
            if found is None:
                raise unresolved(k.name, attrs)
            if not found[1]:
                out.append(found[0])
                key_names.add(found[0].name.lower())
                continue
        i = analyze(k, attrs)
        key_names.add(i.name.lower())
        out.append(make(i.name, i.dtype, i.nullable))
    for a in plan.aggs:
        i = analyze(a, attrs)
        _check_aggregated(a, attrs, key_names)
        out.append(make(i.name, i.dtype, i.nullable))
    return out


def _check_aggregated(e: E.Expr, attrs, key_names) -> None:
    if isinstance(e, E.AggFunc):
        return
    if isinstance(e, (E.ColumnRef,)) or not isinstance(e, (E.Alias,)) and not e.children:
        if isinstance(e, E.ColumnRef):
            name = analyze(e, attrs).name
            if name.lower() not in key_names:
                raise AnalysisException(
                    f'The non-aggregating expression "{name}" is based on columns which are not '
                    "participating in the GROUP BY clause.\nAdd the columns or the expression to the "
                    f'GROUP BY, aggregate the expression, or use "any_value({name})" if you do not care '
                    "which of the values within a group is returned. SQLSTATE: 42803",
                    errorClass="MISSING_AGGREGATION",
                    messageParameters={
                        "expression": f'"{name}"',
                        "expressionAnyValue": f'"any_value({name})"',
                    },
                )
        return
    try:
        if analyze(e, attrs).name.lower() in key_names:
            return
    except AnalysisException:
        pass
    for c in e.children:
        _check_aggregated(c, attrs, key_names)


def _sort(plan: P.Sort):
    attrs = plan.child.output
    for o in plan.orders:
        try:
            analyze(o, attrs)
        except AnalysisException as exc:
            if exc.getErrorClass() == "UNRESOLVED_COLUMN.WITH_SUGGESTION":
                raise _with_plan(exc, f"'Sort [{_cond_text(o)}], true\n+- {plan_text(plan.child)}") from None
            raise
    return attrs


def _same(plan):
    return plan.child.output


def _distinct(plan: P.Distinct):
    attrs = plan.child.output
    for name in plan.subset or ():
        if resolve_ref(E.ColumnRef(name), attrs) is None:
            raise AnalysisException(
                f'Cannot resolve column name "{name}" among ({", ".join(a.name for a in attrs)}).',
                errorClass="UNRESOLVED_COLUMN_AMONG_FIELD_NAMES",
            )
    return attrs


def _observe(plan: P.Observe):
    output_of(P.Aggregate(plan.child, (), plan.exprs))  # the metrics must resolve as aggregates do
    return plan.child.output


def _watermark(plan: P.Watermark):
    attrs = plan.child.output
    info = analyze(E.ColumnRef(plan.event_time), attrs)
    if not _is_event_time_type(info.dtype):
        kind = info.dtype.simpleString().upper()
        raise AnalysisException(
            f'The event time `{info.name}` has the invalid type "{kind}", but expected "TIMESTAMP". '
            "SQLSTATE: 42K09",
            errorClass="EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE",
            messageParameters={"eventName": f"`{info.name}`", "eventType": kind},
        )
    return attrs


def _is_event_time_type(dtype) -> bool:
    """A timestamp, or a window struct whose ``end`` is one (Spark accepts ``withWatermark("window")``)."""
    if isinstance(dtype, (T.TimestampType, T.TimestampNTZType)):
        return True
    if isinstance(dtype, T.StructType):
        return any(f.name == "end" and isinstance(f.dataType, T.TimestampType) for f in dtype.fields)
    return False


def _alias(plan: P.SubqueryAlias):
    return [a.qualified(plan.alias) for a in plan.child.output]


def _union(plan: P.Union):
    left, right = plan.left.output, plan.right.output
    if plan.by_name:
        rnames = {a.name.lower(): a for a in right}
        missing = [a.name for a in left if a.name.lower() not in rnames]
        if missing and not plan.allow_missing:
            among = ", ".join(a.name for a in right)
            raise AnalysisException(
                f'Cannot resolve column name "{missing[0]}" among ({among}). SQLSTATE: 42703',
                errorClass="UNRESOLVED_COLUMN_AMONG_FIELD_NAMES",
                messageParameters={"colName": missing[0], "fieldNames": among},
            )
        out = [
            replace(a, nullable=a.nullable or a.name.lower() not in rnames or rnames[a.name.lower()].nullable)
            for a in left
        ]
        if plan.allow_missing:
            lnames = {a.name.lower() for a in left}
            out += [make(a.name, a.dtype, True) for a in right if a.name.lower() not in lnames]
        return out
    if len(left) != len(right):
        raise AnalysisException(
            "UNION can only be performed on inputs with the same number of columns, but the first input has "
            f"{len(left)} columns and the second input has {len(right)} columns. SQLSTATE: 42826",
            errorClass="NUM_COLUMNS_MISMATCH",
        )
    return [
        replace(a, dtype=_union_type(a.dtype, b.dtype, i), nullable=a.nullable or b.nullable)
        for i, (a, b) in enumerate(zip(left, right))
    ]


def join_keys(plan: P.Join):
    """For ``on=names``: the (left attr, right attr) pairs."""
    pairs = []
    for name in plan.on or ():
        lf = resolve_ref(E.ColumnRef(name), plan.left.output)
        rf = resolve_ref(E.ColumnRef(name), plan.right.output)
        if lf is None or rf is None:
            side = plan.left.output if lf is None else plan.right.output
            raise AnalysisException(
                f"USING column `{name}` cannot be resolved on the {'left' if lf is None else 'right'} side "
                f"of the join. The {'left' if lf is None else 'right'}-side columns: "
                f"[{', '.join(sorted(f'`{a.name}`' for a in side))}]. SQLSTATE: 42703",
                errorClass="UNRESOLVED_USING_COLUMN_FOR_JOIN",
            )
        pairs.append((lf[0], rf[0]))
    return pairs


def _join(plan: P.Join):
    left, right, how = plan.left.output, plan.right.output, plan.how
    lnull = how in ("right", "full")
    rnull = how in ("left", "full")
    if plan.on is not None:
        pairs = join_keys(plan)
        lk = {a.id for a, _ in pairs}
        rk = {b.id for _, b in pairs}
        from ember.sql.analyzer import common_type

        def widened(x, a, b):
            t = common_type([a.dtype, b.dtype]) if type(a.dtype) is not type(b.dtype) else x.dtype
            return x if t is x.dtype else make(x.name, t, x.nullable)

        if how == "right":
            keys = [widened(b, a, b) for a, b in pairs]
        elif how == "full":
            keys = [
                make(a.name, common_type([a.dtype, b.dtype]), a.nullable and b.nullable) for a, b in pairs
            ]
        else:
            keys = [widened(a, a, b) for a, b in pairs]
        if how in ("semi", "anti"):
            return keys + [a for a in left if a.id not in lk]
        rest_l = [replace(a, nullable=a.nullable or lnull) for a in left if a.id not in lk]
        rest_r = [replace(a, nullable=a.nullable or rnull) for a in right if a.id not in rk]
        return keys + rest_l + rest_r
    if plan.condition is not None:
        cond = analyze(plan.condition, tuple(left) + tuple(right))
        if not isinstance(cond.dtype, T.BooleanType):
            raise AnalysisException(
                f"join condition '{cond.name}' of type {cond.dtype.simpleString()} is not a boolean."
            )
    if how in ("semi", "anti"):
        return list(left)
    return [replace(a, nullable=a.nullable or lnull) for a in left] + [
        replace(a, nullable=a.nullable or rnull) for a in right
    ]


_OUTPUT = {
    P.Project: _project,
    P.Filter: _filter,
    P.Aggregate: _aggregate,
    P.Sort: _sort,
    P.Limit: _same,
    P.Distinct: _distinct,
    P.Watermark: _watermark,
    P.Observe: _observe,
    P.SubqueryAlias: _alias,
    P.Sample: _same,
    P.Union: _union,
    P.Join: _join,
}


def output_of(plan: P.Plan):
    f = _OUTPUT.get(type(plan))
    if f is None:
        raise AnalysisException(f"no output rule for {type(plan).__name__}")
    return f(plan)
