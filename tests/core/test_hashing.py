"""Seed-0 string hashing and PySpark's portable_hash, whatever this process's own seed."""

import json
import subprocess
import sys

import pytest

from ember.core.hashing import cached_portable_hash, partitioner_for, portable_hash, seed_zero_hash

WORDS = ["hello", "world", "spark", "streaming", "naïve", "ŝ", "😀x", "", "a" * 100, "日本語", "\udc80"]


def _seed0(expr: str) -> str:
    out = subprocess.run([sys.executable, "-c", f"print({expr})"], env={"PYTHONHASHSEED": "0"},
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_string_hash_equals_seed_zero_builtin():
    expected = _seed0("[hash(w) for w in %r]" % (WORDS,))
    assert str([seed_zero_hash(w) for w in WORDS]) == expected


def test_bytes_hash_equals_seed_zero_builtin():
    data = [b"", b"abc", bytes(range(256))]
    assert str([seed_zero_hash(b) for b in data]) == _seed0("[hash(b) for b in %r]" % (data,))


def test_known_values():
    assert seed_zero_hash("hello") == -2096571579003691106
    assert portable_hash(None) == 0
    assert portable_hash(("hello", 1)) == 691311254099385435
    assert portable_hash((None, (1, "a"))) == portable_hash((None, (1, "a")))


def test_partition_of_classic_words():
    # From the golden word count: hello, world, streaming -> 0 and spark -> 1 with 2 partitions.
    part = partitioner_for(2)
    assert [part(w) for w in ["hello", "world", "streaming", "spark"]] == [0, 0, 0, 1]


def test_cache_is_transparent_and_unhashable_keys_fail_like_spark():
    assert cached_portable_hash("spark") == portable_hash("spark")
    assert partitioner_for(3)(("x", 2)) == portable_hash(("x", 2)) % 3
    with pytest.raises(TypeError):
        partitioner_for(2)(["a", "list"])


def test_str_partitions_equal_seed_zero_builtin_and_cache_stays_bounded():
    from ember.core import hashing

    keys = WORDS + WORDS[::-1] + [f"k{i}" for i in range(3 * hashing._CACHE_LIMIT)]
    program = "import json, sys; print([hash(w) % 7 for w in json.load(sys.stdin)])"
    run = subprocess.run([sys.executable, "-c", program], env={"PYTHONHASHSEED": "0"},
                         input=json.dumps(keys), capture_output=True, text=True, check=True)
    expected = run.stdout.strip()
    assert str(hashing.str_partitions(keys, 7)) == expected
    assert str(hashing.str_partitions(keys, 7)) == expected  # now partly from the cache
    assert len(hashing._CACHE) <= hashing._CACHE_LIMIT
