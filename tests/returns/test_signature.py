"""A returns workbook speaks only for the organisation it was exported for: its hidden sheet is
signed with the coordinator's key, and a workbook whose signed rows were changed is refused."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from tests.conftest import MakePlan, RunCli, base_action, require_client
from tests.returns.workbooks import AS_OF, export, fill

ACTIONS = [base_action(1, lead=["MPS"]), base_action(2, lead=["NPS"]), base_action(3, lead=["All"])]
DONE = {
    "New status": "complete",
    "Date of update": "2020-12-01",
    "Progress note": "Finished",
    "Evidence of delivery": "Minutes",
}


@pytest.fixture
def plan(make_plan: MakePlan) -> Path:
    return make_plan(ACTIONS)


@pytest.fixture
def exported(cli: RunCli, plan: Path, tmp_path: Path) -> dict[str, Path]:
    return {path.stem.removeprefix("returns-"): path for path in export(cli, plan, tmp_path / "out")}


def edit_meta(path: Path, change: Callable[[Any], None]) -> None:
    book = openpyxl.load_workbook(path)
    change(book["cheplan"])
    book.save(path)


def cell_of(sheet: Any, label: object) -> Any:
    return next(row for row in sheet.iter_rows() if row[0].value == label)


def run_import(cli: RunCli, plan: Path, *files: Path, extra: tuple[str, ...] = ()) -> Any:
    return cli("returns", "import", *files, "--plan", plan, "--as-of", AS_OF, *extra)


def recorded(plan: Path) -> dict[int, Any]:
    return {a["id"]: a.get("progress") for a in yaml.safe_load(plan.read_text(encoding="utf-8"))["actions"]}


def test_a_partner_cannot_report_as_another_organisation(cli: RunCli, plan: Path, exported: dict[str, Path]) -> None:
    """The review's probe: NPS types MPS into the hidden sheet and reports MPS's action 1 done."""
    nps = exported["nps"]
    edit_meta(nps, lambda sheet: setattr(cell_of(sheet, "organisation")[1], "value", "mps"))
    fill(nps, {1: DONE})
    before = plan.read_bytes()
    result = run_import(cli, plan, nps, extra=("--apply",))
    assert result.code == 1
    assert f"{nps}!cheplan!B2: the signed organisation was changed (it now reads 'mps')" in result.stderr
    assert plan.read_bytes() == before


@pytest.mark.parametrize(
    ("label", "column", "says"),
    [
        ("exported", 1, "the signed exported was changed (it now reads '2020-01-01')"),
        ("plan digest", 1, "the signed plan digest was changed"),
        (1, 1, "the signed row for action '1' was changed"),
        (1, 0, "the signed row for action '2' was changed"),
        ("organisation", 2, "the signed organisation was changed (it now reads 'mps')"),
    ],
)
def test_each_changed_signed_row_is_named(
    cli: RunCli, plan: Path, exported: dict[str, Path], label: object, column: int, says: str
) -> None:
    mps = exported["mps"]
    replacement = {"exported": "2020-01-01", "plan digest": "0" * 64, "organisation": "é" * 32}.get(
        str(label), 2 if column == 0 else "0" * 16
    )
    edit_meta(mps, lambda sheet: setattr(cell_of(sheet, label)[column], "value", replacement))
    result = run_import(cli, plan, mps)
    assert result.code == 1
    assert says in result.stderr
    assert "nothing from it is recorded" in result.stderr


def test_rows_taken_from_another_workbook_break_the_signature(
    cli: RunCli, plan: Path, exported: dict[str, Path]
) -> None:
    """Each row's own tag verifies, but together they were never signed."""
    source = openpyxl.load_workbook(exported["nps"])["cheplan"]
    theirs = [cell.value for cell in cell_of(source, "organisation")]

    def swap(sheet: Any) -> None:
        for cell, value in zip(cell_of(sheet, "organisation"), theirs, strict=True):
            cell.value = value

    edit_meta(exported["mps"], swap)
    result = run_import(cli, plan, exported["mps"])
    assert result.code == 1
    assert "the signature does not match: rows of this sheet were removed, added or taken" in result.stderr


def test_an_unsigned_workbook_is_refused(cli: RunCli, plan: Path, exported: dict[str, Path]) -> None:
    edit_meta(exported["mps"], lambda sheet: setattr(cell_of(sheet, "signature")[0], "value", None))
    result = run_import(cli, plan, exported["mps"])
    assert result.code == 1
    assert f"{exported['mps']}!cheplan: the workbook is not signed" in result.stderr


def test_another_coordinators_workbook_is_refused(
    cli: RunCli, plan: Path, exported: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other" / "returns-key"
    monkeypatch.setenv("CHEPLAN_RETURNS_KEY_FILE", str(other))
    missing = run_import(cli, plan, exported["mps"])
    assert missing.code == 2
    assert f"the returns key {other} does not exist" in missing.stderr
    export(cli, plan, tmp_path / "theirs", lead="MPS")  # makes the other key
    result = run_import(cli, plan, exported["mps"])
    assert result.code == 1
    assert "was not signed with this coordinator's key" in result.stderr


def test_a_workbook_from_another_plan_is_an_error_unless_accepted(
    cli: RunCli, make_plan: MakePlan, exported: dict[str, Path], tmp_path: Path
) -> None:
    fill(exported["mps"], {1: DONE})
    other = make_plan(ACTIONS, plan={**yaml.safe_load(make_plan(ACTIONS).read_text())["plan"], "title": "Another plan"})
    result = run_import(cli, other, exported["mps"])
    assert result.code == 1
    assert "exported from another plan, 'Test plan', not 'Another plan'" in result.stderr
    accepted = run_import(cli, other, exported["mps"], extra=("--accept-other-plan", "--apply"))
    assert accepted.code == 0, accepted.stderr
    assert "note: the plan has changed" in accepted.stdout
    assert recorded(other)[1][0]["status"] == "complete"


def test_the_same_plan_changed_since_export_is_still_a_note(cli: RunCli, plan: Path, exported: dict[str, Path]) -> None:
    assert cli("update", "2", "--plan", plan, "--status", "planned", "--date", "2020-12-01").code == 0
    fill(exported["mps"], {1: DONE})
    result = run_import(cli, plan, exported["mps"], extra=("--apply",))
    assert result.code == 0, result.stderr
    assert "note: the plan has changed" in result.stdout


def test_the_key_is_made_private_in_the_users_config_folder(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHEPLAN_RETURNS_KEY_FILE")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    export(cli, plan, tmp_path / "out", lead="MPS")
    key = tmp_path / "config" / "cheplan" / "returns-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert len(key.read_bytes()) == 32
    again = key.read_bytes()
    export(cli, plan, tmp_path / "out2", lead="MPS")
    assert key.read_bytes() == again  # made once, never replaced
    assert not (tmp_path / "home").exists()


@pytest.mark.parametrize("kind", ["readable by others", "short", "a link"])
def test_a_key_file_cheplan_did_not_make_private_is_never_used(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    key = tmp_path / "keys" / "returns-key"
    key.parent.mkdir(mode=0o700)
    if kind == "a link":
        (tmp_path / "elsewhere").write_bytes(os.urandom(32))
        key.symlink_to(tmp_path / "elsewhere")
    else:
        key.write_bytes(os.urandom(32 if kind != "short" else 8))
        key.chmod(0o644 if kind == "readable by others" else 0o600)
    monkeypatch.setenv("CHEPLAN_RETURNS_KEY_FILE", str(key))
    result = cli("returns", "export", "--out", tmp_path / "out", "--plan", plan, "--as-of", AS_OF)
    assert result.code == 2
    assert "is not a private (0600) file of yours holding 32 bytes" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.external
def test_a_libreoffice_resave_still_verifies_and_a_tampered_one_does_not(
    cli: RunCli, plan: Path, exported: dict[str, Path], tmp_path: Path
) -> None:
    soffice = require_client("soffice")
    fill(exported["mps"], {1: DONE})
    tampered = tmp_path / "tampered" / "returns-mps.xlsx"
    tampered.parent.mkdir()
    tampered.write_bytes(exported["mps"].read_bytes())
    edit_meta(tampered, lambda sheet: setattr(cell_of(sheet, "organisation")[1], "value", "nps"))
    resaved = tmp_path / "resaved"
    for source, outdir in ((exported["mps"], resaved), (tampered, resaved / "tampered")):
        profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
        subprocess.run(
            [soffice, profile, "--headless", "--convert-to", "xlsx", "--outdir", str(outdir), str(source)],
            capture_output=True,
            timeout=180,
            check=True,
        )
    converted = resaved / "returns-mps.xlsx"
    assert converted.read_bytes() != exported["mps"].read_bytes()
    result = run_import(cli, plan, converted, extra=("--apply",))
    assert result.code == 0, result.stderr
    assert recorded(plan)[1][0]["by"] == "MPS"
    refused = run_import(cli, plan, resaved / "tampered" / "returns-mps.xlsx")
    assert refused.code == 1
    assert "the signed organisation was changed (it now reads 'nps')" in refused.stderr


def test_a_plan_title_with_hidden_characters_still_verifies(cli: RunCli, make_plan: MakePlan, tmp_path: Path) -> None:
    base = yaml.safe_load(make_plan(ACTIONS).read_text(encoding="utf-8"))["plan"]
    plan = make_plan(ACTIONS, plan={**base, "title": "Plan \u202eevil\x7f"})
    [mps] = export(cli, plan, tmp_path / "out", lead="MPS")
    fill(mps, {1: DONE})
    result = run_import(cli, plan, mps)
    assert result.code == 0, result.stderr
    assert "note:" not in result.stdout


def test_a_second_organisation_row_is_refused_not_read(cli: RunCli, plan: Path, exported: dict[str, Path]) -> None:
    """Read and checked must be the same row: a later "organisation" row must not be the one read."""

    def add(sheet: Any) -> None:
        sheet.insert_rows(3)
        sheet["A3"], sheet["B3"] = "organisation", "mps"

    edit_meta(exported["nps"], add)
    fill(exported["nps"], {1: DONE})
    result = run_import(cli, plan, exported["nps"])
    assert result.code == 1
    assert f"{exported['nps']}!cheplan!A3: the signed organisation row appears twice" in result.stderr
