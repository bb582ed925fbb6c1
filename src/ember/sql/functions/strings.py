"""String functions: splitting, case, trimming, padding, regular expressions.

Patterns are Java regular expressions, as in Spark.
"""

from __future__ import annotations

from ember.sql.column import Column
from ember.sql.functions._util import f as _f


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


def trim(col, trim: str | None = None) -> Column:
    return _f("trim", col)


def ltrim(col, trim: str | None = None) -> Column:
    return _f("ltrim", col)


def rtrim(col, trim: str | None = None) -> Column:
    return _f("rtrim", col)


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
