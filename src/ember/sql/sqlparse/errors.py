"""The errors a SQL text can raise, built from the engine's own ``errors`` module.

The translator runs on ember and, for testing, on PySpark itself; each engine's ``except`` clauses
expect its own exception classes, so the classes come from ``<root>.errors`` of the engine in use.

Examples
--------
>>> e = SqlErrors.for_root("ember").unsupported("LATERAL VIEW", "select 1")
>>> type(e).__name__
'ParseException'
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class SqlErrors:
    """Factories for ParseException and AnalysisException of one engine (``ember`` or ``pyspark``)."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module

    @classmethod
    def for_root(cls, root: str) -> SqlErrors:
        """The errors of the engine whose top package is ``root``."""
        return cls(importlib.import_module(f"{root}.errors"))

    @classmethod
    def for_object(cls, obj: Any) -> SqlErrors:
        """The errors of the engine that defined ``obj`` (a functions module, a session)."""
        return cls.for_root(engine_root(obj))

    @property
    def AnalysisException(self) -> type:  # noqa: N802 - the engine's class name
        return self.module.AnalysisException

    @property
    def ParseException(self) -> type:  # noqa: N802
        return self.module.ParseException

    def parse_syntax_error(self, text: str, message: str, line: int, pos: int) -> Exception:
        """``[PARSE_SYNTAX_ERROR]`` with Spark's position and ``== SQL ==`` excerpt."""
        return self.ParseException(
            message=f"{message} SQLSTATE: 42601 (line {line}, pos {pos})\n\n{sql_excerpt(text, line, pos)}",
            errorClass="PARSE_SYNTAX_ERROR")

    def empty_statement(self, text: str) -> Exception:
        """Spark's ``[PARSE_EMPTY_STATEMENT]`` for a text with nothing to run."""
        lines = text.split("\n")
        line, pos = len(lines), len(lines[-1])
        return self.ParseException(
            message=f"Syntax error, unexpected empty statement. SQLSTATE: 42617 (line {line}, pos {pos})\n\n"
                    f"{sql_excerpt(text, line, pos)}",
            errorClass="PARSE_EMPTY_STATEMENT")

    def unsupported(self, what: str, text: str) -> Exception:
        """A ParseException naming the SQL feature ember does not translate."""
        return self.ParseException(message=f"ember does not support {what} in SQL statements yet: {text}")

    def analysis(self, error_class: str | None, message: str) -> Exception:
        """An AnalysisException with Spark's error class and message."""
        return self.AnalysisException(message=message, errorClass=error_class)

    def table_not_found(self, name: str, line: int, pos: int) -> Exception:
        """Spark's ``[TABLE_OR_VIEW_NOT_FOUND]`` for ``name`` at a position of the query text."""
        return self.analysis(
            "TABLE_OR_VIEW_NOT_FOUND",
            f"The table or view {name} cannot be found. Verify the spelling and correctness of the "
            "schema and catalog.\n"
            "Search path: [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`].\n"
            "If you did not qualify the name with a schema, verify the current_schema() output, or "
            "qualify the name with the correct schema and catalog.\n"
            "To tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS. "
            f"SQLSTATE: 42P01; line {line} pos {pos}")


def sql_excerpt(text: str, line: int, pos: int) -> str:
    """Spark's ``== SQL ==`` block: the text with a ``---^^^`` marker under the error line."""
    lines = text.split("\n")
    out = ["== SQL =="]
    for number, content in enumerate(lines, start=1):
        out.append(content)
        if number == line:
            out.append("-" * pos + "^^^")
    return "\n".join(out) + "\n"


def engine_root(obj: Any) -> str:
    """``"pyspark"`` or ``"ember"``: the top package of the module or object ``obj`` comes from."""
    name = obj.__name__ if isinstance(obj, ModuleType) else type(obj).__module__
    return name.split(".", 1)[0]
