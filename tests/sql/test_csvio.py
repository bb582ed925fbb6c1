"""CSV reading's two paths: Polars' reader only where it splits lines exactly as the Python reader does.

Spark's answers are pinned in tests/conformance/test_sql_io.py (both engines); here ember's own contract:
plain input (no quotes, escapes, blank lines, ragged lines) goes through Polars and gives the same frame
as the line-by-line reader; anything else stays on the line-by-line reader.
"""

from __future__ import annotations

import polars as pl
import pytest

from ember.sql import csvio
from ember.sql import types as T
from ember.sql.timeparse import parse_timestamp

SCHEMA = T.StructType([T.StructField("s", T.StringType()), T.StructField("n", T.LongType()),
                       T.StructField("t", T.TimestampType()), T.StructField("d", T.DoubleType())])


def _slow(files, options, schema):
    _, rows = csvio.read_rows(files, options)
    return [tuple(r[i] if i < len(r) else None for i in range(len(schema.fields))) for r in rows]


def _write(tmp_path, *texts):
    paths = []
    for i, text in enumerate(texts):
        p = tmp_path / f"part-{i}.csv"
        p.write_bytes(text.encode("utf-8"))
        paths.append(str(p))
    return paths


@pytest.mark.parametrize("texts, options", [
    (["a,1,2024-01-01 00:00:00,1.5\n, 2 ,2024-01-01T00:00:00Z,\nc,,x,NaN"], {}),
    (["s,n,t,d\na,1,2024,2\n", "s,n,t,d\nb,2,2024-01-01 00:00:60,3\n"], {"header": "true"}),
    (["a;NA;;1\nNA;2;2024-01-01;x\n"], {"sep": ";", "nullValue": "NA"}),
    (["caf\u00e9,1,,\n  spaced  ,2,,\n"], {}),
])
def test_plain_input_takes_polars_and_agrees(tmp_path, texts, options):
    files = _write(tmp_path, *texts)
    names = [f"c{i}" for i in range(4)]
    fast = csvio._fast_text(files, options, names)
    assert fast is not None
    assert fast.rows() == _slow(files, options, SCHEMA)
    frame = csvio.read_frame(files, options, SCHEMA, "UTC")
    assert frame.columns == ["s", "n", "t", "d"]
    assert frame.dtypes == [pl.String, pl.Int64, pl.Datetime("us"), pl.Float64]
    # timestamps by the cast's rules (natively for the ISO shapes, the full rules for the rest)
    text = pl.Series([r[2] for r in _slow(files, options, SCHEMA)], dtype=pl.String)
    assert frame["t"].to_list() == pl.select(parse_timestamp(pl.lit(text), "UTC")).to_series().to_list()


@pytest.mark.parametrize("text", [
    'a,"1,2",x,y\n',  # a quote
    "a\\,b,1,x,y\n",  # an escape
    "a,1,x,y\r\nb,2,x,y\r\n",  # \r
    "a,1,x,y\n\nb,2,x,y\n",  # a blank line
    "a,1,x\nb,2,x,y,z\n",  # ragged lines
    "a,1,x,y,z\n",  # more fields than the schema
])
def test_other_input_stays_on_the_line_reader(tmp_path, text):
    files = _write(tmp_path, text)
    assert csvio._fast_text(files, {}, [f"c{i}" for i in range(4)]) is None
    frame = csvio.read_frame(files, {}, SCHEMA, "UTC")
    assert frame.height == len(_slow(files, {}, SCHEMA))
