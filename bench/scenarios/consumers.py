"""The seed's four DStream consumers against a producer: peak RSS of each one's process tree.

Each runs at a paced rate (a real stream a consumer keeps up with) and against an unthrottled
producer (the worst case for memory: every batch as big as the receiver's buffer lets it be).
"""

from __future__ import annotations

from bench.harness import Engines, run_program
from bench.scenarios import Row, scenario

#: the examples that consume the producer's socket, as the seed has them
EXAMPLES = ["network_wordcount", "windowed_wordcount", "stateful_wordcount", "happiest_words"]
#: lines per second offered: paced, then unthrottled (0)
RATES = [100_000, 0]


def _cell(r: dict | None) -> str:
    return "-" if r is None else f"{r['peak_mib']:.0f} MiB"


@scenario("consumers")
def consumers(engines: Engines, runs: int, quick: bool) -> list[Row]:
    # 45 s: a 30 s window remembers 40 batches, so its memory is all there in the second half
    seconds = "3" if quick else "45"
    rows = []
    for rate in RATES[-1:] if quick else RATES:
        for example in EXAMPLES:
            rows.append(_row(engines, example, seconds, rate))
    return rows


def _row(engines: Engines, example: str, seconds: str, rate: int) -> Row:
    e = run_program("ember", engines.ember, "seed_consumers.py", example, seconds, str(rate)).report
    s = run_program("spark", engines.spark, "seed_consumers.py", example, seconds, str(rate)).report \
        if engines.spark else None
    ratio = f"{s['peak_mib'] / e['peak_mib']:.1f}x less" if s else "-"
    spark_note = f"; Spark: {s['processes']} processes, {s['batches']} printed" if s else ""
    offered = f"{rate:,} lines/s" if rate else "producer unthrottled"
    return ("consumers", f"peak RSS, {example}.py, {offered}", _cell(e), _cell(s), ratio,
            f"target <= 150 MB; first / second half of {float(seconds):.0f} s: "
            f"{e['first_half_mib']:.0f} / {e['second_half_mib']:.0f} MiB; {e['processes']} "
            f"process(es), {e['batches']} batches printed{spark_note}; load {e['load_avg']:.1f}")
