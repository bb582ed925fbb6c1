"""Pickled partitions kept in a spill file (``spill_blobs``): read back, pickled as bytes, or kept."""

from __future__ import annotations

import errno
import pickle

from ember.streaming.sources import spill


def test_big_blobs_go_to_a_file_and_read_back(monkeypatch):
    monkeypatch.setattr(spill, "SPILL_BLOBS_MIN", 10)
    blobs = [b"first", b"", b"third" * 3]
    kept = spill.spill_blobs(blobs)
    assert type(kept) is spill.DiskBlobs
    assert (len(kept), list(kept), kept[2], kept[0:2]) == (3, blobs, b"thirdthirdthird", [b"first", b""])
    assert pickle.loads(pickle.dumps(kept)) == blobs  # a checkpoint saves the bytes, never the file


def test_small_blobs_stay_in_memory():
    blobs = [b"x" * 1000, b"y"]
    assert spill.spill_blobs(blobs) is blobs  # under SPILL_BLOBS_MIN (256 KiB) in all


def test_a_file_that_cannot_be_written_keeps_them_in_memory(monkeypatch):
    def full(self, block):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spill, "SPILL_BLOBS_MIN", 1)
    monkeypatch.setattr(spill.SpillWriter, "append", full)
    blobs = [b"a", b"b"]
    assert spill.spill_blobs(blobs) is blobs
