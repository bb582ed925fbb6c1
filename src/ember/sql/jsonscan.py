"""JSON lines for ``spark.read.json``: schema inference and reading.

The common case goes through Polars' NDJSON reader. Where Polars and Spark could disagree (a value
Polars would coerce or re-serialise, a type Spark infers differently, a malformed line) the read
falls back to parsing each line in Python with Spark's rules, so answers never depend on the path.
"""

from __future__ import annotations

import json

import polars as pl

from ember.sql import types as T
from ember.sql.dtypes import to_polars

# a string value that may be a number, boolean or object Polars turned into text
_COERCED = r"^(\s*[\[{]|-?[0-9]|true$|false$)"


# -- the Python path (Spark's rules, one line at a time) --------------------------------------------
def _json_merge(a, b):
    """Spark's JSON schema merge: numbers widen to double, structs merge by field, NULL gives way."""
    if isinstance(a, T.NullType):
        return b
    if isinstance(b, T.NullType):
        return a
    if type(a) is type(b) and not isinstance(a, (T.StructType, T.ArrayType)):
        return a
    nums = (T.LongType, T.DoubleType)
    if isinstance(a, nums) and isinstance(b, nums):
        return T.DoubleType()
    if isinstance(a, T.StructType) and isinstance(b, T.StructType):
        fields = {f.name: f.dataType for f in a.fields}
        for f in b.fields:
            fields[f.name] = _json_merge(fields[f.name], f.dataType) if f.name in fields else f.dataType
        return T.StructType([T.StructField(n, fields[n], True) for n in sorted(fields)])
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        return T.ArrayType(_json_merge(a.elementType, b.elementType), True)
    return T.StringType()


def _json_type(value):
    if isinstance(value, dict):
        return T.StructType([T.StructField(k, _json_type(v), True) for k, v in sorted(value.items())])
    if isinstance(value, list):
        inner = T.NullType()
        for v in value:
            inner = _json_merge(inner, _json_type(v))
        return T.ArrayType(inner if not isinstance(inner, T.NullType) else T.StringType(), True)
    if value is None:
        return T.NullType()
    if isinstance(value, bool):
        return T.BooleanType()
    if isinstance(value, int):
        return T.LongType()
    if isinstance(value, float):
        return T.DoubleType()
    return T.StringType()


def _records(files: list[str]):
    """Each line's top-level object; None for a line that is not one (Spark: a corrupt record)."""
    from ember.sql.jsonrules import split_lines

    for f in files:
        with open(f, "rb") as fh:
            lines = split_lines(fh.read())
        for line in lines:
            try:
                doc = json.loads(line)
            except ValueError:
                yield None
                continue
            if isinstance(doc, list) and doc and all(isinstance(d, dict) for d in doc):
                yield from doc
            else:
                yield doc if isinstance(doc, dict) else None


def _top_level(schema) -> T.StructType:
    return T.StructType([
        T.StructField(x.name, T.StringType() if isinstance(x.dataType, T.NullType) else x.dataType, True)
        for x in schema.fields
    ])


# -- the Polars path ---------------------------------------------------------------------------------
def _blob(files: list[str]) -> bytes:
    """The files' bytes end to end, each ending in a newline (a last line may lack one)."""
    chunks = []
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read()
        if data and not data.endswith(b"\n"):
            data += b"\n"
        chunks.append(data)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _read_polars(files: list[str]) -> pl.DataFrame | None:
    """All files as one NDJSON frame (types inferred over every line), or None where Polars refuses."""
    blob = _blob(files)
    if not blob.strip():
        return None
    try:
        return pl.read_ndjson(blob, infer_schema_length=None)
    except Exception:  # malformed or mixed-type input: Spark's rules decide, in Python
        return None


# -- the schema-first path: Polars parses, a few whole-input checks prove it parsed as Spark would ----
# Spark type -> the Polars dtype read_ndjson parses it as. Polars refuses (rather than converts) a
# number where a boolean or integer is declared, a fraction where an integer is, and malformed JSON:
# all of these raise and send the read to Spark's path. Only a declared *string* silently takes a
# number, boolean or object as text, which a regex over the input rules out.
_FAST = {T.StringType: pl.String, T.LongType: pl.Int64, T.IntegerType: pl.Int64, T.DoubleType: pl.Float64,
         T.BooleanType: pl.Boolean, T.TimestampType: pl.String}

# options that do not change how a line parses: file listing, streaming limits, inference-only
_NEUTRAL = frozenset({
    "path", "paths", "pathglobfilter", "recursivefilelookup", "modifiedbefore", "modifiedafter",
    "maxfilespertrigger", "maxbytespertrigger", "latestfirst", "filenameonly", "maxfileage", "cleansource",
    "sourcearchivedir", "samplingratio", "prefersdecimal", "dropfieldifallnull", "primitivesasstring",
    "inferschema", "ignorecorruptfiles", "ignoremissingfiles",
})
# options whose default value is what the Polars path implements (other values: Spark's path)
_DEFAULTS = {
    "mode": "permissive", "multiline": "false", "encoding": "utf-8", "charset": "utf-8",
    "allowcomments": "false", "allowunquotedfieldnames": "false", "allowsinglequotes": "true",
    "allownumericleadingzeros": "false", "allowbackslashescapinganycharacter": "false",
    "allownonnumericnumbers": "true", "allowunquotedcontrolchars": "false",
}

def fast_options(options: dict) -> bool:
    """True when no option asks for parsing the Polars reader does not do."""
    for k, v in options.items():
        key = k.lower()
        if key in _NEUTRAL or v is None:
            continue
        if key not in _DEFAULTS or str(v).strip().lower() != _DEFAULTS[key]:
            return False
    return True


def _literal(text: str) -> str:
    """``text`` as a regex matching itself (Rust's regex syntax: escape only its metacharacters)."""
    return "".join("\\" + ch if ch in "\\.+*?()|[]{}^$" else ch for ch in text)


def _key(name: str) -> str:
    return _literal(json.dumps(name, ensure_ascii=False)) + r"\s*:"


def _not_text(blob: bytes, text: pl.Series, name: str, occurrences: int) -> bool:
    """Whether some ``name`` key may hold a number, boolean or object (Polars would make it text)."""
    quoted = json.dumps(name, ensure_ascii=False).encode("utf-8")
    first = blob.find(quoted)
    if first < 0:
        return False
    # every occurrence a key followed by a string, in the layout the first one uses (Spark writes
    # ``"k":"v"``, Python's json ``"k": "v"``): counted at memchr speed, no regex needed
    layouts = [quoted + b':"', quoted + b': "']
    if blob.startswith(layouts[1], first):
        layouts.reverse()
    seen = 0
    for layout in layouts:
        seen += blob.count(layout)
        if seen == occurrences:
            return False
    return _matches(text, _key(name) + r'\s*[^"\sn]')


def _matches(text: pl.Series, pattern: str) -> bool:
    return bool(text.str.contains(pattern).item())


# an unpaired surrogate escape (Polars turns it into NUL) or a key written with an escape (\u0076alue
# is ``value`` for Polars, invisible to the byte counts below): one regex pass over the input
_ESCAPES = r'\\u[dD][89abAB]|\\.(?:[^"\\\n]|\\.)*"\s*:'


def read_fast(blob: bytes, schema, tz: str) -> pl.DataFrame | None:
    """``blob``'s JSON lines read by Polars, or None when Spark's rules could give another answer."""
    from ember.sql.timeparse import parse_timestamps

    fields = schema.fields
    if len({f.name for f in fields}) != len(fields):
        return None
    if b"\r" in blob and blob.count(b"\r") != blob.count(b"\r\n"):
        return None  # a lone \r ends a line for Spark (Hadoop's line reader), not for Polars
    try:  # the input as one string, for the regex checks (invalid UTF-8: Spark's rules decode it)
        text = pl.Series([blob]).cast(pl.String)
    except Exception:
        return None
    if b"\\" in blob and _matches(text, _ESCAPES):
        return None
    counts = {f.name: blob.count(json.dumps(f.name, ensure_ascii=False).encode("utf-8")) for f in fields}
    if any(isinstance(f.dataType, (T.StringType, T.TimestampType))
           and _not_text(blob, text, f.name, counts[f.name]) for f in fields):
        return None
    try:
        frame = pl.read_ndjson(blob, schema={f.name: _FAST[type(f.dataType)] for f in fields})
    except Exception:  # malformed, a value the declared type refuses: Spark's rules
        return None
    for f in fields:
        # a key given twice: Polars keeps the first value, Spark the last. Each row with a value has
        # its key at least once, so as many occurrences of the quoted name as values proves none is
        if counts[f.name] != frame.height - frame[f.name].null_count():
            if _matches(text, _key(f.name) + r"[^\n]*" + _key(f.name)):
                return None
    cols = []
    for i, f in enumerate(fields):
        col = frame.get_column(f.name)
        if isinstance(f.dataType, T.IntegerType):
            low, high = col.min(), col.max()
            if low is not None and (low < -(2**31) or high >= 2**31):
                return None
            col = col.cast(pl.Int32)
        elif isinstance(f.dataType, T.TimestampType):
            # Spark's reading of timestamp text without a ``timestampFormat``: the string-to-timestamp
            # cast, natively for the common ISO shapes
            col = parse_timestamps(col, tz)
        cols.append(col.alias(f"__ember_json_{i}"))
    return pl.DataFrame(cols, height=frame.height) if cols else frame


def _spark_type(dtype: pl.DataType, nested: bool = False):
    """The Spark type inference would give a Polars-inferred column, or None when they may differ."""
    if dtype == pl.Int64:
        return T.LongType()
    if dtype == pl.Float64:
        return T.DoubleType()
    if dtype == pl.Boolean:
        return T.BooleanType()
    if dtype == pl.String:
        return T.StringType()
    if dtype == pl.Null:
        return None if nested else T.StringType()
    if isinstance(dtype, pl.List):
        inner = _spark_type(dtype.inner, True)
        return None if inner is None else T.ArrayType(inner, True)
    if isinstance(dtype, pl.Struct):
        fields = []
        for f in sorted(dtype.fields, key=lambda f: f.name):
            t = _spark_type(f.dtype, True)
            if t is None:
                return None
            fields.append(T.StructField(f.name, t, True))
        return T.StructType(fields)
    return None


def _string_leaves(expr: pl.Expr, dtype: pl.DataType) -> list[pl.Expr]:
    if dtype == pl.String:
        return [expr]
    if isinstance(dtype, pl.List):
        return _string_leaves(expr.list.explode(), dtype.inner)
    if isinstance(dtype, pl.Struct):
        return [e for f in dtype.fields for e in _string_leaves(expr.struct.field(f.name), f.dtype)]
    return []


def _faithful(frame: pl.DataFrame) -> bool:
    """No string Polars may have produced from a number, boolean or object (Spark keeps raw text)."""
    leaves = [e for c, d in frame.schema.items() for e in _string_leaves(pl.col(c), d)]
    if not leaves:
        return True
    checks = [e.str.contains(_COERCED).fill_null(False).any().alias(f"s{i}") for i, e in enumerate(leaves)]
    return not any(frame.select(checks).row(0))


def _fast_frame(files: list[str]) -> tuple[pl.DataFrame, dict] | None:
    frame = _read_polars(files)
    if frame is None:
        return None
    types = {c: _spark_type(d) for c, d in frame.schema.items()}
    if any(t is None for t in types.values()) or not _faithful(frame):
        return None
    return frame, types


# -- the API --------------------------------------------------------------------------------------------
def infer_json_schema(files: list[str], options: dict) -> T.StructType:
    """Spark's inferred schema of JSON lines: fields sorted by name, numbers widened, nulls as string."""
    fast = _fast_frame(files)
    if fast is not None:
        _, types = fast
        return T.StructType([T.StructField(n, types[n], True) for n in sorted(types)])
    schema = T.StructType([])
    corrupt = False
    for rec in _records(files):
        if rec is None:
            corrupt = True
        else:
            schema = _json_merge(schema, _json_type(rec))
    if corrupt:  # Spark adds its corrupt-record column, in name order with the others
        name = next((str(v) for k, v in options.items() if k.lower() == "columnnameofcorruptrecord"),
                    "_corrupt_record")
        schema = _json_merge(schema, T.StructType([T.StructField(name, T.StringType(), True)]))
    return _top_level(schema)


def read_json(files: list[str], schema, options: dict | None = None, tz: str | None = None) -> pl.DataFrame:
    """The rows of ``files`` as a frame whose columns follow ``schema``'s fields by position.

    Parameters
    ----------
    files : list of str
        JSON-lines files, read in order.
    schema : StructType
        The fields to read (a user schema, or the inferred one).
    options : dict, optional
        The reader's options; any that changes how a line parses keeps the read on Spark's path.
    tz : str, optional
        The session time zone, for timestamps written without a zone (default: the active session's).

    Examples
    --------
    >>> read_json(["people.json"], StructType([StructField("name", StringType())]))  # doctest: +SKIP
    """
    from ember.sql import jsonrules

    fields = schema.fields
    options = options or {}
    if tz is None:
        from ember.sql.session import current_time_zone

        tz = current_time_zone()
    simple = fast_options(options) and jsonrules.corrupt_column(schema, options) is None
    if fields and simple and all(type(f.dataType) in _FAST for f in fields):
        frame = read_fast(_blob(files), schema, tz)
        if frame is not None:
            return frame
    fast = _fast_frame(files) if fields and simple else None
    if fast is not None:
        frame, types = fast
        cols = []
        for i, fd in enumerate(fields):
            target = to_polars(fd.dataType)
            name = f"__ember_json_{i}"
            if fd.name not in types or frame.schema[fd.name] == pl.Null:
                cols.append(pl.lit(None, target).alias(name))
            elif types[fd.name] == fd.dataType and frame.schema[fd.name] == target:
                cols.append(pl.col(fd.name).alias(name))
            else:  # a type the schema asks for that the data does not hold: Spark's conversions
                break
        else:
            # with_columns keeps the frame's height even when every column is a literal
            return frame.with_columns(cols).select([c.meta.output_name() for c in cols])
    lines = []
    for f in files:
        with open(f, "rb") as fh:
            lines += jsonrules.split_lines(fh.read())
    return jsonrules.read_lines(lines, schema, options, tz)
