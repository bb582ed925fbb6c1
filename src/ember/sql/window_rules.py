"""Analysis of window expressions: Spark's names, types, default frames and misuse errors.

A window column is named ``<function> OVER (<spec>)`` where the spec always shows its frame, the
default one included: without ORDER BY the whole partition (``ROWS BETWEEN UNBOUNDED PRECEDING AND
UNBOUNDED FOLLOWING``), with it ``RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`` for aggregates
(peers included) and the ranking functions' own ROWS frame. Everything here runs when the DataFrame
is built, as Spark's analyzer does.

Examples
--------
>>> default_frame(E.WindowFunc("lag", params=(2,)), ordered=True)
('rows', -2, -2)
"""

from __future__ import annotations

from ember.errors import AnalysisException
from ember.sql import expressions as E
from ember.sql import types as T

# Functions that need an ORDER BY and bring their own frame.
_RANKING = {"row_number", "rank", "dense_rank", "percent_rank", "ntile", "cume_dist"}
_OFFSET = {"lag", "lead"}
_PRETTY = {"rank": "RANK", "dense_rank": "DENSE_RANK", "percent_rank": "PERCENT_RANK"}


def default_frame(func: E.Expr, ordered: bool) -> tuple:
    """The frame Spark uses when the spec names none."""
    if isinstance(func, E.WindowFunc):
        if func.name in _OFFSET:
            k = func.params[0] if func.name == "lead" else -func.params[0]
            return ("rows", k, k)
        if func.name in _RANKING and func.name != "cume_dist":
            return ("rows", None, 0)
    return ("range", None, 0) if ordered else ("rows", None, None)


def frame_of(w: E.WindowExpr) -> tuple:
    return w.frame if w.frame is not None else default_frame(w.func, bool(w.order))


def _bound_text(value, lower: bool, literal: bool) -> str:
    if value is None:
        return "UNBOUNDED PRECEDING" if lower else "UNBOUNDED FOLLOWING"
    if value == 0 and not literal:
        return "CURRENT ROW"
    return f"{value} FOLLOWING"


def frame_text(frame: tuple, literal: bool = False) -> str:
    """``ROWS BETWEEN ...`` as Spark prints it; ``literal``: offsets as numbers even when 0 (the
    frame of ``lag(x, 0)`` reads ``0 FOLLOWING``, a spec's 0 is ``CURRENT ROW``)."""
    kind, lo, hi = frame
    return f"{kind.upper()} BETWEEN {_bound_text(lo, True, literal)} AND {_bound_text(hi, False, literal)}"


def _frame_spec(frame: tuple) -> str:
    """The frame as Spark's plan prints it: ``specifiedwindowframe(RowFrame, -1, 1)``."""
    kind, lo, hi = frame

    def b(v, lower):
        if v is None:
            return "unboundedpreceding$()" if lower else "unboundedfollowing$()"
        return "currentrow$()" if v == 0 else str(v)

    kind_name = "RowFrame" if kind == "rows" else "RangeFrame"
    return f"specifiedwindowframe({kind_name}, {b(lo, True)}, {b(hi, False)})"


def _mismatch(text: str, why: str, cls: str) -> AnalysisException:
    return AnalysisException(
        f'Cannot resolve "{text}" due to data type mismatch: {why}. SQLSTATE: 42K09',
        errorClass=f"DATATYPE_MISMATCH.{cls}",
    )


def func_info(func: E.Expr, attrs):
    """Name, type and nullability of the function under OVER."""
    from ember.sql.analyzer import Info, _arg, analyze, common_type

    if not isinstance(func, E.WindowFunc):
        if isinstance(func, E.AggFunc):
            # an aggregate over a window may take aggregates (sum(count(*)) OVER ()): no nesting check
            from ember.sql.typerules import agg_type

            infos = [_arg(a, attrs) for a in func.args]
            dtype, nullable = agg_type(func.name, infos)
            shown = {"mean": "avg", "countDistinct": "count"}.get(func.name, func.name)
            inner = ("DISTINCT " if func.distinct else "") + ", ".join(i.name for i in infos)
            return Info(f"{shown}({inner})", dtype, nullable)
        name = analyze(func, attrs).name
        raise AnalysisException(
            f'Expression "{name}" not supported within a window function. SQLSTATE: 42P20',
            errorClass="UNSUPPORTED_EXPR_FOR_WINDOW",
            messageParameters={"sqlExpr": f'"{name}"'},
        )
    name = func.name
    if name in _RANKING:
        shown = _PRETTY.get(name, name)
        if name == "ntile":
            (k,) = func.params
            if k <= 0:
                raise _mismatch(
                    f"ntile({k})",
                    f"The buckets must be between (0, 2147483647] (current value = {k})",
                    "VALUE_OUT_OF_RANGE",
                )
            return Info(f"ntile({k})", T.IntegerType(), False)
        double = name in ("percent_rank", "cume_dist")
        return Info(f"{shown}()", T.DoubleType() if double else T.IntegerType(), False)
    x = _arg(func.args[0], attrs)
    if name in _OFFSET:
        d = _arg(func.args[1], attrs)
        dtype = x.dtype if isinstance(d.dtype, T.NullType) else common_type([x.dtype, d.dtype])
        return Info(f"{name}({x.name}, {func.params[0]}, {d.name})", dtype, True)
    if name == "nth_value":
        k, ignore = func.params
        return Info(f"nth_value({x.name}, {k}){' ignore nulls' if ignore else ''}", x.dtype, True)
    raise AnalysisException(f"unknown window function {name}")


def spec_text(w: E.WindowExpr, attrs, frame: tuple | None = None) -> str:
    from ember.sql.analyzer import _arg

    parts = []
    if w.partition:
        parts.append("PARTITION BY " + ", ".join(_arg(p, attrs).name for p in w.partition))
    if w.order:
        parts.append("ORDER BY " + ", ".join(_arg(o, attrs).name for o in w.order))
    offset = isinstance(w.func, E.WindowFunc) and w.func.name in _OFFSET
    parts.append(frame_text(frame if frame is not None else frame_of(w), literal=offset))
    return " ".join(parts)


def _check_frame(w: E.WindowExpr, frame: tuple, attrs) -> None:
    from ember.sql.analyzer import _arg
    from ember.sql.typerules import is_numeric, sql_type

    kind, lo, hi = frame
    if lo is not None and hi is not None and lo > hi:
        raise _mismatch(
            frame_text(frame),
            "The lower bound of a window frame must be less than or equal to the upper bound",
            "SPECIFIED_WINDOW_FRAME_WRONG_COMPARISON",
        )
    if kind != "range" or all(b is None or b == 0 for b in (lo, hi)):
        return
    if not w.order:
        raise _mismatch(
            f"({spec_text(w, attrs, frame)})",
            "A range window frame cannot be used in an unordered window specification",
            "RANGE_FRAME_WITHOUT_ORDER",
        )
    if len(w.order) > 1:
        keys = ",".join(_order_with_ids(o, attrs) for o in w.order)
        raise _mismatch(
            f"({spec_text(w, attrs, frame)})",
            "A range window frame with value boundaries cannot be used in a window specification with "
            f"multiple order by expressions: {keys}",
            "RANGE_FRAME_MULTI_ORDER",
        )
    key = _arg(w.order[0].child, attrs).dtype
    if not is_numeric(key):
        side = "lower" if lo not in (None, 0) else "upper"
        raise _mismatch(
            frame_text(frame),
            f'The data type of the {side} bound "{sql_type(key).upper()}" does not match the expected data '
            'type ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL")',
            "SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE",
        )


def _order_with_ids(o: E.SortOrder, attrs) -> str:
    """``n#2 ASC NULLS FIRST``: Spark names the attribute with its id in this message."""
    from ember.sql.analyzer import _arg, resolve_ref

    text = _arg(o, attrs).name
    child = o.child
    if isinstance(child, E.ColumnRef):
        found = resolve_ref(child, attrs)
        if found is not None and not found[1]:
            name = _arg(child, attrs).name
            return f"{name}#{found[0].id}{text[len(name):]}"
    return text


def _check_function(w: E.WindowExpr, info_name: str) -> None:
    func = w.func
    if not isinstance(func, E.WindowFunc):
        return
    if func.name in _OFFSET and w.frame is not None:
        raise AnalysisException(
            f"Cannot specify window frame for {func.name} function.", errorClass="_LEGACY_ERROR_TEMP_1035"
        )
    if (func.name in _RANKING or func.name in _OFFSET) and not w.order:
        raise AnalysisException(
            f"Window function {func.name} requires the window to be ordered. You need to add an ORDER BY "
            f"clause. For example: SELECT {info_name} OVER (PARTITION BY window_partition ORDER BY "
            "window_ordering) FROM table. SQLSTATE: 42601",
            errorClass="WINDOW_FUNCTION_FRAME_NOT_ORDERED",
            messageParameters={"funcName": func.name},
        )
    if func.name in _RANKING and w.frame is not None:
        required = default_frame(func, True)
        if tuple(w.frame) != required:
            raise AnalysisException(
                f"Window Frame {_frame_spec(w.frame)} must match the required frame {_frame_spec(required)}.",
                errorClass="_LEGACY_ERROR_TEMP_1036",
            )


def analyze_window(w: E.WindowExpr, attrs):
    """The analyzer's rule for ``func OVER (spec)``."""
    from ember.sql.analyzer import Info

    info = func_info(w.func, attrs)
    _check_function(w, info.name)
    frame = frame_of(w)
    _check_frame(w, frame, attrs)
    name = f"{info.name} OVER ({spec_text(w, attrs, frame)})"
    if isinstance(w.func, E.AggFunc) and w.func.distinct:
        raise AnalysisException(
            f'Distinct window functions are not supported: "{name}". SQLSTATE: 0A000',
            errorClass="DISTINCT_WINDOW_FUNCTION_UNSUPPORTED",
            messageParameters={"windowExpr": f'"{name}"'},
        )
    return Info(name, info.dtype, info.nullable)


def analyze_bare(f: E.WindowFunc, attrs):
    """A window function used without OVER: Spark's WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE."""
    name = func_info(f, attrs).name
    raise AnalysisException(
        f'Window function "{name}" requires an OVER clause. SQLSTATE: 42601',
        errorClass="WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE",
        messageParameters={"funcName": f'"{name}"'},
    )


def display(e: E.Expr, show) -> str:
    """``repr(Column)`` text of a window expression or bare window function, as PySpark shows it
    (``rank() OVER (ORDER BY n ASC NULLS FIRST)``: the frame only when one was given);
    ``show`` renders the other expressions."""
    if isinstance(e, E.WindowFunc):
        args = [show(a) for a in e.args]
        if e.name in _OFFSET:
            args = [args[0], str(e.params[0]), args[1], "false"]
        elif e.name == "ntile":
            args = [str(e.params[0])]
        elif e.name == "nth_value":
            args = [args[0], str(e.params[0]), "true" if e.params[1] else "false"]
        return f"{e.name}({', '.join(args)})"
    if not isinstance(e, E.WindowExpr):
        return show(e)
    func = e.func
    if isinstance(func, E.AggFunc) and func.name in ("first", "last") and func.params:
        text = f"{func.name}({show(func.args[0])}, {'true' if func.params[0] else 'false'})"
    elif isinstance(func, E.AggFunc) and func.name == "count" and isinstance(func.args[0], E.Literal):
        text = "count(*)"
    elif isinstance(func, E.AggFunc):
        name = {"mean": "avg", "countDistinct": "count"}.get(func.name, func.name)
        text = f"{name}({'DISTINCT ' if func.distinct else ''}{', '.join(show(a) for a in func.args)})"
    else:
        text = display(func, show)
    parts = []
    if e.partition:
        parts.append("PARTITION BY " + ", ".join(show(p) for p in e.partition))
    if e.order:
        parts.append("ORDER BY " + ", ".join(_show_order(o, show) for o in e.order))
    if e.frame is not None:
        kind, lo, hi = e.frame
        suffix = "L" if kind == "range" else ""

        def b(v, lower):
            if v is None:
                return "UNBOUNDED PRECEDING" if lower else "UNBOUNDED FOLLOWING"
            return "CURRENT ROW" if v == 0 else f"{v}{suffix}"

        parts.append(f"{kind.upper()} BETWEEN {b(lo, True)} AND {b(hi, False)}")
    return f"{text} OVER ({' '.join(parts)})"


def _show_order(o: E.SortOrder, show) -> str:
    nulls_first = o.ascending if o.nulls_first is None else o.nulls_first
    return f"{show(o.child)} {'ASC' if o.ascending else 'DESC'} NULLS {'FIRST' if nulls_first else 'LAST'}"
