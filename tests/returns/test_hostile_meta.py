"""A returned workbook whose hidden sheet or cells were tampered with: a problem at a cell, never a crash."""

from __future__ import annotations

import pytest

from cheplan.loading.workbook import Cell, Sheet, Workbook
from cheplan.questions.returns import META_SHEET, META_TITLE, CellProblem, read_meta


def meta_book(action_cell: object) -> Workbook:
    rows = [
        [Cell("A1", META_TITLE)],
        [Cell("A2", "organisation"), Cell("B2", "nps")],
        [Cell("A3", "action"), Cell("B3", "latest entry fingerprint")],
        [Cell("A4", action_cell), Cell("B4", "none")],
        [Cell("A5", 21), Cell("B5", "none")],
    ]
    return Workbook("forged.xlsx", [META_SHEET], {META_SHEET: Sheet(META_SHEET, "hidden", rows)})


@pytest.mark.parametrize("forged", [float("inf"), float("-inf"), float("nan"), 7.5, True])
def test_a_forged_action_number_in_the_hidden_sheet_is_ignored_not_a_crash(forged: object) -> None:
    problems: list[CellProblem] = []
    meta = read_meta(meta_book(forged), problems)
    assert meta is not None
    assert meta.fingerprints == {21: "none"}  # the forged row vouches for nothing: its action is a conflict
    assert problems == []
