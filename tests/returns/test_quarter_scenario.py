"""A whole quarter as a coordinator and partners run it: workbooks exported from the shipped
plan, filled in, saved by LibreOffice as partner staff save them, and imported.

Four partners report on action 7 (led by all) and both co-leads on action 38, with no
conflict; a partner's new end month stays a proposal; a US-style slashed date is refused with
the forms to type; "June 2021" typed as a date cell is read as 2021-06; every problem is
reported in the first run; and after the apply the plan passes `validate --strict`.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from tests.conftest import SHIPPED_PLAN, RunCli, require_client
from tests.returns.workbooks import AS_OF, columns, export, fill

pytestmark = pytest.mark.external

REPORTERS_ON_7 = ("lbs-public-health", "lbs-education", "mps-southwark", "nps")


def resave(soffice: str, books: list[Path], out: Path, profile: Path) -> list[Path]:
    """Each workbook opened and saved again as .xlsx by LibreOffice (one process for all)."""
    command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx"]
    done = subprocess.run(
        [*command, "--outdir", str(out), *map(str, books)], capture_output=True, text=True, timeout=300, check=False
    )
    saved = [out / book.name for book in books]
    assert all(path.exists() for path in saved), done.stdout + done.stderr
    return saved


def row_of(path: Path, action_id: int) -> int:
    sheet = openpyxl.load_workbook(path)["Return"]
    return next(r for r in range(4, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == action_id)


def month_as_date_cell(path: Path, action_id: int, header: str) -> None:
    """What a spreadsheet makes of "June 2021" typed in a cell: a date, shown as a month."""
    book = openpyxl.load_workbook(path)
    sheet = book["Return"]
    cell = sheet.cell(row=row_of(path, action_id), column=columns(sheet)[header])
    cell.value, cell.number_format = datetime(2021, 6, 1), "mmmm yyyy"
    book.save(path)


def progress(plan: Path, action_id: int) -> list[dict[str, Any]]:
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = next(a for a in data["actions"] if a["id"] == action_id).get("progress", [])
    return found


def test_a_whole_quarter_with_libreoffice_saved_returns(cli: RunCli, tmp_path: Path) -> None:
    soffice = require_client("soffice")
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(SHIPPED_PLAN, plan)
    books = {p.stem.removeprefix("returns-"): p for p in export(cli, plan, tmp_path / "out")}
    note = {"Progress note": "Training delivered to front-line staff"}
    for number, organisation in enumerate(REPORTERS_ON_7):
        fill(books[organisation], {7: {"New status": "In Progress", "Date of update": f"{number + 1} Dec 2020"} | note})
    done = {"New status": "complete", "Date of update": "2020-12-01", "Evidence of delivery": "Protocol, 1 Dec"}
    fill(books["nps"], {38: done | {"Progress note": "Joint protocol signed"}})
    fill(books["southwark-crc"], {38: {"New status": "in progress", "Date of update": "1 December 2020"} | note})
    # A partner proposes a new end month, typed as "June 2021" and turned into a date by the spreadsheet.
    fill(books["lbs-family-early-help"], {7: {"Progress note": "Venue lost; we propose June", "New status": "planned"}})
    month_as_date_cell(books["lbs-family-early-help"], 7, "Proposed new end month")
    fill(books["lbs-family-early-help"], {7: {"Date of update": datetime(2020, 9, 30)}})
    # Mistakes in the first run: a US-style date, a word that is not a status, a formula beside them.
    fill(books["lbs-education"], {21: {"New status": "Done", "Date of update": "01/10/2020"}})
    book = openpyxl.load_workbook(books["lbs-education"])
    book["Return"].cell(row=row_of(books["lbs-education"], 21), column=10).value = "=1+1"
    book.save(books["lbs-education"])
    chosen = [books[o] for o in (*REPORTERS_ON_7, "southwark-crc", "lbs-family-early-help")]
    saved = resave(soffice, chosen, tmp_path / "saved", tmp_path / "profile")

    first = cli("returns", "import", *saved, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert first.code == 1
    education = next(p for p in saved if p.name == "returns-lbs-education.xlsx")
    row = row_of(education, 21)
    for line in (
        f"{education}!Return!I{row}: 01/10/2020 could be 1 October or 10 January; type 2020-10-01 or 1 Oct 2020",
        f"{education}!Return!H{row}: 'Done' is not a status; did you mean 'complete'?",
        f"{education}!Return!J{row}: type the value, not a formula",
    ):
        assert line in first.stderr  # every problem in the first run
    assert "conflict" not in first.stderr  # four partners on 7, two co-leads on 38: no conflict
    assert progress(plan, 7) == []

    fill(education, {21: {"New status": "complete", "Date of update": "2020-10-01", "Progress note": "Delivered"}})
    fill(education, {21: {"Evidence of delivery": "Attendance lists"}})
    [fixed] = resave(soffice, [education], tmp_path / "fixed", tmp_path / "profile")
    final = [fixed if p == education else p for p in saved]
    second = cli("returns", "import", *final, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert second.code == 0, second.stdout + second.stderr
    assert "1 proposal" in second.stdout
    assert "Not returned" in second.stdout
    on_7 = {(e.get("organisation"), e["status"], e.get("proposed_end")) for e in progress(plan, 7)}
    assert {o for o, _, _ in on_7} == {*REPORTERS_ON_7, "lbs-family-early-help"}
    assert ("lbs-family-early-help", "planned", "2021-06") in on_7  # "June 2021" as a date cell
    assert all("revised_end" not in e for e in progress(plan, 7))  # a proposal, never a revision
    assert {e["organisation"] for e in progress(plan, 38)} == {"nps", "southwark-crc"}
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    status = {a["id"]: a["status"] for a in data["actions"]}
    assert status[38] == "in_progress"  # one co-lead's "complete" does not close a shared action
    assert status[7] == "planned"  # the least advanced of the five organisations' latest entries
    assert cli("validate", "--strict", plan).code == 0
    again = cli("returns", "import", *final, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert again.code == 0
    assert "Nothing new to record" in again.stdout
