"""A Measures cell read as a number: typed numbers and numbers stored as text, nothing else, never a crash."""

from __future__ import annotations

import math
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cheplan.questions.measure_rows import read_number
from cheplan.questions.return_cells import CellError


@pytest.mark.parametrize(
    ("typed", "unit", "expected"),
    [(24, "count", 24), (24.0, "count", 24), ("24", "count", 24), (" 1,204 ", "count", 1204), ("35%", "percent", 35),
     ("35.5", "percent", 35.5), (-2.5, "score", -2.5)],
)  # fmt: skip
def test_numbers_typed_or_stored_as_text(typed: object, unit: str, expected: float) -> None:
    assert read_number(typed, unit) == expected


@pytest.mark.parametrize(
    "typed", ["１２", "NaN", "inf", "-Infinity", "lots", "", "=1+1", True, datetime(2021, 1, 1), 1e60, float("nan")]
)
def test_anything_else_is_a_problem_at_the_cell(typed: object) -> None:
    with pytest.raises(CellError):
        read_number(typed, "percent")


@given(st.one_of(st.text(max_size=30), st.floats(), st.integers(), st.booleans(), st.none()))
def test_any_cell_is_a_number_in_range_or_a_cell_error(typed: object) -> None:
    try:
        value = read_number(typed, "percent")
    except CellError:
        return
    assert isinstance(value, int | float)
    assert not isinstance(value, bool)
    assert math.isfinite(value)
    assert 0 <= value <= 100
