"""The classic pipelines print, byte for byte, what PySpark 4.3.0 printed (files in ``golden/``).

Input: a queueStream of ``["hello world", "hello spark"]``, ``["spark streaming"]``, ``[]``, then empty
batches; 1 s batches on the manual clock from 0, ``local[2]``, ``TZ=UTC``. The files were captured
from real Spark by ``gen_dstream_golden.py`` (see ``../shared/golden/README.md``).
"""

from __future__ import annotations

import pathlib
from operator import add, sub

import pytest

# (not imported from conftest: with conftest.py files in subdirectories, "conftest" is another module)
GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"

BATCHES = [["hello world", "hello spark"], ["spark streaming"], []]


def _pipeline(mode, pairs, sc):
    if mode == "wordcount":
        return pairs.reduceByKey(add)
    if mode == "window":
        return pairs.reduceByKeyAndWindow(add, sub, 2, 1)
    if mode == "window5":
        return pairs.reduceByKeyAndWindow(add, sub, 5, 1)
    if mode == "window5filter":
        return pairs.reduceByKeyAndWindow(add, sub, 5, 1, filterFunc=lambda kv: kv[1] > 0)
    return pairs.updateStateByKey(lambda vs, s: sum(vs) + (s or 0),
                                  initialRDD=sc.parallelize([("hello", 1), ("world", 1)]))


@pytest.mark.parametrize("mode,batches", [("wordcount", 6), ("window", 6), ("window5", 8),
                                          ("window5filter", 8), ("state", 6)])
def test_golden(make_streams, utc, capsys, tmp_path, mode, batches):
    s = make_streams(batch=1, parallelism=None)
    s.ssc.checkpoint(str(tmp_path))
    lines = s.ssc.queueStream([s.sc.parallelize(b) for b in BATCHES])
    pairs = lines.flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1))
    _pipeline(mode, pairs, s.sc).pprint()
    capsys.readouterr()
    s.run(batches)
    assert capsys.readouterr().out == (GOLDEN / f"dstream_{mode}.manualclock.txt").read_text()
