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


def test_a_month_that_came_back_as_a_date_cell_is_read_as_its_month() -> None:
    import dataclasses
    from datetime import date

    from cheplan.domain.indicators import Baseline, Indicator, Target
    from cheplan.domain.model import Plan
    from cheplan.loading.schema import build_trusted
    from cheplan.loading.workbook import Cell, Sheet, Workbook
    from cheplan.questions.measure_rows import review_measures
    from tests.conftest import base_action, plan_data

    monthly = Indicator(
        id="visits", title="Visits", unit="count", better="up", baseline=Baseline(value=1, period="2020-03"),
        target=Target(value=9, by="2020-12"), owner="csp", source="test",
    )  # fmt: skip
    plan = dataclasses.replace(build_trusted(Plan, plan_data([base_action(1)])), indicators=[monthly])
    header = [Cell("A1", "Indicator ID"), Cell("B1", "Period 1"), Cell("C1", "Value 1"), Cell("D1", "Note 1")]
    row = [Cell("A2", "visits"), Cell("B2", datetime(2020, 4, 1)), Cell("C2", 5), Cell("D2", None)]
    book = Workbook("book.xlsx", {"Measures": Sheet("Measures", "visible", [header, row])})
    review = review_measures(book, plan, "csp", date(2020, 5, 1), {})
    assert review.problems == []
    [(indicator_id, entry, _)] = review.values
    assert (indicator_id, entry.period, entry.value) == ("visits", "2020-04", 5)
