"""textFileStream / binaryRecordsStream: new files only, each once, never half-written."""

from __future__ import annotations

import os

from ember.streaming import StreamingContext
from ember.testing import BatchDriver


def write(path, text, mtime_ms):
    with open(path, "w") as fh:
        fh.write(text)
    os.utime(path, ns=(mtime_ms * 1_000_000, mtime_ms * 1_000_000))


def test_new_files_are_read_once_in_order(sc, tmp_path):
    write(tmp_path / "old.txt", "before the start\n", 5_000)  # there before the start: ignored
    ssc = StreamingContext(sc, 1)
    out = []
    ssc.textFileStream(str(tmp_path)).foreachRDD(lambda rdd: out.append(rdd.collect()))
    driver = BatchDriver(ssc)
    ssc._clock.setTime(10_000)  # start at 10 s on the manual clock: batches at 11 s, 12 s, ...
    ssc.start()
    write(tmp_path / "b.txt", "b1\nb2\n", 10_200)
    write(tmp_path / "a.txt", "a1\n", 10_100)
    write(tmp_path / ".hidden", "never\n", 10_200)
    write(tmp_path / "later.txt", "later\n", 11_400)  # after batch 1's time: batch 2 takes it
    driver.advance(1)
    driver.advance(1)
    driver.advance(1)
    ssc.stop(stopSparkContext=False)
    assert out == [["a1", "b1", "b2"], ["later"], []]


def test_binary_records(sc, tmp_path):
    ssc = StreamingContext(sc, 1)
    out = []
    ssc.binaryRecordsStream(str(tmp_path), 4).foreachRDD(lambda rdd: out.append(rdd.collect()))
    driver = BatchDriver(ssc)
    ssc.start()
    p = tmp_path / "r.bin"
    p.write_bytes(b"abcdwxyz")
    os.utime(p, ns=(100_000_000, 100_000_000))
    driver.advance(1)
    ssc.stop(stopSparkContext=False)
    assert out == [[b"abcd", b"wxyz"]]


def test_a_file_still_changing_waits_for_a_second_look(sc, tmp_path):
    ssc = StreamingContext(sc, 1)
    out = []
    ssc.textFileStream(str(tmp_path)).foreachRDD(lambda rdd: out.append(rdd.collect()))
    driver = BatchDriver(ssc)
    ssc.start()
    write(tmp_path / "growing.txt", "part", 900)  # modified just before the batch at 1 s
    driver.advance(1)  # first look: too fresh, not taken
    ssc._clock.setTime(1200)
    write(tmp_path / "growing.txt", "part one\n", 1900)  # the writer finishes, just before 2 s
    driver.advance(1)  # at 2 s: changed since the first look and fresh again: wait
    driver.advance(1)  # at 3 s: settled: taken whole, once
    driver.advance(1)
    ssc.stop(stopSparkContext=False)
    assert out == [[], [], ["part one"], []]
