"""The Measures sheet goes to the organisations that own indicators, and only to them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import MakePlan, RunCli, base_action
from tests.indicators.examples import DIRECTORY, indicator


def test_an_owner_with_every_action_finished_still_gets_its_measures(
    cli: RunCli, make_plan: MakePlan, tmp_path: Path
) -> None:
    done = {"status": "complete", "progress": [{"date": "2020-05-01", "status": "complete", "note": "Done."}]}
    plan = make_plan(
        [base_action(1, **done)],
        organisations=[*DIRECTORY, {"id": "mps", "name": "MPS Southwark"}],
        indicators=[indicator(values=[{"period": "2020-Q2", "value": 25}])],
    )
    result = cli("returns", "export", "--out", tmp_path / "out", "--plan", plan, "--as-of", "2021-01-15")
    assert result.code == 0, result.stderr
    assert "mps: no unfinished actions" in result.stderr
    book = openpyxl.load_workbook(tmp_path / "out" / "returns-csp.xlsx")
    assert book.sheetnames == ["Instructions", "Return", "Measures", "cheplan"]
    rows = list(book["Measures"].iter_rows(values_only=True))
    assert rows[0][:10] == (
        "Indicator ID", "Indicator", "Unit", "Better", "Baseline", "Target", "Last value",
        "Period 1", "Value 1", "Note 1",
    )  # fmt: skip
    assert rows[1][:13] == (
        "engagement", "Young people in a youth programme", "percent", "higher", "20% (2020-Q1)",
        "40% by 2021-Q1", "25% (2020-Q2)", "2020-Q3", None, None, "2020-Q4", None, None,
    )  # fmt: skip
    assert book["Measures"].protection.sheet
    assert not book["Measures"]["I2"].protection.locked
    assert book["Measures"]["H2"].protection.locked
    [prompt] = book["Measures"].data_validations.dataValidation
    assert str(prompt.sqref) == "I2 L2"  # each Value column, on the indicator rows
    assert prompt.errorStyle == "warning"  # text is then the import's problem, at its cell


def test_an_organisation_without_indicators_gets_no_measures_sheet(
    cli: RunCli, make_plan: MakePlan, tmp_path: Path
) -> None:
    plan = make_plan([base_action(1)], organisations=DIRECTORY)
    assert cli("returns", "export", "--out", tmp_path / "out", "--plan", plan, "--as-of", "2021-01-15").code == 0
    book = openpyxl.load_workbook(tmp_path / "out" / "returns-csp.xlsx")
    assert "Measures" not in book.sheetnames


def test_only_an_owners_workbook_is_read_again_for_its_measures(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cheplan.loading import workbook
    from tests.indicators.sheets import AS_OF, example_plan, export_measures

    plan = example_plan(tmp_path)
    owner = export_measures(cli, plan, tmp_path / "out")
    assert cli("returns", "export", "--out", tmp_path / "mps", "--plan", plan, "--lead", "mps-southwark",
               "--as-of", AS_OF).code == 0  # fmt: skip
    reads: list[tuple[str, ...]] = []
    real = workbook.read_workbook

    def counting(path: Path, name: str, wanted: tuple[str, ...], *rest: int) -> workbook.Workbook:
        reads.append(wanted)
        return real(path, name, wanted, *rest)

    monkeypatch.setattr(workbook, "read_workbook", counting)
    files = [owner, tmp_path / "mps" / "returns-mps-southwark.xlsx"]
    assert cli("returns", "import", *files, "--plan", plan, "--as-of", AS_OF).code == 0
    assert len(reads) == 3  # each workbook once; the owner's once more, for its Measures sheet only
    assert reads[2] == ("cheplan", "Measures")
