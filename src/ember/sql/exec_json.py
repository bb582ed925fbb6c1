"""JSON functions as Polars expressions: ``from_json``, ``to_json``, ``get_json_object``.

``from_json`` reads a batch of strings the way ``spark.read.json`` reads lines (``jsonscan.read_fast``:
Polars' NDJSON reader, checked against Spark's rules; ``jsonrules`` for what it cannot vouch for), so a
value the schema refuses is null in its field, and a malformed string gives a struct of nulls.
``to_json`` builds the text with string expressions, Spark's formats (doubles as Java prints them,
timestamps ``yyyy-MM-dd'T'HH:mm:ss.SSSXXX`` in the session zone, null fields left out).
"""

from __future__ import annotations

import polars as pl

from ember.sql import expressions as E
from ember.sql import types as T
from ember.sql.dtypes import to_polars
from ember.sql.exec_expr import Ctx, dtype_of, to_wall, translate


# -- from_json ---------------------------------------------------------------------------------------
def _from_json(e: E.Func, ctx: Ctx) -> pl.Expr:
    schema, options = e.params
    options = dict(options)
    tz = ctx.tz
    out_type = to_polars(schema)

    def run(s: pl.Series, *_args, **_kwargs) -> pl.Series:
        return parse_batch(s, schema, options, tz, out_type)

    return translate(e.args[0], ctx).map_batches(run, return_dtype=out_type)


def parse_batch(s: pl.Series, schema: T.StructType, options: dict, tz: str, out_type) -> pl.Series:
    """Each string of ``s`` as a struct of ``schema`` (null for null or blank text)."""
    from ember.sql import jsonrules, jsonscan

    text = s.cast(pl.String)
    keep = text.is_not_null() & (text.str.strip_chars() != "")
    idx = keep.arg_true()
    if len(idx) == 0:
        return pl.Series(s.name, [None] * len(s), dtype=out_type)
    # one record per line: line breaks are only whitespace between JSON tokens; a top-level array is
    # not a record for from_json (a struct of nulls), so it stands in as an empty object
    lines = text.gather(idx).str.replace_all(r"[\r\n]", " ").str.strip_chars()
    arrays = lines.str.starts_with("[").arg_true()
    if len(arrays):
        lines = lines.scatter(arrays, "{}")
    fields = schema.fields
    frame = None
    simple = jsonrules.corrupt_column(schema, options) is None and jsonscan.fast_options(options)
    if simple and fields and all(type(f.dataType) in jsonscan._FAST for f in fields):
        frame = jsonscan.read_fast(("\n".join(lines.to_list())).encode("utf-8"), schema, tz)
    if frame is None or frame.height != len(idx):
        frame = jsonrules.read_lines(lines.to_list(), schema, options, tz)
    values = pl.DataFrame(
        [frame.to_series(i).alias(f.name) for i, f in enumerate(fields)], height=len(idx)
    ).to_struct(s.name)
    # row i takes parsed value number (rows kept before it); a null position gives a null struct
    at = pl.select(pl.when(keep).then(keep.cast(pl.Int64).cum_sum() - 1)).to_series()
    return values.cast(out_type).gather(at).alias(s.name)


# -- to_json -----------------------------------------------------------------------------------------
_ESCAPES = [("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"), ("\b", "\\b"),
            ("\f", "\\f")]  # fmt: skip


def _quoted(x: pl.Expr) -> pl.Expr:
    for a, b in _ESCAPES:
        x = x.str.replace_all(a, b, literal=True)
    return pl.concat_str([pl.lit('"'), x, pl.lit('"')])


def json_text(x: pl.Expr, t, tz: str) -> pl.Expr:
    """The JSON text of ``x`` (of Spark type ``t``); null where ``x`` is null."""
    from ember.sql.exec_expr import cast

    if isinstance(t, T.StringType):
        return _quoted(x)
    if isinstance(t, T.BooleanType):
        return pl.when(x).then(pl.lit("true")).when(~x).then(pl.lit("false"))
    if isinstance(t, (T.DoubleType, T.FloatType)):
        special = x.is_nan() | x.is_infinite()
        shown = cast(x, t, T.StringType(), tz)
        return pl.when(special).then(pl.concat_str([pl.lit('"'), shown, pl.lit('"')])).otherwise(shown)
    if isinstance(t, (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.DecimalType)):
        return cast(x, t, T.StringType(), tz)
    if isinstance(t, T.DateType):
        return pl.concat_str([pl.lit('"'), x.dt.strftime("%Y-%m-%d"), pl.lit('"')])
    if isinstance(t, T.TimestampType):
        return _quoted(_timestamp_text(x, tz))
    if isinstance(t, T.StructType):
        parts = [
            _member(x, f, tz)
            for f in t.fields
        ]
        body = pl.concat_str(parts, separator=",", ignore_nulls=True) if parts else pl.lit("")
        return pl.when(x.is_not_null()).then(pl.concat_str([pl.lit("{"), body.fill_null(""), pl.lit("}")]))
    if isinstance(t, T.ArrayType):
        items = x.list.eval(json_text(pl.element(), t.elementType, tz).fill_null("null"))
        return pl.concat_str([pl.lit("["), items.list.join(","), pl.lit("]")])
    if isinstance(t, T.MapType):
        entry = pl.concat_str(
            [
                _quoted(cast(pl.element().struct.field("key"), t.keyType, T.StringType(), tz)),
                pl.lit(":"),
                json_text(pl.element().struct.field("value"), t.valueType, tz).fill_null("null"),
            ]
        )
        return pl.concat_str([pl.lit("{"), x.list.eval(entry).list.join(","), pl.lit("}")])
    return _quoted(cast(x, t, T.StringType(), tz))


def _member(x: pl.Expr, f, tz: str) -> pl.Expr:
    value = json_text(x.struct.field(f.name), f.dataType, tz)
    return pl.concat_str([pl.lit(_json_name(f.name) + ":"), value])


def _json_name(name: str) -> str:
    import json

    return json.dumps(name, ensure_ascii=False)


def _timestamp_text(x: pl.Expr, tz: str) -> pl.Expr:
    zoned = x.dt.replace_time_zone("UTC").dt.convert_time_zone(tz) if tz not in ("UTC", "Z") else None
    if zoned is None:
        return x.dt.strftime("%Y-%m-%dT%H:%M:%S%.3f") + pl.lit("Z")
    wall = to_wall(x, tz).dt.strftime("%Y-%m-%dT%H:%M:%S%.3f")
    offset = zoned.dt.strftime("%:z")
    return pl.concat_str([wall, pl.when(offset == "+00:00").then(pl.lit("Z")).otherwise(offset)])


def _to_json(e: E.Func, ctx: Ctx) -> pl.Expr:
    return json_text(translate(e.args[0], ctx), dtype_of(e.args[0], ctx), ctx.tz)


# -- get_json_object ---------------------------------------------------------------------------------
def _get_json_object(e: E.Func, ctx: Ctx) -> pl.Expr:
    return translate(e.args[0], ctx).str.json_path_match(e.params[0])


FUNCS = {
    "from_json": _from_json,
    "to_json": _to_json,
    "get_json_object": _get_json_object,
}
