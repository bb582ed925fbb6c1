"""Spark's typing rules for ember's built-in functions: result types, nullability, display names."""

from __future__ import annotations

import datetime
import decimal

from ember.errors import AnalysisException
from ember.sql import types as T

_NUMERIC_ORDER = [
    "ByteType",
    "ShortType",
    "IntegerType",
    "LongType",
    "DecimalType",
    "FloatType",
    "DoubleType",
]


def sql_type(dtype) -> str:
    return dtype.simpleString().upper()


def is_numeric(dtype) -> bool:
    return type(dtype).__name__ in _NUMERIC_ORDER


def is_integral(dtype) -> bool:
    return isinstance(dtype, (T.ByteType, T.ShortType, T.IntegerType, T.LongType))


def literal_type(value):
    """The type Spark gives ``lit(value)``."""
    if value is None:
        return T.NullType()
    if isinstance(value, bool):
        return T.BooleanType()
    if isinstance(value, int):
        return T.IntegerType() if -(2**31) <= value < 2**31 else T.LongType()
    if isinstance(value, float):
        return T.DoubleType()
    if isinstance(value, str):
        return T.StringType()
    if isinstance(value, datetime.timedelta):  # a day-time interval (INTERVAL '10' SECOND, lit(timedelta))
        return T.DayTimeIntervalType(0, 3)
    if isinstance(value, datetime.datetime):
        return T.TimestampType()
    if isinstance(value, datetime.date):
        return T.DateType()
    if isinstance(value, decimal.Decimal):
        sign, digits, exp = value.as_tuple()
        scale = max(0, -exp) if isinstance(exp, int) else 0
        precision = max(len(digits) + (exp if isinstance(exp, int) and exp > 0 else 0), scale, 1)
        return T.DecimalType(precision, scale)
    if isinstance(value, (bytes, bytearray)):
        return T.BinaryType()
    if isinstance(value, (list, tuple)):
        inner = literal_type(value[0]) if value else T.NullType()
        return T.ArrayType(inner, True)
    raise AnalysisException(
        f"[UNSUPPORTED_FEATURE.LITERAL_TYPE] The feature is not supported: Literal for "
        f"'{value}' of {type(value)}. SQLSTATE: 0A000"
    )


def literal_sql(value, dtype) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        from ember.sql.show import java_double_str

        return java_double_str(value)
    if isinstance(value, (list, tuple)):
        return "array(" + ", ".join(literal_sql(v, None) for v in value) + ")"
    if isinstance(value, datetime.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, datetime.date):
        return f"DATE '{value.isoformat()}'"
    return str(value)


def numeric_result(op: str, left, right, name: str):
    """Result type of ``left op right`` (ints widen, ``/`` gives double)."""
    if isinstance(left, T.NullType):
        left = right
    if isinstance(right, T.NullType):
        right = left
    if isinstance(left, T.NullType):
        return T.DoubleType() if op == "/" else T.NullType()
    if (
        isinstance(left, T.StringType)
        and is_numeric(right)
        or isinstance(right, T.StringType)
        and is_numeric(left)
    ):
        return T.DoubleType()
    if not (is_numeric(left) and is_numeric(right)):
        if op in ("+", "-") and isinstance(left, (T.TimestampType, T.DateType)):
            return left
        raise AnalysisException(
            f'Cannot resolve "{name}" due to data type mismatch: the left and right operands of the binary '
            f'operator have incompatible types ("{sql_type(left)}" and "{sql_type(right)}"). SQLSTATE: 42K09',
            errorClass="DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES",
            messageParameters={
                "left": f'"{sql_type(left)}"',
                "right": f'"{sql_type(right)}"',
                "sqlExpr": f'"{name}"',
            },
        )
    if op in ("&", "|", "^"):
        if not (is_integral(left) and is_integral(right)):
            raise AnalysisException(
                f'Cannot resolve "{name}" due to data type mismatch: the left and right operands of the '
                f'binary operator have incompatible types ("{sql_type(left)}" and "{sql_type(right)}"). '
                "SQLSTATE: 42K09",
                errorClass="DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES",
            )
    decimals = isinstance(left, T.DecimalType) or isinstance(right, T.DecimalType)
    floats = isinstance(left, (T.FloatType, T.DoubleType)) or isinstance(right, (T.FloatType, T.DoubleType))
    if decimals and not floats:
        return decimal_result(op, as_decimal(left), as_decimal(right))
    if op == "/":
        return T.DoubleType()
    rank = max(_NUMERIC_ORDER.index(type(left).__name__), _NUMERIC_ORDER.index(type(right).__name__))
    name_ = _NUMERIC_ORDER[rank]
    if name_ == "DecimalType":
        return left if isinstance(left, T.DecimalType) else right
    return getattr(T, name_)()


_INT_DECIMAL = {"ByteType": (3, 0), "ShortType": (5, 0), "IntegerType": (10, 0), "LongType": (20, 0)}


def as_decimal(dtype):
    if isinstance(dtype, T.DecimalType):
        return dtype
    return T.DecimalType(*_INT_DECIMAL[type(dtype).__name__])


def _bounded(precision: int, scale: int):
    """Spark's adjustment when a decimal result needs more than 38 digits."""
    if precision <= 38:
        return T.DecimalType(precision, scale)
    int_digits = precision - scale
    return T.DecimalType(38, max(38 - int_digits, min(scale, 6)))


def decimal_result(op: str, a, b):
    p1, s1, p2, s2 = a.precision, a.scale, b.precision, b.scale
    if op in ("+", "-"):
        scale = max(s1, s2)
        return _bounded(max(p1 - s1, p2 - s2) + scale + 1, scale)
    if op == "*":
        return _bounded(p1 + p2 + 1, s1 + s2)
    if op == "/":
        scale = max(6, s1 + p2 + 1)
        return _bounded(p1 - s1 + s2 + scale, scale)
    if op == "%":
        scale = max(s1, s2)
        return _bounded(min(p1 - s1, p2 - s2) + scale, scale)
    return _bounded(max(p1 - s1, p2 - s2) + max(s1, s2), max(s1, s2))


def _same(infos, params):
    return infos[0].dtype


_BY_RESULT = {
    "IntegerType": "length size year month dayofmonth hour minute second dayofweek dayofyear instr locate "
    "datediff hash array_size spark_partition_id",
    "BooleanType": "array_contains like ilike rlike startswith endswith contains isnan",
    "TimestampType": "to_timestamp current_timestamp window_time",
    "DateType": "to_date current_date date_add date_sub",
    "LongType": "unix_timestamp floor ceil monotonically_increasing_id xxhash64",
    "DoubleType": "sqrt exp log pow signum rand",
    "StringType": "array_join md5 sha1 sha2 base64",
}
_FIXED = {
    name: (lambda t: lambda i, p: getattr(T, t)())(tname)
    for tname, names in _BY_RESULT.items()
    for name in names.split()
}
_FIXED["split"] = lambda i, p: T.ArrayType(T.StringType(), False)
for _name in "abs round bround array_distinct sort_array array_sort reverse nanvl".split():
    _FIXED[_name] = _same

_WINDOW = T.StructType(
    [T.StructField("start", T.TimestampType(), True), T.StructField("end", T.TimestampType(), True)]
)

_NON_NULL = {
    "concat_ws",
    "hash",
    "xxhash64",
    "current_timestamp",
    "current_date",
    "struct",
    "window",
    "session_window",
    "isnan",
    "monotonically_increasing_id",
    "spark_partition_id",
    "rand",
    "array",
    "create_map",
}


_ALWAYS_NULL = {
    "round",
    "bround",
    "from_unixtime",
    "to_timestamp",
    "to_date",
    "element_at",
    "regexp_extract",
    "log",
    "unix_timestamp",
}


_STRING_ARGS = {
    "lower",
    "upper",
    "trim",
    "ltrim",
    "rtrim",
    "initcap",
    "split",
    "regexp_replace",
    "regexp_extract",
    "like",
    "rlike",
    "ilike",
    "substring",
    "lpad",
    "rpad",
    "instr",
    "translate",
    "repeat",
}
_STRING_OR_BINARY = {"length"}


def _input_type_error(name: str, infos, required: str, i: int = 0):
    arg = infos[i]
    shown = func_name(name, [x.name for x in infos], (), infos)
    return AnalysisException(
        f'Cannot resolve "{shown}" due to data type mismatch: The first parameter requires the '
        f"{required} type, "
        f'however "{arg.name}" has the type "{sql_type(arg.dtype)}". SQLSTATE: 42K09',
        errorClass="DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
        messageParameters={
            "inputSql": f'"{arg.name}"',
            "inputType": f'"{sql_type(arg.dtype)}"',
            "paramIndex": "first",
            "requiredType": required,
            "sqlExpr": f'"{shown}"',
        },
    )


def _check_inputs(name: str, infos) -> None:
    complex_ = (T.ArrayType, T.MapType, T.StructType)
    if name == "array_contains" and len(infos) > 1 and isinstance(infos[1].dtype, T.NullType):
        shown = func_name(name, [x.name for x in infos], (), infos)
        raise AnalysisException(
            f'Cannot resolve "{shown}" due to data type mismatch: Null typed values cannot be used as '
            f"arguments of `{name}`. SQLSTATE: 42K09",
            errorClass="DATATYPE_MISMATCH.NULL_TYPE",
            messageParameters={"functionName": f"`{name}`", "sqlExpr": f'"{shown}"'},
        )
    if name in _STRING_ARGS and infos and isinstance(infos[0].dtype, complex_):
        raise _input_type_error(name, infos, '"STRING"')
    if name in _STRING_OR_BINARY and infos and isinstance(infos[0].dtype, complex_):
        raise _input_type_error(name, infos, '("STRING" or "BINARY")')
    if (
        name in ("size", "array_contains", "array_join", "sort_array", "array_distinct")
        and infos
        and not isinstance(infos[0].dtype, (T.ArrayType, T.MapType, T.NullType))
    ):
        raise _input_type_error(name, infos, '"ARRAY"')


def func_type(name: str, infos, params):
    from ember.sql.functypes import RULES

    rule = RULES.get(name)
    if rule is not None:
        return rule(infos, params)
    _check_inputs(name, infos)
    nullable = (any(i.nullable for i in infos) or name in _ALWAYS_NULL) and name not in _NON_NULL
    if name in ("unix_timestamp", "date_format") and not infos:
        nullable = False
    if name == "unix_timestamp" and infos and isinstance(infos[0].dtype, T.TimestampType):
        nullable = infos[0].nullable
    if name in _FIXED:
        return _FIXED[name](infos, params), nullable
    if name == "struct":
        return T.StructType([T.StructField(i.name, i.dtype, i.nullable) for i in infos]), False
    if name == "array":
        from ember.sql.analyzer import common_type

        return T.ArrayType(common_type([i.dtype for i in infos]), any(i.nullable for i in infos)), False
    if name == "create_map":
        return T.MapType(infos[0].dtype, infos[1].dtype, True), False
    if name == "window" and params[1] > params[0]:
        expr = f"window({infos[0].name}, {', '.join(str(p) for p in params[:3])})"
        raise AnalysisException(
            f'Cannot resolve "{expr}" due to data type mismatch: The `slide_duration`({params[1]}L) must be '
            f"<= the `window_duration`({params[0]}L). SQLSTATE: 42K09",
            errorClass="DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION",
            messageParameters={"sqlExpr": f'"{expr}"'},
        )
    if name in ("window", "session_window"):
        return _WINDOW, name == "window" and params[0] != params[1]
    if name == "coalesce" or name in ("greatest", "least"):
        from ember.sql.analyzer import common_type

        return common_type([i.dtype for i in infos]), all(i.nullable for i in infos)
    if name == "concat":
        if infos and all(isinstance(i.dtype, T.ArrayType) for i in infos):
            return infos[0].dtype, nullable
        return T.StringType(), nullable
    if name in ("element_at",):
        d = infos[0].dtype
        return (d.elementType if isinstance(d, T.ArrayType) else d.valueType), True
    if name in ("map_keys",):
        return T.ArrayType(infos[0].dtype.keyType, False), nullable
    if name in ("map_values",):
        return T.ArrayType(infos[0].dtype.valueType, True), nullable
    return T.StringType(), nullable


def _param_sql(p) -> str:
    return literal_sql(p, None) if not isinstance(p, str) else p


_NAME_FMT = {
    "like": lambda a, p: f"{a[0]} LIKE {p[0]}",
    "rlike": lambda a, p: f"RLIKE({a[0]}, {p[0]})",
    "sqrt": lambda a, p: f"SQRT({a[0]})",
    "exp": lambda a, p: f"EXP({a[0]})",
    "pow": lambda a, p: f"POWER({a[0]}, {a[1]})",
    "floor": lambda a, p: f"FLOOR({a[0]})",
    "ceil": lambda a, p: f"CEIL({a[0]})",
    "log": lambda a, p: f"ln({a[0]})",
    "signum": lambda a, p: f"SIGNUM({a[0]})",
    "window": lambda a, p: "window",
    "session_window": lambda a, p: "session_window",
    "current_timestamp": lambda a, p: "current_timestamp()",
    "current_date": lambda a, p: "current_date()",
    "concat_ws": lambda a, p: f"concat_ws({', '.join([p[0], *a])})",
    "struct": lambda a, p: f"struct({', '.join(a)})",
    "monotonically_increasing_id": lambda a, p: "monotonically_increasing_id()",
    "spark_partition_id": lambda a, p: "SPARK_PARTITION_ID()",
}


def func_name(name: str, arg_names, params, infos) -> str:
    from ember.sql.functypes import NAMES

    fmt = _NAME_FMT.get(name) or NAMES.get(name)
    if fmt is not None:
        return fmt(arg_names, params)
    if name == "unix_timestamp" and not arg_names:
        arg_names = ["current_timestamp()"]
    parts = list(arg_names) + [_param_sql(p) for p in params]
    return f"{name}({', '.join(parts)})"


def agg_type(name: str, infos):
    from ember.sql.functypes import AGG_RULES

    rule = AGG_RULES.get(name)
    if rule is not None:
        return rule(infos)
    d = infos[0].dtype if infos else T.LongType()
    if name in ("count", "countDistinct", "approx_count_distinct"):
        return T.LongType(), False
    if name == "sum":
        if is_integral(d):
            return T.LongType(), True
        if isinstance(d, T.DecimalType):
            return T.DecimalType(min(38, d.precision + 10), d.scale), True
        return T.DoubleType(), True
    if name in ("avg", "mean") and isinstance(d, T.DecimalType):
        # Spark widens an average of decimals by four digits of scale (and four of precision)
        return T.DecimalType(min(38, d.precision + 4), min(38, d.scale + 4)), True
    if name in (
        "avg",
        "mean",
        "stddev",
        "stddev_samp",
        "stddev_pop",
        "variance",
        "var_samp",
        "var_pop",
        "skewness",
        "kurtosis",
        "corr",
        "covar_pop",
        "covar_samp",
    ):
        return T.DoubleType(), True
    if name in ("collect_list", "collect_set"):
        return T.ArrayType(d, False), False
    return d, True
