"""DStream batches: per-batch overhead, one big batch, windows and state, 10 ms batches."""

from __future__ import annotations

import statistics

from bench.harness import Engines, fmt, run_program
from bench.scenarios import Row, scenario


def _both(engines: Engines, *args: str) -> dict:
    out = {}
    for name, python in (("ember", engines.ember), ("spark", engines.spark)):
        if python is not None:
            out[name] = run_program(name, python, "dstream.py", *args).report
    if "spark" in out and out["spark"]["digest"] != out["ember"]["digest"]:
        raise RuntimeError(f"dstream {args[0]}: ember and Spark produced different results")
    return out


def _per_batch_cell(report: dict | None, skip_first: int = 1) -> tuple[str, float | None]:
    if report is None:
        return "-", None
    ms = report["processing_ms"][skip_first:]
    cell = f"mean {statistics.mean(ms):.0f} ms, max {max(ms):.0f} ms (median {statistics.median(ms):.0f})"
    cpu = (report.get("cpu_ms") or [])[skip_first:]
    if cpu:  # ember: the job thread's CPU per batch, which a loaded machine does not inflate much
        cell += (f"; job-thread CPU mean {statistics.mean(cpu):.0f} ms, max {max(cpu):.0f} ms "
                 f"(median {statistics.median(cpu):.0f})")
    if "tree_cpu_per_batch_ms" in report:  # every thread and process: ember's workers, Spark's JVM
        cell += f"; process tree CPU {report['tree_cpu_per_batch_ms']:.0f} ms per batch"
    cell += f"; load {report['load']:.1f}"
    return cell, statistics.mean(ms)


def _slides_apart(processing_ms: list, slide_batches: int = 10) -> str:
    """The window's batches that end a slide (every 10th: the window is computed) and the others."""
    timed = list(enumerate(processing_ms, start=1))[1:]  # batch i ran at i s; the first is left out
    ends = [ms for i, ms in timed if i % slide_batches == 0]
    others = [ms for i, ms in timed if i % slide_batches]
    text = (f"between slides: median {statistics.median(others):.0f} ms, max {max(others):.0f} ms "
            f"({len(others)} batches)")
    if ends:
        text += f"; slide batches: {', '.join(f'{ms:.0f}' for ms in ends)} ms"
    return text


#: idle seconds after each window/state batch (1 s batches leave most of a second)
PAUSE_S = "0.25"


@scenario("dstream")
def dstream(engines: Engines, runs: int, quick: bool) -> list[Row]:
    rows: list[Row] = []
    spark_batches = "10" if quick else "20"
    r = {"ember": run_program("ember", engines.ember, "dstream.py", "overhead", "500").report}
    if engines.spark:
        r["spark"] = run_program("spark", engines.spark, "dstream.py", "overhead", spark_batches).report
    e_ms = r["ember"]["per_batch_s"] * 1000
    e_cpu = r["ember"].get("cpu_per_batch_s")
    s_cell, ratio = "-", "-"
    if "spark" in r:
        s_ms = r["spark"]["per_batch_s"] * 1000
        s_cell, ratio = f"{s_ms:.0f} ms", f"{s_ms / e_ms:.0f}x less"
    e_cell = f"{e_ms:.2f} ms"
    if e_cpu:
        e_cell += f" (CPU {e_cpu * 1000:.2f} ms, load {r['ember']['load']:.1f})"
    rows.append(("dstream", "overhead per empty batch (flatMap/map/reduceByKey/pprint)", e_cell,
                 s_cell, ratio, "target <= 1 ms; manual clock, batches back to back, checkpoint on"))

    r = _both(engines, "bigbatch", str(runs))
    e = r["ember"]
    share = statistics.median(e["batch_s"]) / statistics.median(e["limit_s"])
    s_cell, ratio = "-", "-"
    if "spark" in r:
        s_cell = fmt(r["spark"]["batch_s"], "s")
        ratio = f"{statistics.median(r['spark']['batch_s']) / statistics.median(e['batch_s']):.1f}x faster"
    rows.append(("dstream", "big.txt as one batch -> reduceByKey -> pprint", fmt(e["batch_s"], "s"), s_cell,
                 ratio, f"Counter loop {fmt(e['limit_s'], 's')}; ember = {share:.2f}x it (target <= 2x)"))

    n = "20" if quick else "40"
    for mode, label in (("window", "reduceByKeyAndWindow(add, sub, 30, 10)"),
                        ("state", "updateStateByKey (running totals)")):
        # 1 s batches leave the engines most of a second idle between batches (ember finishes a state's
        # update and a slide's sums there): the manual clock moves on PAUSE_S after each batch is done
        r = _both(engines, mode, n, PAUSE_S)
        e_cell, e_mean = _per_batch_cell(r.get("ember"))
        s_cell, s_mean = _per_batch_cell(r.get("spark"))
        ratio = f"{s_mean / e_mean:.1f}x faster" if s_mean and e_mean else "-"
        note = (f"{n} batches, {PAUSE_S} s idle after each, the first and the last (which collects the "
                "result to compare) left out; target < 50 ms")
        if mode == "window" and "ember" in r:
            note += "; " + _slides_apart(r["ember"]["processing_ms"])
        rows.append(("dstream", f"{label}, 1 s batches of 10,000 lines: processing per batch", e_cell,
                     s_cell, ratio, note))
        # and back to back, no idle time: what is left to do after a batch's output delays the next one
        b2b = run_program("ember", engines.ember, "dstream.py", mode, n).report
        b_cell, _ = _per_batch_cell(b2b)
        rows.append(("dstream", f"{label}: the same, batches back to back", b_cell, "-", "-",
                     "no idle time between batches (the next starts as soon as the last is done)"))

    seconds = "3" if quick else "60"
    r = {"ember": run_program("ember", engines.ember, "dstream.py", "steady", seconds).report}
    e = r["ember"]
    rows.append(("dstream", "10 ms batches, steady small input: scheduling delay",
                 f"max {e['max_sched_ms']} ms, p99 {e['p99_sched_ms']} ms over {e['batches']} batches", "-",
                 "-", f"{seconds} s on the system clock; target: under one interval (10 ms)"))
    return rows
