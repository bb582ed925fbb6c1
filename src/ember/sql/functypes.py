"""Result types, nullability and input checks of the functions added by family (no Polars here).

``typerules.func_type`` asks here first; each rule takes the arguments' ``Info`` and the call's
plain-value parameters and returns ``(dtype, nullable)``, raising Spark's analysis error for a wrong
input type.
"""

from __future__ import annotations

from typing import Callable

from ember.sql import types as T


def _any_null(infos) -> bool:
    return any(i.nullable for i in infos)


_ORDINALS = ("first", "second", "third", "fourth", "fifth")


def input_type_error(name: str, infos, params, i: int, required: str) -> Exception:
    """Spark's ``DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE`` for argument ``i`` of ``name``."""
    from ember.errors import AnalysisException
    from ember.sql.typerules import func_name, sql_type

    arg = infos[i]
    shown = func_name(name, [x.name for x in infos], params, infos)
    return AnalysisException(
        f'Cannot resolve "{shown}" due to data type mismatch: The {_ORDINALS[i]} parameter requires the '
        f'{required} type, however "{arg.name}" has the type "{sql_type(arg.dtype)}". SQLSTATE: 42K09',
        errorClass="DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
        messageParameters={
            "inputSql": f'"{arg.name}"',
            "inputType": f'"{sql_type(arg.dtype)}"',
            "paramIndex": _ORDINALS[i],
            "requiredType": required,
            "sqlExpr": f'"{shown}"',
        },
    )


def _requires(name: str, infos, i: int, accepted: tuple, required: str, params=()) -> None:
    if i < len(infos) and not isinstance(infos[i].dtype, accepted + (T.NullType,)):
        raise input_type_error(name, infos, params, i, required)


_TIMESTAMPISH = (T.TimestampType, T.TimestampNTZType, T.StringType, T.DateType)


def _zone_shift(name: str):
    def rule(infos, params):
        _requires(name, infos, 0, _TIMESTAMPISH, '"TIMESTAMP"')
        return T.TimestampType(), _any_null(infos)

    return rule


RULES: dict[str, Callable] = {
    "to_utc_timestamp": _zone_shift("to_utc_timestamp"),
    "from_utc_timestamp": _zone_shift("from_utc_timestamp"),
}

#: output-name formats that differ from ``name(arg, ...)``
NAMES: dict[str, Callable] = {}


# -- the families --------------------------------------------------------------------------------
def _common(infos):
    from ember.sql.analyzer import common_type

    return common_type([i.dtype for i in infos])


def _fixed(dtype, nullable=None):
    """A rule with one result type; nullable when an input is (or always, with ``nullable=True``)."""

    def rule(infos, params):
        return dtype, (_any_null(infos) if nullable is None else nullable)

    return rule


def _same(nullable=None):
    def rule(infos, params):
        return infos[0].dtype, (_any_null(infos) if nullable is None else nullable)

    return rule


def _array_of_first(nullable=None):
    def rule(infos, params):
        d = infos[0].dtype
        return (d if isinstance(d, T.ArrayType) else T.ArrayType(d, True)), (
            _any_null(infos) if nullable is None else nullable
        )

    return rule


def _element(infos, params):
    d = infos[0].dtype
    return (d.elementType if isinstance(d, T.ArrayType) else T.NullType()), True


def _set_rule(infos, params):
    a, b = infos[0].dtype, infos[1].dtype
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        return T.ArrayType(_common([_Info(a.elementType), _Info(b.elementType)]), True), _any_null(infos)
    return a, _any_null(infos)


class _Info:
    def __init__(self, dtype):
        self.dtype = dtype


def _named_struct(infos, params):
    names = params[0] if params else ()
    fields = [T.StructField(n, i.dtype, i.nullable) for n, i in zip(names, infos[1::2])]
    return T.StructType(fields), False


def _map_entries(infos, params):
    d = infos[0].dtype
    if not isinstance(d, T.MapType):
        return T.NullType(), True
    entry = T.StructType([T.StructField("key", d.keyType, False), T.StructField("value", d.valueType, True)])
    return T.ArrayType(entry, False), _any_null(infos)


def _map_from_arrays(infos, params):
    k, v = infos[0].dtype, infos[1].dtype
    key = k.elementType if isinstance(k, T.ArrayType) else T.NullType()
    value = v.elementType if isinstance(v, T.ArrayType) else T.NullType()
    return T.MapType(key, value, True), _any_null(infos)


def _sequence(infos, params):
    return T.ArrayType(_common(infos[:2]), False), _any_null(infos)


def _coalescing(infos, params):
    return _common(infos), all(i.nullable for i in infos)


def _nvl2(infos, params):
    return _common(infos[1:]), _any_null(infos[1:])


def _zeroifnull(infos, params):
    return _common([infos[0], _Info(T.IntegerType())]), False


def _percentile(approx: bool):
    def rule(infos):
        elem = infos[0].dtype if approx else T.DoubleType()
        many = len(infos) > 1 and isinstance(infos[1].dtype, T.ArrayType)
        return (T.ArrayType(elem, False) if many else elem), True

    return rule


_S, _I, _L, _D, _B = T.StringType(), T.IntegerType(), T.LongType(), T.DoubleType(), T.BooleanType()
_DATE, _TS = T.DateType(), T.TimestampType()

RULES.update(
    {
        # conditional
        "ifnull": _coalescing,
        "nvl": _coalescing,
        "nvl2": _nvl2,
        "nullif": _same(True),
        "equal_null": _fixed(_B, False),
        "nullifzero": _same(True),
        "zeroifnull": _zeroifnull,
        # strings
        "regexp_like": _fixed(_B),
        "regexp": _fixed(_B),
        "lcase": _fixed(_S),
        "ucase": _fixed(_S),
        "char_length": _fixed(_I),
        "character_length": _fixed(_I),
        "octet_length": _fixed(_I),
        "bit_length": _fixed(_I),
        "left": _fixed(_S),
        "right": _fixed(_S),
        "substr": _fixed(_S),
        "btrim": _fixed(_S),
        "locate": _fixed(_I),
        "position": _fixed(_I),
        "split_part": _fixed(_S),
        "substring_index": _fixed(_S),
        "replace": _fixed(_S),
        "regexp_count": _fixed(_I),
        "regexp_substr": _fixed(_S, True),
        "regexp_extract_all": _fixed(T.ArrayType(_S, True)),
        "format_number": _fixed(_S),
        # math
        **{n: _fixed(_D, True) for n in ("ln", "log10", "log2", "log1p", "log_base")},
        **{
            n: _fixed(_D)
            for n in (
                "expm1 cbrt sin cos tan cot sec csc asin acos atan atan2 sinh cosh tanh asinh acosh atanh "
                "degrees radians rint hypot sign"
            ).split()
        },
        "pi": _fixed(_D, False),
        "e": _fixed(_D, False),
        "ceiling": _fixed(_L),
        "negative": _same(),
        "positive": _same(),
        "factorial": _fixed(_L, True),
        "pmod": lambda infos, params: (_common(infos), True),
        # dates and times
        "weekofyear": _fixed(_I),
        "quarter": _fixed(_I),
        "day": _fixed(_I),
        "weekday": _fixed(_I),
        "dayname": _fixed(_S),
        "monthname": _fixed(_S),
        "last_day": _fixed(_DATE),
        "unix_date": _fixed(_I),
        "unix_seconds": _fixed(_L),
        "unix_millis": _fixed(_L),
        "unix_micros": _fixed(_L),
        "timestamp_seconds": _fixed(_TS),
        "timestamp_millis": _fixed(_TS),
        "timestamp_micros": _fixed(_TS),
        "date_from_unix_date": _fixed(_DATE),
        "date_trunc": _fixed(_TS, True),
        "trunc": _fixed(_DATE, True),
        "next_day": _fixed(_DATE),
        "add_months": _fixed(_DATE),
        "months_between": _fixed(_D),
        "make_date": _fixed(_DATE),
        "date_diff": _fixed(_I),
        "current_timezone": _fixed(_S, False),
        "curdate": _fixed(_DATE, False),
        "try_to_timestamp": _fixed(_TS, True),
        # collections
        "cardinality": _fixed(_I),
        "array_max": _element,
        "array_min": _element,
        "array_position": _fixed(_L),
        "array_remove": _array_of_first(),
        "array_compact": _array_of_first(),
        "array_union": _set_rule,
        "array_intersect": _set_rule,
        "array_except": _set_rule,
        "array_append": _array_of_first(),
        "array_prepend": _array_of_first(),
        "array_sort": _array_of_first(),
        "slice": _array_of_first(),
        "flatten": lambda infos, params: (
            infos[0].dtype.elementType if isinstance(infos[0].dtype, T.ArrayType) else T.NullType(),
            _any_null(infos),
        ),
        "arrays_overlap": _fixed(_B, True),
        "array_repeat": lambda infos, params: (
            T.ArrayType(infos[0].dtype, infos[0].nullable),
            infos[1].nullable,
        ),
        "sequence": _sequence,
        "get": _element,
        "try_element_at": _element,
        "map_keys": lambda infos, params: (T.ArrayType(infos[0].dtype.keyType, False), _any_null(infos)),
        "map_values": lambda infos, params: (T.ArrayType(infos[0].dtype.valueType, True), _any_null(infos)),
        "map_entries": _map_entries,
        "map_contains_key": _fixed(_B),
        "map_from_arrays": _map_from_arrays,
        "named_struct": _named_struct,
    }
)

_UPPER = (
    "log10 log2 log1p expm1 cbrt sin cos tan cot sec csc asin acos atan atan2 sinh cosh tanh asinh acosh "
    "atanh degrees radians hypot pi e"
).split()
NAMES.update({n: (lambda u: lambda a, p: f"{u}({', '.join(a)})")(n.upper()) for n in _UPPER})
NAMES.update(
    {
        "log_base": lambda a, p: f"LOG({', '.join(a)})",
        "positive": lambda a, p: f"(+ {a[0]})",
        "regexp_like": lambda a, p: f"REGEXP_LIKE({a[0]}, {p[0]})",
        "regexp": lambda a, p: f"REGEXP({a[0]}, {p[0]})",
        "curdate": lambda a, p: "current_date()",
        "current_timezone": lambda a, p: "current_timezone()",
        "named_struct": lambda a, p: f"named_struct({', '.join(a)})",
        # Spark names array_sort by its default comparator, written out
        "array_sort": lambda a, p: f"array_sort({a[0]}, {_ARRAY_SORT_LAMBDA})",
    }
)
_LV = "namedlambdavariable()"
_ARRAY_SORT_LAMBDA = (
    f"lambdafunction((IF((({_LV} IS NULL) AND ({_LV} IS NULL)), 0, (IF(({_LV} IS NULL), 1, "
    f"(IF(({_LV} IS NULL), -1, (IF(({_LV} < {_LV}), -1, (IF(({_LV} > {_LV}), 1, 0)))))))))), {_LV}, {_LV})"
)

def _json_input(infos, params):
    d = infos[0].dtype
    if not isinstance(d, (T.StructType, T.ArrayType, T.MapType)):
        from ember.errors import AnalysisException
        from ember.sql.typerules import sql_type

        shown = f"to_json({infos[0].name})"
        raise AnalysisException(
            f'Cannot resolve "{shown}" due to data type mismatch: Input schema "{sql_type(d)}" must be a '
            "struct, an array, a map or a variant. SQLSTATE: 42K09",
            errorClass="DATATYPE_MISMATCH.INVALID_JSON_SCHEMA",
            messageParameters={"schema": f'"{sql_type(d)}"', "sqlExpr": f'"{shown}"'},
        )
    return _S, _any_null(infos)


RULES.update(
    {
        "from_json": lambda infos, params: (params[0], True),
        "to_json": _json_input,
        "get_json_object": _fixed(_S, True),
    }
)
NAMES["from_json"] = lambda a, p: f"from_json({a[0]})"


def _try_arith(op: str):
    def rule(infos, params):
        from ember.sql.typerules import numeric_result

        return numeric_result(op, infos[0].dtype, infos[1].dtype, ""), True

    return rule


RULES.update(
    {
        "try_divide": _try_arith("/"),
        "try_mod": _try_arith("%"),
        "typeof": _fixed(_S, False),
        "rand": _fixed(_D, False),
        "randn": _fixed(_D, False),
        "date_add": _fixed(_DATE),
        "dateadd": _fixed(_DATE),
        "date_sub": _fixed(_DATE),
    }
)
def _lambda_var(infos, params):
    d = infos[0].dtype
    if len(params) > 1 and params[1] == "map":
        if not isinstance(d, T.MapType):
            return T.NullType(), True
        return (d.keyType, False) if params[0] == 0 else (d.valueType, True)
    if params[0] == 1:
        return T.IntegerType(), False
    return (d.elementType if isinstance(d, T.ArrayType) else T.NullType()), True


def _map_of(keys: bool):
    def rule(infos, params):
        d = infos[0].dtype
        if not isinstance(d, T.MapType):
            return T.NullType(), True
        if keys:
            return T.MapType(infos[1].dtype, d.valueType, d.valueContainsNull), infos[0].nullable
        return T.MapType(d.keyType, infos[1].dtype, True), infos[0].nullable

    return rule


_SECOND = T.DecimalType(8, 6)


def _extract(infos, params):
    field = params[0].upper()
    return (_SECOND if field in _SECOND_NAMES else _I), _any_null(infos)


_SECOND_NAMES = {"SECOND", "S", "SEC", "SECONDS", "SECS"}


def _extract_name(a, p):
    field, style = p
    if style == "date_part":
        return f"date_part({field}, {a[1]})"
    return f"{style}({field} FROM {a[1]})"


def _assert_name(a, p):
    return f"assert_true({a[0]}, {a[1]})" if len(a) > 1 else f"assert_true({a[0]}, '{a[0]}' is not true!)"


def _nullary(name: str):
    return lambda a, p: f"{name}()"


def _trim_name(side: str, plain: str):
    return lambda a, p: f"TRIM({side} {a[1]} FROM {a[0]})" if len(a) > 1 else f"{plain}({a[0]})"


def _lambda_name(name: str):
    def fmt(a, p):
        variables = ", ".join(["namedlambdavariable()"] * p[0])
        return f"{name}({a[0]}, lambdafunction({a[1]}, {variables}))"

    return fmt


def _try_exact(op: str):
    def rule(infos, params):
        from ember.sql.typerules import numeric_result

        return numeric_result(op, infos[0].dtype, infos[1].dtype, ""), True

    return rule


RULES.update(
    {
        "lambda_var": _lambda_var,
        "transform": lambda infos, params: (T.ArrayType(infos[1].dtype, True), infos[0].nullable),
        "filter": lambda infos, params: (infos[0].dtype, infos[0].nullable),
        "exists": _fixed(_B, True),
        "forall": _fixed(_B, True),
        "try_add": _try_exact("+"),
        "try_subtract": _try_exact("-"),
        "try_multiply": _try_exact("*"),
        "try_to_date": _fixed(_DATE, True),
        "bit_count": _fixed(_I),
        "transform_values": _map_of(False),
        "transform_keys": _map_of(True),
        "map_filter": lambda infos, params: (infos[0].dtype, infos[0].nullable),
        "extract": _extract,
        "current_schema": _fixed(_S, False),
        "current_catalog": _fixed(_S, False),
        "current_user": _fixed(_S, False),
        "user": _fixed(_S, False),
        "session_user": _fixed(_S, False),
        "assert_true": _fixed(T.NullType(), True),
    }
)
NAMES.update(
    {
        "extract": _extract_name,
        "assert_true": _assert_name,
        "trim": _trim_name("BOTH", "trim"),
        "ltrim": _trim_name("LEADING", "ltrim"),
        "rtrim": _trim_name("TRAILING", "rtrim"),
        **{
            n: _nullary(n)
            for n in ("current_schema", "current_catalog", "current_user", "user", "session_user")
        },
    }
)
NAMES["lambda_var"] = lambda a, p: "namedlambdavariable()"
for _name in ("transform", "filter", "exists", "forall", "transform_values", "transform_keys", "map_filter"):
    NAMES[_name] = _lambda_name(_name)
NAMES["rand"] = lambda a, p: f"rand({p[0]})"
NAMES["randn"] = lambda a, p: f"randn({p[0]})"

#: aggregate result types: ``infos -> (dtype, nullable)``
AGG_RULES: dict[str, Callable] = {
    "count_if": lambda infos: (T.LongType(), False),
    "bool_and": lambda infos: (T.BooleanType(), True),
    "bool_or": lambda infos: (T.BooleanType(), True),
    "every": lambda infos: (T.BooleanType(), True),
    "some": lambda infos: (T.BooleanType(), True),
    "max_by": lambda infos: (infos[0].dtype, True),
    "min_by": lambda infos: (infos[0].dtype, True),
    "product": lambda infos: (T.DoubleType(), True),
    "median": lambda infos: (T.DoubleType(), True),
    "std": lambda infos: (T.DoubleType(), True),
    "first_value": lambda infos: (infos[0].dtype, True),
    "last_value": lambda infos: (infos[0].dtype, True),
    "percentile_approx": _percentile(True),
    "percentile": _percentile(False),
    "listagg": lambda infos: (T.StringType(), True),
    "string_agg": lambda infos: (T.StringType(), True),
    "mode": lambda infos: (infos[0].dtype, True),
    "bit_and": lambda infos: (infos[0].dtype, True),
    "bit_or": lambda infos: (infos[0].dtype, True),
    "bit_xor": lambda infos: (infos[0].dtype, True),
}
