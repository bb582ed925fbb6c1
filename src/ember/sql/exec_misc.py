"""Misc functions added by family: ``try_divide``/``try_mod``, ``typeof``, ``rand``/``randn``,
``date_add`` with a column of days, and the aggregates ``listagg``/``string_agg`` and ``mode``."""

from __future__ import annotations

import random

import polars as pl

from ember.sql import expressions as E
from ember.sql.exec_expr import Ctx, dtype_of, translate


def _try(op: str):
    """``a op b`` that gives null where Spark's ANSI mode would fail (a zero divisor)."""

    def f(e: E.Func, ctx: Ctx) -> pl.Expr:
        binop = E.BinOp(op, e.args[0], e.args[1])
        # the operands keep their own checks; only the operation itself is tolerant
        for a in e.args:
            ctx.subst[id(a)] = translate(a, ctx)
        ansi, ctx.ansi = ctx.ansi, False
        try:
            return translate(binop, ctx)
        finally:
            ctx.ansi = ansi
            for a in e.args:
                ctx.subst.pop(id(a), None)

    return f


_BOUNDS = {pl.Int8: 7, pl.Int16: 15, pl.Int32: 31, pl.Int64: 63}


def _try_exact(op: str):
    """``a op b``, null where an integral result overflows its type (and where ANSI would fail)."""

    def f(e: E.Func, ctx: Ctx) -> pl.Expr:
        from ember.sql.analyzer import analyze
        from ember.sql.dtypes import to_polars

        pt = to_polars(analyze(e, ctx.attrs).dtype)
        if pt not in _BOUNDS:
            return _try(op)(e, ctx)
        a, b = (translate(x, ctx).cast(pl.Int128) for x in e.args)
        exact = a + b if op == "+" else a - b if op == "-" else a * b
        bits = _BOUNDS[pt]
        return pl.when(exact.is_between(-(2**bits), 2**bits - 1)).then(exact.cast(pt))

    return f


def _try_to_date(e, ctx):
    from ember.sql.exec_funcs import FUNCS as BUILTINS

    return BUILTINS["to_date"](E.Func("to_date", e.args, e.params), ctx)


def _bits(method: str):
    def f(e, ctx):
        x = translate(e.args[0], ctx)
        return pl.when(x.count() > 0).then(getattr(x.drop_nulls(), method)())

    return f


def _translate(e, ctx):
    """Each character of ``matching`` replaced by the one at its place in ``replace`` (removed when
    ``replace`` is shorter); the first mapping of a repeated character wins."""
    from ember.sql.exec_strings import text

    matching, replace = e.params
    x = text(e, ctx)
    mapping: dict[str, str] = {}
    for i, ch in enumerate(matching):
        mapping.setdefault(ch, replace[i] if i < len(replace) else "")
    # through private-use stand-ins, so a replacement is never replaced again
    marks = {ch: chr(0xF0000 + i) for i, ch in enumerate(mapping)}
    for ch, mark in marks.items():
        x = x.str.replace_all(ch, mark, literal=True)
    for ch, mark in marks.items():
        x = x.str.replace_all(mark, mapping[ch], literal=True)
    return x


def _trim(side: str):
    def f(e, ctx):
        from ember.sql.exec_strings import literal, text

        x = text(e, ctx)
        chars = literal(e, 1) if len(e.args) > 1 else " "
        if not isinstance(chars, str):
            chars = text(e, ctx, 1)
        strip = {"both": x.str.strip_chars, "left": x.str.strip_chars_start, "right": x.str.strip_chars_end}
        return strip[side](chars)

    return f


_PARTS = {
    **dict.fromkeys(("YEAR", "Y", "YEARS", "YR", "YRS"), "year"),
    **dict.fromkeys(("MONTH", "MON", "MONS", "MONTHS"), "month"),
    **dict.fromkeys(("DAY", "D", "DAYS"), "day"),
    **dict.fromkeys(("HOUR", "H", "HOURS", "HR", "HRS"), "hour"),
    **dict.fromkeys(("MINUTE", "M", "MIN", "MINS", "MINUTES"), "minute"),
    **dict.fromkeys(("SECOND", "S", "SEC", "SECONDS", "SECS"), "second"),
    **dict.fromkeys(("DAYOFWEEK", "DOW"), "dow"),
    **dict.fromkeys(("DAYOFWEEK_ISO", "DOW_ISO"), "dow_iso"),
    "DOY": "doy",
    **dict.fromkeys(("WEEK", "W", "WEEKS"), "week"),
    **dict.fromkeys(("QUARTER", "QTR"), "quarter"),
}


def _extract(e, ctx):
    from ember.sql.exec_dates import wall

    part = _PARTS.get(e.params[0].upper())
    if part is None:
        from ember.errors import AnalysisException

        raise AnalysisException(
            f"[INVALID_EXTRACT_FIELD] Cannot extract {e.params[0]} from "
            f"\"{dtype_of(e.args[1], ctx).simpleString().upper()}\". SQLSTATE: 42601",
            errorClass="INVALID_EXTRACT_FIELD",
        )
    w = wall(E.Func("extract", (e.args[1],)), ctx)
    if part == "second":
        micros = w.dt.microsecond().cast(pl.String).str.pad_start(6, "0")
        return pl.format("{}.{}", w.dt.second(), micros).cast(pl.Decimal(8, 6))
    value = {
        "year": w.dt.year(),
        "month": w.dt.month(),
        "day": w.dt.day(),
        "hour": w.dt.hour(),
        "minute": w.dt.minute(),
        "dow": w.dt.weekday() % 7 + 1,
        "dow_iso": w.dt.weekday(),
        "doy": w.dt.ordinal_day(),
        "week": w.dt.week(),
        "quarter": w.dt.quarter(),
    }[part]
    return value.cast(pl.Int32)


def _assert_true(e, ctx):
    from ember import errors
    from ember.sql.analyzer import analyze
    from ember.sql.ansi import Check

    x = translate(e.args[0], ctx)
    if len(e.args) > 1:
        message = translate(e.args[1], ctx).cast(pl.String)
    else:
        message = pl.lit(f"'{analyze(e.args[0], ctx.attrs).name}' is not true!")

    def fail(text) -> Exception:
        return errors.SparkRuntimeException(
            f"{text} SQLSTATE: P0001",
            errorClass="USER_RAISED_EXCEPTION",
            messageParameters={"errorMessage": text},
        )

    ctx.checks.append(Check(~x.fill_null(False), message, fail))
    return pl.lit(None)


def _user(e, ctx):
    import getpass

    return pl.lit(getpass.getuser(), dtype=pl.String)


def _typeof(e, ctx):
    return pl.lit(dtype_of(e.args[0], ctx).simpleString(), dtype=pl.String)


def _random(normal: bool):
    def f(e, ctx):
        import numpy as np

        seed = e.params[0]

        def draw(s: pl.Series, *_a, **_k) -> pl.Series:
            # one generator per batch, seeded: the same seed gives the same column
            rng = np.random.default_rng(seed if seed is not None else random.getrandbits(63))
            values = rng.standard_normal(len(s)) if normal else rng.random(len(s))
            return pl.Series(values, dtype=pl.Float64)

        return pl.int_range(pl.len()).map_batches(draw, return_dtype=pl.Float64)

    return f


def _date_add(sign: int):
    def f(e, ctx):
        from ember.sql.exec_dates import date_of

        d = date_of(e, ctx)
        days = pl.lit(e.params[0]) if e.params else translate(e.args[1], ctx)
        days = days.cast(pl.Int64) * sign
        return pl.when(days.is_null()).then(None).otherwise(d + pl.duration(days=days))

    return f


FUNCS = {
    "try_divide": _try("/"),
    "try_mod": _try("%"),
    "typeof": _typeof,
    "rand": _random(False),
    "randn": _random(True),
    "date_add": _date_add(1),
    "dateadd": _date_add(1),
    "date_sub": _date_add(-1),
    "try_add": _try_exact("+"),
    "try_subtract": _try_exact("-"),
    "try_multiply": _try_exact("*"),
    "try_to_date": _try_to_date,
    "bit_count": lambda e, ctx: translate(e.args[0], ctx).cast(pl.Int64).bitwise_count_ones().cast(pl.Int32),
    "translate": _translate,
    "trim": _trim("both"),
    "ltrim": _trim("left"),
    "rtrim": _trim("right"),
    "extract": _extract,
    "current_schema": lambda e, ctx: pl.lit("default", dtype=pl.String),
    "current_catalog": lambda e, ctx: pl.lit("spark_catalog", dtype=pl.String),
    "current_user": _user,
    "user": _user,
    "session_user": _user,
    "assert_true": _assert_true,
}


def _listagg(e, ctx):
    x = translate(e.args[0], ctx).cast(pl.String).drop_nulls()
    sep = e.args[1].value if len(e.args) > 1 and isinstance(e.args[1], E.Literal) else None
    return pl.when(x.count() > 0).then(x.str.join(sep or ""))


def _mode(e, ctx):
    x = translate(e.args[0], ctx).drop_nulls()
    return pl.when(x.count() > 0).then(x.mode().sort().first())


AGGS = {
    "listagg": _listagg,
    "string_agg": _listagg,
    "mode": _mode,
    "bit_and": _bits("bitwise_and"),
    "bit_or": _bits("bitwise_or"),
    "bit_xor": _bits("bitwise_xor"),
}
