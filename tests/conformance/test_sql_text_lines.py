"""``spark.read.text``: Spark's line semantics (line ends, a trailing empty line, a byte order mark,
invalid UTF-8 replaced as Java does, ``wholetext``, ``lineSep``) and the order of several files.

Expected values were captured from PySpark 4.3.0.
"""

import pytest

CASES = {
    "crlf": (b"a\r\nb\r\n", ["a", "b"]),
    "cr": (b"a\rb\rc", ["a", "b", "c"]),
    "mixed": (b"a\r\n\r\nb\n\nc\r", ["a", "", "b", "", "c"]),
    "trailing_empty_line": (b"a\n\n", ["a", ""]),
    "empty": (b"", []),
    "only_newline": (b"\n", [""]),
    "only_cr": (b"\r", [""]),
    "two_cr": (b"a\r\r", ["a", ""]),
    "no_final_newline": (b"x\ny", ["x", "y"]),
    "bad_bytes": (b"a\xff\xfeb\n", ["a\ufffd\ufffdb"]),
    "bad_continuation": (b"c\xc3(\n", ["c\ufffd("]),
    "truncated_3": (b"d\xe2\x82\n", ["d\ufffd"]),
    "surrogate": (b"e\xed\xa0\x80f\n", ["e\ufffdf"]),
    "truncated_4": (b"g\xf0\x9f\x98\n", ["g\ufffd"]),
    "overlong": (b"h\xc0\xafi\n", ["h\ufffd\ufffdi"]),
    "five_byte": (b"j\xf8\x88\x80\x80\x80k", ["j\ufffd\ufffd\ufffd\ufffd\ufffdk"]),
    "bad_middle": (b"\xe2\x28\xa1", ["\ufffd(\ufffd"]),
    "above_max": (b"\xf4\x90\x80\x80z", ["\ufffd\ufffd\ufffd\ufffdz"]),
    "bom": (b"\xef\xbb\xbfx\ny", ["x", "y"]),
    "comma": (b"a,b,,c,", ["a,b,,c,"]),
}

WHOLE = {
    "crlf": ["a\r\nb\r\n"],
    "empty": [],
    "only_newline": ["\n"],
    "surrogate": ["e\ufffdf\n"],
    "bom": ["\ufeffx\ny"],
}

LINESEP = {
    (",", b"a,b,,c,"): ["a", "b", "", "c"],
    (",", b"a,b\nc,d\n"): ["a", "b\nc", "d\n"],
    (",", b"a\n\n"): ["a\n\n"],
    (",", b""): [],
    ("||", b"a||b||||c||"): ["a", "b", "", "c"],
    ("\r\n", b"a\r\n\r\nb\n\nc\r"): ["a", "", "b\n\nc\r"],
    (",", b"\xef\xbb\xbfx,y"): ["x", "y"],
}


def _values(df):
    return [r.value for r in df.collect()]


@pytest.mark.parametrize("name", list(CASES))
def test_lines(spark, tmp_path, name):
    data, expected = CASES[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    assert _values(spark.read.text(str(path))) == expected


@pytest.mark.parametrize("name", list(WHOLE))
def test_wholetext(spark, tmp_path, name):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(CASES[name][0])
    assert _values(spark.read.text(str(path), wholetext=True)) == WHOLE[name]


@pytest.mark.parametrize("sep, data", list(LINESEP))
def test_line_sep(spark, tmp_path, sep, data):
    path = tmp_path / "sep.txt"
    path.write_bytes(data)
    assert _values(spark.read.text(str(path), lineSep=sep)) == LINESEP[(sep, data)]


def test_directory_reads_the_largest_file_first(spark, tmp_path):
    (tmp_path / "b.txt").write_text("b1\nb2\n")
    (tmp_path / "a.txt").write_text("a1\na2")
    (tmp_path / "c.txt").write_text("")
    assert _values(spark.read.text(str(tmp_path))) == ["b1", "b2", "a1", "a2"]
    assert _values(spark.read.text(str(tmp_path), wholetext=True)) == ["b1\nb2\n", "a1\na2"]
    assert spark.read.text(str(tmp_path)).schema.simpleString() == "struct<value:string>"


def test_word_count_over_crlf_lines(spark, tmp_path, engine):
    F = engine.module("sql.functions")
    path = tmp_path / "words.txt"
    path.write_bytes(b"to be\r\nor not\rto be\n")
    lines = spark.read.text(str(path))
    words = lines.select(F.explode(F.split(lines.value, " ")).alias("word"))
    rows = words.groupBy("word").count().orderBy(F.desc("count"), "word").collect()
    assert [tuple(r) for r in rows] == [("be", 2), ("to", 2), ("not", 1), ("or", 1)]
