"""ember.sql.functions is a package of family modules; its surface is PySpark's (ember's own checks)."""

import importlib
import pathlib
import re

import ember.sql.functions
from ember.sql import functions as F


def test_every_import_form_reaches_the_same_functions():
    from ember.sql.functions import col, explode, split, to_utc_timestamp, window

    assert ember.sql.functions is F
    assert (col, explode, split, window, to_utc_timestamp) == (
        F.col, F.explode, F.split, F.window, F.to_utc_timestamp
    )
    assert callable(F.window)  # the family module is datetime, never a submodule named like a function


def test_star_import_exports_functions_only():
    names: dict = {}
    exec("from ember.sql.functions import *", names)
    for module_name in ("datetime", "math", "collections", "json", "strings", "E", "Column"):
        assert module_name not in names
    assert {"col", "lit", "count", "sum", "window", "from_json", "transform", "row_number"} <= set(names)
    assert all(callable(names[n]) for n in F.__all__)


def test_family_modules_hold_what_they_are_named_for():
    assert F.upper.__module__ == "ember.sql.functions.strings"
    assert F.to_utc_timestamp.__module__ == "ember.sql.functions.datetime"
    assert F.count_if.__module__ == "ember.sql.functions.aggregates"
    assert F.array_union.__module__ == "ember.sql.functions.collections"
    assert F.row_number is importlib.import_module("ember.sql.window_funcs").row_number


def test_nothing_imports_private_names_of_the_functions_package():
    root = pathlib.Path(__file__).resolve().parents[2]
    private = re.compile(r"from ember\.sql\.functions import _|functions\._(?!_)")
    for path in list((root / "src").rglob("*.py")) + list((root / "tests").rglob("*.py")):
        if "functions" in path.parts and path.parent.name == "functions":
            continue  # the package's own modules share their helpers
        assert not private.search(path.read_text(encoding="utf-8")), path


def test_the_pyspark_shim_maps_the_package():
    import sys

    from ember.shim import install_pyspark_alias

    before = list(sys.meta_path)
    install_pyspark_alias()
    try:
        pyspark_functions = importlib.import_module("pyspark.sql.functions")
        assert pyspark_functions.from_json is F.from_json
    finally:  # leave this process as it was: no pyspark alias for the other tests
        sys.meta_path[:] = before
        for name in [n for n in sys.modules if n == "pyspark" or n.startswith("pyspark.")]:
            del sys.modules[name]
