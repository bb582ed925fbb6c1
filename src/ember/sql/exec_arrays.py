"""Array and map functions added by family as Polars list expressions.

A map is a list of ``{key, value}`` structs. Comparing each element with a per-row value uses one list
with the value put in front (``pl.element().first()`` is then the row's value inside ``list.eval``),
so nothing leaves Polars.
"""

from __future__ import annotations

import polars as pl

from ember import errors
from ember.sql import expressions as E
from ember.sql.ansi import Check
from ember.sql.dtypes import to_polars
from ember.sql.exec_expr import Ctx, translate


def _args(e: E.Func, ctx: Ctx) -> list[pl.Expr]:
    return [translate(a, ctx) for a in e.args]


def _result(e: E.Func, ctx: Ctx):
    from ember.sql.analyzer import analyze

    return to_polars(analyze(e, ctx.attrs).dtype)


def _with_value(e, ctx) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """``(array, value, [value, *array])``: the value cast to the element type, in front of the array."""
    a, v = _args(e, ctx)
    element = _result_of_arg(e, ctx)
    v = v.cast(element, strict=False) if element is not None else v
    return a, v, pl.concat_list([pl.concat_list([v]), a])


def _result_of_arg(e, ctx):
    from ember.sql.analyzer import analyze
    from ember.sql.types import ArrayType

    t = analyze(e.args[0], ctx.attrs).dtype
    return to_polars(t.elementType) if isinstance(t, ArrayType) else None


_REST = pl.element().slice(1)
_VALUE = pl.element().first()


def _array_position(e, ctx):
    a, v, joined = _with_value(e, ctx)
    first = joined.list.eval((_REST == _VALUE).arg_true().first()).list.first()
    out = (first + 1).fill_null(0).cast(pl.Int64)
    return pl.when(a.is_null() | v.is_null()).then(None).otherwise(out)


def _array_remove(e, ctx):
    a, v, joined = _with_value(e, ctx)
    kept = joined.list.eval(_REST.filter(_REST.is_null() | (_REST != _VALUE)))
    return pl.when(a.is_null() | v.is_null()).then(None).otherwise(kept)


def _has_null(x: pl.Expr) -> pl.Expr:
    return x.list.eval(pl.element().is_null().any()).list.first()


def _arrays_overlap(e, ctx):
    a, b = _args(e, ctx)
    common = a.list.set_intersection(b).list.drop_nulls().list.len() > 0
    maybe = (a.list.len() > 0) & (b.list.len() > 0) & (_has_null(a) | _has_null(b))
    return (
        pl.when(a.is_null() | b.is_null())
        .then(None)
        .when(common)
        .then(True)
        .when(maybe)
        .then(None)
        .otherwise(False)
    )


def _append(front: bool):
    def f(e, ctx):
        a, v, _ = _with_value(e, ctx)
        joined = pl.concat_list([pl.concat_list([v]), a] if front else [a, pl.concat_list([v])])
        return pl.when(a.is_null()).then(None).otherwise(joined)

    return f


def _array_repeat(e, ctx):
    x, n = _args(e, ctx)
    n = n.cast(pl.Int64)
    return pl.when(n.is_null()).then(None).otherwise(x.repeat_by(pl.max_horizontal(n, 0)))


def _slice(e, ctx):
    x, start, length = (translate(a, ctx) for a in e.args)
    start, length = start.cast(pl.Int64), length.cast(pl.Int64)
    n = x.list.len().cast(pl.Int64)
    offset = pl.when(start > 0).then(start - 1).otherwise(n + start)
    ctx.check(x.is_not_null() & (start == 0), None, _slice_start)
    ctx.check(x.is_not_null() & (length < 0), length, _slice_length)
    # a start before the first element gives an empty array (Polars would clamp it)
    taken = x.list.slice(pl.max_horizontal(offset, 0), pl.max_horizontal(length, 0))
    return pl.when(offset >= 0).then(taken).otherwise(x.list.slice(0, 0))


def _slice_start(_value) -> Exception:
    return _bad_parameter("start", "Expects a positive or a negative value for `start`, but got 0")


def _slice_length(value) -> Exception:
    return _bad_parameter("length", f"Expects `length` greater than or equal to 0, but got {value}")


def _bad_parameter(name: str, message: str) -> Exception:
    return errors.SparkRuntimeException(
        f"The value of parameter(s) `{name}` in `slice` is invalid: {message}. SQLSTATE: 22023",
        errorClass=f"INVALID_PARAMETER_VALUE.{name.upper()}",
        messageParameters={"parameter": f"`{name}`", "functionName": "`slice`"},
    )


def _flatten(e, ctx):
    (x,) = _args(e, ctx)
    flat = x.list.eval(pl.element().explode())
    return pl.when(x.is_null() | _has_null(x)).then(None).otherwise(flat)


def _sequence(e, ctx):
    args = [a.cast(pl.Int64) for a in _args(e, ctx)]
    start, stop = args[0], args[1]
    step = args[2] if len(args) > 2 else pl.when(stop >= start).then(1).otherwise(-1)
    bad = (step == 0) | ((step > 0) & (start > stop)) | ((step < 0) & (start < stop))
    present = start.is_not_null() & stop.is_not_null() & step.is_not_null()
    # not an ANSI error: Spark raises it in every mode
    ctx.checks.append(Check(present & bad, pl.format("{} to {} by {}", start, stop, step), _bad_sequence))
    end = stop + pl.when(step > 0).then(1).otherwise(-1)
    ranges = pl.int_ranges(start, end, pl.when(bad).then(1).otherwise(step))
    return pl.when(present & ~bad).then(ranges).cast(_result(e, ctx))


def _bad_sequence(value) -> Exception:
    return errors.IllegalArgumentException(
        f"Illegal sequence boundaries: {value}", errorClass="_LEGACY_ERROR_TEMP_3243"
    )


def _get(e, ctx):
    a, i = _args(e, ctx)
    i = i.cast(pl.Int64)
    return pl.when(i >= 0).then(a.list.get(pl.max_horizontal(i, 0), null_on_oob=True))


def _try_element_at(e, ctx):
    a, i = _args(e, ctx)
    i = i.cast(pl.Int64)
    return pl.when(i != 0).then(a.list.get(pl.when(i > 0).then(i - 1).otherwise(i), null_on_oob=True))


def _map_field(name: str):
    def f(e, ctx):
        return translate(e.args[0], ctx).list.eval(pl.element().struct.field(name))

    return f


def _map_contains_key(e, ctx):
    m, k = _args(e, ctx)
    keys = m.list.eval(pl.element().struct.field("key"))
    return pl.when(m.is_null() | k.is_null()).then(None).otherwise(keys.list.contains(k))


def _map_from_arrays(e, ctx):
    keys, values = _args(e, ctx)

    def run(s: pl.Series) -> pl.Series:
        frame = s.struct.unnest().with_row_index("__r")
        if (frame["k"].list.len() != frame["v"].list.len()).any():
            raise errors.SparkRuntimeException(
                "The key array and value array of MapData must have the same length. SQLSTATE: 42000",
                errorClass="_LEGACY_ERROR_TEMP_2043",
            )
        pairs = (
            frame.filter(pl.col("k").list.len() > 0)
            .explode(["k", "v"])
            .group_by("__r", maintain_order=True)
            .agg(pl.struct(pl.col("k").alias("key"), pl.col("v").alias("value")).alias("m"))
        )
        out = frame.join(pairs, on="__r", how="left", maintain_order="left")
        empty = pl.col("k").is_not_null() & pl.col("v").is_not_null() & pl.col("m").is_null()
        return out.select(
            pl.when(pl.col("k").is_null() | pl.col("v").is_null())
            .then(None)
            .when(empty)
            .then(pl.col("m").list.slice(0, 0).fill_null(pl.lit([], dtype=out.schema["m"])))
            .otherwise(pl.col("m"))
        ).to_series()

    return pl.struct(keys.alias("k"), values.alias("v")).map_batches(run, return_dtype=_result(e, ctx))


def _named_struct(e, ctx):
    names = e.params[0]
    values = e.args[1::2]
    return pl.struct([translate(v, ctx).alias(n) for n, v in zip(names, values)])


FUNCS = {
    "cardinality": lambda e, ctx: translate(e.args[0], ctx).list.len().cast(pl.Int32),
    "array_max": lambda e, ctx: translate(e.args[0], ctx).list.max(),
    "array_min": lambda e, ctx: translate(e.args[0], ctx).list.min(),
    "array_position": _array_position,
    "array_remove": _array_remove,
    "array_compact": lambda e, ctx: translate(e.args[0], ctx).list.drop_nulls(),
    "array_union": lambda e, ctx: _set(e, ctx, "union"),
    "array_intersect": lambda e, ctx: _set(e, ctx, "intersection"),
    "array_except": lambda e, ctx: _set(e, ctx, "difference"),
    "arrays_overlap": _arrays_overlap,
    "array_append": _append(False),
    "array_prepend": _append(True),
    "array_repeat": _array_repeat,
    "array_sort": lambda e, ctx: translate(e.args[0], ctx).list.sort(nulls_last=True),
    "slice": _slice,
    "flatten": _flatten,
    "sequence": _sequence,
    "get": _get,
    "try_element_at": _try_element_at,
    "map_keys": _map_field("key"),
    "map_values": _map_field("value"),
    "map_entries": lambda e, ctx: translate(e.args[0], ctx),
    "map_contains_key": _map_contains_key,
    "map_from_arrays": _map_from_arrays,
    "named_struct": _named_struct,
}


def _set(e, ctx, op: str) -> pl.Expr:
    a, b = (x.cast(_result(e, ctx), strict=False) for x in _args(e, ctx))
    return getattr(a.list, f"set_{op}")(b)
