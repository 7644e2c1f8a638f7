"""`returns import --apply` records the entries and the round's returns in one write: all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cheplan.domain.errors import WriteRefusedError
from tests.conftest import RunCli
from tests.returns.round_plan import plan_with_contacts
from tests.returns.workbooks import fill

EXPORT = ["--round", "2020-Q3", "--deadline", "2020-10-21", "--as-of", "2020-09-30", "--lead", "nps"]


def _returned_workbook(cli: RunCli, plan: Path, out: Path) -> Path:
    assert cli("returns", "export", "--plan", plan, *EXPORT, "--out", out).code == 0
    workbook = out / "returns-nps.xlsx"
    import openpyxl

    sheet = openpyxl.load_workbook(workbook)["Return"]
    first = int(next(v for r in range(4, sheet.max_row + 1) if isinstance(v := sheet.cell(row=r, column=1).value, int)))
    fill(workbook, {first: {"New status": "In Progress", "Date of update": "2020-10-01", "Progress note": "Begun"}})
    return workbook


def _round(plan: Path) -> dict[str, object]:
    rounds = yaml.safe_load(plan.read_text(encoding="utf-8"))["rounds"]
    assert isinstance(rounds, list)
    return dict(rounds[0])


def test_the_entries_and_the_returns_go_in_one_write(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cheplan.editing import files as writing

    plan = plan_with_contacts(tmp_path)
    workbook = _returned_workbook(cli, plan, tmp_path / "out")
    writes: list[Path] = []
    real = writing.replace_atomically  # type: ignore[attr-defined]

    def counted(path: Path, *args: Any, **kwargs: Any) -> None:
        writes.append(path)
        real(path, *args, **kwargs)

    monkeypatch.setattr(writing, "replace_atomically", counted)
    result = cli("returns", "import", "--plan", plan, "--as-of", "2020-10-05", "--apply", workbook)
    assert result.code == 0, result.stderr
    assert len(writes) == 1
    assert _round(plan)["returned"] == [{"organisation": "nps", "date": "2020-10-05"}]
    assert "Begun" in plan.read_text(encoding="utf-8")


def test_a_failure_between_the_two_edits_leaves_the_plan_unchanged(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cheplan.editing import rounds as round_blocks

    plan = plan_with_contacts(tmp_path)
    workbook = _returned_workbook(cli, plan, tmp_path / "out")
    before = plan.read_bytes()

    def fails(*args: object, **kwargs: object) -> str:
        raise WriteRefusedError("injected: the round could not be edited", [])

    monkeypatch.setattr(round_blocks, "append_to_round", fails)
    result = cli("returns", "import", "--plan", plan, "--as-of", "2020-10-05", "--apply", workbook)
    assert result.code != 0
    assert "injected" in result.stderr
    assert plan.read_bytes() == before


def test_not_returned_agrees_with_the_rounds_record(cli: RunCli, tmp_path: Path) -> None:
    """A return recorded for the round in an earlier import is not listed as missing by the next."""
    plan = plan_with_contacts(tmp_path)
    nps = _returned_workbook(cli, plan, tmp_path / "out")
    assert cli("returns", "import", "--plan", plan, "--as-of", "2020-10-05", "--apply", nps).code == 0
    export = ["--round", "2020-Q3", "--as-of", "2020-09-30", "--lead", "mps-southwark", "--out", tmp_path / "mps"]
    assert cli("returns", "export", "--plan", plan, *export).code == 0
    result = cli(
        "returns", "import", "--plan", plan, "--as-of", "2020-10-06", tmp_path / "mps" / "returns-mps-southwark.xlsx"
    )
    assert result.code == 0, result.stderr
    assert "Round 2020-Q3: returned by nps, mps-southwark" in result.stdout
    [missing] = [line for line in result.stdout.splitlines() if line.startswith("Not returned")]
    assert missing.startswith("Not returned (13): ")
    assert "National Probation Service" not in missing
