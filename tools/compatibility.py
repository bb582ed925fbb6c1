"""Write COMPATIBILITY.md from test results: Spark's own streaming cases and examples, on ember and on Spark.

The table is never written by hand. This script runs (or reads the JUnit XML of) the re-expressed Spark
test cases in ``tests/conformance/spark_suite/`` and the examples tests
``tests/conformance/test_spark_examples.py`` (DStream) and ``test_spark_examples_structured.py`` in
both lanes, the default engine (ember) and ``EMBER_TEST_ENGINE=spark`` (Apache Spark), and writes every
case with its status on each engine, the known differences with their reasons (the ``xfail`` reasons of
the tests and their ``EMBER_KNOWN`` tables), the cases that cannot apply (``NOT_APPLICABLE`` tables in
the test modules and ``spark_examples_support.py``), and the deliberate differences that README.md lists.

Usage::

    python tools/compatibility.py --run                 # run both lanes (minutes: Spark is slow to start)
    python tools/compatibility.py --ember-xml E.xml --spark-xml S1.xml S2.xml   # from results made elsewhere
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import os
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]
SUITE = ROOT / "tests" / "conformance" / "spark_suite"
#: the tests that run Spark's example programs: DStream ones, Structured Streaming ones
EXAMPLES_TESTS = [ROOT / "tests" / "conformance" / "test_spark_examples.py",
                  ROOT / "tests" / "conformance" / "test_spark_examples_structured.py"]
EXAMPLES_MODULES = {path.stem for path in EXAMPLES_TESTS}
#: where the examples' tests keep what they share, ``NOT_APPLICABLE`` included
EXAMPLES_SUPPORT = ROOT / "tests" / "conformance" / "spark_examples_support.py"
TARGETS = [str(SUITE.relative_to(ROOT)), *(str(path.relative_to(ROOT)) for path in EXAMPLES_TESTS)]
EMBER_PYTHON = os.environ.get("EMBER_PYTHON", sys.executable)
SPARK_PYTHON = os.environ.get("EMBER_SPARK_PYTHON",
                              os.path.expanduser("~/.cache/ember/spark-venv/bin/python"))

#: our test module -> the Spark test file it re-expresses
SPARK_FILES = {
    "test_suite_dstream": "python/pyspark/streaming/tests/test_dstream.py",
    "test_suite_context": "python/pyspark/streaming/tests/test_context.py",
    "test_suite_listener": "python/pyspark/streaming/tests/test_listener.py",
}
#: our test class -> Spark's test class
SPARK_CLASSES = {
    "TestBasicOperations": "BasicOperationTests",
    "TestWindowFunctions": "WindowFunctionTests",
    "TestCheckpoint": "CheckpointTests",
    "TestStreamingContext": "StreamingContextTests",
    "TestStreamingListener": "StreamingListenerTests",
}
EXAMPLE_DIR = "pyspark/examples/src/main/python/streaming"
STRUCTURED_EXAMPLE_DIR = "pyspark/examples/src/main/python/sql/streaming"


@dataclass
class Result:
    status: str  # passed, failed, error, skipped, xfail
    message: str = ""


def run_lane(engine: str, xml: pathlib.Path) -> None:
    """Run the Spark cases and the examples on one engine, results into ``xml``."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    python = EMBER_PYTHON
    if engine == "spark":
        env["EMBER_TEST_ENGINE"] = "spark"
        python = SPARK_PYTHON
    else:
        env.pop("EMBER_TEST_ENGINE", None)
    cmd = [python, "-m", "pytest", *TARGETS, "-q", "-p", "no:cacheprovider", f"--junitxml={xml}"]
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, cwd=ROOT, env=env, check=False)


def _is_spark_case(classname_parts: list[str]) -> bool:
    """Whether a test belongs to the Spark suites (tests/conformance/spark_suite/) or the examples."""
    return "spark_suite" in classname_parts or not EXAMPLES_MODULES.isdisjoint(classname_parts)


def read_junit(path: pathlib.Path) -> dict[str, Result]:
    """``module::Class::test`` (or ``module::test``) -> its result, from pytest's JUnit XML."""
    out: dict[str, Result] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        parts = case.get("classname", "").split(".")
        # classname is the dotted path of the module, then the class if any
        if parts and parts[-1][:1].isupper():
            key = f"{parts[-2]}::{parts[-1]}::{case.get('name')}"
        else:
            key = f"{parts[-1]}::{case.get('name')}"
        if not _is_spark_case(parts):
            continue  # XML of a whole lane: only Spark's re-expressed cases and examples count here
        status, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                status, message = ("failed" if child.tag == "failure" else "error"), child.get("message", "")
            elif child.tag == "skipped":
                kind = child.get("type", "")
                status = "xfail" if "xfail" in kind else "skipped"
                message = child.get("message", "")
        out[key] = Result(status, message)
    return out


def literal_tables(path: pathlib.Path, name: str) -> dict:
    """The dict literal assigned to ``name`` at the top of a test module ({} when absent)."""
    tree = ast.parse(path.read_text())
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value is not None:
            return ast.literal_eval(node.value)
    return {}


def deliberate_differences() -> list[str]:
    """The bullet list under "Differences from Spark that are deliberate" in README.md."""
    text = (ROOT / "README.md").read_text()
    m = re.search(r"Differences from Spark that are deliberate:?\s*\n(.*?)(?:\n\s*\n(?!- |  )|\n#)",
                  text, re.S)
    if not m:
        return []
    items, current = [], ""
    for line in m.group(1).splitlines():
        if line.startswith("- "):
            if current:
                items.append(current)
            current = line[2:].strip()
        elif line.strip():
            current += " " + line.strip()
    if current:
        items.append(current)
    return items


def spark_name(key: str) -> tuple[str, str]:
    """(Spark file, Spark case) for one of our test keys."""
    parts = key.split("::")
    module = parts[0]
    if module in EXAMPLES_MODULES:
        example = re.sub(r"\[.*\]$", "", parts[-1])[len("test_"):]
        folder = STRUCTURED_EXAMPLE_DIR if example.startswith("structured_") else EXAMPLE_DIR
        return f"{folder}/", f"{example}.py"
    spark_file = SPARK_FILES.get(module) or _declared_spark_file(module)
    if len(parts) == 3:
        return spark_file, f"{SPARK_CLASSES.get(parts[1], parts[1])}.{parts[2]}"
    return spark_file, parts[-1]


def _declared_spark_file(module: str) -> str:
    """The Spark file a suite module names in ``SPARK_FILE``, else a guess from where it lives."""
    for path in SUITE.rglob(f"{module}.py"):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            named = isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SPARK_FILE"
                                                          for t in node.targets)
            if named and isinstance(node.value, ast.Constant):
                return str(node.value.value)
        if path.parent.name == "sql_streaming":  # Structured Streaming: python/pyspark/sql/tests/streaming/
            spark_module = re.sub(r"^test_spark_sql_", "test_", module)
            return f"python/pyspark/sql/tests/streaming/{spark_module}.py"
    return f"{module}.py"


BADGE = {"passed": "pass", "failed": "**FAIL**", "error": "**ERROR**", "skipped": "skip",
         "xfail": "known difference", None: "not run"}


def cell(r: Result | None) -> str:
    return BADGE[r.status if r else None]


def tally(keys: list[str], results: dict[str, Result]) -> str:
    """``passed`` count, then what the others were: ``15 (2 failed, 1 not run)``."""
    counts = Counter(results[k].status if k in results else "not run" for k in keys)
    rest = [f"{n} {status}" for status, n in sorted(counts.items()) if status != "passed"]
    return f"{counts['passed']}" + (f" ({', '.join(rest)})" if rest else "")


def render(ember: dict[str, Result], spark: dict[str, Result]) -> str:
    keys = sorted(set(ember) | set(spark), key=lambda k: (spark_name(k), k))
    by_file: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        by_file[spark_name(k)[0]].append(k)
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Compatibility with Apache Spark's own streaming tests and examples",
        "",
        f"Generated by `tools/compatibility.py` from test results ({today}); do not edit by hand.",
        "Each Spark case is re-expressed in `tests/conformance/spark_suite/` (same inputs, same expected",
        "values, driven by the manual clock) and Spark's Python streaming examples run unchanged from the",
        "installed pyspark package (`tests/conformance/test_spark_examples.py`, DStream, and",
        "`tests/conformance/test_spark_examples_structured.py`). The same tests run on ember",
        "and, with `EMBER_TEST_ENGINE=spark`, on Apache Spark (PySpark 4.3.0).",
        "Regenerate with `python tools/compatibility.py --run` (both lanes; the Spark lane takes minutes).",
        "",
        "## Summary",
        "",
        "| Spark file | cases | passed on ember | passed on Spark |",
        "|---|---|---|---|",
    ]
    for spark_file, ks in by_file.items():
        lines.append(f"| `{spark_file}` | {len(ks)} | {tally(ks, ember)} | {tally(ks, spark)} |")
    na: dict = {}
    for path in [*sorted(SUITE.rglob("test_*.py")), *EXAMPLES_TESTS, EXAMPLES_SUPPORT]:
        na.update(literal_tables(path, "NOT_APPLICABLE"))
    for spark_file, n in sorted(Counter(case.split("::")[0] for case in na).items()):
        lines.append(f"| `{spark_file}` | {n} | cannot apply | cannot apply |")
    lines += ["", "## Every case", ""]
    for spark_file, ks in by_file.items():
        lines += [f"### `{spark_file}`", "", "| Spark case | ember | Spark | our test |", "|---|---|---|---|"]
        for k in ks:
            lines.append(f"| `{spark_name(k)[1]}` | {cell(ember.get(k))} | {cell(spark.get(k))} | `{k}` |")
        lines.append("")
    lines += ["## Known differences", "",
              "Cases that did not pass on an engine, with what the test reported. A case that fails on Spark",
              "too is a test still being written (the expected values come from Spark), not an engine gap.",
              ""]

    def reason(r: Result) -> str:
        text = r.message.replace("\n", " ").strip()
        return text[:300] + " ..." if len(text) > 300 else text

    shown = 0
    for k in keys:
        e, s_ = ember.get(k), spark.get(k)
        bad = [(lane, r) for lane, r in (("ember", e), ("Spark", s_))
               if r is not None and r.status != "passed"]
        if not bad:
            continue
        shown += 1
        f, case = spark_name(k)
        note = " (fails on Spark too: the test is not finished)" if s_ is not None and s_.status != "passed" \
            else ""
        lines.append(f"- `{case}` (`{f}`){note}:")
        for lane, r in bad:
            lines.append(f"  - {lane}: {r.status}. {reason(r)}")
    if not shown:
        lines.append("None: every case passes on both engines.")
    lines += ["", "## Cases that cannot apply", ""]
    if not na:
        lines.append("None.")
    for case, reason in sorted(na.items()):
        lines.append(f"- `{case}`: {reason}")
    lines += ["", "## Differences that are deliberate (README.md)", ""]
    lines += [f"- {item}" for item in deliberate_differences()] or ["None listed."]
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--run", action="store_true", help="run both lanes now (results in build/)")
    p.add_argument("--ember-xml", type=pathlib.Path, nargs="+", default=[ROOT / "build" / "compat-ember.xml"],
                   help="JUnit XML of the ember lane (several files are merged)")
    p.add_argument("--spark-xml", type=pathlib.Path, nargs="+", default=[ROOT / "build" / "compat-spark.xml"],
                   help="JUnit XML of the Spark lane (several files are merged)")
    p.add_argument("--out", type=pathlib.Path, default=ROOT / "COMPATIBILITY.md")
    args = p.parse_args(argv)
    if args.run:
        args.ember_xml[0].parent.mkdir(parents=True, exist_ok=True)
        run_lane("ember", args.ember_xml[0])
        run_lane("spark", args.spark_xml[0])
    missing = [x for x in (*args.ember_xml, *args.spark_xml) if not x.exists()]
    if missing:
        print(f"compatibility: no results at {', '.join(map(str, missing))}; use --run", file=sys.stderr)
        return 2
    ember, spark = {}, {}
    for x in args.ember_xml:
        ember.update(read_junit(x))
    for x in args.spark_xml:
        spark.update(read_junit(x))
    args.out.write_text(render(ember, spark))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
