"""A harness like PySpark's streaming test base class, on the manual clock instead of wall time.

Spark's cases (python/pyspark/streaming/tests/) build a StreamingContext of ``duration`` seconds on a
SparkContext with ``spark.default.parallelism=1`` and a checkpoint directory, feed a queueStream of
one-partition RDDs, and keep each batch's ``collect()`` when it is not empty. They then wait on the
wall clock until enough batches came. Here the same program is driven one batch at a time by the
manual clock (:class:`ember.testing.BatchDriver`), so no test sleeps and both engines run the very
same steps.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest

from ember.testing import MANUAL_CLOCK

#: how many batches a case may run before its expected results must be there
MAX_BATCHES = 40


class SparkCase:
    """One Spark test case's StreamingContext and the helpers PySpark's base class gives it."""

    def __init__(self, engine: Any, sc: Any, duration: float) -> None:
        self.engine = engine
        self.sc = sc
        self.duration = duration
        self.StreamingContext = engine.module("streaming").StreamingContext
        self.made: list = []
        self.ssc = self.new_context(duration)
        self.driver = None

    def new_context(self, duration: float | None = None):
        """A fresh StreamingContext on the suite's SparkContext (becomes ``self.ssc``)."""
        self.ssc = self.StreamingContext(self.sc, duration or self.duration)
        self.made.append(self.ssc)
        self.driver = None
        return self.ssc

    def parallelize_all(self, batches: list) -> list:
        """Lists become one-partition RDDs, as the base class does; RDDs stay as they are."""
        RDD = self.engine.root.RDD
        return [b if isinstance(b, RDD) else self.sc.parallelize(b, 1) for b in batches]

    def start(self) -> None:
        """Start the context with a batch driver attached (the driver must exist before start)."""
        from ember.testing import BatchDriver

        self.driver = BatchDriver(self.ssc, timeout=60)
        self.ssc.start()

    def advance(self, batches: int = 1, wait: bool = True) -> None:
        if self.driver is None:
            self.start()
        self.driver.advance(batches, wait)

    def run_until(self, result: list, n: int, limit: int = MAX_BATCHES) -> list:
        """Run batches until ``result`` holds ``n`` entries (Spark's ``wait_for``), at most ``limit``."""
        ran = 0
        while len(result) < n and ran < limit:
            self.advance(1)
            ran += 1
        return result

    def collect(self, dstream: Any, n: int, block: bool = True) -> list:
        """Each non-empty batch's ``collect()``, up to ``n`` of them (the base class's ``_collect``)."""
        result: list = []

        def get_output(_, rdd):
            if len(result) < n:
                r = rdd.collect()
                if r:
                    result.append(r)

        dstream.foreachRDD(get_output)
        if not block:
            return result
        return self.run_until(result, n)

    def take(self, dstream: Any, n: int) -> list:
        """The first ``n`` elements of the stream (the base class's ``_take``)."""
        results: list = []

        def take(_, rdd):
            if len(results) < n:
                results.extend(rdd.take(n - len(results)))

        dstream.foreachRDD(take)
        return self.run_until(results, n)

    def check(self, input: list, func: Callable, expected: list, sort: bool = False,
              input2: list | None = None) -> None:
        """The base class's ``_test_func``: queue the input, apply ``func``, compare the batches."""
        input_stream = self.ssc.queueStream(self.parallelize_all(input))
        input_stream2 = self.ssc.queueStream(self.parallelize_all(input2)) if input2 is not None else None
        stream = func(input_stream, input_stream2) if input2 else func(input_stream)
        # a job in every batch: Spark reports nothing for a batch without one (a window between its
        # slides), and the driver waits for that report
        input_stream.foreachRDD(lambda rdd: None)
        result = self.collect(stream, len(expected))
        if sort:
            for batch in result:
                batch.sort(key=lambda x: x[0])
            for batch in expected:
                batch.sort(key=lambda x: x[0])
        assert result == expected

    def close(self) -> None:
        for ssc in self.made:
            try:
                ssc.stop(False)
            except Exception:
                pass


@pytest.fixture(scope="session")
def suite_checkpoint_dir(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("spark-suite-checkpoints"))


@pytest.fixture
def spark_case(engine, make_context, suite_checkpoint_dir):
    """Factory: ``spark_case(duration)`` -> :class:`SparkCase`, stopped (SparkContext kept) afterwards."""
    made: list[SparkCase] = []

    def make(duration: float = 0.5) -> SparkCase:
        conf = {"spark.default.parallelism": "1", "spark.streaming.clock": MANUAL_CLOCK}
        sc = make_context("local[2]", **conf)
        sc.setCheckpointDir(suite_checkpoint_dir)
        case = SparkCase(engine, sc, duration)
        made.append(case)
        return case

    yield make
    for case in made:
        case.close()


@pytest.fixture
def no_shared_context(engine):
    """For cases that make their own SparkContext: the suite's shared one is stopped first.

    Whatever the case leaves active is stopped afterwards; the suite makes its shared one again
    when the next test asks for it.
    """
    active = engine.SparkContext._active_spark_context
    if active is not None:
        active.stop()
    before = _jvm_spark_properties(engine)
    yield
    ssc = engine.module("streaming").StreamingContext.getActive()
    if ssc is not None:  # a case that failed half-way leaves its context running
        ssc.stop(False)
    active = engine.SparkContext._active_spark_context
    if active is not None:
        active.stop()
    _restore_jvm_spark_properties(engine, before)


def _jvm_spark_properties(engine) -> dict | None:
    """The JVM's ``spark.*`` system properties (Spark only; ember has no JVM)."""
    jvm = getattr(engine.SparkContext, "_jvm", None) if engine.is_spark else None
    if jvm is None:
        return None
    props = jvm.System.getProperties()
    return {k: props.getProperty(k) for k in props.stringPropertyNames() if k.startswith("spark.")}


def _restore_jvm_spark_properties(engine, before: dict | None) -> None:
    """Undo what a recovered context left in the JVM's system properties.

    A context recovered from a checkpoint on Spark leaves its settings (``spark.default.parallelism=1``
    among them) as JVM system properties, which every later ``SparkConf()`` loads; the suite's next
    shared context would then silently run with one partition.
    """
    after = _jvm_spark_properties(engine)
    if before is None or after is None:
        return
    jvm = engine.SparkContext._jvm
    for key, value in after.items():
        if key not in before:
            jvm.System.clearProperty(key)
        elif before[key] != value:
            jvm.System.setProperty(key, before[key])
