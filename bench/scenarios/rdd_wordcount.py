"""Word count of big.txt as one RDD job, ember against PySpark and against a Counter loop."""

from __future__ import annotations

import statistics

from bench.harness import Engines, fmt, run_program
from bench.scenarios import Row, scenario


@scenario("rdd_wordcount")
def rdd_wordcount(engines: Engines, runs: int, quick: bool) -> list[Row]:
    fraction = "0.2" if quick else "1.0"
    reports = {}
    for name, python in (("ember", engines.ember), ("spark", engines.spark)):
        if python is not None:
            run = run_program(name, python, "rdd_wordcount.py", fraction, str(runs))
            reports[name] = (run.report, run.peak_rss_mib)
    ember, ember_peak = reports["ember"]
    if "spark" in reports and reports["spark"][0]["digest"] != ember["digest"]:
        raise RuntimeError("rdd_wordcount: ember and Spark produced different results")
    tokens = ember["tokens"]
    rate = [tokens / t / 1e6 for t in ember["job_s"]]
    limit = [tokens / t / 1e6 for t in ember["limit_s"]]
    share = statistics.median(ember["limit_s"]) / statistics.median(ember["job_s"])
    rows: list[Row] = []
    spark_cell, ratio = "-", "-"
    if "spark" in reports:
        spark, spark_peak = reports["spark"]
        spark_cell = fmt([tokens / t / 1e6 for t in spark["job_s"]], "M words/s")
        ratio = f"{spark['median_job_s'] / ember['median_job_s']:.1f}x faster"
    rows.append(("rdd_wordcount", "words/s, warm (job only)", fmt(rate, "M words/s"), spark_cell, ratio,
                 f"Counter loop {fmt(limit, 'M words/s')}; ember = {share:.0%} of it (target >= 50%)"))
    rows.append(("rdd_wordcount", "first job (cold)", f"{ember['first_job_s']:.2f} s",
                 f"{reports['spark'][0]['first_job_s']:.2f} s" if "spark" in reports else "-", "-",
                 f"parallelize {fmt(ember['parallelize_s'], 's')}"))
    job_mib = (ember["driver_job_rss_kib"] + ember["worker_peak_kib"]) / 1024
    input_mib = ember["input_bytes"] / 2**20
    rows.append(("rdd_wordcount", "memory", f"{ember_peak:.0f} MiB tree peak",
                 f"{reports['spark'][1]:.0f} MiB tree peak" if "spark" in reports else "-",
                 f"{reports['spark'][1] / ember_peak:.1f}x less" if "spark" in reports else "-",
                 f"job: driver +{ember['driver_job_rss_kib'] / 1024:.0f} MiB, {ember['workers']} workers "
                 f"{ember['worker_peak_kib'] / 1024:.0f} MiB = {job_mib / input_mib:.1f}x the "
                 f"{input_mib:.1f} MiB input (target <= 3x)"))
    return rows
