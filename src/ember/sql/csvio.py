"""CSV as Spark reads and writes it: ``"`` quotes, ``\\`` escapes, empty field = NULL, ``""`` = empty
string on write, type inference int -> bigint -> double -> boolean -> string (execution layer)."""

from __future__ import annotations

import csv

import polars as pl

from ember.sql import types as T


def _options(options: dict) -> dict:
    low = {k.lower(): v for k, v in options.items()}
    return {
        "sep": low.get("sep", low.get("delimiter", ",")),
        "quote": low.get("quote", '"'),
        "escape": low.get("escape", "\\"),
        "header": str(low.get("header", "false")).lower() == "true",
        "null": low.get("nullvalue", ""),
        "infer": str(low.get("inferschema", "false")).lower() == "true",
    }


def read_rows(files: list[str], options: dict) -> tuple[list[str] | None, list[list]]:
    """(header names or None, rows of strings/None)."""
    o = _options(options)
    header, rows = None, []
    for f in files:
        with open(f, newline="", encoding="utf-8") as fh:
            reader = csv.reader(
                fh, delimiter=o["sep"], quotechar=o["quote"], escapechar=o["escape"], doublequote=False
            )
            first = True
            for rec in reader:
                if first and o["header"]:
                    header = header or rec
                    first = False
                    continue
                first = False
                rows.append([None if v == o["null"] else v for v in rec])
    return header, rows


def _column_type(values: pl.Series):
    s = values.drop_nulls()
    if len(s) == 0:
        return T.StringType()
    stripped = s.str.strip_chars()
    as_int = stripped.cast(pl.Int64, strict=False)
    if as_int.null_count() == 0:
        if as_int.min() >= -(2**31) and as_int.max() < 2**31:
            return T.IntegerType()
        return T.LongType()
    if stripped.cast(pl.Float64, strict=False).null_count() == 0:
        return T.DoubleType()
    if stripped.str.to_lowercase().is_in(["true", "false"]).all():
        return T.BooleanType()
    if stripped.str.contains(r"^\d{4}-\d{1,2}-\d{1,2}$").all():
        return T.DateType()
    from ember.sql.timeparse import parse_timestamp

    if pl.select(parse_timestamp(pl.lit(stripped), "UTC").is_not_null().all()).item():
        return T.TimestampType()
    return T.StringType()


def infer_schema(files: list[str], options: dict):
    o = _options(options)
    header, rows = read_rows(files, options)
    width = max([len(header or [])] + [len(r) for r in rows]) if (rows or header) else 0
    names = list(header) if header else [f"_c{i}" for i in range(width)]
    fields = []
    for i, name in enumerate(names):
        dtype = T.StringType()
        if o["infer"]:
            dtype = _column_type(pl.Series([r[i] if i < len(r) else None for r in rows], dtype=pl.String))
        fields.append(T.StructField(name, dtype, True))
    return T.StructType(fields)


def _fast_text(files: list[str], options: dict, names: list[str]) -> pl.DataFrame | None:
    """The fields as text by Polars' CSV reader, or None where it could split differently from
    :func:`read_rows`: only input with no quote, escape, ``\r``, NUL or blank line, and exactly
    ``len(names)`` fields on every line, is a plain split on the separator for both."""
    o = _options(options)
    sep, quote, escape = o["sep"], o["quote"], o["escape"]
    if not names or not isinstance(o["null"], str) or not all(
            isinstance(c, str) and len(c.encode("utf-8")) == 1 for c in (sep, quote, escape)):
        return None
    chunks = []
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read()
        if o["header"]:  # each file's first line is its header
            cut = data.find(b"\n")
            data = b"" if cut < 0 else data[cut + 1:]
        if data and not data.endswith(b"\n"):
            data += b"\n"
        chunks.append(data)
    blob = b"".join(chunks)
    if not blob:
        return None
    if any(c.encode() in blob for c in (quote, escape, "\r", "\x00")) or blob.startswith(b"\n") \
            or b"\n\n" in blob:
        return None
    if blob.count(sep.encode()) != blob.count(b"\n") * (len(names) - 1):
        return None  # a line with too few or too many fields: read_rows' padding rules
    try:
        frame = pl.read_csv(blob, has_header=False, separator=sep, quote_char=None,
                            schema={n: pl.String for n in names}, empty_string_is_null=False)
    except Exception:  # invalid UTF-8, ragged lines: read_rows decides (and raises as before)
        return None
    null = o["null"]
    return frame.select(pl.when(pl.col(n) != null).then(pl.col(n)).alias(n) for n in names)


def read_frame(files: list[str], options: dict, schema, tz: str) -> pl.DataFrame:
    from ember.sql.exec_expr import cast
    from ember.sql.timeparse import parse_timestamps

    fields = schema.fields
    names = [f"c{i}" for i in range(len(fields))]
    unique = len({f.name for f in fields}) == len(fields)
    df = _fast_text(files, options, names) if unique else None
    if df is not None:
        df.columns = [f.name for f in fields]
    else:
        _, rows = read_rows(files, options)
        cols = {}
        for i, f in enumerate(fields):
            cols[f.name] = pl.Series(f.name, [r[i] if i < len(r) else None for r in rows], dtype=pl.String)
        df = pl.DataFrame(cols) if fields else pl.DataFrame()
    # timestamps by the cast's rules, natively for the common ISO shapes (the cast's expression runs
    # Spark's full rules on every row)
    stamps = {f.name: parse_timestamps(df.get_column(f.name), tz)
              for f in fields if unique and type(f.dataType) is T.TimestampType}
    return df.select(
        [
            pl.lit(stamps[f.name]).alias(f.name) if f.name in stamps
            else cast(pl.col(f.name), T.StringType(), f.dataType, tz).alias(f.name)
            if not isinstance(f.dataType, T.StringType)
            else pl.col(f.name)
            for f in fields
        ]
    )


def _field(value, sep: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text == "":
        return '""'
    if any(ch in text for ch in (sep, '"', "\n", "\r")) or text != text.strip():
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def write(path: str, names: list[str], rows: list[tuple], options: dict) -> None:
    o = _options(options)
    sep = o["sep"]
    with open(path, "w", encoding="utf-8") as fh:
        if o["header"]:
            fh.write(sep.join(names) + "\n")
        for r in rows:
            fh.write(sep.join(_field(v, sep) for v in r) + "\n")
