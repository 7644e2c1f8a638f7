"""A returned workbook whose hidden sheet or cells were tampered with: a problem at a cell, never a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cheplan.loading.workbook import Cell, Sheet, Workbook
from cheplan.questions.returns import META_SHEET, META_TITLE, CellProblem, read_meta
from tests.conftest import MakePlan, RunCli, base_action
from tests.returns.workbooks import AS_OF, export, fill


def meta_book(action_cell: object) -> Workbook:
    rows = [
        [Cell("A1", META_TITLE)],
        [Cell("A2", "organisation"), Cell("B2", "nps")],
        [Cell("A3", "action"), Cell("B3", "latest entry fingerprint")],
        [Cell("A4", action_cell), Cell("B4", "none")],
        [Cell("A5", 21), Cell("B5", "none")],
    ]
    return Workbook("forged.xlsx", {META_SHEET: Sheet(META_SHEET, "hidden", rows)})


@pytest.mark.parametrize("forged", [float("inf"), float("-inf"), float("nan"), 7.5, True])
def test_a_forged_action_number_in_the_hidden_sheet_is_ignored_not_a_crash(forged: object) -> None:
    problems: list[CellProblem] = []
    meta = read_meta(meta_book(forged), problems)
    assert meta is not None
    assert meta.fingerprints == {21: "none"}  # the forged row vouches for nothing: its action is a conflict
    assert problems == []


def test_an_update_between_the_check_and_the_write_is_not_overwritten_unchecked(
    cli: RunCli, make_plan: MakePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are checked against the plan as read; if another `update` lands before the
    import takes the lock, its entry was never compared: the import must refuse, not append."""
    from cheplan.loading import load

    plan = make_plan([base_action(1, lead=["MPS"])])
    [workbook] = export(cli, plan, tmp_path / "out", lead="MPS")
    fill(
        workbook,
        {
            1: {
                "New status": "complete",
                "Date of update": "2020-12-01",
                "Progress note": "Done",
                "Evidence of delivery": "Log",
            }
        },
    )
    from cheplan.loading.load import load_plan as real_load

    def load_then_someone_updates(*args: Any, **kwargs: Any) -> Any:
        loaded = real_load(*args, **kwargs)
        assert (
            cli("update", "1", "--plan", plan, "--status", "dropped", "--note", "Stopped", "--date", "2020-12-02").code
            == 0
        )
        return loaded

    monkeypatch.setattr(load, "load_plan", load_then_someone_updates)
    before = plan.read_bytes()
    result = cli("returns", "import", workbook, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert result.code == 1, result.stderr
    assert "changed while" in result.stderr
    entries = yaml.safe_load(plan.read_text(encoding="utf-8"))["actions"][0]["progress"]
    assert [e["status"] for e in entries] == ["dropped"]  # the concurrent update, and nothing of the import's
    assert plan.read_bytes() != before


def test_a_row_for_an_action_the_workbook_was_not_made_with_says_so(
    cli: RunCli, make_plan: MakePlan, tmp_path: Path
) -> None:
    """A partner adds a row for an action added to the plan after the export: a conflict, but
    not one that claims the plan has a newer entry (it has none)."""
    old = make_plan([base_action(1, lead=["MPS"])])
    [workbook] = export(cli, old, tmp_path / "out", lead="MPS")
    new = make_plan([base_action(1, lead=["MPS"]), base_action(2, lead=["MPS"])])
    fill(workbook, {2: {"New status": "in progress", "Date of update": "2020-12-01", "Progress note": "Begun"}})
    result = cli("returns", "import", workbook, "--plan", new, "--as-of", AS_OF)
    assert result.code == 1
    assert "newer entry" not in result.stderr
    assert "action 2 was not in this workbook when it was exported" in result.stderr
