"""textFileStream on both engines: files that appear after the start, each taken once, hidden ones not.

The manual clock runs from 0, so file times are set with ``os.utime`` to clock times (ms since the epoch).
One new file per batch: the order in which Spark lists several files of one batch is the file system's.
"""

from __future__ import annotations

import os


def write(path, text, mtime_ms):
    with open(path, "w") as fh:
        fh.write(text)
    os.utime(path, ns=(mtime_ms * 1_000_000, mtime_ms * 1_000_000))


def test_textFileStream(make_streams, tmp_path):
    s = make_streams(batch=1)
    d = tmp_path / "in"
    d.mkdir()
    out = s.collect(s.ssc.textFileStream(str(d)))
    s.start()  # the clock stands at 0: the first batch is at 1 s
    write(d / "old.txt", "from before the start\n", -5_000)
    write(d / "first.txt", "a1\na2\n", 200)
    write(d / ".hidden.txt", "never\n", 300)
    write(d / "second.txt", "b1\n", 1_400)  # after the first batch's time: the second batch takes it
    s.driver.advance(3)
    assert out == [["a1", "a2"], ["b1"], []]
