"""Built-in scalar and aggregate functions as Polars expressions (the execution layer)."""

from __future__ import annotations

import re

import polars as pl

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import types as T
from ember.sql.dtypes import to_polars
from ember.sql.exec_expr import Ctx, dtype_of, like_to_regex, translate
from ember.sql.exec_more import AGGS as MORE_AGGS
from ember.sql.exec_more import FUNCS as MORE_FUNCS
from ember.sql.exec_time import (  # noqa: F401 (expand_window_starts: streaming imports it from here)
    _current_date,
    _current_timestamp,
    _date_add,
    _date_format,
    _datediff,
    _dayofweek,
    _field,
    _from_unixtime,
    _to_date,
    _to_timestamp,
    _unix_timestamp,
    _window,
    _window_time,
    expand_window_starts,
)

_REGEX_META = set(".^$*+?()[]{}|\\")


def _a(e: E.Func, ctx: Ctx, i: int = 0) -> pl.Expr:
    return translate(e.args[i], ctx)


def _split(e, ctx):
    x = _a(e, ctx)
    pattern, limit = e.params
    if not pattern:
        # Java splits between every character; an empty string stays [""]
        return pl.when(x == "").then(pl.lit([""], dtype=pl.List(pl.String))).otherwise(x.str.split(""))
    literal = not (set(pattern) & _REGEX_META)
    if not literal and len(pattern) == 2 and pattern[0] == "\\" and not pattern[1].isalnum():
        literal, pattern = True, pattern[1]
    if limit is not None and limit == 1:
        return pl.concat_list([x])
    if not literal:
        # Rust's regex splitter does not exist in Polars: mark the matches, then split on the mark
        sentinel = "\x00\x01"
        pattern = java_regex(pattern)
        if limit is None or limit <= 0:
            x = x.str.replace_all(pattern, sentinel)
        else:
            x = x.str.replace(pattern, sentinel, n=limit - 1)
        pattern = sentinel
    if limit is None or limit <= 0:
        return x.str.split(pattern)
    parts = x.str.splitn(pattern, limit)
    out = pl.concat_list([parts.struct.field(f"field_{i}") for i in range(limit)]).list.drop_nulls()
    return pl.when(x.is_null()).then(None).otherwise(out)


def _trim(side):
    def f(e, ctx):
        x = _a(e, ctx)
        return {
            "both": x.str.strip_chars(" "),
            "left": x.str.strip_chars_start(" "),
            "right": x.str.strip_chars_end(" "),
        }[side]

    return f


def _concat(e, ctx):
    if all(isinstance(dtype_of(a, ctx), T.ArrayType) for a in e.args):
        out = None
        for a in e.args:
            x = translate(a, ctx)
            out = (
                x
                if out is None
                else pl.when(out.is_null() | x.is_null()).then(None).otherwise(pl.concat_list([out, x]))
            )
        return out
    return pl.concat_str([_as_str(a, ctx) for a in e.args])


def _as_str(a, ctx):
    from ember.sql.exec_expr import cast

    t = dtype_of(a, ctx)
    x = translate(a, ctx)
    return x if isinstance(t, T.StringType) else cast(x, t, T.StringType(), ctx.tz)


def _concat_ws(e, ctx):
    sep = e.params[0]
    parts = []
    for a in e.args:
        if isinstance(dtype_of(a, ctx), T.ArrayType):
            parts.append(translate(a, ctx).list.eval(pl.element().drop_nulls()).list.join(sep))
        else:
            parts.append(_as_str(a, ctx))
    if not parts:
        return pl.lit("")
    return pl.concat_str(parts, separator=sep, ignore_nulls=True)


def _regexp_replace(e, ctx):
    pattern, repl = e.params[0], e.params[1]
    x = _a(e, ctx)
    if needs_python_regex(pattern):
        rx, py_repl = re.compile(pattern), _java_repl_py(repl)
        return _python_str(x, lambda v: rx.sub(py_repl, v), pl.String)
    return x.str.replace_all(java_regex(pattern), _java_repl(repl))


def _java_repl(repl: str) -> str:
    """Java's replacement syntax (``$1``, ``\\$`` for a literal dollar) in Rust's (``${1}``, ``$$``)."""
    out, i = [], 0
    while i < len(repl):
        ch = repl[i]
        if ch == "\\" and i + 1 < len(repl):
            nxt = repl[i + 1]
            out.append("$$" if nxt == "$" else nxt)
            i += 2
        elif ch == "$" and i + 1 < len(repl) and repl[i + 1].isdigit():
            j = i + 1
            while j < len(repl) and repl[j].isdigit():
                j += 1
            out.append("${" + repl[i + 1 : j] + "}")
            i = j
        else:
            out.append("$$" if ch == "$" else ch)
            i += 1
    return "".join(out)


def _java_repl_py(repl: str) -> str:
    out, i = [], 0
    while i < len(repl):
        ch = repl[i]
        if ch == "\\" and i + 1 < len(repl):
            out.append(repl[i + 1].replace("\\", "\\\\"))
            i += 2
        elif ch == "$" and i + 1 < len(repl) and repl[i + 1].isdigit():
            j = i + 1
            while j < len(repl) and repl[j].isdigit():
                j += 1
            out.append("\\g<" + repl[i + 1 : j] + ">")
            i = j
        else:
            out.append(ch.replace("\\", "\\\\"))
            i += 1
    return "".join(out)


_PY_ONLY = re.compile(r"\(\?[=!]|\(\?<[=!]|\\[1-9]|\\k<")


# Java's predefined classes are ASCII-only (Rust's are Unicode)
_JAVA_CLASSES = {
    "d": "[0-9]", "D": "[^0-9]", "w": "[0-9A-Za-z_]", "W": "[^0-9A-Za-z_]",
    "s": "[\\t\\n\\x0B\\f\\r ]", "S": "[^\\t\\n\\x0B\\f\\r ]",
}


def java_regex(pattern: str) -> str:
    """A Java pattern in Rust's syntax where the two read it differently.

    ``\\d``, ``\\w``, ``\\s`` (and negations) match ASCII only, and ``[:`` inside a class is a
    nested class of literal characters in Java (``[[:alpha:]]`` is ``:``, ``a``, ``l``, ``p``, ``h``),
    not a POSIX class.
    """
    out, i, depth = [], 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append(_JAVA_CLASSES.get(nxt, c + nxt))
            i += 2
            continue
        if c == "[":
            if depth and pattern[i + 1 : i + 2] == ":":
                out.append("[\\:")
                i += 2
                depth += 1
                continue
            depth += 1
        elif c == "]" and depth:
            depth -= 1
        out.append(c)
        i += 1
    return "".join(out)


def needs_python_regex(pattern: str) -> bool:
    """Java regex features Rust's engine lacks (look-around, back-references) fall back to Python's."""
    return bool(_PY_ONLY.search(pattern))


def _python_str(x: pl.Expr, fn, dtype) -> pl.Expr:
    def run(s: pl.Series, *_a, **_k) -> pl.Series:
        return pl.Series([None if v is None else fn(v) for v in s.to_list()], dtype=dtype)

    return x.map_batches(run, return_dtype=dtype)


def _regexp_extract(e, ctx):
    x = _a(e, ctx)
    pattern, idx = e.params
    try:
        groups = re.compile(pattern).groups
    except re.error:
        groups = idx
    if idx > groups or idx < 0:
        from ember.sql.ansi import regex_group

        ctx.checks.append(
            __import__("ember.sql.ansi", fromlist=["Check"]).Check(
                x.is_not_null(), None, regex_group(idx, groups)
            )
        )
        return pl.lit(None, dtype=pl.String)
    if needs_python_regex(pattern):
        rx = re.compile(pattern)

        def find(v):
            m = rx.search(v)
            return (m.group(idx) or "") if m else ""

        return _python_str(x, find, pl.String)
    return pl.when(x.is_null()).then(None).otherwise(x.str.extract(java_regex(pattern), idx).fill_null(""))


def _substring(e, ctx):
    """Spark's substring: 1-based ``pos`` (0 acts as 1, negative counts from the end); characters before
    the string's start use up ``len``; a negative ``len`` gives the empty string."""
    x = _a(e, ctx)
    pos, length = e.params
    n = x.str.len_chars().cast(pl.Int64)
    start = (
        pl.lit(pos - 1, dtype=pl.Int64) if pos > 0 else (n + pos if pos < 0 else pl.lit(0, dtype=pl.Int64))
    )
    if length is None:
        return x.str.slice(pl.max_horizontal(start, 0))
    end = start + length
    s0 = pl.max_horizontal(start, 0)
    e0 = pl.min_horizontal(end, n)
    size = pl.max_horizontal(e0 - s0, 0)
    return x.str.slice(pl.min_horizontal(s0, n), size)


def _like(e, ctx):
    return _a(e, ctx).str.contains(like_to_regex(e.params[0]))


def _ilike(e, ctx):
    return _a(e, ctx).str.contains("(?i)" + like_to_regex(e.params[0]))


def _rlike(e, ctx):
    pattern = e.params[0]
    if needs_python_regex(pattern):
        rx = re.compile(pattern)
        return _python_str(_a(e, ctx), lambda v: rx.search(v) is not None, pl.Boolean)
    return _a(e, ctx).str.contains(java_regex(pattern))


def _str_pred(method):
    def f(e, ctx):
        x, y = _a(e, ctx), _a(e, ctx, 1)
        lit = e.args[1].value if isinstance(e.args[1], E.Literal) else None
        if method == "contains":
            return x.str.contains(lit, literal=True) if lit is not None else x.str.contains(y, literal=True)
        return getattr(x.str, method)(lit if lit is not None else y)

    return f


def _struct(e, ctx):
    from ember.sql.analyzer import struct_names

    names = struct_names(e.args, ctx.attrs)
    return pl.struct([translate(a, ctx).alias(n) for a, n in zip(e.args, names)])


def _array(e, ctx):
    from ember.sql.analyzer import analyze

    dt = to_polars(analyze(e, ctx.attrs).dtype.elementType)
    items = [translate(a, ctx).cast(dt, strict=False) for a in e.args]
    if isinstance(dt, pl.List):
        # concat_list would join list columns end to end; an array of arrays nests each one
        items = [x.repeat_by(1) for x in items]
    return pl.concat_list(items)


def _create_map(e, ctx):
    pairs = [
        pl.struct(translate(e.args[i], ctx).alias("key"), translate(e.args[i + 1], ctx).alias("value"))
        for i in range(0, len(e.args), 2)
    ]
    return pl.concat_list(pairs)


def _coalesce(e, ctx):
    from ember.sql.analyzer import analyze

    dt = to_polars(analyze(e, ctx.attrs).dtype)
    return pl.coalesce([translate(a, ctx).cast(dt, strict=False) for a in e.args])


def _round(e, ctx):
    x, scale = _a(e, ctx), e.params[0]
    t = dtype_of(e.args[0], ctx)
    if isinstance(t, (T.IntegerType, T.LongType, T.ShortType, T.ByteType)):
        if scale >= 0:
            return x
        f = 10 ** (-scale)
        return ((x.cast(pl.Float64) / f).round(0, mode="half_away_from_zero") * f).cast(
            x.dtype if False else to_polars(t)
        )
    return x.round(scale, mode="half_away_from_zero")


def _bround(e, ctx):
    return _a(e, ctx).round(e.params[0], mode="half_to_even")


def _simple(fn):
    def f(e, ctx):
        return fn(*[translate(a, ctx) for a in e.args])

    return f


def _unsupported(name):
    def f(e, ctx):
        raise AnalysisException(f"ember does not implement {name} yet")

    return f


FUNCS = {
    "split": _split,
    "lower": _simple(lambda x: x.str.to_lowercase()),
    "upper": _simple(lambda x: x.str.to_uppercase()),
    "trim": _trim("both"),
    "ltrim": _trim("left"),
    "rtrim": _trim("right"),
    "initcap": _simple(lambda x: x.str.to_titlecase()),
    "reverse": _simple(lambda x: x.str.reverse()),
    "length": _simple(lambda x: x.str.len_chars().cast(pl.Int32)),
    "concat": _concat,
    "concat_ws": _concat_ws,
    "regexp_replace": _regexp_replace,
    "regexp_extract": _regexp_extract,
    "substring": _substring,
    "like": _like,
    "ilike": _ilike,
    "rlike": _rlike,
    "startswith": _str_pred("starts_with"),
    "endswith": _str_pred("ends_with"),
    "contains": _str_pred("contains"),
    "instr": lambda e, ctx: (_a(e, ctx).str.find(e.params[0], literal=True).fill_null(-1) + 1).cast(pl.Int32),
    "lpad": lambda e, ctx: _a(e, ctx).str.pad_start(e.params[0], e.params[1]).str.slice(0, e.params[0]),
    "rpad": lambda e, ctx: _a(e, ctx).str.pad_end(e.params[0], e.params[1]).str.slice(0, e.params[0]),
    "repeat": lambda e, ctx: (
        pl.concat_str([_a(e, ctx)] * max(e.params[0], 0)) if e.params[0] > 0 else pl.lit("")
    ),
    "md5": _simple(lambda x: x.map_batches(_md5, return_dtype=pl.String)),
    "hash": lambda e, ctx: _hash(e, ctx, "murmur3"),
    "xxhash64": lambda e, ctx: _hash(e, ctx, "xxhash64"),
    "size": _simple(lambda x: x.list.len().cast(pl.Int32)),
    "array_size": _simple(lambda x: x.list.len().cast(pl.Int32)),
    "array_contains": lambda e, ctx: _array_contains(_a(e, ctx), _a(e, ctx, 1)),
    "array_join": lambda e, ctx: _a(e, ctx).list.eval(pl.element().drop_nulls()).list.join(e.params[0]),
    "array_distinct": _simple(lambda x: x.list.unique(maintain_order=True)),
    "sort_array": lambda e, ctx: _a(e, ctx).list.sort(descending=not e.params[0], nulls_last=not e.params[0]),
    "element_at": lambda e, ctx: _a(e, ctx).list.get(_a(e, ctx, 1) - 1, null_on_oob=True),
    "struct": _struct,
    "array": _array,
    "create_map": _create_map,
    "coalesce": _coalesce,
    "greatest": lambda e, ctx: pl.max_horizontal([translate(a, ctx) for a in e.args]),
    "least": lambda e, ctx: pl.min_horizontal([translate(a, ctx) for a in e.args]),
    "isnan": _simple(lambda x: x.is_nan().fill_null(False)),
    "nanvl": _simple(lambda x, y: pl.when(x.is_nan()).then(y).otherwise(x)),
    "abs": _simple(lambda x: x.abs()),
    "round": _round,
    "bround": _bround,
    "sqrt": _simple(lambda x: x.cast(pl.Float64).sqrt()),
    "exp": _simple(lambda x: x.cast(pl.Float64).exp()),
    "log": _simple(lambda x: pl.when(x > 0).then(x.cast(pl.Float64).log())),
    "pow": _simple(lambda x, y: x.cast(pl.Float64).pow(y.cast(pl.Float64))),
    "floor": _simple(lambda x: x.cast(pl.Float64).floor().cast(pl.Int64)),
    "ceil": _simple(lambda x: x.cast(pl.Float64).ceil().cast(pl.Int64)),
    "signum": _simple(lambda x: x.cast(pl.Float64).sign()),
    "monotonically_increasing_id": lambda e, ctx: pl.int_range(pl.len(), dtype=pl.Int64),
    "spark_partition_id": lambda e, ctx: pl.lit(0, dtype=pl.Int32),
    "current_timestamp": _current_timestamp,
    "current_date": _current_date,
    "to_timestamp": _to_timestamp,
    "to_date": _to_date,
    "date_format": _date_format,
    "unix_timestamp": _unix_timestamp,
    "from_unixtime": _from_unixtime,
    "year": _field("year"),
    "month": _field("month"),
    "dayofmonth": _field("day"),
    "hour": _field("hour"),
    "minute": _field("minute"),
    "second": _field("second"),
    "dayofyear": _field("ordinal_day"),
    "dayofweek": _dayofweek,
    "window": _window,
    "window_time": _window_time,
    "date_add": _date_add(1),
    "date_sub": _date_add(-1),
    "datediff": _datediff,
    "session_window": _unsupported("session_window outside groupBy"),
}
FUNCS.update(MORE_FUNCS)  # the functions added by family (exec_more)


def _array_contains(arr: pl.Expr, value: pl.Expr) -> pl.Expr:
    # Spark: no match but a null element -> NULL
    hit = arr.list.contains(value)
    has_null = arr.list.eval(pl.element().is_null().any()).list.first()
    return (
        pl.when(arr.is_null() | value.is_null())
        .then(None)
        .when(hit)
        .then(True)
        .when(has_null)
        .then(None)
        .otherwise(False)
    )


def _hash(e, ctx, algo: str) -> pl.Expr:
    from ember.sql.exec_hash import hash_expr

    return hash_expr(e, ctx, algo)


def _md5(s: pl.Series) -> pl.Series:
    import hashlib

    return pl.Series(
        [None if v is None else hashlib.md5(v.encode()).hexdigest() for v in s.to_list()], dtype=pl.String
    )


# -- aggregates --------------------------------------------------------------------------------
def aggregate(e: E.AggFunc, ctx: Ctx) -> pl.Expr:
    name = e.name
    more = MORE_AGGS.get(name)
    if more is not None:
        return more(e, ctx)
    if name == "count":
        if e.distinct:
            if len(e.args) == 1:
                return translate(e.args[0], ctx).drop_nulls().n_unique().cast(pl.Int64)
            cols = [translate(a, ctx).alias(f"a{i}") for i, a in enumerate(e.args)]
            ok = pl.all_horizontal([c.is_not_null() for c in cols])
            return pl.struct(cols).filter(ok).n_unique().cast(pl.Int64)
        a = e.args[0]
        if isinstance(a, E.Literal) and a.value is not None:
            return pl.len().cast(pl.Int64)
        return translate(a, ctx).count().cast(pl.Int64)
    x = translate(e.args[0], ctx)
    if e.distinct:
        x = x.unique()
    t = dtype_of(e.args[0], ctx)
    if name == "sum":
        out = T.LongType() if isinstance(t, (T.IntegerType, T.LongType, T.ShortType, T.ByteType)) else None
        s = (
            x.cast(to_polars(out)).sum()
            if out is not None
            else x.cast(pl.Float64).sum()
            if not isinstance(t, T.DecimalType)
            else x.sum()
        )
        if out is not None and ctx.ansi:
            # ANSI: a long sum that overflows fails; checked on a double-precision twin after grouping
            ctx.agg_checks.append(x.cast(pl.Float64).sum())
        return pl.when(x.count() > 0).then(s)
    if name in ("avg", "mean"):
        if isinstance(t, T.DecimalType):
            return _decimal_mean(x, t)
        return x.cast(pl.Float64).mean()
    if name == "min":
        return x.min()
    if name == "max":
        return x.max()
    if name in ("first", "last", "any_value"):
        ignore = e.params[0] if e.params else False
        y = x.drop_nulls() if ignore else x
        return y.last() if name == "last" else y.first()
    if name in ("collect_list", "collect_set"):
        y = x.drop_nulls()
        if name == "collect_set":
            y = y.unique(maintain_order=True)
        return y.implode() if not ctx.grouped else y
    if name == "approx_count_distinct":
        return x.drop_nulls().n_unique().cast(pl.Int64)
    if name in ("stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop"):
        return _variance(x, 0 if name.endswith("_pop") else 1, name.startswith("stddev"))
    raise AnalysisException(f"ember does not implement the aggregate {name}")


def _decimal_mean(x: pl.Expr, t) -> pl.Expr:
    """Exact decimal average at Spark's result scale, rounded half up as Spark rounds decimals."""
    precision, scale = min(38, t.precision + 4), min(38, t.scale + 4)
    # one spare digit, truncated by the division, then half-up rounding: exact for HALF_UP
    total = x.sum().cast(pl.Decimal(38, min(38, scale + 1)))
    mean = (total / x.count().cast(pl.Decimal(38, 0))).round(scale, mode="half_away_from_zero")
    return pl.when(x.count() > 0).then(mean.cast(pl.Decimal(precision, scale)))


def _variance(x: pl.Expr, ddof: int, root: bool) -> pl.Expr:
    """Two-pass (mean-centred) variance: the same rounding as Spark's central moments."""
    y = x.cast(pl.Float64)
    n = y.count()
    var = ((y - y.mean()) ** 2).sum() / (n - ddof)
    out = var.sqrt() if root else var
    return pl.when(n > ddof).then(out)
