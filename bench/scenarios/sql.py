"""DataFrames: big.txt's batch word count and the session's cold start, ember against PySpark and Polars."""

from __future__ import annotations

import statistics
import tempfile

from bench.harness import Engines, fmt, run_program
from bench.scenarios import Row, scenario

_RESULT = ("groups", "total", "sha")


@scenario("sql")
def sql(engines: Engines, runs: int, quick: bool) -> list[Row]:
    fraction = "0.02" if quick else "1.0"
    warm = str(runs if quick else max(runs, 3))
    # ember's processes are cheap, so several; Spark's take most of a minute each on a loaded machine
    procs = {"ember": 1 if quick else 3, "spark": 1}
    reports: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as work:
        for name, python in (("ember", engines.ember), ("spark", engines.spark)):
            if python is not None:
                reports[name] = [run_program(name, python, "sql_wordcount.py", fraction, work, warm,
                                             timeout=1800).report for _ in range(procs[name])]
    ember, spark = reports["ember"], reports.get("spark")
    for r in ember + (spark or []):
        if tuple(r[k] for k in _RESULT) != tuple(ember[0][k] for k in _RESULT):
            raise RuntimeError("sql: the engines (or two runs) produced different word counts")
    e_warm = [t for r in ember for t in r["warm_s"]]
    e_cold = [r["cold_s"] for r in ember]
    p_warm = [t for r in ember for t in r["polars"]["warm_s"]]
    p_cold = [r["polars"]["cold_s"] for r in ember]
    e_cpu = statistics.median(c for r in ember for c in r["warm_cpu"])
    p_cpu = statistics.median(c for r in ember for c in r["polars"]["warm_cpu"])
    s_warm = [t for r in spark for t in r["warm_s"]] if spark else None
    s_cold = [r["cold_s"] for r in spark] if spark else None

    def ratio(s: list[float] | None, e: list[float]) -> str:
        return f"{statistics.median(s) / statistics.median(e):.1f}x faster" if s else "-"

    share = statistics.median(e_warm) / statistics.median(p_warm)
    what = f"big.txt x{fraction}: {ember[0]['groups']:,} words, {ember[0]['total']:,} tokens"
    rows: list[Row] = [
        ("sql", f"word count, warm ({what})", fmt(e_warm, "s"), fmt(s_warm, "s"), ratio(s_warm, e_warm),
         f"bare Polars {fmt(p_warm, 's')}: ember = {share:.2f}x of it (target <= 1.5x); CPU s per query: "
         f"ember {e_cpu:.2f}, Polars {p_cpu:.2f} ({e_cpu / p_cpu:.2f}x)"),
        ("sql", "word count, first query in a fresh session (cold)", fmt(e_cold, "s"), fmt(s_cold, "s"),
         ratio(s_cold, e_cold),
         f"bare Polars cold {fmt(p_cold, 's')}: ember = "
         f"{statistics.median(e_cold) / statistics.median(p_cold):.2f}x;"
         f" CPU s: ember {statistics.median(r['cold_cpu'] for r in ember):.2f}, "
         f"Polars {statistics.median(r['polars']['cold_cpu'] for r in ember):.2f}"),
    ]
    e_start = [r["getorcreate_s"] * 1000 for r in ember]
    s_start = [r["getorcreate_s"] * 1000 for r in spark] if spark else None
    e_import = statistics.median(r["import_s"] * 1000 for r in ember)
    rows.append(("sql", "SparkSession.builder.getOrCreate(), cold", fmt(e_start, "ms"), fmt(s_start, "ms"),
                 ratio(s_start, e_start),
                 f"target <= 150 ms; before it, `import ember.sql` {e_import:.0f} ms "
                 f"(`import pyspark.sql` {statistics.median(r['import_s'] * 1000 for r in spark):.0f} ms)"
                 if spark else f"target <= 150 ms; before it, `import ember.sql` {e_import:.0f} ms"))
    return rows
