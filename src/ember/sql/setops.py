"""INTERSECT and EXCEPT (distinct and ALL): output columns and their execution on Polars.

Rows compare as whole rows with nulls equal to nulls (Spark's set semantics); the ALL forms keep
``min(left, right)`` copies of a row (INTERSECT ALL) or ``left - right`` copies (EXCEPT ALL).
"""

from __future__ import annotations

from dataclasses import replace

from ember.errors import AnalysisException


def op_name(kind: str, all_: bool) -> str:
    return kind.upper() + (" ALL" if all_ else "")


def output(plan) -> list:
    """The left side's names over both sides' widened types, as a UNION has them."""
    from ember.sql.resolve import _union_type

    left, right = plan.left.output, plan.right.output
    op = op_name(plan.kind, plan.all)
    if len(left) != len(right):
        raise AnalysisException(
            f"{op} can only be performed on inputs with the same number of columns, but the first input "
            f"has {len(left)} columns and the second input has {len(right)} columns. SQLSTATE: 42826",
            errorClass="NUM_COLUMNS_MISMATCH",
        )
    out = []
    for i, (a, b) in enumerate(zip(left, right)):
        try:
            dtype = _union_type(a.dtype, b.dtype, i)
        except AnalysisException as exc:
            raise AnalysisException(
                exc._message.replace("UNION can only", f"{op} can only", 1),
                errorClass=exc.getErrorClass(),
                messageParameters=exc.getMessageParameters(),
            ) from None
        # INTERSECT keeps a null only where both sides may hold one; EXCEPT keeps the left's rows
        nullable = a.nullable and b.nullable if plan.kind == "intersect" else a.nullable
        out.append(replace(a, dtype=dtype, nullable=nullable))
    return out


def execute(translator, plan):
    """``plan`` (a :class:`~ember.sql.plan.SetOp`) as a LazyFrame with its output's internal names."""
    import polars as pl

    from ember.sql.dtypes import to_polars
    from ember.sql.exec_expr import cname

    cols = [cname(a) for a in plan.output]

    def side(child):
        lf = translator.run(child)
        return lf.select(
            [
                pl.col(cname(a)).cast(to_polars(o.dtype), strict=False).alias(c)
                for a, o, c in zip(child.output, plan.output, cols)
            ]
        )

    left, right = side(plan.left), side(plan.right)
    if not cols:  # zero columns: every row equals every other
        return left
    how = "semi" if plan.kind == "intersect" else "anti"
    if not plan.all:
        return left.unique(maintain_order=True).join(right, on=cols, how=how, nulls_equal=True)
    lcount = left.group_by(cols, maintain_order=True).agg(pl.len().alias("__l"))
    rcount = right.group_by(cols).agg(pl.len().alias("__r"))
    if plan.kind == "intersect":
        joined = lcount.join(rcount, on=cols, how="inner", nulls_equal=True, maintain_order="left")
        copies = pl.min_horizontal("__l", "__r")
    else:
        joined = lcount.join(rcount, on=cols, how="left", nulls_equal=True, maintain_order="left")
        copies = pl.col("__l") - pl.col("__r").fill_null(0)
    return (
        joined.with_columns(copies.alias("__n"))
        .filter(pl.col("__n") > 0)
        .with_columns(pl.int_ranges(0, pl.col("__n")).alias("__n"))
        .explode("__n")
        .select(cols)
    )
