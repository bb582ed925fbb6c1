"""``explain()``: ember's own plan rendering (not Spark's physical plan)."""

from __future__ import annotations

from ember.sql import plan as P


def _attrs(attrs) -> str:
    return ", ".join(f"{a.name}#{a.id}" for a in attrs)


def _node(plan: P.Plan) -> str:
    from ember.sql.analyzer import analyze

    def names(exprs, attrs):
        out = []
        for e in exprs:
            try:
                out.append(analyze(e, attrs).name)
            except Exception:
                out.append(type(e).__name__)
        return ", ".join(out)

    if isinstance(plan, P.LocalRelation):
        return f"LocalRelation [{_attrs(plan.output)}]"
    if isinstance(plan, P.StreamSource):
        return f"StreamingRelation {type(plan.source).__name__}, [{_attrs(plan.output)}]"
    if isinstance(plan, P.RangeRelation):
        return f"Range ({plan.start}, {plan.end}, step={plan.step})"
    if isinstance(plan, P.FileScan):
        return f"Relation [{_attrs(plan.output)}] {plan.fmt}"
    if isinstance(plan, P.Project):
        return f"Project [{names(plan.exprs, plan.child.output)}]"
    if isinstance(plan, P.Filter):
        return f"Filter {names([plan.condition], plan.child.output)}"
    if isinstance(plan, P.Aggregate):
        return (
            f"Aggregate [{names(plan.keys, plan.child.output)}], "
            f"[{names(plan.keys + plan.aggs, plan.child.output)}]"
        )
    if isinstance(plan, P.Sort):
        return f"Sort [{names(plan.orders, plan.child.output)}], true"
    if isinstance(plan, P.Limit):
        return f"GlobalLimit {plan.n}"
    if isinstance(plan, P.Join):
        return f"Join {plan.how}" + (f", using {list(plan.on)}" if plan.on else "")
    if isinstance(plan, P.Watermark):
        return f"EventTimeWatermark {plan.event_time}, {plan.delay}"
    if isinstance(plan, P.SubqueryAlias):
        return f"SubqueryAlias {plan.alias}"
    if isinstance(plan, P.Distinct):
        return "Deduplicate" + (f" [{', '.join(plan.subset)}]" if plan.subset else "")
    return type(plan).__name__


def tree_string(plan: P.Plan, indent: str = "") -> str:
    lines = [_node(plan)]
    kids = plan.children
    for i, c in enumerate(kids):
        last = i == len(kids) - 1
        sub = tree_string(c).split("\n")
        lines.append(("+- " if last else ":- ") + sub[0])
        lines += [("   " if last else ":  ") + s for s in sub[1:]]
    return "\n".join(lines)


_MODES = ("simple", "extended", "codegen", "cost", "formatted")


def explain_mode(extended=None, mode: str | None = None) -> str:
    """The mode ``DataFrame.explain(extended, mode)`` asks for, with PySpark's argument errors."""
    from ember.errors import IllegalArgumentException, PySparkTypeError, PySparkValueError

    if extended is not None and mode is not None:
        raise PySparkValueError(
            "extended and mode should not be set together.",
            errorClass="CANNOT_SET_TOGETHER",
            messageParameters={"arg_list": "extended and mode"},
        )
    if extended is not None and not isinstance(extended, (bool, str)):
        raise PySparkTypeError(
            f"Argument `extended` should be bool or str, got {type(extended).__name__}.",
            errorClass="NOT_EXPECTED_TYPE",
            messageParameters={"arg_name": "extended", "arg_type": type(extended).__name__},
        )
    if isinstance(extended, str):
        mode = extended
    elif extended:
        mode = "extended"
    mode = "simple" if mode is None else str(mode)
    if mode.lower() not in _MODES:
        raise IllegalArgumentException(
            f"Unknown explain mode: {mode}. Accepted explain modes are "
            + ", ".join(f"'{m}'" for m in _MODES)
            + "."
        )
    return mode.lower()


def _formatted(plan: P.Plan) -> str:
    """Spark's ``formatted`` layout: the numbered tree, then each node's output."""
    nodes: list[P.Plan] = []

    def walk(p: P.Plan, prefix: str, child_prefix: str) -> list[str]:
        nodes.append(p)
        n = len(nodes)
        lines = [f"{prefix}{_node(p).split(' [')[0].split(' (')[0]} ({n})"]
        kids = p.children
        for i, c in enumerate(kids):
            last = i == len(kids) - 1
            lines += walk(
                c, child_prefix + ("+- " if last else ":- "), child_prefix + ("   " if last else ":  ")
            )
        return lines

    tree = "\n".join(walk(plan, "", ""))
    details = [
        f"({i}) {_node(p)}\nOutput [{len(p.output)}]: [{_attrs(p.output)}]" for i, p in enumerate(nodes, 1)
    ]
    return f"== Physical Plan ==\n{tree}\n\n\n" + "\n\n".join(details) + "\n\n"


def explain_string(plan: P.Plan, extended=None, mode: str | None = None) -> str:
    """The text ``explain`` prints: Spark's sections for ``mode``, over ember's plan tree (the
    physical plan is the same tree: ember hands the whole plan to Polars)."""
    mode = explain_mode(extended, mode)
    body = tree_string(plan)
    physical = f"== Physical Plan ==\n{body}\n"
    if mode == "simple":
        return physical + "\n"
    if mode == "formatted":
        return _formatted(plan)
    if mode == "codegen":
        return "Found 0 WholeStageCodegen subtrees.\n"
    schema = ", ".join(f"{a.name}: {a.dtype.simpleString()}" for a in plan.output)
    optimized = f"== Optimized Logical Plan ==\n{body}\n\n"
    if mode == "cost":
        return optimized + physical
    return (
        f"== Parsed Logical Plan ==\n{body}\n\n== Analyzed Logical Plan ==\n{schema}\n{body}\n\n"
        + optimized
        + physical
    )
