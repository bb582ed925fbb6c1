"""The functions added by family (conditional, strings, math, dates, collections, aggregates): each case
of ``functions_more_cases`` must give the literal captured from real Spark in ``functions_more_expected``.
"""

import pytest
from functions_more_cases import CASES
from functions_more_expected import EXPECTED


@pytest.mark.parametrize("name", list(CASES))
def test_function(spark, F, name):
    assert CASES[name](spark, F) == EXPECTED[name]
