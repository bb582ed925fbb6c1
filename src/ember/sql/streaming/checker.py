"""The checks ``start()`` makes on a streaming plan for its output mode, with Spark's messages.

Examples
--------
>>> unsupported_mode("append", "streaming aggregations without watermark")  # doctest: +ELLIPSIS
AnalysisException('[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: append...')
"""

from __future__ import annotations

from typing import Any

from ember.errors import AnalysisException
from ember.sql import plan as P

SORT = ("Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated "
        "DataFrame/Dataset in Complete output mode")
DISTINCT_AGG = ("Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider "
                "using approx_count_distinct() instead.")
LIMIT_UPDATE = "Limits are not supported on streaming DataFrames/Datasets in Update output mode"
MULTIPLE_AGG = "Multiple streaming aggregations are not supported with streaming DataFrames/Datasets"
NO_STREAMING = "Queries without streaming sources cannot be executed with writeStream.start()"


def unsupported_mode(mode: str, what: str) -> AnalysisException:
    return AnalysisException(
        errorClass="STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION",
        messageParameters={"outputMode": mode, "operation": what},
        message=f"Invalid streaming output mode: {mode}. This output mode is not supported for {what} on "
                "streaming DataFrames/DataSets. SQLSTATE: 42KDE")


def _plain(message: str, plan: P.Plan | None = None) -> AnalysisException:
    """Spark's legacy form: the message, ``;`` and the offending plan on the following lines."""
    text = ""
    if plan is not None:
        try:
            from ember.sql.explain import tree_string

            text = tree_string(plan)
        except Exception:  # a plan printer problem must not hide the real error
            text = type(plan).__name__
    return AnalysisException(f"{message};\n{text}")


def streaming_nodes(plan: P.Plan):
    """Every node whose subtree reads a stream, parents first."""
    if P.is_streaming(plan):
        yield plan
        for c in plan.children:
            yield from streaming_nodes(c)


def stateful_nodes(plan: P.Plan) -> list[P.Plan]:
    """The stateful operators reading a stream: aggregations and deduplications."""
    return [n for n in streaming_nodes(plan) if isinstance(n, (P.Aggregate, P.Distinct))
            or is_within_watermark(n) or is_pandas_state(n)]


def is_pandas_state(node: P.Plan) -> bool:
    """``applyInPandasWithState`` (its node lives in operators.pandas_state)."""
    return type(node).__name__ == "FlatMapGroupsInPandasWithState"


def is_within_watermark(node: P.Plan) -> bool:
    """``dropDuplicatesWithinWatermark``: a flag on the dedup node or a node of its own."""
    return bool(getattr(node, "within_watermark", False)) or (
        type(node).__name__ == "DropDuplicatesWithinWatermark")


def aggregates(plan: P.Plan) -> list[P.Aggregate]:
    return [n for n in streaming_nodes(plan) if isinstance(n, P.Aggregate)]


def check_plan(plan: P.Plan) -> None:
    """Raise AnalysisException for what no output mode can run."""
    if not P.is_streaming(plan):
        raise _plain(NO_STREAMING, plan)
    aggs = aggregates(plan)
    for a in aggs:
        from ember.sql import expressions as E

        for e in a.aggs:
            if any(isinstance(x, E.AggFunc) and x.distinct for x in E.walk(e)):
                raise _plain(DISTINCT_AGG, a)
    if len(aggs) > 1:
        raise _plain(MULTIPLE_AGG, plan)
    for node in streaming_nodes(plan):
        if isinstance(node, P.Project):
            _check_no_window_function(node)


def _check_no_window_function(node: P.Project) -> None:
    """Spark runs no ``OVER`` windows on a stream (only time windows): refused at start()."""
    from ember.sql import expressions as E
    from ember.sql.window_rules import func_info, spec_text

    attrs = node.child.output
    for top in node.exprs:
        for x in E.walk(top):
            if not isinstance(x, E.WindowExpr):
                continue
            info = func_info(x.func, attrs)
            func = info.name
            if isinstance(x.func, E.WindowFunc) and x.func.name == "lag" and x.func.params:
                # Spark's plan holds lag's offset negated, and its message prints the plan's form
                func = func.replace(f", {x.func.params[0]},", f", {-int(x.func.params[0])},", 1)
            spec = spec_text(x, attrs)
            column = top.name if isinstance(top, E.Alias) else f"{info.name} OVER ({spec})"
            raise AnalysisException(
                errorClass="NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING",
                messageParameters={"windowFunc": f"{func.upper()} (as column `{column}`)",
                                   "windowSpec": f"({spec.upper()})"},
                message=f"Window function is not supported in {func.upper()} (as column `{column}`) on "
                        "streaming DataFrames/Datasets.\nStructured Streaming only supports time-window "
                        f"aggregation using the WINDOW function. (window specification: ({spec.upper()})) "
                        "SQLSTATE: 42KDE")


def check_mode(plan: P.Plan, mode: str, watermarked_key: Any) -> None:
    """The checks that need the output mode (run after :func:`check_plan`)."""
    aggs = aggregates(plan)
    if mode == "complete" and not aggs:
        raise unsupported_mode("complete", "no streaming aggregations")
    for node in streaming_nodes(plan):
        if isinstance(node, P.Join) and P.is_streaming(node.left) and P.is_streaming(node.right):
            from ember.sql.streaming.operators.join_conditions import check

            check(node, mode)  # run by operators.join (its state keeps both sides)
    for node in streaming_nodes(plan):
        if isinstance(node, P.Join):
            _check_stream_static_join(node)
    if mode == "append" and aggs and watermarked_key is None:
        raise unsupported_mode("append", "streaming aggregations without watermark")
    if any(is_pandas_state(n) for n in streaming_nodes(plan)):
        from ember.sql.streaming.operators.pandas_state import check

        check(plan, mode)
    for a in aggs:
        from ember.sql import expressions as E

        if any(isinstance(E.strip_alias(k), E.Func) and E.strip_alias(k).name == "session_window"
               for k in a.keys):
            if mode == "update":
                raise unsupported_mode("update", "session window streaming aggregations")
    for node in streaming_nodes(plan):
        if isinstance(node, P.Sort):
            below = [n for n in streaming_nodes(node.child) if isinstance(n, P.Aggregate)]
            if not below or mode != "complete":
                raise _plain(SORT, node)
        if isinstance(node, P.Limit) and mode == "update":
            raise _plain(LIMIT_UPDATE, node)


_JOIN_NAMES = {"left": "LeftOuter", "semi": "LeftSemi", "anti": "LeftAnti"}


def _check_stream_static_join(node: P.Join) -> None:
    """Outer joins whose static side would have to be null-extended per batch are refused."""
    left, right = P.is_streaming(node.left), P.is_streaming(node.right)
    if left == right:
        return
    how = node.how
    if how == "full":
        side, other = ("left", "right") if left else ("right", "left")
        raise _plain(f"FullOuter joins with streaming DataFrames/Datasets on the {side} and a static "
                     f"DataFrame/Dataset on the {other} is not supported", node)
    if how in _JOIN_NAMES and right:
        raise _plain(f"{_JOIN_NAMES[how]} join with a streaming DataFrame/Dataset on the right and a static "
                     "DataFrame/Dataset on the left is not supported", node)
    if how == "right" and left:
        raise _plain("RightOuter join with a streaming DataFrame/Dataset on the left and a static "
                     "DataFrame/DataSet on the right not supported", node)
