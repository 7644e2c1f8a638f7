"""`cheplan returns export`: what a partner receives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cheplan.questions.actions import is_finished
from cheplan.questions.organisations import actions_of, directory_of
from tests.conftest import SHIPPED_PLAN, MakePlan, RunCli, base_action
from tests.returns.workbooks import AS_OF, export, ids_in

INPUTS = [
    "New status",
    "Date of update",
    "Progress note",
    "Lead's rating",
    "Risks or blockers",
    "Support asked of the board",
    "Evidence of delivery",
    "Proposed new end month",
    "Completed by (name)",
]


@pytest.fixture(scope="module")
def shipped_exports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from cheplan.cli.app import main

    out = tmp_path_factory.mktemp("exports")
    assert main(["returns", "export", "--out", str(out), "--plan", str(SHIPPED_PLAN), "--as-of", AS_OF]) == 0
    return sorted(out.glob("*.xlsx"))


def test_one_workbook_per_organisation_with_its_unfinished_actions(shipped_exports: list[Path]) -> None:
    from datetime import date

    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import resolve_registers

    loaded = load_plan(SHIPPED_PLAN, resolve_registers(None)).plan
    directory = directory_of(loaded)
    ids = {o.id for o in directory.organisations}
    assert {p.name for p in shipped_exports} == {f"returns-{i}.xlsx" for i in ids}
    for path in shipped_exports:
        organisation = path.stem.removeprefix("returns-")
        listed = ids_in(path)
        expected = [a.id for a in actions_of(loaded, directory, organisation) if not is_finished(a, date(2020, 12, 15))]
        assert listed == expected
    # "All" actions go to every organisation
    all_ids = [a.id for a in loaded.actions if "All" in a.lead]
    assert all_ids
    for path in shipped_exports:
        assert set(all_ids) <= set(ids_in(path))


def test_sheets_headers_protection_and_validation(shipped_exports: list[Path]) -> None:
    book = openpyxl.load_workbook(shipped_exports[0])
    assert book.sheetnames[0] == "Instructions"
    assert book["cheplan"].sheet_state == "veryHidden"
    assert book.security is not None
    assert book.security.lockStructure
    sheet = book["Return"]
    assert str(sheet["A1"].value).startswith("Date of this return")
    assert not sheet["C1"].protection.locked  # the one cell above the header a partner types in
    headers = [c.value for c in sheet[3]]
    assert headers[0] == "ID"
    assert headers[7:] == INPUTS
    assert headers[1:7] == ["Action", "Outcomes", "Baseline end", "Effective end", "Current status", "Last update"]
    for wanted in INPUTS:  # each input's rule is on its header, as in the instructions
        assert sheet.cell(row=3, column=headers.index(wanted) + 1).comment is not None, wanted
    assert sheet.protection.sheet
    # What the instructions say: no sorting, filtering or inserted columns; rows and columns resize.
    assert sheet.protection.sort
    assert sheet.protection.autoFilter
    assert sheet.protection.insertColumns
    assert not sheet.protection.formatRows
    assert not sheet.protection.formatColumns
    row = 4
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column)
        assert cell.protection.locked == (header not in INPUTS), header
        if header in {"Action", "Outcomes", "Last update"}:
            assert cell.alignment.wrap_text
    kinds: dict[str, Any] = {str(dv.sqref)[:2]: dv for dv in sheet.data_validations.dataValidation}
    assert kinds["H4"].formula1 == '"not reported,planned,in progress,complete,dropped"'
    assert kinds["I4"].type == "date"
    assert kinds["K4"].formula1 == '"R,A,G"'
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$3:$3"


def test_instructions_say_how_what_and_where(shipped_exports: list[Path]) -> None:
    text = "\n".join(str(c.value) for c in openpyxl.load_workbook(shipped_exports[0])["Instructions"]["A"] if c.value)
    for words in ["complete:", "dropped:", "in progress:", "planned:", "not reported:", "2020-10-01", "1 Oct 2020"]:
        assert words in text
    assert "Never 01/10/2020" in text
    assert "Date of this return" in text
    assert "not sort, filter or add columns" in text
    assert "Community Harm and Exploitation Board's plan coordinator" in text
    assert "@" not in text  # no invented addresses


def test_hidden_sheet_records_its_origin(shipped_exports: list[Path]) -> None:
    path = next(p for p in shipped_exports if p.name == "returns-nps.xlsx")
    rows = list(openpyxl.load_workbook(path)["cheplan"].iter_rows(values_only=True))
    values = {r[0]: r[1] for r in rows}
    assert values["organisation"] == "nps"
    assert values["exported"] == AS_OF
    assert len(str(values["plan digest"])) == 64
    assert len(str(values["signature"])) == 64
    listed = rows[rows.index(("action", "latest entry fingerprint", "tag")) + 1 :]
    assert [r[0] for r in listed] == ids_in(path) == [7, 21, 38]  # 7 and 21 are led by "All"
    assert all(r[1] == "none" for r in listed)  # nothing reported on the shipped plan yet


def test_export_is_deterministic(cli: RunCli, tmp_path: Path) -> None:
    first = export(cli, SHIPPED_PLAN, tmp_path / "a")
    second = export(cli, SHIPPED_PLAN, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_lead_names_one_organisation(cli: RunCli, tmp_path: Path) -> None:
    assert [p.name for p in export(cli, SHIPPED_PLAN, tmp_path, lead="NPS")] == ["returns-nps.xlsx"]
    result = cli("returns", "export", "--out", tmp_path / "x", "--plan", SHIPPED_PLAN, "--lead", "Nowhere")
    assert result.code == 2
    assert "--lead 'Nowhere' matches no lead organisation" in result.stderr


def test_reference_columns_show_text_slips_and_never_formulas(cli: RunCli, make_plan: MakePlan, tmp_path: Path) -> None:
    progress = [
        {"date": "2020-10-01", "status": "in_progress", "note": '=HYPERLINK("http://x")\x1b[31m', "by": "Board"},
        {"date": "2020-11-01", "status": "in_progress", "note": "Agreed by the board", "revised_end": "2021-06"},
    ]
    plan = make_plan([base_action(1, action="=1+1 is not a formula", progress=progress, status="in_progress")])
    [path] = export(cli, plan, tmp_path)
    sheet = openpyxl.load_workbook(path)["Return"]
    assert sheet["B4"].value == "=1+1 is not a formula"
    assert sheet["B4"].data_type == "s"
    assert sheet["D4"].value == "Mar 2021"
    assert sheet["E4"].value == "Mar 2021 → Jun 2021 (+3 months, agreed 2020-11-01)"
    assert sheet["G4"].value == "2020-11-01: in progress. Agreed by the board"


def test_an_organisation_with_nothing_unfinished_gets_no_workbook(
    cli: RunCli, make_plan: MakePlan, tmp_path: Path
) -> None:
    done = [{"date": "2020-10-01", "status": "complete", "note": "Delivered"}]
    plan = make_plan([base_action(1, lead=["MPS"]), base_action(2, lead=["NPS"], status="complete", progress=done)])
    result = cli("returns", "export", "--out", tmp_path / "out", "--plan", plan, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["returns-mps.xlsx"]
    assert "nps: no unfinished actions on 2020-12-15; no workbook written" in result.stderr
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    refused = cli("returns", "export", "--out", blocked, "--plan", plan)
    assert refused.code == 2
    assert "is a file, not a directory" in refused.stderr


def test_hostile_plan_text_stays_text_in_every_sheet(cli: RunCli, make_plan: MakePlan, tmp_path: Path) -> None:
    from tests.conftest import plan_data

    meta = plan_data()["plan"] | {"title": "=cmd|'/c calc'!A1 \x1b[31m", "board": "=Board\x07"}
    plan = make_plan([base_action(1, lead=["=MPS\x1b]0;x\x07"], action="\x1b[2Jwipe")], plan=meta)
    [path] = export(cli, plan, tmp_path)
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    text = " ".join(str(c.value) for c in cells)
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\\x1b[2Jwipe" in text
    assert "=cmd|'/c calc'!A1" in text


def test_the_organisation_name_reaches_the_terminal_shown_not_obeyed(
    cli: RunCli, make_plan: MakePlan, tmp_path: Path
) -> None:
    plan = make_plan([base_action(1, lead=["MPS\x1b[2J\x9b31m\x07"])])
    result = cli("returns", "export", "--out", tmp_path / "out", "--plan", plan, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert not any(char in result.stdout + result.stderr for char in "\x1b\x9b\x07")
    assert "MPS\\x1b[2J\\x9b31m\\x07" in result.stdout
