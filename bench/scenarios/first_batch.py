"""examples/network_wordcount.py: launch to first batch, and the latency of one line."""

from __future__ import annotations

import statistics

from bench.harness import Engines, run_program
from bench.scenarios import Row, scenario


@scenario("first_batch")
def first_batch(engines: Engines, runs: int, quick: bool) -> list[Row]:
    probes = "4" if quick else "24"
    r = {"ember": run_program("ember", engines.ember, "first_batch.py", probes)}
    if engines.spark:
        r["spark"] = run_program("spark", engines.spark, "first_batch.py", probes)
    e = r["ember"].report
    s = r["spark"].report if "spark" in r else None

    def ms(x: float) -> str:
        return f"{x * 1000:.0f} ms"

    spark_first = f" (Spark {s['launch_to_first_print_s']:.1f} s)" if s else ""

    def start(r: dict) -> float:
        """Launch to first print less the wait for the first batch boundary, which no engine can skip."""
        return r["connect_s"] + r["first_print_after_batch_s"]

    cpu = f"CPU s of the consumer tree by the first print: ember {e['first_print_cpu_s']:.2f}" + (
        f", Spark {s['first_print_cpu_s']:.1f}" if s else "")
    rows: list[Row] = [
        ("first_batch", "launch -> connected to the producer", ms(e["connect_s"]),
         ms(s["connect_s"]) if s else "-", f"{s['connect_s'] / e['connect_s']:.0f}x faster" if s else "-",
         "the context is up and the receiver has connected"),
        ("first_batch", "first batch printed after its batch time", ms(e["first_print_after_batch_s"]),
         ms(s["first_print_after_batch_s"]) if s else "-", "-",
         f"launch to first print {e['launch_to_first_print_s']:.2f} s{spark_first}, most of it the wait "
         "for the first 1 s boundary"),
        ("first_batch", "start to first batch less the boundary wait (connected + print after batch time)",
         ms(start(e)), ms(start(s)) if s else "-", f"{start(s) / start(e):.0f}x faster" if s else "-",
         f"target <= 0.2 s; {cpu}"),
    ]
    e_med = statistics.median(e["latencies_s"])
    s_med = statistics.median(s["latencies_s"]) if s else None
    rows.append(("first_batch", "one line, sent -> printed (median over evenly spread send moments)",
                 ms(e_med),
                 ms(s_med) if s_med else "-", f"{s_med / e_med:.1f}x less" if s_med else "-",
                 f"1 s batches: target <= 510 ms; ember max {ms(max(e['latencies_s']))}"))
    rows.append(("first_batch", "peak RSS of the consumer tree", f"{r['ember'].peak_rss_mib:.0f} MiB",
                 f"{r['spark'].peak_rss_mib:.0f} MiB" if s else "-",
                 f"{r['spark'].peak_rss_mib / r['ember'].peak_rss_mib:.1f}x less" if s else "-",
                 "a slow trickle of lines; includes this timing program (~15 MiB)"))
    return rows
