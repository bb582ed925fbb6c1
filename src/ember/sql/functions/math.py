"""Mathematical and bitwise functions."""

from __future__ import annotations

from ember.sql import expressions as E
from ember.sql.column import Column, to_expr
from ember.sql.functions._util import c as _c
from ember.sql.functions._util import f as _f


def abs(col) -> Column:  # noqa: A001
    return _f("abs", col)


def round(col, scale: int = 0) -> Column:  # noqa: A001
    return _f("round", col, params=(scale,))


def bround(col, scale: int = 0) -> Column:
    return _f("bround", col, params=(scale,))


def sqrt(col) -> Column:
    return _f("sqrt", col)


def exp(col) -> Column:
    return _f("exp", col)


def log(arg1, arg2=None) -> Column:
    """The natural logarithm of ``arg1``, or with ``arg2`` the logarithm of ``arg2`` in base ``arg1``.

    Examples
    --------
    >>> log(10.0, "n")
    Column<'LOG(10.0, n)'>
    """
    if arg2 is None:
        return _f("log", arg1)
    return Column(E.Func("log_base", (_num(arg1), _c(arg2))))


def pow(col1, col2) -> Column:  # noqa: A001
    """``col1`` raised to ``col2`` as a double; either may be a number.

    Examples
    --------
    >>> pow("n", 2)
    Column<'power(n, 2)'>
    """
    return Column(
        E.Func(
            "pow",
            (
                _c(col1) if isinstance(col1, (str, Column)) else to_expr(col1),
                _c(col2) if isinstance(col2, (str, Column)) else to_expr(col2),
            ),
        )
    )


def floor(col) -> Column:
    return _f("floor", col)


def ceil(col) -> Column:
    return _f("ceil", col)


def signum(col) -> Column:
    return _f("signum", col)


def bitwise_not(col) -> Column:
    return Column(E.Unary("BITNOT", _c(col)))


bitwiseNOT = bitwise_not


def _num(x) -> E.Expr:
    # a plain number is a literal, a str a column name (PySpark's float-or-column arguments)
    return _c(x) if isinstance(x, (str, Column)) else to_expr(x)


def _unary(name: str):
    def fn(col) -> Column:
        return _f(name, col)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Spark's ``{name}`` of ``col`` as a double (null for a null input)."
    return fn


ln = _unary("ln")
log10 = _unary("log10")
log2 = _unary("log2")
log1p = _unary("log1p")
expm1 = _unary("expm1")
cbrt = _unary("cbrt")
sin = _unary("sin")
cos = _unary("cos")
tan = _unary("tan")
cot = _unary("cot")
sec = _unary("sec")
csc = _unary("csc")
asin = _unary("asin")
acos = _unary("acos")
atan = _unary("atan")
sinh = _unary("sinh")
cosh = _unary("cosh")
tanh = _unary("tanh")
asinh = _unary("asinh")
acosh = _unary("acosh")
atanh = _unary("atanh")
degrees = _unary("degrees")
radians = _unary("radians")
rint = _unary("rint")
toDegrees = degrees
toRadians = radians


def atan2(col1, col2) -> Column:
    return Column(E.Func("atan2", (_num(col1), _num(col2))))


def hypot(col1, col2) -> Column:
    return Column(E.Func("hypot", (_num(col1), _num(col2))))


def power(col1, col2) -> Column:
    return pow(col1, col2)


def pmod(dividend, divisor) -> Column:
    """The non-negative remainder of ``dividend / divisor`` (for a positive divisor)."""
    return Column(E.Func("pmod", (_num(dividend), _num(divisor))))


def pi() -> Column:
    return _f("pi")


def e() -> Column:
    return _f("e")


def ceiling(col, scale=None) -> Column:
    return _f("ceiling", col)


def sign(col) -> Column:
    return _f("sign", col)


def negative(col) -> Column:
    return _f("negative", col)


negate = negative


def positive(col) -> Column:
    return _f("positive", col)


def factorial(col) -> Column:
    """``col!`` as a long for 0 to 20, else null."""
    return _f("factorial", col)


def try_divide(left, right) -> Column:
    """``left / right``, null where the divisor is 0 (no error in ANSI mode)."""
    return _f("try_divide", left, right)


def try_mod(left, right) -> Column:
    """``left % right``, null where the divisor is 0."""
    return _f("try_mod", left, right)


def rand(seed: int | None = None) -> Column:
    """Uniform random doubles in [0, 1); a seed makes the column repeatable (ember's generator, so not
    Spark's numbers)."""
    import random as _random

    return Column(E.Func("rand", (), (_random.getrandbits(63) if seed is None else int(seed),)))


def randn(seed: int | None = None) -> Column:
    """Standard normal random doubles; a seed makes the column repeatable (not Spark's numbers)."""
    import random as _random

    return Column(E.Func("randn", (), (_random.getrandbits(63) if seed is None else int(seed),)))


def try_add(left, right) -> Column:
    """``left + right``, null where an integral sum overflows."""
    return _f("try_add", left, right)


def try_subtract(left, right) -> Column:
    return _f("try_subtract", left, right)


def try_multiply(left, right) -> Column:
    return _f("try_multiply", left, right)


def bit_count(col) -> Column:
    """The number of one bits of the (64-bit) value."""
    return _f("bit_count", col)
