"""reduceByKeyAndWindow's shortcuts give exactly the windows of the plain computation.

Big word-count batches are counted on the worker processes (streaming/pooled_count.py) and integer
sums are kept per slide as the batches come (window.py); a run on ``local[1]`` with the worker pool
off takes neither shortcut for the counting, and the generic function ``lambda a, b: a + b + 0``
takes none at all. Every window must hold the same pairs in the same partitions and order.
"""

from __future__ import annotations

from operator import add, sub

import pytest
from streaming_helpers import manual_context

from ember.streaming import StreamingContext
from ember.testing import BatchDriver

WORDS = [f"w{i}" for i in range(900)] + ["é", "ü", "", "日本", "spark"]


def _lines(seed: int, count: int) -> list[str]:
    # deterministic, overlapping vocabularies batch to batch, new words now and then
    out = []
    for i in range(count):
        a = (i * 7 + seed * 13) % len(WORDS)
        b = (i * i + seed) % len(WORDS)
        out.append(" ".join([WORDS[a], WORDS[b], WORDS[(a + b) % len(WORDS)], f"new{seed}_{i % 5}"]))
    return out


def _run(master: str, func, batches: int, lines_per_batch: int, pool: bool = True, inverse=sub,
         window: int = 6, slide: int = 2, tmp=None, one=1, keep=None, early: bool = False,
         shuffled: bool = False) -> list:
    sc = manual_context(master, settings={"ember.pool.enabled": "true" if pool else "false"})
    try:
        ssc = StreamingContext(sc, 1)
        ssc.checkpoint(str(tmp))
        data = [sc.parallelize(_lines(s, lines_per_batch), 2) for s in range(batches)]
        lines = ssc.queueStream(data)
        words = (lines.repartition(3) if shuffled else lines).flatMap(lambda line: line.split(" "))
        pairs = words.map(lambda w: (w, 1)) if one == 1 else words.map(lambda w: (w, one))
        out: list = []
        windows = pairs.reduceByKeyAndWindow(func, inverse, window, slide, 2, keep)
        if early:  # each window computed while its batch's jobs are generated, before the batch runs
            windows = windows.transform(lambda rdd: rdd.context.parallelize(rdd.glom().collect(), 1))
        windows.foreachRDD(lambda rdd: out.append(rdd.glom().collect()))
        driver = BatchDriver(ssc)
        ssc.start()
        driver.advance(batches)
        ssc.stop(stopSparkContext=False)
        return out
    finally:
        sc.stop()


@pytest.mark.parametrize("window,slide", [(6, 2), (4, 1), (10, 2)])
def test_pooled_counts_and_running_sums_match_the_plain_windows(tmp_path, window, slide):
    shortcuts = _run("local[2]", add, 13, 3000, window=window, slide=slide, tmp=tmp_path / "a")
    plain = _run("local[1]", add, 13, 3000, pool=False, window=window, slide=slide, tmp=tmp_path / "b")
    generic = _run("local[2]", lambda a, b: a + b + 0, 13, 3000, window=window, slide=slide,
                   tmp=tmp_path / "c")
    assert len(shortcuts) == 13 // slide
    assert shortcuts == plain == generic


def test_small_batches_stay_in_the_driver(tmp_path):
    assert _run("local[2]", add, 7, 20, tmp=tmp_path / "a") == \
        _run("local[1]", add, 7, 20, pool=False, tmp=tmp_path / "b")


@pytest.mark.parametrize("window,slide", [(2, 1), (4, 2)])
def test_a_function_failing_in_a_worker_fails_the_batch_with_its_error(tmp_path, window, slide):
    sc = manual_context()
    try:
        ssc = StreamingContext(sc, 1)
        ssc.checkpoint(str(tmp_path))
        bad, good = ["x y"] * 2999 + [None], ["z"] * 3000
        # with a 2 s slide the failing third batch is the first of its slide: read in the next batch
        queue = [bad] if slide == 1 else [good, good, bad]
        pairs = ssc.queueStream([sc.parallelize(b, 2) for b in queue], default=sc.parallelize(good, 2)) \
            .flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1))
        pairs.reduceByKeyAndWindow(add, sub, window, slide).foreachRDD(lambda rdd: rdd.collect())
        driver = BatchDriver(ssc)
        ssc.start()
        driver.advance(len(queue) + slide - 1)
        with pytest.raises(AttributeError, match="split"):
            ssc.awaitTerminationOrTimeout(5)
        ssc.stop(stopSparkContext=False)
    finally:
        sc.stop()


@pytest.mark.parametrize("case", ["floats", "filter", "early", "shuffled"])
def test_the_shortcuts_step_aside_where_they_do_not_apply(tmp_path, case):
    kwargs: dict = {"floats": {"one": 1.0}, "filter": {"keep": lambda kv: kv[1] > 2},
                    "early": {"early": True}, "shuffled": {"shuffled": True}}[case]
    fast = _run("local[2]", add, 9, 3000, tmp=tmp_path / "a", **kwargs)
    generic = _run("local[2]", lambda a, b: a + b + 0, 9, 3000, tmp=tmp_path / "b", **kwargs)
    assert len(fast) == 4 and fast == generic


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_pooled_batch_reads_and_pickles_as_its_reduce_by_key(sc, monkeypatch, on_disk):
    import pickle

    from ember.streaming.pooled_count import PooledCountRDD, _word_sources
    from ember.streaming.sources import spill

    if on_disk:  # its pickles go to a spill file (big batches' do: a window keeps 40 of them)
        monkeypatch.setattr(spill, "SPILL_BLOBS_MIN", 1)

    lines = [" ".join(WORDS[(i * 31) % len(WORDS):(i * 31) % len(WORDS) + 5]) for i in range(2500)]
    pairs = sc.parallelize(lines, 2).flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1))
    expected = pairs.reduceByKey(add, 3).glom().collect()
    sources = _word_sources(pairs, add)
    assert sources is not None
    rdd = PooledCountRDD(sc, 3, sources, pairs.reduceByKey(add, 3))
    rdd.prefetch()
    assert [len(rdd.segments(p)) for p in range(3)] == [2, 2, 2]  # one per input partition
    assert [list(rdd._iterator(p)) for p in range(3)] == expected
    assert [pickle.loads(b) for b in rdd._pickled_parts()] == expected
    assert type(rdd._blobs) is (spill.DiskBlobs if on_disk else list)
    assert [list(rdd._iterator(p)) for p in range(3)] == expected  # now from the pickles
    assert [pickle.loads(b) for b in pickle.loads(pickle.dumps(rdd._blobs))] == expected  # saved as bytes


def test_a_window_puts_its_batches_counts_on_disk_once_they_are_summed(tmp_path, monkeypatch):
    """Each batch's counts leave memory when its batch is over, not when a checkpoint comes: pickled
    into a spill file (a 30 s window keeps 40 batches of them), with the same windows."""
    from ember.streaming import pooled_count, window
    from ember.streaming.sources import spill

    kept = []
    real = window.ReducedWindowedDStream._clear_metadata

    def clearing(self, t):
        real(self, t)
        batch = self._parents[0]._generated.get(t)
        kept.append((type(batch).__name__, batch._segments is None, type(batch._blobs).__name__))

    monkeypatch.setattr(window.ReducedWindowedDStream, "_clear_metadata", clearing)
    plain = _run("local[1]", add, 9, 3000, pool=False, tmp=tmp_path / "a")
    kept.clear()
    monkeypatch.setattr(spill, "SPILL_BLOBS_MIN", 1)
    assert _run("local[2]", add, 9, 3000, tmp=tmp_path / "b") == plain
    assert kept == [("PooledCountRDD", True, "DiskBlobs")] * 9
    monkeypatch.setattr(pooled_count, "spill_blobs", lambda blobs: blobs)  # small, or a full disk
    kept.clear()
    assert _run("local[2]", add, 9, 3000, tmp=tmp_path / "c") == plain
    assert kept == [("PooledCountRDD", True, "list")] * 9


def test_windows_of_pooled_batches_recover_from_a_checkpoint(tmp_path, monkeypatch):
    """The restart test of test_window_recovery.py, every batch counted on the workers."""
    import test_window_recovery as recovery

    from ember.streaming import pooled_count
    from ember.streaming.sources import spill

    counted = []
    real = pooled_count._count_on_workers

    def counting(*args):
        counted.append(1)
        return real(*args)

    monkeypatch.setattr(pooled_count, "POOLED_MIN_RECORDS", 1)
    monkeypatch.setattr(pooled_count, "_count_on_workers", counting)
    monkeypatch.setattr(spill, "SPILL_BLOBS_MIN", 1)  # their counts wait on disk, and are saved from there
    sc = manual_context(app="win")
    try:
        recovery.test_windows_hold_the_batches_from_before_a_restart(sc, tmp_path)
    finally:
        sc.stop()
    assert counted  # the batches went through the workers
