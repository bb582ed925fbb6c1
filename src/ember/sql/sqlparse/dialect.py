"""Reading SQL text: sqlglot's Spark dialect, kept close to the words the user wrote.

sqlglot normally rewrites function calls into its own canonical nodes (``mean`` becomes ``Avg``,
``date_format`` becomes ``TimeToStr`` with a strftime pattern). Spark derives column names from the
words written, so this dialect keeps every ordinary call as ``exp.Anonymous(name, args)`` and only
retains sqlglot's parsers for syntax that is not a plain call (``CAST(x AS t)``,
``SUBSTRING(s FROM 1 FOR 2)``, ``TRIM(BOTH ' ' FROM s)``, ``EXTRACT(YEAR FROM ts)``).

Examples
--------
>>> parse_one_expression("mean(n)").name
'mean'
"""

from __future__ import annotations

import logging
from typing import Any, Callable

import sqlglot
from sqlglot import exp
from sqlglot.dialects.spark import Spark
from sqlglot.errors import ParseError, TokenError

from ember.sql.sqlparse.errors import SqlErrors

# sqlglot warns on stderr when it falls back to a raw Command (SHOW TABLES, EXPLAIN): we handle
# those ourselves, so the warning is noise.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

_DCOLON = sqlglot.TokenType.DCOLON
_SYNTAX_FORMS = ("CAST", "TRY_CAST", "EXTRACT", "TRIM", "POSITION")


def _named(parser: Callable, name: str) -> Callable:
    """Wrap a sqlglot function parser so the node remembers the name used (substr or substring)."""

    def parse(self: Any) -> exp.Expr:
        node = parser(self)
        node.meta["name"] = name
        return node

    return parse


def _dcolon_marking_suffixes(original: Callable) -> Callable:
    """Wrap the ``::`` operator so a typed numeric literal (``3L``, ``2.0D``) is told from a cast.

    sqlglot reads ``3L`` as ``3::BIGINT`` with a made-up ``::`` token; Spark names the literal
    ``3`` but the cast ``CAST(3 AS BIGINT)``, so the node remembers which one the text had.
    """

    def operator(self: Any, this: exp.Expr, to: exp.Expr) -> exp.Expr:
        node = original(self, this, to)
        for index in range(self._index - 1, -1, -1):
            token = self._tokens[index]
            if token.token_type == sqlglot.TokenType.DCOLON:
                if self.sql[token.start:token.end + 1] != "::":
                    node.meta["suffix"] = True
                break
        return node

    return operator


def _extract_keeping_field(parser: Callable) -> Callable:
    """Wrap EXTRACT's parser: Spark names ``extract(hour FROM ts)`` with the field as typed."""

    def parse(self: Any) -> exp.Expr:
        typed = self._curr.text if self._curr is not None else ""
        node = parser(self)
        node.meta["field"] = typed
        return node

    return parse


class EmberSpark(Spark):
    """Spark's dialect with calls left anonymous, so names survive as written."""

    class Tokenizer(Spark.Tokenizer):
        # ``window`` is a function in Spark SQL (``GROUP BY window(ts, '10 seconds')``); as a
        # keyword sqlglot would end the GROUP BY list there. Named WINDOW clauses are not supported.
        KEYWORDS = {k: v for k, v in Spark.Tokenizer.KEYWORDS.items() if k != "WINDOW"}

    class Parser(Spark.Parser):
        FUNCTIONS: dict = {}
        COLUMN_OPERATORS = {
            **Spark.Parser.COLUMN_OPERATORS,
            _DCOLON: _dcolon_marking_suffixes(Spark.Parser.COLUMN_OPERATORS[_DCOLON]),
        }
        FUNCTION_PARSERS = {
            **{k: v for k, v in Spark.Parser.FUNCTION_PARSERS.items() if k in _SYNTAX_FORMS},
            "EXTRACT": _extract_keeping_field(Spark.Parser.FUNCTION_PARSERS["EXTRACT"]),
            "SUBSTRING": _named(Spark.Parser.FUNCTION_PARSERS["SUBSTRING"], "substring"),
            "SUBSTR": _named(Spark.Parser.FUNCTION_PARSERS["SUBSTR"], "substr"),
        }


def _syntax_error(text: str, error: Exception, errors: SqlErrors) -> Exception:
    """Spark's ``[PARSE_SYNTAX_ERROR]`` for a sqlglot error, pointing at the offending token."""
    details = getattr(error, "errors", None) or [{}]
    first = details[0]
    highlight = first.get("highlight") or ""
    description = first.get("description") or ""
    line = first.get("line") or 1
    col = first.get("col")
    lines = text.split("\n")
    at_end = not (first.get("end_context") or "").strip() and (
        description.startswith("Required keyword") or description.startswith("Expecting"))
    if col is None or at_end or not highlight:
        line = len(lines)
        pos = len(lines[-1].rstrip())
        near = "end of input"
    else:
        pos = max(col - len(highlight), 0)
        near = f"'{highlight}'"
        if pos > 0 and description.startswith("Invalid expression / Unexpected token"):
            near += f": extra input '{highlight}'"  # a token left over after a complete expression
    return errors.parse_syntax_error(text, f"Syntax error at or near {near}.", line, pos)


def _check_commas(text: str, errors: SqlErrors) -> None:
    """Refuse ``a,, b``: sqlglot quietly skips an empty list item, Spark does not."""
    try:
        tokens = sqlglot.tokenize(text, read=EmberSpark)
    except TokenError as error:
        raise _syntax_error(text, error, errors) from None
    previous = None
    for token in tokens:
        if token.token_type == sqlglot.TokenType.COMMA and previous is not None \
                and previous.token_type == sqlglot.TokenType.COMMA:
            raise errors.parse_syntax_error(text, "Syntax error at or near ','.", token.line,
                                            _column_of(text, token.start))
        previous = token


def _check_first_word(text: str, errors: SqlErrors) -> None:
    """A statement must open with a keyword: Spark points at a misspelt first word (``selec``)."""
    tokens = sqlglot.tokenize(text, read=EmberSpark)
    if tokens and tokens[0].token_type in (sqlglot.TokenType.VAR, sqlglot.TokenType.IDENTIFIER):
        first = tokens[0]
        raise errors.parse_syntax_error(text, f"Syntax error at or near '{first.text}'.", first.line,
                                        _column_of(text, first.start))


def _column_of(text: str, offset: int) -> int:
    """The 0-based position of ``offset`` within its line."""
    start = text.rfind("\n", 0, offset) + 1
    return offset - start


def second_statement_error(text: str, errors: SqlErrors) -> Exception:
    """Spark runs one statement per call: the first token after a ``;`` is an extra input."""
    tokens = sqlglot.tokenize(text, read=EmberSpark)
    seen_semicolon = False
    for token in tokens:
        if token.token_type == sqlglot.TokenType.SEMICOLON:
            seen_semicolon = True
        elif seen_semicolon:
            return errors.parse_syntax_error(
                text, f"Syntax error at or near '{token.text}': extra input '{token.text}'.", token.line,
                _column_of(text, token.start))
    return errors.parse_syntax_error(text, "Syntax error at or near ';'.", 1, 0)


def parse_statements(text: str, errors: SqlErrors) -> list[exp.Expr]:
    """Every statement in ``text`` as sqlglot trees; syntax errors become Spark's ParseException.

    Examples
    --------
    >>> from ember.sql.sqlparse.errors import SqlErrors
    >>> [type(s).__name__ for s in parse_statements("select 1", SqlErrors.for_root("ember"))]
    ['Select']
    """
    if not text.strip() or not text.strip().strip(";").strip():
        raise errors.empty_statement(text)
    _check_commas(text, errors)
    _check_first_word(text, errors)
    try:
        statements = sqlglot.parse(text, read=EmberSpark)
    except (ParseError, TokenError) as error:
        raise _syntax_error(text, error, errors) from None
    return [s for s in statements if s is not None]


def parse_one_expression(text: str, errors: SqlErrors | None = None) -> exp.Expr:
    """One SQL expression (what ``expr()`` and ``selectExpr`` take) as a sqlglot tree.

    Examples
    --------
    >>> type(parse_one_expression("n + 1")).__name__
    'Add'
    """
    errors = errors or SqlErrors.for_root("ember")
    _check_commas(text, errors)
    if not text.strip():
        raise errors.empty_statement(text)
    try:
        node = sqlglot.parse_one(text, read=EmberSpark)
    except (ParseError, TokenError) as error:
        raise _syntax_error(text, error, errors) from None
    return node
