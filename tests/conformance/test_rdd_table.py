"""Every case of rdd_cases.py gives exactly the value captured from real Spark."""

import pytest
from rdd_cases import CASES, CASES_PARALLELISM_1
from rdd_expected import EXPECTED


@pytest.mark.parametrize("name", list(CASES))
def test_case(sc, name):
    assert CASES[name](sc) == EXPECTED[name]


@pytest.mark.parametrize("name", list(CASES_PARALLELISM_1))
def test_case_with_parallelism_1(sc1, name):
    assert CASES_PARALLELISM_1[name](sc1) == EXPECTED[name]


def test_every_case_has_an_expected_value():
    assert set(EXPECTED) == set(CASES) | set(CASES_PARALLELISM_1)
