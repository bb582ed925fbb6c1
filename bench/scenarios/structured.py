"""Structured Streaming: the seed's windowed word count, ember against PySpark and bare Polars."""

from __future__ import annotations

import statistics
import tempfile

from bench.harness import Engines, run_program
from bench.scenarios import Row, scenario


@scenario("structured")
def structured(engines: Engines, runs: int, quick: bool) -> list[Row]:
    fraction = "0.02" if quick else "1.0"
    reports = {}
    with tempfile.TemporaryDirectory() as work:
        for name, python in (("ember", engines.ember), ("spark", engines.spark)):
            if python is not None:
                reports[name] = run_program(name, python, "structured_wordcount.py", fraction, work,
                                            timeout=1800).report
    ember = reports["ember"]
    spark = reports.get("spark")
    if spark is not None and (spark["groups"], spark["total"]) != (ember["groups"], ember["total"]):
        raise RuntimeError("structured: ember and Spark produced different results")
    compute = (sum(ember["batch_ms"]) - sum(ember["read_ms"])) / 1000
    rows: list[Row] = [(
        "structured", f"seed windowed word count, big.txt x{fraction} as one micro-batch",
        f"{ember['query_s']:.2f} s", f"{spark['query_s']:.1f} s" if spark else "-",
        f"{spark['query_s'] / ember['query_s']:.1f}x faster" if spark else "-",
        f"bare Polars {ember['polars_s']:.2f} s: ember = {ember['query_s'] / ember['polars_s']:.1f}x of it, "
        f"{compute / ember['polars_s']:.1f}x without reading the file (target <= 2x); CPU s: ember "
        f"{ember['query_cpu']:.2f}, Polars {ember['polars_cpu']:.2f} "
        f"({ember['query_cpu'] / ember['polars_cpu']:.1f}x); {ember['groups']:,} rows; each engine ran the "
        f"query over 1,000 lines first (imports, JIT; ember {ember['warmup_s']:.2f} s"
        + (f", Spark {spark['warmup_s']:.1f} s" if spark else "") + ")")]
    return rows


@scenario("structured_socket")
def structured_socket(engines: Engines, runs: int, quick: bool) -> list[Row]:
    rows: list[Row] = []
    seconds = "3" if quick else "20"
    sock = {name: run_program(name, python, "structured_socket.py", seconds, timeout=600).report
            for name, python in (("ember", engines.ember), ("spark", engines.spark)) if python is not None}
    e, s = sock["ember"], sock.get("spark")
    rows.append(("structured_socket", "seed query on a socket at full speed, 1 s batches",
                 f"{e['lines_per_s']:,.0f} lines/s", f"{s['lines_per_s']:,.0f} lines/s" if s else "-",
                 f"{e['lines_per_s'] / s['lines_per_s']:.1f}x more" if s and s["lines_per_s"] else "-",
                 f"target >= 500k lines/s; {e['lines']:,} lines in {e['seconds']:.1f} s (to the stop's end), "
                 f"median batch {statistics.median(e['batch_ms'] or [0]):.0f} ms"))
    rows.append(("structured_socket", "socket source alone (lines into a noop sink), 1 s batches",
                 f"{e['source_lines_per_s']:,.0f} lines/s",
                 f"{s['source_lines_per_s']:,.0f} lines/s" if s else "-",
                 f"{e['source_lines_per_s'] / s['source_lines_per_s']:.1f}x more"
                 if s and s["source_lines_per_s"] else "-",
                 f"{e['source_lines']:,} lines in {e['source_seconds']:.1f} s, "
                 f"ember CPU {e['source_cpu_s']:.2f} s "
                 f"({e['source_lines'] / max(e['source_cpu_s'], 1e-9):,.0f} lines per CPU s; the producer is "
                 f"another process); the seed query's CPU: {e['cpu_s']:.1f} s for {e['lines']:,} lines"))
    rows.append(("structured_socket", "per-micro-batch overhead (1-row batch, word count, complete)",
                 f"{e['overhead_ms'][0]} ms", "-", "-",
                 f"target <= 2 ms; median of 200, MemoryStream; CPU {e['overhead_ms'][1]} ms per batch"))
    rows.append(("structured_socket", "per-micro-batch overhead (1-row batch, stateless select, append)",
                 f"{e['stateless_ms'][0]} ms", "-", "-",
                 f"target <= 2 ms; CPU {e['stateless_ms'][1]} ms per batch; no MemoryStream in PySpark"))
    c = e["cpu_per_line"]
    rows.append(("structured_socket", "CPU per line, seed query's incremental work (250k-line batches)",
                 f"{c['ember_us']:.2f} us ({1e6 / c['ember_us']:,.0f} lines per CPU s)", "-", "-",
                 f"bare Polars doing the same per-batch work: {c['polars_us']:.2f} us "
                 f"({1e6 / c['polars_us']:,.0f} lines per CPU s); "
                 f"ember = {c['ember_us'] / c['polars_us']:.2f}x of it; {c['lines']:,} lines, best of 3, "
                 "same process"))
    return rows
