"""The ``ember`` command: ``ember demo``, ``ember --version``, and more as the engine grows."""

from __future__ import annotations

import argparse
import os
import sys
import time

from ember._version import SPARK_VERSION, __version__


def data_file(name: str) -> str:
    """Path of a data file shipped with ember (``big.txt``, ``AFINN-111.txt``)."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", name)


def _demo(args: argparse.Namespace) -> int:
    path = args.file or data_file("big.txt")
    if not os.path.exists(path):
        print(f"ember demo: no such file: {path}", file=sys.stderr)
        return 2
    if args.rdd:
        return _rdd_demo(args, path)
    from ember.demo import run

    return run(path, data_file("AFINN-111.txt"), args.seconds, args.rate, args.batch)


def _rdd_demo(args: argparse.Namespace, path: str) -> int:
    from operator import add

    from ember import SparkContext

    t0 = time.perf_counter()
    with SparkContext(f"local[{args.cores}]", "ember-demo") as sc:
        t_ready = time.perf_counter()
        counts = (sc.textFile(path)
                  .flatMap(lambda line: line.split(" "))
                  .filter(lambda w: w != "")
                  .map(lambda w: (w, 1))
                  .reduceByKey(add))
        top = counts.takeOrdered(args.top, key=lambda kv: (-kv[1], kv[0]))
        distinct = counts.count()
        t_done = time.perf_counter()
    total = sum(n for _, n in top)
    print(f"Word count of {os.path.basename(path)} with ember {__version__} (Spark {SPARK_VERSION} API)")
    print(f"{distinct:,} distinct words; the {args.top} most frequent cover {total:,} occurrences:")
    width = max(len(w) for w, _ in top) if top else 0
    for word, n in top:
        print(f"  {word:<{width}}  {n:>8,}")
    print(f"context ready in {(t_ready - t0) * 1000:.0f} ms, job done in {(t_done - t_ready):.2f} s")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``ember`` command."""
    p = argparse.ArgumentParser(
        prog="ember",
        description="ember: Spark Streaming's programming model in pure Python. "
                    "Same API, same answers, no JVM.")
    p.add_argument("--version", action="version",
                   version=f"ember {__version__} (Spark {SPARK_VERSION} API)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", help="stream big.txt over TCP to the classic consumers (--rdd: word count)",
                          description="Start a producer serving big.txt on a free loopback port and run the "
                                      "classic streaming consumers on it for a few seconds.")
    demo.add_argument("--seconds", type=float, default=12, help="how long to stream (default 12)")
    demo.add_argument("--rate", type=float, default=2000, help="lines per second served (default 2000)")
    demo.add_argument("--batch", type=float, default=1, help="batch interval in seconds (default 1)")
    demo.add_argument("--file", help="a text file to use instead of the bundled big.txt")
    demo.add_argument("--rdd", action="store_true", help="a one-off RDD word count instead of streaming")
    demo.add_argument("--top", type=int, default=10, help="with --rdd: how many words to show (default 10)")
    demo.add_argument("--cores", type=int, default=2, help="with --rdd: local[N] cores (default 2)")
    demo.set_defaults(func=_demo)

    produce = sub.add_parser("produce", help="serve the lines of a text file over TCP (for socketTextStream)",
                             description="Serve FILE (default: the bundled big.txt) line by line to every "
                                         "client that connects; each client gets the file from the start.")
    produce.add_argument("file", nargs="?", help="the text file to serve (default: the bundled big.txt)")
    produce.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    produce.add_argument("--port", type=int, default=9999, help="port to listen on (default 9999)")
    produce.add_argument("--rate", type=float, default=1000,
                         help="lines per second per client; 0: as fast as the client reads (default 1000)")
    produce.add_argument("--loop", action="store_true", help="start over at the end of the file")
    produce.add_argument("--max-lines", type=int, default=None, help="stop each client after N lines")
    produce.set_defaults(func=_produce)

    run = sub.add_parser("run", help="run a PySpark program on ember (or, with --engine spark, on Spark)",
                         description="Run PROGRAM unchanged: on ember, `import pyspark` gives ember; with "
                                     "--engine spark, `import ember` gives PySpark and the program goes to "
                                     "spark-submit with --master and --conf.")
    run.add_argument("--engine", choices=("ember", "spark"), default="ember")
    run.add_argument("--master", help="the master, as spark-submit's --master (code that sets one wins)")
    run.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                     help="a Spark setting, as spark-submit's --conf (repeatable)")
    run.add_argument("program", help="the Python program to run")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the program")
    run.set_defaults(func=_run)
    return p


def _run(args: argparse.Namespace) -> int:
    from ember import shim

    if not os.path.exists(args.program):
        print(f"ember run: no such file: {args.program}", file=sys.stderr)
        return 2
    conf = shim.submit_conf(args.master, args.conf)
    if args.engine == "spark":
        return shim.run_on_spark(args.program, args.args, conf)
    return shim.run_on_ember(args.program, args.args, conf)


def _produce(args: argparse.Namespace) -> int:
    from ember.producer import run

    return run(args.file or data_file("big.txt"), args.host, args.port, args.rate, args.loop, args.max_lines)


def main(argv: list[str] | None = None) -> int:
    """Run the ``ember`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
