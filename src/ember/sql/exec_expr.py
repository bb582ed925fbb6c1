"""Expression nodes -> Polars expressions (part of the execution layer: only it imports Polars).

Spark semantics kept here: integer ``/`` gives double and ``x / 0`` is NULL, ``%`` takes the sign of
the dividend, ``round`` is HALF_UP, ``trim`` strips spaces only, ``split`` takes a regex (Rust's
regex dialect: Java-only constructs such as possessive quantifiers or lookaround are rejected).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import types as T
from ember.sql.analyzer import analyze, resolve_ref
from ember.sql.dtypes import to_polars
from ember.sql.timefmt import java_to_strftime


def cname(attr) -> str:
    """The internal Polars column name of an attribute."""
    return f"#{attr.id}"


@dataclass
class Ctx:
    attrs: tuple
    tz: str = "UTC"
    grouped: bool = False
    subst: dict = field(default_factory=dict)  # id(expr) -> pl.Expr computed beforehand
    ansi: bool = True
    checks: list = field(default_factory=list)  # ansi.Check, raised by the executor's guard
    agg_checks: list = field(default_factory=list)  # double sums of integral sums, checked after grouping

    def check(self, flag: pl.Expr, value: pl.Expr | None, raise_for) -> None:
        if self.ansi:
            from ember.sql.ansi import Check

            self.checks.append(Check(flag, value, raise_for))


def to_utc(e: pl.Expr, tz: str) -> pl.Expr:
    """Wall time in ``tz`` -> the UTC instant (naive)."""
    if tz in ("UTC", "Etc/UTC", "GMT", "Z"):
        return e
    utc = _localize(e, tz)
    # A wall time inside a spring-forward gap does not exist; Java (so Spark) moves it forward by the
    # gap's length, which is the wall time read with the offset in force before the gap. 36 hours
    # back is before any real gap (Samoa's whole skipped day included).
    before = e - pl.duration(hours=36)
    offset_before = before - _localize(before, tz)
    return pl.coalesce(utc, e - offset_before)


def _localize(e: pl.Expr, tz: str) -> pl.Expr:
    # an overlap takes the earlier offset, as java.time does
    return (
        e.dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None)
    )


def to_wall(e: pl.Expr, tz: str) -> pl.Expr:
    """A UTC instant (naive) -> wall time in ``tz`` (naive)."""
    if tz in ("UTC", "Etc/UTC", "GMT", "Z"):
        return e
    return e.dt.replace_time_zone("UTC").dt.convert_time_zone(tz).dt.replace_time_zone(None)


def translate(expr: E.Expr, ctx: Ctx) -> pl.Expr:
    hit = ctx.subst.get(id(expr))
    if hit is not None:
        return hit
    f = _TRANSLATE.get(type(expr))
    if f is None:
        raise AnalysisException(f"ember cannot execute {type(expr).__name__} here")
    return f(expr, ctx)


def dtype_of(expr: E.Expr, ctx: Ctx):
    return analyze(expr, ctx.attrs).dtype


def _ref(e: E.ColumnRef, ctx: Ctx) -> pl.Expr:
    found = resolve_ref(e, ctx.attrs)
    if found is None:
        analyze(e, ctx.attrs)  # raises the Spark error
    a, path = found
    out = pl.col(cname(a))
    dtype = a.dtype
    for p in path:
        name = next(f.name for f in dtype.fields if f.name.lower() == p.lower())
        dtype = next(f.dataType for f in dtype.fields if f.name == name)
        out = out.struct.field(name)
    return out


def lit_value(value, dtype, tz: str = "UTC") -> pl.Expr:
    if isinstance(dtype, T.TimestampType) and value is not None:
        from ember.sql.convert import py_to_utc

        value = py_to_utc(value)
    if isinstance(dtype, T.ArrayType):
        return pl.lit(pl.Series([list(value)], dtype=to_polars(dtype))).first()
    return pl.lit(value, dtype=to_polars(dtype))


def _lit(e: E.Literal, ctx: Ctx) -> pl.Expr:
    return lit_value(e.value, e.dtype, ctx.tz)


def _alias(e: E.Alias, ctx: Ctx) -> pl.Expr:
    return translate(e.child, ctx)


def cast(x: pl.Expr, src, to, tz: str) -> pl.Expr:
    if isinstance(to, T.StringType):
        if isinstance(src, T.BooleanType):
            return pl.when(x).then(pl.lit("true")).when(~x).then(pl.lit("false")).otherwise(None)
        if isinstance(src, (T.TimestampType, T.TimestampNTZType)):
            return ts_string(to_wall(x, tz))
        if isinstance(src, (T.DoubleType, T.FloatType)):
            return java_double_string(x, isinstance(src, T.FloatType))
        if isinstance(src, T.StructType):
            parts = [cast(x.struct.field(f.name), f.dataType, to, tz).fill_null("null") for f in src.fields]
            joined = [p for i, part in enumerate(parts) for p in ((pl.lit(", "),) if i else ()) + (part,)]
            return (
                pl.when(x.is_null()).then(None).otherwise(pl.concat_str([pl.lit("{"), *joined, pl.lit("}")]))
            )
        if isinstance(src, T.ArrayType):
            inner = cast(pl.element(), src.elementType, to, tz).fill_null("null")
            body = x.list.eval(inner).list.join(", ")
            return pl.when(x.is_null()).then(None).otherwise(pl.concat_str([pl.lit("["), body, pl.lit("]")]))
        return x.cast(pl.String, strict=False)
    if isinstance(to, (T.TimestampType, T.TimestampNTZType)):
        if isinstance(src, T.StringType):
            from ember.sql.timeparse import parse_timestamp

            return parse_timestamp(x, tz)
        if isinstance(src, T.DateType):
            return to_utc(x.cast(pl.Datetime("us")), tz)
        if isinstance(src, (T.LongType, T.IntegerType, T.DoubleType, T.FloatType, T.ShortType, T.ByteType)):
            return (x.cast(pl.Float64) * 1_000_000).cast(pl.Int64).cast(pl.Datetime("us"))
    if isinstance(to, T.DateType):
        if isinstance(src, (T.TimestampType, T.TimestampNTZType)):
            return to_wall(x, tz).dt.date()
        if isinstance(src, T.StringType):
            from ember.sql.timeparse import parse_date

            return parse_date(x)
    if isinstance(src, T.StringType) and isinstance(to, (T.IntegerType, T.LongType, T.ShortType, T.ByteType)):
        # ANSI: only an integer literal (spaces allowed) casts; "2.7" is malformed
        return x.str.strip_chars().cast(to_polars(to), strict=False)
    if isinstance(src, T.StringType) and isinstance(to, (T.DoubleType, T.FloatType, T.DecimalType)):
        return x.str.strip_chars().cast(to_polars(to), strict=False)
    if isinstance(src, T.StringType) and isinstance(to, T.BooleanType):
        low = x.str.strip_chars().str.to_lowercase()
        return (
            pl.when(low.is_in(["true", "t", "yes", "y", "1"]))
            .then(True)
            .when(low.is_in(["false", "f", "no", "n", "0"]))
            .then(False)
            .otherwise(None)
        )
    if isinstance(src, (T.DoubleType, T.FloatType)) and isinstance(to, (T.IntegerType, T.LongType)):
        return x.fill_nan(None).cast(to_polars(to), strict=False)
    if isinstance(src, (T.TimestampType,)) and isinstance(to, (T.LongType, T.IntegerType)):
        return x.dt.epoch("s").cast(to_polars(to))
    if isinstance(src, (T.TimestampType,)) and isinstance(to, T.DoubleType):
        return x.dt.epoch("us").cast(pl.Float64) / 1_000_000
    return x.cast(to_polars(to), strict=False)


def _cast(e: E.Cast, ctx: Ctx) -> pl.Expr:
    src = dtype_of(e.child, ctx)
    x = translate(e.child, ctx)
    out = cast(x, src, e.to, ctx.tz)
    if isinstance(src, T.StringType) and not isinstance(e.to, (T.StringType, T.BinaryType)) and not e.try_:
        from ember.sql.ansi import invalid_cast
        from ember.sql.typerules import sql_type

        ctx.check(x.is_not_null() & out.is_null(), x, invalid_cast(sql_type(e.to)))
    return out


def _binop(e: E.BinOp, ctx: Ctx) -> pl.Expr:
    op = e.op
    left, right = translate(e.left, ctx), translate(e.right, ctx)
    if op in ("AND", "OR"):
        return (left & right) if op == "AND" else (left | right)
    lt, rt = dtype_of(e.left, ctx), dtype_of(e.right, ctx)
    if op in ("=", "!=", "<", "<=", ">", ">=", "<=>"):
        left, right = _comparable(left, lt, right, rt, ctx)
        return {
            "=": left.eq,
            "!=": left.ne,
            "<": left.lt,
            "<=": left.le,
            ">": left.gt,
            ">=": left.ge,
            "<=>": left.eq_missing,
        }[op](right)
    result = analyze(e, ctx.attrs).dtype
    if isinstance(result, T.NullType):
        return pl.lit(None)
    pt = to_polars(result)
    if isinstance(lt, (T.TimestampType, T.DateType)):
        return left + right if op == "+" else left - right
    if op in ("&", "|", "^"):
        left, right = left.cast(pt), right.cast(pt)
        return left & right if op == "&" else left | right if op == "|" else left.xor(right)
    if isinstance(result, T.DecimalType) and op in ("*", "/", "%"):
        # Polars' decimal kernels differ in result scale: compute in double, round to Spark's type
        left, right = left.cast(pl.Float64), right.cast(pl.Float64)
        if op == "/":
            from ember.sql.ansi import divide_by_zero

            ctx.check((right == 0) & left.is_not_null(), None, divide_by_zero)
            return pl.when(right != 0).then(left / right).otherwise(None).round(result.scale).cast(pt)
        if op == "*":
            return (left * right).round(result.scale).cast(pt)
    left, right = left.cast(pt, strict=False), right.cast(pt, strict=False)
    if op in ("+", "-", "*") and isinstance(result, (T.IntegerType, T.LongType, T.ShortType, T.ByteType)):
        _overflow_check(ctx, op, left, right, result)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        from ember.sql.ansi import divide_by_zero

        ctx.check((right == 0) & left.is_not_null(), None, divide_by_zero)
        return pl.when(right != 0).then(left / right).otherwise(None)
    if op == "%":
        from ember.sql.ansi import remainder_by_zero

        ctx.check((right == 0) & left.is_not_null(), None, remainder_by_zero)
        r = left % right
        fix = (r != 0) & ((left < 0) != (right < 0))
        return pl.when(right == 0).then(None).when(fix).then(r - right).otherwise(r)
    raise AnalysisException(f"unknown operator {op}")


def _comparable(left, lt, right, rt, ctx):
    from ember.sql.typerules import is_numeric

    if isinstance(lt, T.StringType) and isinstance(rt, (T.TimestampType, T.DateType)):
        return cast(left, lt, rt, ctx.tz), right
    if isinstance(rt, T.StringType) and isinstance(lt, (T.TimestampType, T.DateType)):
        return left, cast(right, rt, lt, ctx.tz)
    if isinstance(lt, T.StringType) and is_numeric(rt):
        return left.cast(pl.Float64, strict=False), right
    if isinstance(rt, T.StringType) and is_numeric(lt):
        return left, right.cast(pl.Float64, strict=False)
    return left, right


def _unary(e: E.Unary, ctx: Ctx) -> pl.Expr:
    x = translate(e.child, ctx)
    if e.op == "NOT":
        return ~x
    if e.op == "NEG":
        return -x
    if e.op == "ISNULL":
        return x.is_null()
    if e.op == "ISNOTNULL":
        return x.is_not_null()
    if e.op == "BITNOT":
        return ~x
    if e.op == "ISNAN":
        return x.is_nan().fill_null(False)
    raise AnalysisException(f"unknown operator {e.op}")


def _case(e: E.CaseWhen, ctx: Ctx) -> pl.Expr:
    out_type = to_polars(analyze(e, ctx.attrs).dtype)
    chain = None
    for cond, val in e.branches:
        c, v = translate(cond, ctx), translate(val, ctx).cast(out_type, strict=False)
        chain = pl.when(c).then(v) if chain is None else chain.when(c).then(v)
    if e.otherwise is None:
        return chain.otherwise(pl.lit(None, dtype=out_type))
    return chain.otherwise(translate(e.otherwise, ctx).cast(out_type, strict=False))


def _in(e: E.In, ctx: Ctx) -> pl.Expr:
    x = translate(e.child, ctx)
    if not e.values:  # Spark: IN () is false for every row, NULL included (keeps the column's length)
        return x.is_null() & pl.lit(False)
    if all(isinstance(v, E.Literal) for v in e.values):
        vals = [v.value for v in e.values if v.value is not None]
        hit = x.is_in(pl.Series(vals, dtype=to_polars(dtype_of(e.child, ctx)), strict=False).implode())
        has_null = any(v.value is None for v in e.values)
        return pl.when(x.is_null()).then(None).when(hit).then(True).otherwise(None if has_null else False)
    out = None
    for v in e.values:
        term = x == translate(v, ctx)
        out = term if out is None else (out | term)
    return out


def _getfield(e: E.GetField, ctx: Ctx) -> pl.Expr:
    st = dtype_of(e.child, ctx)
    if isinstance(st, T.MapType):
        return map_lookup(translate(e.child, ctx), E.Literal(e.field_name, T.StringType()), ctx)
    name = next(f.name for f in st.fields if f.name.lower() == e.field_name.lower())
    return translate(e.child, ctx).struct.field(name)


def _getitem(e: E.GetItem, ctx: Ctx) -> pl.Expr:
    base = dtype_of(e.child, ctx)
    x = translate(e.child, ctx)
    if isinstance(base, T.ArrayType):
        k = translate(e.key, ctx)
        from ember.sql.ansi import array_index

        n = x.list.len()
        ctx.check(x.is_not_null() & ((k >= n) | (k < 0)), pl.struct(k.alias("i"), n.alias("n")), array_index)
        return x.list.get(k, null_on_oob=True)
    if isinstance(base, T.MapType):
        return map_lookup(x, e.key, ctx)
    return x.struct.field(str(e.key.value))


def map_lookup(x: pl.Expr, key: E.Expr, ctx: Ctx) -> pl.Expr:
    if not isinstance(key, E.Literal):
        raise AnalysisException("ember supports map lookups by a literal key only")
    return x.list.eval(
        pl.element().filter(pl.element().struct.field("key") == key.value).struct.field("value")
    ).list.first()


def _udf(e: E.UdfCall, ctx: Ctx) -> pl.Expr:
    from ember.sql.convert import to_python_fn

    rt = to_polars(e.return_type)
    fn = e.func
    post = to_python_fn(e.return_type)
    n = len(e.args)

    def call(values):
        try:
            return [post(fn(*v)) for v in values]
        except Exception as exc:
            raise python_exception(exc) from None

    if n == 1:
        arg = translate(e.args[0], ctx)
        return arg.map_batches(
            lambda s, *_a, **_k: pl.Series(call((v,) for v in s.to_list()), dtype=rt, strict=False),
            return_dtype=rt,
        )
    args = [translate(a, ctx).alias(f"a{i}") for i, a in enumerate(e.args)]
    return pl.struct(args).map_batches(
        lambda s, *_a, **_k: pl.Series(
            call(tuple(d[f"a{i}"] for i in range(n)) for d in s.to_list()), dtype=rt, strict=False
        ),
        return_dtype=rt,
    )


def python_exception(exc: BaseException) -> Exception:
    """A UDF's error as Spark reports it: PythonException with the worker's traceback."""
    import traceback

    from ember.errors import PythonException

    class _PythonException(PythonException):
        def getErrorClass(self):
            return "PYTHON_EXCEPTION"

        getCondition = getErrorClass

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return _PythonException(f"An exception was thrown from the Python worker:\n{text}")


def _sort(e: E.SortOrder, ctx: Ctx) -> pl.Expr:
    return translate(e.child, ctx)


def _func(e: E.Func, ctx: Ctx) -> pl.Expr:
    from ember.sql.exec_funcs import FUNCS

    f = FUNCS.get(e.name)
    if f is None:
        raise AnalysisException(f"ember does not implement the function {e.name}")
    return f(e, ctx)


def _agg(e: E.AggFunc, ctx: Ctx) -> pl.Expr:
    from ember.sql.exec_funcs import aggregate

    return aggregate(e, ctx)


def like_to_regex(pattern: str, escape: str = "\\") -> str:
    out, i = ["(?s)^"], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    out.append("$")
    return "".join(out)


_TRANSLATE = {
    E.ColumnRef: _ref,
    E.Literal: _lit,
    E.Alias: _alias,
    E.Cast: _cast,
    E.BinOp: _binop,
    E.Unary: _unary,
    E.CaseWhen: _case,
    E.In: _in,
    E.GetField: _getfield,
    E.GetItem: _getitem,
    E.UdfCall: _udf,
    E.SortOrder: _sort,
    E.Func: _func,
    E.AggFunc: _agg,
}

__all__ = ["Ctx", "translate", "cname", "to_utc", "to_wall", "java_to_strftime", "like_to_regex"]


def ts_string(wall: pl.Expr) -> pl.Expr:
    """Spark's text for a timestamp: ``yyyy-MM-dd HH:mm:ss`` plus the fraction without trailing zeros."""
    base = wall.dt.strftime("%Y-%m-%d %H:%M:%S")
    us = wall.dt.microsecond()
    frac = us.cast(pl.String).str.zfill(6).str.strip_chars_end("0")
    return pl.when(us == 0).then(base).otherwise(pl.concat_str([base, pl.lit("."), frac]))


def java_double_string(x: pl.Expr, is_float: bool = False) -> pl.Expr:
    """Java's Double.toString: Polars' text where both agree (1e-3 <= |x| < 1e7), Java's layout
    (``1.0E10``, ``1.0E-5``) computed in Python only for the values outside that range."""
    from ember.sql.show import java_double_str, java_float_str

    fmt = java_float_str if is_float else java_double_str

    def outside(s: pl.Series, *_a, **_k) -> pl.Series:
        return pl.Series([None if v is None else fmt(v) for v in s.to_list()], dtype=pl.String)

    a = x.abs()
    plain = ((a >= 1e-3) & (a < 1e7)) | (a == 0)
    return (
        pl.when(x.is_null())
        .then(None)
        .when(plain)
        .then(x.cast(pl.String))
        .otherwise(pl.when(~plain).then(x).map_batches(outside, return_dtype=pl.String))
    )


_RANGES = {"ByteType": 2**7, "ShortType": 2**15, "IntegerType": 2**31, "LongType": 2**63}


def _overflow_check(ctx: Ctx, op: str, left: pl.Expr, right: pl.Expr, result) -> None:
    """ANSI: integer arithmetic that leaves the type's range fails (checked in double precision)."""
    from ember.sql.ansi import overflow

    bound = _RANGES[type(result).__name__]
    lf, rf = left.cast(pl.Float64), right.cast(pl.Float64)
    exact = lf + rf if op == "+" else lf - rf if op == "-" else lf * rf
    ctx.check(
        (exact >= bound) | (exact < -bound),
        None,
        overflow({"+": "try_add", "-": "try_subtract", "*": "try_multiply"}[op]),
    )
