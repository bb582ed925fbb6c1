"""Column: PySpark's column expression, an immutable tree built with operators and methods.

Examples
--------
>>> from ember.sql import functions as F
>>> str((F.col("n") + 1).alias("m")._expr.name)
'm'
"""

from __future__ import annotations

from typing import Any

from ember.errors import PySparkTypeError, PySparkValueError
from ember.sql import expressions as E


def _lit_expr(value: Any) -> E.Expr:
    from ember.sql.typerules import literal_type

    return E.Literal(value, literal_type(value))


def to_expr(value: Any) -> E.Expr:
    """A Column or a Python literal as an expression node."""
    if isinstance(value, Column):
        return value._expr
    return _lit_expr(value)


def col_expr(value: Any) -> E.Expr:
    """A Column or a column *name* as an expression node (what ``select("a")`` means)."""
    if isinstance(value, Column):
        return value._expr
    if isinstance(value, str):
        return (
            E.Star() if value == "*" else (E.Star(value[:-2]) if value.endswith(".*") else E.ColumnRef(value))
        )
    raise PySparkTypeError(
        f"Argument `col` should be Column or str, got {type(value).__name__}.",
        errorClass="NOT_EXPECTED_TYPE",
        messageParameters={"arg_name": "col", "arg_type": type(value).__name__},
    )


def _bin(op: str, reverse: bool = False):
    def method(self, other):
        left, right = self._expr, to_expr(other)
        if reverse:
            left, right = right, left
        return Column(E.BinOp(op, left, right))

    return method


class Column:
    """A column expression; build with :func:`ember.sql.functions.col` or ``df["name"]``."""

    __slots__ = ("_expr",)

    def __init__(self, expr: E.Expr) -> None:
        self._expr = expr

    # -- operators -----------------------------------------------------------------------------
    __add__ = _bin("+")
    __radd__ = _bin("+")  # Spark names ``1 + c`` as (c + 1): commutative reflections are not swapped
    __sub__ = _bin("-")
    __rsub__ = _bin("-", True)
    __mul__ = _bin("*")
    __rmul__ = _bin("*")
    __truediv__ = _bin("/")
    __rtruediv__ = _bin("/", True)
    __div__ = __truediv__
    __mod__ = _bin("%")
    __rmod__ = _bin("%", True)
    __eq__ = _bin("=")  # type: ignore[assignment]
    __ne__ = _bin("!=")  # type: ignore[assignment]
    __lt__ = _bin("<")
    __le__ = _bin("<=")
    __gt__ = _bin(">")
    __ge__ = _bin(">=")
    __and__ = _bin("AND")
    __rand__ = _bin("AND")
    __or__ = _bin("OR")
    __ror__ = _bin("OR")
    eqNullSafe = _bin("<=>")
    bitwiseAND = _bin("&")
    bitwiseOR = _bin("|")
    bitwiseXOR = _bin("^")

    def __pow__(self, other):
        return Column(E.Func("pow", (self._expr, to_expr(other))))

    def __rpow__(self, other):
        return Column(E.Func("pow", (to_expr(other), self._expr)))

    def __invert__(self) -> Column:
        return Column(E.Unary("NOT", self._expr))

    def __neg__(self) -> Column:
        return Column(E.Unary("NEG", self._expr))

    def __bool__(self) -> bool:
        raise PySparkValueError(
            "Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not' when "
            "building DataFrame boolean expressions.",
            errorClass="CANNOT_CONVERT_COLUMN_INTO_BOOL",
        )

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self):
        raise PySparkTypeError(
            "Column is not iterable.", errorClass="NOT_ITERABLE", messageParameters={"objectName": "Column"}
        )

    def __contains__(self, item):
        raise PySparkValueError(
            "Cannot apply 'in' operator against a column: please use 'contains' in a string column or "
            "'array_contains' function for an array column.",
            errorClass="CANNOT_APPLY_IN_FOR_COLUMN",
        )

    # -- naming and types ----------------------------------------------------------------------
    def alias(self, *alias: str, **kwargs) -> Column:
        if not alias:
            raise PySparkValueError("Alias must not be empty.", errorClass="CANNOT_BE_EMPTY")
        if len(alias) > 1:
            # a non-generator fails when analysed, as in Spark (MULTI_ALIAS_WITHOUT_GENERATOR)
            return Column(E.Alias(self._expr, alias[-1], tuple(alias)))
        return Column(E.Alias(self._expr, alias[0]))

    name = alias
    as_ = alias

    def cast(self, dataType) -> Column:
        from ember.sql.types import DataType, _parse_datatype_string

        if isinstance(dataType, str):
            dataType = _cast_type(dataType, _parse_datatype_string)
        elif not isinstance(dataType, DataType):
            raise PySparkTypeError(
                f"Argument `dataType` should be a DataType or str, got {type(dataType).__name__}.",
                errorClass="NOT_DATATYPE_OR_STR",
            )
        return Column(E.Cast(self._expr, dataType))

    astype = cast

    def try_cast(self, dataType) -> Column:
        c = self.cast(dataType)._expr
        return Column(E.Cast(c.child, c.to, True))

    # -- predicates ----------------------------------------------------------------------------
    def isNull(self) -> Column:
        return Column(E.Unary("ISNULL", self._expr))

    def isNotNull(self) -> Column:
        return Column(E.Unary("ISNOTNULL", self._expr))

    def isNaN(self) -> Column:
        return Column(E.Unary("ISNAN", self._expr))

    def isin(self, *cols) -> Column:
        if len(cols) == 1 and isinstance(cols[0], (list, set, tuple)):
            cols = tuple(cols[0])
        return Column(E.In(self._expr, tuple(to_expr(c) for c in cols)))

    def between(self, lowerBound, upperBound) -> Column:
        return (self >= lowerBound) & (self <= upperBound)

    def _str_pred(self, name: str, other) -> Column:
        if isinstance(other, Column):
            return Column(E.Func(name, (self._expr, other._expr)))
        return Column(E.Func(name, (self._expr, _lit_expr(other))))

    def like(self, other: str) -> Column:
        return Column(E.Func("like", (self._expr,), (other,)))

    def ilike(self, other: str) -> Column:
        return Column(E.Func("ilike", (self._expr,), (other,)))

    def rlike(self, other: str) -> Column:
        return Column(E.Func("rlike", (self._expr,), (other,)))

    def startswith(self, other) -> Column:
        return self._str_pred("startswith", other)

    def endswith(self, other) -> Column:
        return self._str_pred("endswith", other)

    def contains(self, other) -> Column:
        return self._str_pred("contains", other)

    def substr(self, startPos, length) -> Column:
        from ember.sql import functions as F

        return F.substring(self, startPos, length)

    # -- conditionals --------------------------------------------------------------------------
    def when(self, condition: Column, value) -> Column:
        e = self._expr
        if not isinstance(e, E.CaseWhen) or e.otherwise is not None:
            raise PySparkTypeError(
                "when() can only be applied on a Column previously generated by when() "
                "function, and cannot be applied once otherwise() is applied.",
                errorClass="INVALID_WHEN_USAGE",
            )
        return Column(E.CaseWhen(e.branches + ((condition._expr, to_expr(value)),)))

    def otherwise(self, value) -> Column:
        e = self._expr
        if not isinstance(e, E.CaseWhen) or e.otherwise is not None:
            raise PySparkTypeError(
                "otherwise() can only be applied on a Column previously generated by when(), "
                "and cannot be applied once otherwise() is applied.",
                errorClass="INVALID_WHEN_USAGE",
            )
        return Column(E.CaseWhen(e.branches, to_expr(value)))

    # -- nested access -------------------------------------------------------------------------
    def getField(self, name: str) -> Column:
        return Column(E.GetField(self._expr, name))

    def getItem(self, key) -> Column:
        return Column(E.GetItem(self._expr, to_expr(key)))

    def __getitem__(self, k) -> Column:
        if isinstance(k, slice):
            from ember.sql import functions as F

            return F.substring(self, k.start, k.stop)
        if isinstance(k, str) and not isinstance(self._expr, E.Func):
            return self.getField(k)
        return self.getItem(k)

    def __getattr__(self, item: str) -> Column:
        if item.startswith("__"):
            raise AttributeError(item)
        return self.getField(item)

    def withField(self, fieldName: str, col: Column) -> Column:
        return Column(E.Func("with_field", (self._expr, col._expr), (fieldName,)))

    # -- ordering ------------------------------------------------------------------------------
    def asc(self) -> Column:
        return Column(E.SortOrder(self._expr, True, True))

    def asc_nulls_first(self) -> Column:
        return Column(E.SortOrder(self._expr, True, True))

    def asc_nulls_last(self) -> Column:
        return Column(E.SortOrder(self._expr, True, False))

    def desc(self) -> Column:
        return Column(E.SortOrder(self._expr, False, False))

    def desc_nulls_first(self) -> Column:
        return Column(E.SortOrder(self._expr, False, True))

    def desc_nulls_last(self) -> Column:
        return Column(E.SortOrder(self._expr, False, False))

    def over(self, window) -> Column:
        """This function or aggregate evaluated over ``window`` (a :class:`~ember.sql.window.WindowSpec`)."""
        from ember.sql.window import over

        return over(self, window)

    def __repr__(self) -> str:
        from ember.sql.colrepr import column_repr

        return column_repr(self._expr)


def _display(expr: E.Expr) -> str:
    """A schema-free rendering for ``repr``: Spark's name where it can be derived without types."""
    from ember.sql.analyzer import analyze

    if isinstance(expr, (E.WindowExpr, E.WindowFunc)):
        from ember.sql.window_rules import display

        return display(expr, _display)
    try:
        return analyze(expr, ()).name
    except Exception:
        if isinstance(expr, E.ColumnRef):
            return expr.name
        if isinstance(expr, E.Alias):
            return f"{_display(expr.child)} AS {expr.name}"
        return type(expr).__name__


def _cast_type(text: str, parse):
    """``cast("int")``'s type; an unknown single word is Spark's UNSUPPORTED_DATATYPE."""
    import re

    from ember.errors import ParseException

    try:
        return parse(text)
    except ParseException:
        word = text.strip()
        if re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", word):
            raise ParseException(
                f'Unsupported data type "{word.upper()}". SQLSTATE: 0A000',
                errorClass="UNSUPPORTED_DATATYPE",
                messageParameters={"typeName": f'"{word.upper()}"'},
            ) from None
        raise
