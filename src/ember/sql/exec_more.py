"""The execution side of the functions added by family: one table of name -> translator.

``exec_funcs.FUNCS`` takes these in; each translator turns an ``E.Func`` into a Polars expression.
"""

from __future__ import annotations

from ember.sql import exec_zones

FUNCS: dict = {
    **exec_zones.FUNCS,
}
