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


def explain_string(plan: P.Plan, extended=None, mode: str | None = None) -> str:
    body = tree_string(plan)
    if extended or mode in ("extended",):
        return f"== Analyzed Logical Plan ==\n{body}\n\n== Physical Plan ==\nPolars LazyFrame\n"
    return f"== Physical Plan ==\n{body}\n"
