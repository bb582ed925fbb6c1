"""SparkContext: the entry point of the batch engine, for local masters only.

ember runs on one machine. ``local``, ``local[N]`` and ``local[*]`` are accepted; a cluster master
gets a clear error that says to run the same program on Apache Spark, which is the way to grow.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import weakref

from ember._version import SPARK_VERSION
from ember.accumulators import (
    COMPLEX_ACCUMULATOR_PARAM,
    FLOAT_ACCUMULATOR_PARAM,
    INT_ACCUMULATOR_PARAM,
    Accumulator,
    AccumulatorParam,
)
from ember.broadcast import Broadcast
from ember.conf import SparkConf, conf_flag
from ember.core import callsite
from ember.errors import (
    IllegalArgumentException,
    IllegalStateException,
    PySparkRuntimeError,
    PySparkTypeError,
    PySparkValueError,
)

TYPE_CHECKING = False  # typing costs milliseconds to import; annotations are strings here
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable

# In the order Spark lists them in its error message.
_LOG_LEVELS = ("ALL", "DEBUG", "ERROR", "WARN", "INFO", "OFF", "FATAL", "TRACE")
_PY_LEVELS = {"ALL": 1, "TRACE": 5, "DEBUG": 10, "INFO": 20, "WARN": 30, "ERROR": 40, "FATAL": 50, "OFF": 60}


def parse_master(master: str) -> int:
    """The number of cores a local master string asks for.

    Examples
    --------
    >>> parse_master("local[4]")
    4
    """
    cores = _local_cores(master.strip())
    if cores is False:
        raise PySparkValueError(
            f"Master URL {master!r} is not supported by ember. ember runs on this machine: use "
            "'local' (1 core), 'local[N]' (N cores) or 'local[*]' (all cores). Cluster masters "
            "(yarn, spark://, k8s://, mesos://) mean running the same program on Apache Spark "
            "(pip install pyspark and import pyspark instead of ember).")
    if cores is None:
        return 1
    if cores == "*":
        return os.cpu_count() or 1
    return int(cores)


def _digits(s: str) -> bool:
    return s.isascii() and s.isdigit()


def _local_cores(master: str) -> str | None | bool:
    """``N`` or ``*`` of ``local[N]`` / ``local[N, maxFailures]``, None for ``local``, False otherwise.

    (A hand-written match: importing ``re`` would cost a context's start-up more than the match.)
    """
    if master == "local":
        return None
    if not (master.startswith("local[") and master.endswith("]")):
        return False
    cores, comma, failures = master[6:-1].partition(",")
    if comma:
        if not _digits(failures.lstrip()):
            return False
        cores = cores.rstrip()
    if cores == "*" or (_digits(cores) and cores[0] != "0"):
        return cores
    return False


class SparkContext:
    """The entry point of an ember application: makes RDDs, broadcasts and accumulators.

    Only one SparkContext may be active at a time, as in Spark.

    Examples
    --------
    >>> from ember import SparkContext
    >>> with SparkContext("local[2]", "wordcount") as sc:
    ...     sc.parallelize(["hello world", "hello spark"]) \\
    ...       .flatMap(lambda line: line.split(" ")) \\
    ...       .map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b).collect()
    [('hello', 2), ('world', 1), ('spark', 1)]
    """

    _active_spark_context: SparkContext | None = None
    _lock = threading.RLock()
    # Spark's Python tests look at these to decide whether a JVM needs cleaning up.
    _jvm = None
    _gateway = None

    def __init__(self, master: str | None = None, appName: str | None = None, sparkHome: str | None = None,
                 pyFiles: list | None = None, environment: dict | None = None, batchSize: int = 0,
                 serializer: Any = None, conf: SparkConf | None = None, gateway: Any = None,
                 jsc: Any = None, profiler_cls: Any = None, udf_profiler_cls: Any = None,
                 memory_profiler_cls: Any = None) -> None:
        site = _caller("__init__")
        with SparkContext._lock:
            active = SparkContext._active_spark_context
            if active is not None:
                fn, file, line = active._callsite
                raise ValueError(
                    "Cannot run multiple SparkContexts at once; existing SparkContext(app=%s, master=%s)"
                    " created by %s at %s:%s " % (active.appName, active.master, fn, file, line))
            self._conf = conf._copy() if conf is not None else SparkConf()
            if master:
                self._conf.setMaster(master)
            if appName:
                self._conf.setAppName(appName)
            if sparkHome:
                self._conf.setSparkHome(sparkHome)
            for k, v in (environment or {}).items():
                self._conf.setExecutorEnv(k, v)
            # As PySpark launched from plain python: a local master and a default name.
            self._conf.setIfMissing("spark.master", "local[*]")
            self._conf.setIfMissing("spark.app.name", "pyspark-shell")
            self.master: str = self._conf.get("spark.master")  # type: ignore[assignment]
            self._cores = parse_master(self.master)
            self.appName: str = self._conf.get("spark.app.name")  # type: ignore[assignment]
            self.sparkHome = self._conf.get("spark.home")
            self.environment = dict(environment or {})
            self.pythonExec = sys.executable
            self.pythonVer = "%d.%d" % sys.version_info[:2]
            self._batchSize = batchSize
            self._callsite = site
            self._stopped = False
            self._rdd_ids = 0
            self._ids_lock = threading.Lock()
            self._next_shared_id = 0
            self._checkpoint_dir: str | None = None
            self._local_properties: dict[str, str] = {}
            self.startTime = int(time.time() * 1000)
            self.applicationId = f"local-{self.startTime}"
            self._pool = None
            # Set ember.pool.enabled=false to keep every task in the driver process.
            self._pool_enabled = conf_flag(self._conf, "ember.pool.enabled", True)
            self._accumulators: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
            self._checkpoints_pending = 0
            SparkContext._active_spark_context = self

    # -- identity and settings ----------------------------------------------------------------

    @classmethod
    def getOrCreate(cls, conf: SparkConf | None = None) -> SparkContext:
        """The active SparkContext, or a new one made from ``conf``."""
        with cls._lock:
            if cls._active_spark_context is None:
                cls(conf=conf or SparkConf())
            return cls._active_spark_context  # type: ignore[return-value]

    @property
    def version(self) -> str:
        """The Spark version whose API and answers ember matches."""
        return SPARK_VERSION

    @property
    def defaultParallelism(self) -> int:
        """``spark.default.parallelism`` if set, else the number of local cores."""
        v = self._conf.get("spark.default.parallelism")
        return int(v) if v is not None else self._cores

    @property
    def defaultMinPartitions(self) -> int:
        """The default ``minPartitions`` of ``textFile``: ``min(defaultParallelism, 2)``."""
        return min(self.defaultParallelism, 2)

    @property
    def uiWebUrl(self) -> str | None:
        return None

    @property
    def resources(self) -> dict:
        return {}

    def getConf(self) -> SparkConf:
        """A copy of this context's settings."""
        return self._conf._copy()

    def sparkUser(self) -> str:
        import getpass

        return getpass.getuser()

    def setLogLevel(self, logLevel: str) -> None:
        """Set the level of ember's log (``ALL``, ``DEBUG``, ``INFO``, ``WARN``, ``ERROR``, ``OFF``...)."""
        level = str(logLevel).upper()
        if level not in _LOG_LEVELS:
            raise IllegalArgumentException(
                f"requirement failed: Supplied level {logLevel} did not match one of: "
                f"{','.join(_LOG_LEVELS)}")
        import logging

        logging.getLogger("ember").setLevel(_PY_LEVELS[level])

    def setLocalProperty(self, key: str, value: str) -> None:
        if value is None:
            self._local_properties.pop(key, None)
        else:
            self._local_properties[key] = value

    def getLocalProperty(self, key: str) -> str | None:
        return self._local_properties.get(key)

    def setJobDescription(self, value: str) -> None:
        self.setLocalProperty("spark.job.description", value)

    def setJobGroup(self, groupId: str, description: str, interruptOnCancel: bool = False) -> None:
        self.setLocalProperty("spark.jobGroup.id", groupId)
        self.setLocalProperty("spark.job.description", description)

    def cancelJobGroup(self, groupId: str) -> None:
        """Nothing to cancel: ember runs jobs to completion in the caller's thread."""

    def cancelAllJobs(self) -> None:
        """Nothing to cancel: ember runs jobs to completion in the caller's thread."""

    # -- lifecycle ----------------------------------------------------------------------------

    def _check_active(self) -> None:
        if self._stopped:
            raise IllegalStateException(
                "Cannot call methods on a stopped SparkContext. Create a new SparkContext "
                "(or use SparkContext.getOrCreate()) to keep working.")

    def stop(self) -> None:
        """Stop this context; another can be created afterwards. Stopping twice is fine."""
        with SparkContext._lock:
            if self._stopped:
                return
            self._stopped = True
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None
            if SparkContext._active_spark_context is self:
                SparkContext._active_spark_context = None

    def __enter__(self) -> SparkContext:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __reduce__(self):
        raise PySparkRuntimeError(
            "It appears that you are attempting to reference SparkContext from a broadcast variable, "
            "action, or transformation. SparkContext can only be used on the driver, not in code that "
            "it run on workers. For more information, see SPARK-5063.",
            errorClass="CONTEXT_ONLY_VALID_ON_DRIVER")

    def __repr__(self) -> str:
        return f"<SparkContext master={self.master} appName={self.appName}>"

    def _new_rdd_id(self) -> int:
        with self._ids_lock:
            self._rdd_ids += 1
            return self._rdd_ids - 1

    def _new_shared_id(self) -> int:
        with self._ids_lock:
            self._next_shared_id += 1
            return self._next_shared_id - 1

    # -- making RDDs ----------------------------------------------------------------------------

    @callsite.public("parallelize")
    def parallelize(self, c: Iterable, numSlices: int | None = None):
        """An RDD of a local collection, cut into ``numSlices`` partitions as PySpark cuts it."""
        from ember.core.rdds import ParallelCollectionRDD, RangeRDD

        self._check_active()
        n = self.defaultParallelism if numSlices is None else numSlices
        if not isinstance(n, int) or isinstance(n, bool):
            raise PySparkValueError(f"numSlices must be a positive integer, got {numSlices!r}")
        if n <= 0:
            raise IllegalArgumentException(
                f"Positive number of partitions required (numSlices was {n})")
        if isinstance(c, range):
            return RangeRDD(self, c, n)
        try:
            data = list(c)
        except TypeError:
            raise PySparkTypeError(
                f"parallelize() needs an iterable collection (a list, tuple, range, generator...), "
                f"got {type(c).__name__}: {c!r:.60}") from None
        return ParallelCollectionRDD(self, data, n)

    @callsite.public("range")
    def range(self, start: int, end: int | None = None, step: int = 1,  # noqa: A003
              numSlices: int | None = None):
        """An RDD of ``range(start, end, step)``; ``range(n)`` means ``0 .. n-1``."""
        if end is None:
            start, end = 0, start
        return self.parallelize(range(start, end, step), numSlices)

    @callsite.public("emptyRDD")
    def emptyRDD(self):
        """An RDD with no partitions and no elements."""
        from ember.core.rdds import EmptyRDD

        self._check_active()
        return EmptyRDD(self)

    @callsite.public("textFile")
    def textFile(self, name: str, minPartitions: int | None = None, use_unicode: bool = True):
        """Lines of text files (a path, a glob, a directory, or a comma-separated list of them).

        A missing path raises at the first action, as in Spark.
        """
        from ember.core.files import TextFileRDD

        self._check_active()
        return TextFileRDD(self, name, self.defaultMinPartitions if minPartitions is None else minPartitions)

    @callsite.public("wholeTextFiles")
    def wholeTextFiles(self, path: str, minPartitions: int | None = None, use_unicode: bool = True):
        """``(file URI, content)`` for each file under ``path``."""
        from ember.core.files import WholeTextFilesRDD

        self._check_active()
        return WholeTextFilesRDD(self, path, self.defaultMinPartitions if minPartitions is None
                                 else minPartitions)

    @callsite.public("binaryFiles")
    def binaryFiles(self, path: str, minPartitions: int | None = None):
        """``(file URI, bytes)`` for each file under ``path``."""
        from ember.core.files import WholeTextFilesRDD

        self._check_active()
        return WholeTextFilesRDD(self, path, self.defaultMinPartitions if minPartitions is None
                                 else minPartitions, binary=True)

    @callsite.public("pickleFile")
    def pickleFile(self, name: str, minPartitions: int | None = None):
        """An RDD saved with ``saveAsPickleFile``."""
        from ember.core.files import PickleFileRDD

        self._check_active()
        return PickleFileRDD(self, name)

    @callsite.public("union")
    def union(self, rdds: list):
        """The elements of several RDDs, one after the other."""
        from ember.core.rdds import UnionRDD

        self._check_active()
        rdds = list(rdds)
        if not rdds:
            raise PySparkValueError("union() needs at least one RDD")
        if len(rdds) == 1:
            return rdds[0]
        return UnionRDD.of(self, rdds, keep_partitioner=False)

    def broadcast(self, value: Any) -> Broadcast:
        """A read-only value shared with every task."""
        self._check_active()
        return Broadcast(value, self._new_shared_id())

    def accumulator(self, value: Any, accum_param: AccumulatorParam | None = None) -> Accumulator:
        """A shared variable that tasks add to and the driver reads."""
        self._check_active()
        if accum_param is None:
            if isinstance(value, bool):
                raise TypeError("No default accumulator param for type %s" % type(value))
            if isinstance(value, int):
                accum_param = INT_ACCUMULATOR_PARAM
            elif isinstance(value, float):
                accum_param = FLOAT_ACCUMULATOR_PARAM
            elif isinstance(value, complex):
                accum_param = COMPLEX_ACCUMULATOR_PARAM
            else:
                raise TypeError("No default accumulator param for type %s" % type(value))
        acc = Accumulator(self._new_shared_id(), value, accum_param)
        self._accumulators[acc.aid] = acc
        return acc

    def _merge_accumulator_updates(self, updates: dict) -> None:
        for aid, delta in updates.items():
            acc = self._accumulators.get(aid)
            if acc is not None:
                with acc._lock:
                    acc._value = acc.accum_param.addInPlace(acc._value, delta)

    def _worker_pool(self):
        from ember.core.pool import WorkerPool

        with SparkContext._lock:
            self._check_active()
            if self._pool is None:
                self._pool = WorkerPool(self._cores)
            return self._pool

    def runJob(self, rdd, partitionFunc: Callable, partitions: list[int] | None = None,
               allowLocal: bool = False) -> list:
        """Run ``partitionFunc`` on the given partitions and concatenate what it returns."""
        from ember.core import scheduler

        results = scheduler.run_job(rdd, lambda it: list(partitionFunc(iter(it))), partitions)
        return [x for part in results for x in part]

    # -- checkpoints ----------------------------------------------------------------------------

    def setCheckpointDir(self, dirName: str) -> None:
        """Where ``rdd.checkpoint()`` saves data (a fresh sub-directory per application)."""
        base = os.path.abspath(os.path.expanduser(dirName[5:] if dirName.startswith("file:") else dirName))
        import uuid

        path = os.path.join(base, str(uuid.uuid4()))
        os.makedirs(path, exist_ok=True)
        self._checkpoint_dir = path

    def getCheckpointDir(self) -> str | None:
        """The checkpoint directory as a ``file:`` URI, or None."""
        return None if self._checkpoint_dir is None else "file:" + self._checkpoint_dir

    def _write_checkpoint_files(self, rdd_id: int, parts: dict[int, bytes]) -> str | None:
        if self._checkpoint_dir is None:
            return None
        d = os.path.join(self._checkpoint_dir, f"rdd-{rdd_id}")
        os.makedirs(d, exist_ok=True)
        for split, blob in parts.items():
            with open(os.path.join(d, f"part-{split:05d}"), "wb") as fh:
                fh.write(blob)
        return "file:" + d

    # -- files shipped to tasks ----------------------------------------------------------------

    def addFile(self, path: str, recursive: bool = False) -> None:
        """Make a file available to tasks through ``SparkFiles.get(name)``."""
        from ember.files import SparkFiles

        SparkFiles._add(path)

    def addPyFile(self, path: str) -> None:
        """Make a ``.py``/``.zip`` importable by tasks (ember's tasks run here: it joins sys.path)."""
        self.addFile(path)
        d = os.path.dirname(os.path.abspath(path)) if path.endswith(".py") else os.path.abspath(path)
        if d not in sys.path:
            sys.path.insert(0, d)


def _caller(function: str) -> tuple[str, str, int]:
    f = sys._getframe(2)
    ember_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    while f is not None and f.f_code.co_filename.startswith(ember_dir):
        f = f.f_back
    if f is None:
        return (function, "<unknown>", 0)
    return (function, f.f_code.co_filename, f.f_lineno)
