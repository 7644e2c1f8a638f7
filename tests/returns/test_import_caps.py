"""A returned note cheplan could not read back is a problem at its cell, found in the dry run."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from cheplan.domain import caps
from tests.conftest import MakePlan, RunCli, base_action
from tests.returns.workbooks import AS_OF, export, fill


@pytest.fixture
def plan(make_plan: MakePlan) -> Path:
    return make_plan([base_action(1, lead=["MPS"]), base_action(2, lead=["MPS"])])


@pytest.fixture
def mps(cli: RunCli, plan: Path, tmp_path: Path) -> Path:
    [path] = export(cli, plan, tmp_path / "out", lead="MPS")
    return path


def with_note(path: Path, placeholder: str, note: str) -> None:
    """Put `note` where `placeholder` was typed: openpyxl cuts what it writes at Excel's 32,767
    characters, but other writers do not, and a reader sees the whole text."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    [holder] = [name for name, data in parts.items() if f">{placeholder}<".encode() in data]
    parts[holder] = parts[holder].replace(f">{placeholder}<".encode(), f">{note}<".encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("apply", [False, True])
def test_a_note_over_the_value_cap_is_a_problem_at_its_cell(cli: RunCli, plan: Path, mps: Path, apply: bool) -> None:
    fill(mps, {1: {"New status": "In Progress", "Date of update": datetime(2020, 12, 1), "Progress note": "LONG"}})
    fill(mps, {2: {"New status": "In Progress", "Date of update": datetime(2020, 12, 1), "Progress note": "Begun"}})
    with_note(mps, "LONG", "n" * (caps.MAX_SCALAR_CHARS + 1))
    before = plan.read_bytes()
    result = cli("returns", "import", mps, "--plan", plan, "--as-of", AS_OF, *(["--apply"] if apply else []))
    assert result.code == 1, result.stderr
    expected = (
        f"{mps}!Return!J4: the note is {caps.MAX_SCALAR_CHARS + 1:,} characters,"
        f" over the {caps.MAX_SCALAR_CHARS:,} cheplan reads a plan value up to"
    )
    assert expected in result.stderr
    assert "layout" not in result.stderr
    assert plan.read_bytes() == before


def test_a_note_at_the_value_cap_is_recorded(cli: RunCli, plan: Path, mps: Path) -> None:
    fill(mps, {1: {"New status": "In Progress", "Date of update": datetime(2020, 12, 1), "Progress note": "LONG"}})
    with_note(mps, "LONG", "n" * caps.MAX_SCALAR_CHARS)
    result = cli("returns", "import", mps, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert result.code == 0, result.stderr
    assert cli("validate", plan).code == 0
