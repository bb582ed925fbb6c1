"""String functions: splitting, case, trimming, padding, regular expressions.

Patterns are Java regular expressions, as in Spark.
"""

from __future__ import annotations

from ember.sql import expressions as E
from ember.sql.column import Column
from ember.sql.functions._util import c as _c
from ember.sql.functions._util import f as _f
from ember.sql.functions._util import v as _v


def split(str, pattern: str, limit: int = -1) -> Column:  # noqa: A002
    """Split by a (Java) regex; empty and trailing empty tokens are kept as in Spark.

    Examples
    --------
    >>> split("line", " ")
    Column<'split(line, ' ', -1)'>
    """
    return _f("split", str, params=(pattern, limit))


def lower(col) -> Column:
    return _f("lower", col)


def upper(col) -> Column:
    return _f("upper", col)


def trim(col, trim=None) -> Column:
    """``col`` without leading and trailing spaces, or without the characters of ``trim`` (a column)."""
    return _f("trim", col, *(() if trim is None else (trim,)))


def ltrim(col, trim=None) -> Column:
    return _f("ltrim", col, *(() if trim is None else (trim,)))


def rtrim(col, trim=None) -> Column:
    return _f("rtrim", col, *(() if trim is None else (trim,)))


def initcap(col) -> Column:
    return _f("initcap", col)


def reverse(col) -> Column:
    return _f("reverse", col)


def length(col) -> Column:
    return _f("length", col)


def concat(*cols) -> Column:
    return _f("concat", *cols)


def concat_ws(sep: str, *cols) -> Column:
    return _f("concat_ws", *cols, params=(sep,))


def regexp_replace(string, pattern, replacement) -> Column:
    return _f("regexp_replace", string, params=(pattern, replacement, 1))


def regexp_extract(str, pattern: str, idx: int) -> Column:  # noqa: A002
    return _f("regexp_extract", str, params=(pattern, idx))


def substring(str, pos: int, len: int) -> Column:  # noqa: A002
    return _f("substring", str, params=(pos, len))


def instr(str, substr: str) -> Column:  # noqa: A002
    return _f("instr", str, params=(substr,))


def lpad(col, len: int, pad: str) -> Column:  # noqa: A002
    return _f("lpad", col, params=(len, pad))


def rpad(col, len: int, pad: str) -> Column:  # noqa: A002
    return _f("rpad", col, params=(len, pad))


def repeat(col, n: int) -> Column:
    return _f("repeat", col, params=(n,))


def translate(srcCol, matching: str, replace: str) -> Column:
    return _f("translate", srcCol, params=(matching, replace))


# -- predicates --------------------------------------------------------------------------------
def contains(left, right) -> Column:
    """Whether ``left`` contains ``right`` (both columns; a ``str`` is a column name)."""
    return _f("contains", left, right)


def startswith(str, prefix) -> Column:  # noqa: A002
    return _f("startswith", str, prefix)


def endswith(str, suffix) -> Column:  # noqa: A002
    return _f("endswith", str, suffix)


def like(str, pattern, escapeChar=None) -> Column:  # noqa: A002
    """SQL ``LIKE`` (``_`` one character, ``%`` any run); ``pattern`` a literal column (``lit("a%")``)."""
    return _pattern_call("like", str, pattern)


def ilike(str, pattern, escapeChar=None) -> Column:  # noqa: A002
    return _pattern_call("ilike", str, pattern)


def rlike(str, regexp) -> Column:  # noqa: A002
    """Whether the Java regex ``regexp`` (a literal column) matches anywhere in ``str``."""
    return _pattern_call("rlike", str, regexp)


def regexp_like(str, regexp) -> Column:  # noqa: A002
    return _pattern_call("regexp_like", str, regexp)


def regexp(str, regexp) -> Column:  # noqa: A002
    return _pattern_call("regexp", str, regexp)


def _pattern_call(name: str, subject, pattern) -> Column:
    # ember compiles the pattern once, so it must be a literal (as it nearly always is: lit("a%"))
    expr = _c(pattern)
    if not isinstance(expr, E.Literal) or not isinstance(expr.value, str):
        from ember.errors import AnalysisException

        raise AnalysisException(f"ember's {name} needs a literal pattern, such as lit('...')")
    return Column(E.Func(name, (_c(subject),), (expr.value,)))


# -- case, length, slicing ---------------------------------------------------------------------
def lcase(str) -> Column:  # noqa: A002
    return _f("lcase", str)


def ucase(str) -> Column:  # noqa: A002
    return _f("ucase", str)


def char_length(str) -> Column:  # noqa: A002
    """The number of characters (as ``length``)."""
    return _f("char_length", str)


def character_length(str) -> Column:  # noqa: A002
    return _f("character_length", str)


def octet_length(col) -> Column:
    """The number of bytes of the UTF-8 text."""
    return _f("octet_length", col)


def bit_length(col) -> Column:
    return _f("bit_length", col)


def left(str, len) -> Column:  # noqa: A002
    """The leftmost ``len`` characters (``len`` a column; ``lit(3)``)."""
    return _f("left", str, len)


def right(str, len) -> Column:  # noqa: A002
    """The rightmost ``len`` characters."""
    return _f("right", str, len)


def substr(str, pos, len=None) -> Column:  # noqa: A002
    """``substring`` with column arguments: from the 1-based ``pos``, ``len`` characters (all if omitted)."""
    return Column(E.Func("substr", (_c(str), _c(pos), _v(2147483647) if len is None else _c(len))))


def btrim(str, trim=None) -> Column:  # noqa: A002
    """``str`` without leading and trailing spaces, or characters of ``trim``."""
    return _f("btrim", str, *(() if trim is None else (trim,)))


def locate(substr: str, str, pos: int = 1) -> Column:  # noqa: A002
    """The 1-based position of ``substr`` in ``str`` at or after ``pos``; 0 when absent.

    Examples
    --------
    >>> locate("b", "s")
    Column<'locate(b, s, 1)'>
    """
    return Column(E.Func("locate", (_v(substr), _c(str), _v(pos))))


def position(substr, str, start=None) -> Column:  # noqa: A002
    """As ``locate`` with column arguments (``start`` defaults to 1)."""
    return Column(E.Func("position", (_c(substr), _c(str), _c(start) if start is not None else _v(1))))


def split_part(src, delimiter, partNum) -> Column:
    """Part ``partNum`` (1-based; negative counts from the end) of ``src`` split on the literal
    ``delimiter``; ``""`` past the end."""
    return _f("split_part", src, delimiter, partNum)


def substring_index(str, delim: str, count: int) -> Column:  # noqa: A002
    """The text before the ``count``-th ``delim`` (after the ``-count``-th from the end when negative)."""
    return _f("substring_index", str, params=(delim, count))


def replace(src, search, replace=None) -> Column:
    """``src`` with every ``search`` (literal text) replaced by ``replace`` (removed when omitted)."""
    return Column(E.Func("replace", (_c(src), _c(search), _v("") if replace is None else _c(replace))))


# -- regular expressions -----------------------------------------------------------------------
def regexp_count(str, regexp) -> Column:  # noqa: A002
    """How many times the Java regex ``regexp`` matches in ``str``."""
    return _f("regexp_count", str, regexp)


def regexp_substr(str, regexp) -> Column:  # noqa: A002
    """The first match of ``regexp`` in ``str``, null when there is none."""
    return _f("regexp_substr", str, regexp)


def regexp_extract_all(str, regexp, idx=None) -> Column:  # noqa: A002
    """Group ``idx`` (default 1) of every match of ``regexp`` in ``str``, as an array."""
    return Column(E.Func("regexp_extract_all", (_c(str), _c(regexp), _v(1 if idx is None else idx))))


def format_number(col, d: int) -> Column:
    """``col`` rounded (half to even) to ``d`` decimals, with thousands separators: ``1,234.57``.

    Examples
    --------
    >>> format_number("price", 2)
    Column<'format_number(price, 2)'>
    """
    return _f("format_number", col, params=(d,))
