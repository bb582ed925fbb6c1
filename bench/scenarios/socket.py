"""DStream word count over a socket: the highest offered rate each engine keeps up with."""

from __future__ import annotations

from bench.harness import Engines, run_program
from bench.scenarios import Row, scenario

EMBER_RATES = [100_000, 200_000, 300_000, 400_000, 500_000]
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
    # CPU per line moves far less than wall figures on a loaded machine: the consumer (driver and
    # workers) against the Counter loop, in the run at the highest rate tried
    last = e_tried[-1]
    cpu_ratio = last["consumer_cpu_us_per_line"] / last["counter_cpu_us_per_line"]
    return [("socket", "word count, 1 s batches: highest rate kept up with", f"{e_rate:,.0f} lines/s", s_cell,
             ratio, f"Counter loop {counter:,.0f} lines/s on one core; ember = {e_rate / counter:.0%} of it "
             f"(target >= 60%, >= 500k lines/s); producer used up to {cpu:.0%} of a core; consumer CPU "
             f"{last['consumer_cpu_us_per_line']:.2f} us/line = {cpu_ratio:.1f}x the Counter loop's")]
