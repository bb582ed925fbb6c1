"""Structured Streaming on a socket: start to first micro-batch, one-line latency, peak RSS under load."""

from __future__ import annotations

import statistics

from bench.harness import Engines, fmt, run_program
from bench.scenarios import Row, scenario

TWO_PARTITIONS = "spark.sql.shuffle.partitions=2"


def _check(reports: dict[str, list[dict]]) -> None:
    """Both engines printed an empty first table and a count of 1 for every probe word."""
    for name, runs in reports.items():
        for r in runs:
            if r["first_rows"] != [] or set(r["probe_counts"]) != {"1"}:
                raise RuntimeError(f"structured_latency: {name} printed {r['first_rows'][:3]} as its first "
                                   f"table and {r['probe_counts']} for the probes (expected [] and 1s)")


@scenario("structured_latency")
def structured_latency(engines: Engines, runs: int, quick: bool) -> list[Row]:
    probes = "4" if quick else "12"
    procs = 1 if quick else runs
    out = {"ember": [run_program("ember", engines.ember, "structured_first_batch.py", probes)
                     for _ in range(procs)]}
    default = None
    if engines.spark:
        out["spark"] = [run_program("spark", engines.spark, "structured_first_batch.py", probes,
                                    TWO_PARTITIONS) for _ in range(min(procs, 3))]
        # out of the box: 200 shuffle partitions, each micro-batch some seconds on two cores
        default = run_program("spark", engines.spark, "structured_first_batch.py", "3").report
    _check({k: [r.report for r in v] for k, v in out.items()} | ({"spark200": [default]} if default else {}))
    e = [r.report for r in out["ember"]]
    s = [r.report for r in out["spark"]] if "spark" in out else None

    def col(reports, key, scale=1000.0):
        return [r[key] * scale for r in reports] if reports else None

    def ratio(sv, ev, word):
        return f"{statistics.median(sv) / statistics.median(ev):.0f}x {word}" if sv else "-"

    e_first, s_first = col(e, "first_table_s"), col(s, "first_table_s")
    e_cpu = statistics.median(r["first_cpu_s"] for r in e)
    cpu_note = f"CPU s of the consumer tree by then: ember {e_cpu:.2f}"
    if s:
        cpu_note += f", Spark {statistics.median(r['first_cpu_s'] for r in s):.1f}"
    spark_default = f"; Spark, default 200 partitions: {default['first_table_s']:.1f} s" if default else ""
    rows: list[Row] = [
        ("structured_latency", "launch -> connected to the producer (structured_network_wordcount.py)",
         fmt(col(e, "connect_s"), "ms"), fmt(col(s, "connect_s"), "ms"),
         ratio(col(s, "connect_s"), col(e, "connect_s"), "faster"),
         "the session is up and the socket source has connected"),
        ("structured_latency", "launch -> first micro-batch's table printed", fmt(e_first, "ms"),
         fmt(s_first, "ms"), ratio(s_first, e_first, "faster"),
         f"target <= 0.2 s (no batch boundary to wait for: default trigger); {cpu_note}{spark_default}"),
    ]
    e_lat = [t * 1000 for r in e for t in r["latencies_s"]]
    s_lat = [t * 1000 for r in s for t in r["latencies_s"]] if s else None
    d_lat = statistics.median(default["latencies_s"]) if default else None
    rows.append(("structured_latency", "one line, sent -> its count printed (default trigger, complete mode)",
                 f"median {statistics.median(e_lat):.0f} ms (max {max(e_lat):.0f})",
                 f"median {statistics.median(s_lat):.0f} ms (max {max(s_lat):.0f})" if s_lat else "-",
                 ratio(s_lat, e_lat, "less"),
                 f"target <= 20 ms; {len(e_lat)} lines at random moments; Spark with 2 shuffle partitions"
                 + (f" (200 partitions: median {d_lat:.1f} s)" if d_lat else "")))
    e_rss = [r.peak_rss_mib for r in out["ember"]]
    s_rss = [r.peak_rss_mib for r in out["spark"]] if s else None
    rows.append(("structured_latency", "peak RSS of the consumer tree, a trickle of lines", fmt(e_rss, "MiB"),
                 fmt(s_rss, "MiB"), ratio(s_rss, e_rss, "less"),
                 "includes this timing program (~15 MiB)"))
    return rows


@scenario("structured_rss")
def structured_rss(engines: Engines, runs: int, quick: bool) -> list[Row]:
    rate, seconds = ("20000", "5") if quick else ("100000", "60")
    e = run_program("ember", engines.ember, "structured_rss.py", rate, seconds, timeout=900).report
    s = (run_program("spark", engines.spark, "structured_rss.py", rate, seconds, TWO_PARTITIONS,
                     timeout=900).report if engines.spark else None)

    def mib(r):
        return r["peak_rss_kib"] / 1024

    def kept(r):
        lines = r["lines"] or 0
        return (f"{lines:,} of {r['offered']:,.0f} lines read ({r['batches']} tables printed, "
                f"{r['cpu_s']:.0f} CPU s)")

    note = (f"target <= 300 MB and <= 1/5 of Spark; ember: {kept(e)}, "
            f"end RSS {e['end_rss_kib'] / 1024:.0f} MiB"
            + (f"; Spark (2 shuffle partitions): {kept(s)}" if s else "")
            + f"; producer {e['producer_cpu_s'] / float(seconds):.0%} of a core")
    return [("structured_rss", f"peak RSS of the seed's query after {seconds} s at {int(rate):,} lines/s",
             f"{mib(e):.0f} MiB", f"{mib(s):.0f} MiB" if s else "-",
             f"{mib(s) / mib(e):.1f}x less" if s else "-", note)]
