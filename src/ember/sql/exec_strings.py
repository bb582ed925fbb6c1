"""String functions added by family (``lcase``, ``left``, ``split_part``, ``regexp_count``, ...) as Polars
expressions. Non-string inputs are cast to text first, as Spark casts them implicitly.
"""

from __future__ import annotations

import polars as pl

from ember.sql import expressions as E
from ember.sql import types as T
from ember.sql.exec_expr import Ctx, cast, dtype_of, translate

_NONE = object()


def text(e: E.Func, ctx: Ctx, i: int = 0) -> pl.Expr:
    """Argument ``i`` as a string expression."""
    t = dtype_of(e.args[i], ctx)
    x = translate(e.args[i], ctx)
    if isinstance(t, (T.StringType, T.NullType)):
        return x.cast(pl.String) if isinstance(t, T.NullType) else x
    return cast(x, t, T.StringType(), ctx.tz)


def literal(e: E.Func, i: int):
    """The value of argument ``i`` when it is a literal, else ``_NONE``."""
    a = e.args[i] if i < len(e.args) else None
    return a.value if isinstance(a, E.Literal) else _NONE


def number(e: E.Func, ctx: Ctx, i: int) -> pl.Expr:
    return translate(e.args[i], ctx).cast(pl.Int64)


def _regex(e: E.Func, i: int, name: str) -> str:
    from ember.errors import AnalysisException
    from ember.sql.exec_funcs import java_regex

    value = literal(e, i)
    if not isinstance(value, str):
        raise AnalysisException(f"ember's {name} needs a literal pattern, such as lit('...')")
    return java_regex(value)


def _rlike(e, ctx):
    from ember.sql.exec_funcs import FUNCS

    return FUNCS["rlike"](e, ctx)


def substring(x: pl.Expr, pos: pl.Expr, length: pl.Expr) -> pl.Expr:
    """Spark's substring with expression arguments: 1-based ``pos`` (0 acts as 1, negative counts from
    the end), characters before the start use up ``length``, a negative ``length`` gives ``""``."""
    n = x.str.len_chars().cast(pl.Int64)
    start = pl.when(pos > 0).then(pos - 1).when(pos < 0).then(n + pos).otherwise(0)
    s0 = pl.max_horizontal(start, 0)
    e0 = pl.min_horizontal(start + length, n)
    size = pl.max_horizontal(e0 - s0, 0)
    out = x.str.slice(pl.min_horizontal(s0, n), size)
    return pl.when(pos.is_null() | length.is_null()).then(None).otherwise(out)


def _left(e, ctx):
    x, n = text(e, ctx), number(e, ctx, 1)
    return (
        pl.when(x.is_null() | n.is_null())
        .then(None)
        .when(n <= 0)
        .then(pl.lit(""))
        .otherwise(x.str.slice(0, pl.max_horizontal(n, 0)))
    )


def _right(e, ctx):
    x, n = text(e, ctx), number(e, ctx, 1)
    size = x.str.len_chars().cast(pl.Int64)
    start = pl.max_horizontal(size - n, 0)
    return pl.when(x.is_null() | n.is_null()).then(None).when(n <= 0).then(pl.lit("")).otherwise(
        x.str.slice(start)
    )


def _substr(e, ctx):
    return substring(text(e, ctx), number(e, ctx, 1), number(e, ctx, 2))


def _btrim(e, ctx):
    x = text(e, ctx)
    if len(e.args) == 1:
        return x.str.strip_chars(" ")
    chars = literal(e, 1)
    if isinstance(chars, str):
        return x.str.strip_chars(chars) if chars else x
    return x.str.strip_chars(text(e, ctx, 1))


def _locate(e, ctx):
    """1-based position of ``sub`` in ``s`` at or after ``pos`` (0 when absent or ``pos`` < 1)."""
    sub, s, pos = text(e, ctx, 0), text(e, ctx, 1), number(e, ctx, 2)
    rest = s.str.slice(pl.max_horizontal(pos - 1, 0))
    # characters (not bytes) before the first occurrence: the length of the text ahead of it
    before = rest.str.splitn(sub, 2).struct.field("field_0").str.len_chars().cast(pl.Int64)
    found = pl.when(sub == "").then(0).when(rest.str.contains(sub, literal=True)).then(before)
    hit = (found + pos).cast(pl.Int32)
    return (
        pl.when(s.is_null() | sub.is_null() | pos.is_null())
        .then(None)
        .when(pos < 1)
        .then(pl.lit(0, dtype=pl.Int32))
        .otherwise(hit.fill_null(0))
    )


def _split_part(e, ctx):
    from ember.errors import SparkRuntimeException
    from ember.sql.ansi import Check

    x, delim, part = text(e, ctx), text(e, ctx, 1), number(e, ctx, 2)
    d = literal(e, 1)
    parts = x.str.split(d) if isinstance(d, str) and d else x.str.split(delim)
    # an empty delimiter leaves the whole string as the one part
    parts = pl.when(delim == "").then(pl.concat_list([x])).otherwise(parts)
    idx = pl.when(part > 0).then(part - 1).otherwise(part)
    got = parts.list.get(idx, null_on_oob=True).fill_null("")
    ctx.checks.append(Check(part == 0, None, _index_zero(SparkRuntimeException)))
    return pl.when(x.is_null() | delim.is_null() | part.is_null()).then(None).otherwise(got)


def _index_zero(cls):
    def make(_value):
        return cls(
            "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1). "
            "SQLSTATE: 22003",
            errorClass="INVALID_INDEX_OF_ZERO",
        )

    return make


def _substring_index(e, ctx):
    x = text(e, ctx)
    delim, count = e.params
    if not delim or count == 0:
        return pl.when(x.is_null()).then(None).otherwise(pl.lit(""))
    parts = x.str.split(delim, inclusive=False)
    kept = parts.list.head(count) if count > 0 else parts.list.tail(-count)
    return kept.list.join(delim)


def _replace(e, ctx):
    x, search = text(e, ctx), literal(e, 1)
    repl = literal(e, 2) if len(e.args) > 2 else ""
    if not isinstance(search, str) or not (isinstance(repl, str) or repl is None):
        # a pattern from a column: split on it and join with the replacement (both per row)
        by = text(e, ctx, 2) if len(e.args) > 2 else pl.lit("")
        what = text(e, ctx, 1)
        out = x.str.split(what).list.join(by)
        return pl.when(what == "").then(x).otherwise(out)
    if search == "":
        return x
    if repl is None:
        return pl.lit(None, dtype=pl.String)
    return x.str.replace_all(search, repl, literal=True)


def _regexp_count(e, ctx):
    return text(e, ctx).str.count_matches(_regex(e, 1, "regexp_count")).cast(pl.Int32)


def _regexp_substr(e, ctx):
    return text(e, ctx).str.extract(_regex(e, 1, "regexp_substr"), 0)


def _regexp_extract_all(e, ctx):
    pattern = _regex(e, 1, "regexp_extract_all")
    idx = literal(e, 2)
    x = text(e, ctx)
    matches = x.str.extract_all(pattern)
    if idx == 0:
        return matches
    # each whole match read again for its group: the same text the match was found in
    return matches.list.eval(pl.element().str.extract(pattern, idx).fill_null(""))


def _octets(e, ctx):
    return text(e, ctx).str.len_bytes().cast(pl.Int32)


def _format_number(e, ctx):
    """Known difference: the double is scaled by 10**d before rounding, so a value just below a tie in
    binary (2.675 is 2.67499...) can round up where Spark, rounding the exact binary value, rounds down."""
    d = e.params[0]
    if d < 0:
        return pl.lit(None, dtype=pl.String)
    x = translate(e.args[0], ctx).cast(pl.Float64)
    n = (x.abs() * 10**d).round(0, mode="half_to_even").cast(pl.Int128)
    whole = (n // 10**d).cast(pl.String)
    # thousands separators: every three digits from the right, on the reversed text
    grouped = whole.str.reverse().str.replace_all(r"(\d{3})", "${1},").str.strip_chars_end(",").str.reverse()
    parts = [pl.when(x < 0).then(pl.lit("-")).otherwise(pl.lit("")), grouped]
    if d > 0:
        parts += [pl.lit("."), (n % 10**d).cast(pl.String).str.pad_start(d, "0")]
    return pl.when(x.is_nan()).then(pl.lit("NaN")).otherwise(pl.concat_str(parts))


FUNCS = {
    "regexp_like": _rlike,
    "regexp": _rlike,
    "lcase": lambda e, ctx: text(e, ctx).str.to_lowercase(),
    "ucase": lambda e, ctx: text(e, ctx).str.to_uppercase(),
    "char_length": lambda e, ctx: text(e, ctx).str.len_chars().cast(pl.Int32),
    "character_length": lambda e, ctx: text(e, ctx).str.len_chars().cast(pl.Int32),
    "octet_length": _octets,
    "bit_length": lambda e, ctx: (_octets(e, ctx) * 8).cast(pl.Int32),
    "left": _left,
    "right": _right,
    "substr": _substr,
    "btrim": _btrim,
    "locate": _locate,
    "position": _locate,
    "split_part": _split_part,
    "substring_index": _substring_index,
    "replace": _replace,
    "regexp_count": _regexp_count,
    "regexp_substr": _regexp_substr,
    "regexp_extract_all": _regexp_extract_all,
    "format_number": _format_number,
}
