"""DStream word count over a socket: the highest offered rate each engine keeps up with, its CPU and
memory, and ember's receiver alone."""

from __future__ import annotations

from bench.harness import Engines, run_program
from bench.scenarios import Row, scenario

EMBER_RATES = [100_000, 200_000, 300_000, 400_000, 500_000, 600_000, 800_000]
SPARK_RATES = [50_000, 100_000, 150_000, 200_000]


def _ladder(engine: str, python: str, rates: list[int], seconds: str) -> tuple[dict | None, list[dict]]:
    """Climb the offered rates; the best is the highest whose batches never wait a whole interval."""
    best, tried = None, []
    for rate in rates:
        r = run_program(engine, python, "socket_wordcount.py", str(rate), seconds).report
        tried.append(r)
        keeps_up = r["max_sched_ms"] is not None and r["max_sched_ms"] < 1000 and \
            r["lines_per_s"] >= 0.95 * rate
        if not keeps_up:
            break
        best = r
    return best, tried


@scenario("socket")
def socket_wordcount(engines: Engines, runs: int, quick: bool) -> list[Row]:
    seconds = "4" if quick else "10"
    e_best, e_tried = _ladder("ember", engines.ember, EMBER_RATES[:1] if quick else EMBER_RATES, seconds)
    s_best, _ = _ladder("spark", engines.spark, SPARK_RATES, seconds) if engines.spark else (None, [])
    e_rate = e_best["rate"] if e_best else 0
    counter = e_tried[0]["counter_lines_per_s"]
    s_cell = f"{s_best['rate']:,.0f} lines/s" if s_best else ("-" if not engines.spark else "< 50,000")
    ratio = f"{e_rate / s_best['rate']:.1f}x more" if s_best and e_rate else "-"
    cpu = max(r["producer_cpu_share"] for r in e_tried)
    loads = ", ".join(f"{r['load_avg']:.1f}" for r in e_tried)
    rows = [("socket", "word count, 1 s batches: highest rate kept up with", f"{e_rate:,.0f} lines/s", s_cell,
             ratio, f"Counter loop {counter:,.0f} lines/s on one core in the same run; ember = "
             f"{e_rate / counter:.0%} of it (targets >= 60%, >= 500k lines/s); producer used up to {cpu:.0%} "
             f"of a core; load average at each rate tried: {loads}")]
    # CPU per line moves far less than wall figures on a loaded machine: the consumer (driver and
    # workers) against the Counter loop, in the run at the highest rate tried (the biggest batches)
    last = e_tried[-1]
    us, counter_us = last["consumer_cpu_us_per_line"], last["counter_cpu_us_per_line"]
    rows.append(("socket", "consumer CPU per line (driver + workers)", f"{us:.2f} us", "-", "-",
                 f"Counter loop {counter_us:.2f} us/line in the same run: ember = {us / counter_us:.2f}x it; "
                 f"offered {last['rate']:,.0f} lines/s, {last['lines_per_s']:,.0f} processed"))
    peak = max(e_tried, key=lambda r: r["consumer_peak_mib"])
    workers = (" + workers " + " + ".join(f"{w:.0f}" for w in peak["worker_peaks_mib"]) + " MiB"
               if peak["worker_peaks_mib"] else " (no worker process started)")
    rows.append(("socket", "peak RSS of the consumer (driver + workers), word count",
                 f"{peak['consumer_peak_mib']:.0f} MiB", "-", "-",
                 f"target <= 150 MB; driver {peak['driver_peak_mib']:.0f} MiB{workers}, at "
                 f"{peak['rate']:,.0f} lines/s offered; highest over the rates tried (at "
                 f"{e_tried[0]['rate']:,.0f} lines/s: {e_tried[0]['consumer_peak_mib']:.0f} MiB)"))
    recv = run_program("ember", engines.ember, "socket_receiver.py", "3" if quick else "10").report
    rows.append(("socket", "receiver alone, unpaced producer", f"{recv['mb_per_s']:.0f} MB/s", "-", "-",
                 f"target >= 100 MB/s; {recv['lines_per_s']:,.0f} lines/s into the bounded buffer, emptied "
                 f"every 10 ms; {recv['cpu_share']:.0%} of a core, "
                 f"{recv['cpu_s_per_mb'] * 1000:.1f} CPU ms/MB"))
    return rows
