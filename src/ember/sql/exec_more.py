"""The execution side of the functions added by family: one table of name -> translator.

``exec_funcs.FUNCS`` takes these in; each translator turns an ``E.Func`` into a Polars expression.
``AGGS`` does the same for aggregates (``E.AggFunc``).
"""

from __future__ import annotations

from ember.sql import (
    exec_aggs,
    exec_arrays,
    exec_dates,
    exec_json,
    exec_lambdas,
    exec_misc,
    exec_numbers,
    exec_strings,
    exec_zones,
)

FUNCS: dict = {
    **exec_zones.FUNCS,
    **exec_strings.FUNCS,
    **exec_numbers.FUNCS,
    **exec_dates.FUNCS,
    **exec_arrays.FUNCS,
    **exec_json.FUNCS,
    **exec_misc.FUNCS,
    **exec_lambdas.FUNCS,
}
AGGS: dict = {**exec_aggs.AGGS, **exec_misc.AGGS}
