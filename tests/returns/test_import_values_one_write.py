"""`returns import --apply` records the Return sheet's entries and the Measures sheet's values
in one locked, validated, atomic write of the plan: all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from cheplan.domain.errors import WriteRefusedError
from tests.conftest import RunCli
from tests.indicators.sheets import AS_OF, FOUR_QUARTERS, example_plan, export_measures, fill_measures
from tests.returns.workbooks import HEADER_ROW, fill


def _returned(cli: RunCli, plan: Path, folder: Path) -> Path:
    """The owner's workbook with its first action's row and the Measures sheet's values filled in."""
    workbook = export_measures(cli, plan, folder / "out")
    sheet = openpyxl.load_workbook(workbook)["Return"]
    first = next(v for r in range(HEADER_ROW + 1, sheet.max_row + 1) if isinstance(v := sheet.cell(r, 1).value, int))
    fill(workbook, {first: {"New status": "In Progress", "Date of update": "2021-04-01", "Progress note": "Begun"}})
    return fill_measures(workbook, FOUR_QUARTERS, folder / "returned.xlsx")


def _values(plan: Path) -> dict[str, list[Any]]:
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    return {i["id"]: [v["value"] for v in i.get("values") or []] for i in data["indicators"]}


def test_the_entries_and_the_values_go_in_one_write(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cheplan.editing import files as writing

    plan = example_plan(tmp_path)
    workbook = _returned(cli, plan, tmp_path)
    writes: list[Path] = []
    real = writing.replace_atomically  # type: ignore[attr-defined]

    def counted(path: Path, *args: Any, **kwargs: Any) -> None:
        writes.append(path)
        real(path, *args, **kwargs)

    monkeypatch.setattr(writing, "replace_atomically", counted)
    result = cli("returns", "import", workbook, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert result.code == 0, result.stderr
    assert len(writes) == 1
    assert "Begun" in plan.read_text(encoding="utf-8")
    assert _values(plan)["youth-service-engagement"][-4:] == [24, 29, 33, 41]
    again = cli("returns", "import", workbook, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert again.code == 0, again.stderr
    assert len(writes) == 1  # all on record already: nothing to write


def test_a_failure_in_the_values_edit_leaves_the_plan_unchanged(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cheplan.editing import indicator_values

    plan = example_plan(tmp_path)
    workbook = _returned(cli, plan, tmp_path)
    before = plan.read_bytes()
    calls: list[str] = []
    real = indicator_values._with_value

    def fails_on_the_last(block: Any, entry: Any, name: str) -> str:
        calls.append(name)
        if len(calls) == sum(len(v) for v in FOUR_QUARTERS.values() if v):
            raise WriteRefusedError("injected: the value could not be edited", [])
        return real(block, entry, name)

    monkeypatch.setattr(indicator_values, "_with_value", fails_on_the_last)
    result = cli("returns", "import", workbook, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert result.code != 0
    assert "injected" in result.stderr
    assert len(calls) > 1  # the earlier values (and the entry) were edited in memory, never written
    assert plan.read_bytes() == before


def test_measure_records_through_the_same_edit(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cheplan.editing import indicator_values

    plan = example_plan(tmp_path)
    edits: list[int] = []
    real = indicator_values.add_values

    def counted(text: str, entries: Any, name: str) -> tuple[str, Any]:
        edits.append(len(entries))
        return real(text, entries, name)

    monkeypatch.setattr(indicator_values, "add_values", counted)
    result = cli("measure", "youth-service-engagement", "--period", "2020-Q2", "--value", "24", "--plan", plan)
    assert result.code == 0, result.stderr
    assert edits == [1]
    assert _values(plan)["youth-service-engagement"][-1] == 24
