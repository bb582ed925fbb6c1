"""SparkConf and SparkContext: settings, identity, one active context, lifecycle."""

import os
import re
import subprocess
import sys

import pytest


def test_conf_keeps_strings(engine):
    conf = engine.SparkConf().set("spark.default.parallelism", 3).setAppName("a").setMaster("local[2]")
    conf.setIfMissing("spark.app.name", "b").setAll([("x.y", True), ("x.z", 1.5)])
    assert conf.get("spark.default.parallelism") == "3"
    assert conf.get("spark.app.name") == "a"
    assert conf.get("missing") is None and conf.get("missing", "d") == "d"
    assert conf.contains("x.y") and not conf.contains("missing")
    assert ("x.y", "True") in conf.getAll() and ("x.z", "1.5") in conf.getAll()
    assert "spark.master=local[2]" in conf.toDebugString().splitlines()


def test_context_identity(sc):
    assert (sc.master, sc.appName) == ("local[2]", "ember-conformance")
    assert (sc.defaultParallelism, sc.defaultMinPartitions) == (2, 2)
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", sc.version)
    assert sc.getConf().get("spark.master") == "local[2]"
    assert sc.applicationId.startswith("local-")


def test_local_star_and_configured_parallelism(make_context):
    assert make_context("local[*]").defaultParallelism == os.cpu_count()
    assert make_context("local[3]").defaultParallelism == 3
    sc = make_context("local[3]", **{"spark.default.parallelism": "5"})
    assert sc.defaultParallelism == 5
    assert sc.parallelize(range(10)).getNumPartitions() == 5


def test_only_one_active_context(engine, sc):
    expected = (r"^Cannot run multiple SparkContexts at once; existing "
                r"SparkContext\(app=ember-conformance, master=local\[2\]\) created by ")
    with pytest.raises(ValueError, match=expected):
        engine.SparkContext("local[2]", "second")
    assert engine.SparkContext.getOrCreate() is sc


def test_context_manager_and_restart(engine, sc):
    sc.stop()
    sc.stop()  # stopping twice is fine
    assert engine.SparkContext._active_spark_context is None
    with engine.SparkContext("local[1]", "scoped") as scoped:
        assert scoped.parallelize([1, 2, 3]).sum() == 6
        assert engine.SparkContext._active_spark_context is scoped
    assert engine.SparkContext._active_spark_context is None


def test_defaults_without_master_or_name(engine):
    # In a fresh process: a JVM remembers the settings of its earlier contexts.
    code = (f"from {engine.root.__name__} import SparkContext\n"
            "sc = SparkContext()\nprint(sc.master, sc.appName)\nsc.stop()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["local[*]", "pyspark-shell"], out.stderr[-2000:]


def test_accumulator_needs_a_known_type(sc):
    with pytest.raises(TypeError, match="No default accumulator param for type <class 'str'>"):
        sc.accumulator("x")


def test_storage_levels(engine, sc):
    rdd = sc.parallelize([1])
    assert repr(rdd.getStorageLevel()) == "StorageLevel(False, False, False, False, 1)"
    assert str(rdd.cache().getStorageLevel()) == "Memory Serialized 1x Replicated"
    assert rdd.is_cached
    assert rdd.persist(engine.StorageLevel.MEMORY_ONLY) is rdd  # the same level again is fine
    with pytest.raises(Exception, match="Cannot change storage level of an RDD after it was already"):
        rdd.persist(engine.StorageLevel.MEMORY_AND_DISK)
    assert not rdd.unpersist().is_cached
    level = engine.StorageLevel.MEMORY_AND_DISK
    assert rdd.persist(level).getStorageLevel() == level


def test_checkpoint(sc, tmp_path):
    sc.setCheckpointDir(str(tmp_path))
    assert sc.getCheckpointDir().startswith("file:" + str(tmp_path))
    rdd = sc.parallelize(range(5), 2).map(lambda x: x * x)
    rdd.checkpoint()
    assert not rdd.isCheckpointed()
    assert rdd.collect() == [0, 1, 4, 9, 16]
    assert rdd.isCheckpointed()
    assert rdd.getCheckpointFile().startswith("file:" + str(tmp_path))
    assert rdd.map(lambda x: x + 1).collect() == [1, 2, 5, 10, 17]


def test_checkpoint_needs_a_directory(make_context):
    sc = make_context("local[2]", **{"spark.app.tag": "no-checkpoint-dir"})
    with pytest.raises(Exception, match="Checkpoint directory has not been set in the SparkContext"):
        sc.parallelize([1]).checkpoint()


def test_names_and_ids(sc):
    a, b = sc.parallelize([1]), sc.parallelize([2])
    assert a.name() is None
    assert a.setName("numbers") is a and a.name() == "numbers"
    assert isinstance(a.id(), int) and a.id() != b.id()
    assert a.context is sc
    assert isinstance(a.toDebugString(), bytes)
