"""textFile, wholeTextFiles and saveAsTextFile: Hadoop's splits and line rules, Spark's layout."""

import os

import pytest

LINES = [f"line {i} " + "x" * (i % 17) for i in range(300)]


@pytest.fixture
def text_file(tmp_path):
    p = tmp_path / "lines.txt"
    p.write_text("\n".join(LINES) + "\n")
    return p


def test_lines_and_line_endings(sc, tmp_path):
    p = tmp_path / "endings.txt"
    p.write_bytes(b"unix\nwindows\r\nold mac\rlast line without newline")
    assert sc.textFile(str(p)).collect() == ["unix", "windows", "old mac", "last line without newline"]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert sc.textFile(str(empty)).collect() == []
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"\n\na\n")
    assert sc.textFile(str(blank)).collect() == ["", "", "a"]


@pytest.mark.parametrize("n, sizes, firsts", [
    (2, [153, 147], ["line 0 ", "line 153 "]),
    (3, [105, 97, 98], ["line 0 ", "line 105 xxx", "line 202 xxxxxxxxxxxxxxx"]),
    (7, [47, 44, 42, 42, 42, 41, 42],
     ["line 0 ", "line 47 xxxxxxxxxxxxx", "line 91 xxxxxx", "line 133 xxxxxxxxxxxxxx", "line 175 xxxxx",
      "line 217 xxxxxxxxxxxxx", "line 258 xxx"]),
])
def test_splits_of_one_file(sc, text_file, n, sizes, firsts):
    parts = sc.textFile(str(text_file), n).glom().collect()
    assert [len(p) for p in parts] == sizes
    assert [p[0] for p in parts] == firsts
    assert [line for p in parts for line in p] == LINES


def test_directories_globs_and_hidden_files(sc, tmp_path):
    d = tmp_path / "dir"
    d.mkdir()
    (d / "b.txt").write_text("b1\nb2\n")
    (d / "a.txt").write_text("a1\n")
    (d / "c.log").write_text("c1\n")
    (d / "_SUCCESS").write_text("")
    (d / ".hidden").write_text("h\n")
    assert sorted(sc.textFile(str(d)).collect()) == ["a1", "b1", "b2", "c1"]
    assert sorted(sc.textFile(str(d / "*.txt")).collect()) == ["a1", "b1", "b2"]
    assert sorted(sc.textFile(f"{d / 'a.txt'},{d / 'c.log'}").collect()) == ["a1", "c1"]
    pairs = sorted(sc.wholeTextFiles(str(d)).collect())
    assert pairs == [("file:" + str(d / "a.txt"), "a1\n"), ("file:" + str(d / "b.txt"), "b1\nb2\n"),
                     ("file:" + str(d / "c.log"), "c1\n")]


def test_missing_input_fails_at_the_action(sc, tmp_path):
    rdd = sc.textFile(str(tmp_path / "missing.txt"))  # no error yet, as in Spark
    with pytest.raises(Exception, match="Input path does not exist: file:" + str(tmp_path / "missing.txt")):
        rdd.count()
    with pytest.raises(Exception, match="matches 0 files"):
        sc.textFile(str(tmp_path / "nothing-*.txt")).collect()


def test_save_as_text_file(sc, tmp_path):
    out = tmp_path / "out"
    sc.parallelize([1, "two", ("three", 3), None], 3).saveAsTextFile(str(out))
    names = sorted(n for n in os.listdir(out) if not n.endswith(".crc"))
    assert names == ["_SUCCESS", "part-00000", "part-00001", "part-00002"]
    assert [(out / f"part-0000{i}").read_text() for i in range(3)] == ["1\n", "two\n", "('three', 3)\nNone\n"]
    # Spark reads a directory in the file system's listing order (ember: by name), so compare contents.
    assert sorted(sc.textFile(str(out)).collect()) == ["('three', 3)", "1", "None", "two"]
    with pytest.raises(Exception, match="already exists"):
        sc.parallelize([1]).saveAsTextFile(str(out))
