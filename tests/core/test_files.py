"""Hadoop's input splits and line ownership for textFile; Spark's output layout."""

import os

import pytest

from ember import SparkContext
from ember.core.files import compute_splits, read_split


@pytest.fixture
def sc():
    with SparkContext("local[2]", "test-files") as sc:
        yield sc


def _lines_via_splits(path, n):
    splits = compute_splits([str(path)], n)
    return [read_split(*s) for s in splits]


@pytest.mark.parametrize("text", [
    "a\nbb\nccc\n", "a\r\nbb\r\nccc", "\n\n\nx\n", "one line without newline", "x" * 50 + "\n" + "y" * 3,
    "ab\rcd\r\nef\n\rgh",
])
@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_every_line_read_exactly_once(tmp_path, text, n):
    p = tmp_path / "f.txt"
    p.write_bytes(text.encode())
    parts = _lines_via_splits(p, n)
    # Hadoop ends lines at \n, \r and \r\n, exactly as bytes.splitlines does.
    assert [line for part in parts for line in part] == [s.decode() for s in text.encode().splitlines()]


def test_split_sizes_follow_goal_size_and_slop(tmp_path):
    p = tmp_path / "f.txt"
    p.write_bytes(b"x" * 1000)
    assert compute_splits([str(p)], 2) == [(str(p), 0, 500), (str(p), 500, 500)]
    assert compute_splits([str(p)], 3) == [(str(p), 0, 333), (str(p), 333, 333), (str(p), 666, 334)]


def test_missing_path_raises_at_action_not_before(sc, tmp_path):
    rdd = sc.textFile(str(tmp_path / "nope.txt"))
    with pytest.raises(Exception, match="Input path does not exist"):
        rdd.count()


def test_invalid_utf8_is_replaced_not_fatal(sc, tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"ok\n\xff\xfebad\n")
    assert sc.textFile(str(p)).collect() == ["ok", "\ufffd\ufffdbad"]


def test_save_as_text_file_layout_and_refusal_to_overwrite(sc, tmp_path):
    out = tmp_path / "out"
    sc.parallelize([1, "two", b"three"], 2).saveAsTextFile(str(out))
    assert sorted(os.listdir(out)) == ["_SUCCESS", "part-00000", "part-00001"]
    assert (out / "part-00000").read_text() == "1\n"
    assert (out / "part-00001").read_text() == "two\nthree\n"
    assert sc.textFile(str(out)).collect() == ["1", "two", "three"]
    with pytest.raises(Exception, match="already exists"):
        sc.parallelize([1]).saveAsTextFile(str(out))
