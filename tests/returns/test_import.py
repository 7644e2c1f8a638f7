"""`cheplan returns import`: what a returned workbook records, and every problem at its cell."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from tests.conftest import MakePlan, RunCli, base_action
from tests.returns.workbooks import AS_OF, export, fill

ACTIONS = [
    base_action(1, lead=["MPS"]),
    base_action(2, lead=["MPS"], start="2020-10"),
    base_action(3, lead=["NPS"]),
    base_action(4, lead=["All"]),
]


@pytest.fixture
def plan(make_plan: MakePlan) -> Path:
    return make_plan(ACTIONS)


@pytest.fixture
def mps(cli: RunCli, plan: Path, tmp_path: Path) -> Path:
    [path] = export(cli, plan, tmp_path / "out", lead="MPS")
    return path


def run_import(cli: RunCli, plan: Path, *files: Path, extra: tuple[str, ...] = ()) -> Any:
    return cli("returns", "import", *files, "--plan", plan, "--as-of", AS_OF, *extra)


def progress(plan: Path, action_id: int) -> list[dict[str, Any]]:
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    action = next(a for a in data["actions"] if a["id"] == action_id)
    entries: list[dict[str, Any]] = action.get("progress", [])
    return entries


def test_a_dry_run_says_what_it_would_record_and_writes_nothing(cli: RunCli, plan: Path, mps: Path) -> None:
    fill(mps, {1: {"New status": "In Progress", "Date of update": datetime(2020, 12, 1), "Progress note": "Begun"}})
    before = plan.read_bytes()
    result = run_import(cli, plan, mps)
    assert result.code == 0, result.stderr
    assert 'Action 1 (A4): would record in progress as of 2020-12-01: "Begun"' in result.stdout
    assert "Action 2 (A5): nothing new typed" in result.stdout
    assert "  MPS: 3 rows read, 1 entry to record, 0 proposals, 0 asks, 0 problems" in result.stdout
    assert "Not returned (1): NPS." in result.stdout
    assert "Would record 1 entry" in result.stdout
    assert plan.read_bytes() == before


def test_apply_records_once_and_a_second_import_records_nothing(cli: RunCli, plan: Path, mps: Path) -> None:
    done = {"New status": "complete", "Date of update": "1 Dec 2020", "Progress note": "Delivered"}
    fill(mps, {1: done | {"Evidence of delivery": "Minutes, 1 Dec"}})
    fill(mps, {4: {"New status": "in progress", "Date of update": "2020-12-02", "Progress note": "Shared"}})
    result = run_import(cli, plan, mps, extra=("--apply",))
    assert result.code == 0, result.stderr
    assert "Recorded 2 entries" in result.stdout
    assert progress(plan, 1) == [
        {
            "date": "2020-12-01",
            "status": "complete",
            "note": "Delivered",
            "by": "MPS",
            "organisation": "mps",
            "evidence": "Minutes, 1 Dec",
        }
    ]
    assert progress(plan, 4)[0]["status"] == "in_progress"
    written = plan.read_bytes()
    again = run_import(cli, plan, mps, extra=("--apply",))
    assert again.code == 0, again.stderr
    assert "already on record" in again.stdout
    assert "Nothing new to record" in again.stdout
    assert plan.read_bytes() == written


def test_every_problem_at_its_cell_and_nothing_written(cli: RunCli, plan: Path, mps: Path) -> None:
    fill(
        mps,
        {
            1: {"New status": "Done", "Date of update": "31/02/2020"},
            2: {"New status": "bad", "Date of update": "2020-09-01"},
            4: {"New status": "planned", "Date of update": "2020-12-16"},
            3: {"New status": "planned", "Date of update": "2020-12-01"},
            99: {"New status": "planned", "Date of update": "2020-12-01"},
        },
    )
    book = openpyxl.load_workbook(mps)
    book["Return"]["J5"] = "=1+1"  # a formula beside the bad status and date: all three are reported
    book.save(mps)
    before = plan.read_bytes()
    result = run_import(cli, plan, mps, extra=("--apply",))
    assert result.code == 1
    name = str(mps)
    for line in [
        f"{name}!Return!H4: 'Done' is not a status; did you mean 'complete'?",
        f"{name}!Return!I4: '31/02/2020' is not a real date",
        f"{name}!Return!H5: 'bad' is not a status",
        f"{name}!Return!I5: 1 September 2020 is before action 2 started (Oct 2020)",
        f"{name}!Return!J5: type the value, not a formula",
        f"{name}!Return!I6: 16 December 2020 is in the future (today is 15 December 2020)",
        f"{name}!Return!A7: action 3 is not MPS's to report on (its lead: NPS)",
        f"{name}!Return!A8: the plan has no action 99",
    ]:
        assert line in result.stderr
    assert plan.read_bytes() == before


def test_before_start_and_dropped_without_note(cli: RunCli, plan: Path, mps: Path) -> None:
    fill(mps, {2: {"New status": "dropped", "Date of update": "2020-09-30"}})
    fill(mps, {4: {"New status": "dropped", "Date of update": "2020-12-01", "Progress note": "Not ours"}})
    result = run_import(cli, plan, mps)
    assert result.code == 1
    assert f"{mps}!Return!I5: 30 September 2020 is before action 2 started (Oct 2020)" in result.stderr
    assert f"{mps}!Return!H5: a dropped action needs the reason in 'Progress note'" in result.stderr
    # Action 4 is led by all: one partner cannot drop it, and the message says who can.
    assert f"{mps}!Return!H6: action 4 is shared: dropping it is the coordinator's or the board's" in result.stderr


@pytest.mark.parametrize("typed", ["in progress", "In Progress", "IN_PROGRESS", "  in   progress ", "In_progress"])
@pytest.mark.parametrize("when", ["2020-12-01", "1 Dec 2020", "1 December 2020", "01 DEC 2020"])
def test_statuses_and_dates_as_people_type_them(cli: RunCli, plan: Path, mps: Path, typed: str, when: str) -> None:
    fill(mps, {1: {"New status": typed, "Date of update": when}})
    result = run_import(cli, plan, mps, extra=("--format", "json"))
    assert result.code == 0, result.stdout
    [row] = [r for r in json.loads(result.stdout)["workbooks"][0]["rows"] if r["outcome"] == "record"]
    expected = {"date": "2020-12-01", "status": "in_progress", "note": None, "by": "MPS", "organisation": "mps"}
    assert {key: value for key, value in row["entry"].items() if key in expected or value} == expected


def test_rows_resorted_deleted_blank_and_columns_added(cli: RunCli, plan: Path, mps: Path) -> None:
    book = openpyxl.load_workbook(mps)
    sheet = book["Return"]
    sheet.protection.sheet = False
    sheet.insert_cols(3)
    sheet["C3"] = "Our own comments"
    sheet["C4"] = "ignore me"
    sheet.cell(row=3, column=sheet.max_column + 1).value = "RAG"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    sheet.delete_rows(4, sheet.max_row)
    by_id = {row[0]: row for row in rows}
    sheet.append(by_id[4])  # re-sorted: 4 first, 1 after a blank row, 2 deleted
    sheet.append([None] * len(rows[0]))
    sheet.append(by_id[1])
    headers = [c.value for c in sheet[3]]
    sheet.cell(row=6, column=headers.index("New status") + 1).value = "complete"
    sheet.cell(row=6, column=headers.index("Date of update") + 1).value = "2020-12-10"
    sheet.cell(row=6, column=headers.index("Evidence of delivery") + 1).value = "The report"
    book.save(mps)
    result = run_import(cli, plan, mps)
    assert result.code == 0, result.stderr
    assert "Action 4 (A4): nothing new typed" in result.stdout
    assert "Action 1 (A6): would record complete as of 2020-12-10" in result.stdout
    assert "Action 2" not in result.stdout
    # Columns of the partner's own are never dropped in silence.
    assert f"{mps}!Return!C3: column C 'Our own comments' is not read" in result.stderr
    assert "column R 'RAG' is not read; use 'Lead's rating'" in result.stderr


def test_a_newer_entry_in_the_plan_is_a_conflict_unless_forced(cli: RunCli, plan: Path, mps: Path) -> None:
    update = cli("update", "1", "--status", "planned", "--date", "2020-12-05", "--note", "Officer", "--plan", plan)
    assert update.code == 0, update.stderr
    done = {"New status": "complete", "Date of update": "2020-12-10", "Progress note": "Done it"}
    fill(mps, {1: done | {"Evidence of delivery": "Report"}})
    result = run_import(cli, plan, mps, extra=("--apply",))
    assert result.code == 1
    assert "CONFLICT" in result.stdout
    assert 'plan:     planned as of 2020-12-05: "Officer"' in result.stdout
    assert 'workbook: complete as of 2020-12-10: "Done it"' in result.stdout
    assert f"{mps}!Return!A4: conflict: action 1 has a newer entry, by this organisation or the coordinator" in (
        result.stderr
    )
    assert "in the plan (line " in result.stderr
    assert "--force 1 " in result.stderr
    assert len(progress(plan, 1)) == 1
    not_this = run_import(cli, plan, mps, extra=("--apply", "--force", "2"))
    assert not_this.code == 1  # --force names what it forces
    forced = run_import(cli, plan, mps, extra=("--apply", "--force", "1"))
    assert forced.code == 0, forced.stderr
    assert [e["status"] for e in progress(plan, 1)] == ["planned", "complete"]  # nothing rewritten, one added
    assert cli("validate", "--strict", plan).code == 0


def test_a_new_end_month_is_a_proposal_needing_a_reason(cli: RunCli, plan: Path, mps: Path) -> None:
    fill(mps, {1: {"New status": "in progress", "Date of update": "2020-12-01", "Proposed new end month": "2021-06"}})
    result = run_import(cli, plan, mps)
    assert result.code == 1
    assert f"{mps}!Return!O4: a proposed new end month needs its reason in 'Progress note'" in result.stderr
    fill(mps, {1: {"Progress note": "Venue lost; we ask for June"}})
    applied = run_import(cli, plan, mps, extra=("--apply",))
    assert applied.code == 0, applied.stderr
    assert "1 proposal" in applied.stdout
    assert progress(plan, 1)[0]["proposed_end"] == "2021-06"
    assert "revised_end" not in progress(plan, 1)[0]  # a proposal, never an agreed revision


def test_a_note_alone_keeps_the_status_unless_nothing_was_reported(cli: RunCli, plan: Path, mps: Path) -> None:
    fill(mps, {1: {"Date of update": "2020-12-01", "Progress note": "A note"}})
    result = run_import(cli, plan, mps)
    assert result.code == 1
    assert "choose a New status for action 1" in result.stderr


def test_unreadable_and_foreign_files(cli: RunCli, plan: Path, mps: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook", encoding="utf-8")
    ods = tmp_path / "return.ods"
    ods.write_text("not a workbook either", encoding="utf-8")
    fill(mps, {1: {"New status": "Done", "Date of update": "2020-12-01"}})
    result = run_import(cli, plan, mps, junk, ods)
    assert result.code == 2
    assert "junk.xlsx: not an .xlsx workbook" in result.stderr
    assert f"convert it with LibreOffice: soffice --headless --convert-to xlsx {ods}" in result.stderr
    assert "'Done' is not a status" in result.stderr  # the readable workbook is still checked
    assert "\\n" not in result.stderr
    missing = run_import(cli, plan, tmp_path / "missing.xlsx")
    assert missing.code == 2
    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Return"  # type: ignore[union-attr]
    book.save(plain)
    foreign = run_import(cli, plan, plain)
    assert foreign.code == 1
    assert "not a cheplan returns workbook" in foreign.stderr


def test_apply_needs_an_explicit_plan(cli: RunCli, mps: Path) -> None:
    result = cli("returns", "import", mps, "--apply", "--as-of", AS_OF)
    assert result.code == 2
    assert "--plan" in result.stderr


def test_works_with_an_organisations_directory(cli: RunCli, make_plan: MakePlan, tmp_path: Path) -> None:
    organisations = [
        {"id": "mps", "name": "Metropolitan Police Service", "aliases": ["MPS"]},
        {"id": "nps", "name": "National Probation Service", "aliases": ["NPS"]},
    ]
    plan = make_plan(ACTIONS, organisations=organisations)
    [path] = export(cli, plan, tmp_path / "out", lead="Metropolitan Police Service")
    assert path.name == "returns-mps.xlsx"
    fill(path, {4: {"New status": "planned", "Date of update": "2020-12-01"}})
    result = run_import(cli, plan, path, extra=("--apply",))
    assert result.code == 0, result.stderr
    assert progress(plan, 4)[0]["by"] == "Metropolitan Police Service"


def test_json_shows_both_versions_of_a_conflict(cli: RunCli, plan: Path, mps: Path) -> None:
    assert cli("update", "2", "--status", "planned", "--date", "2020-12-05", "--plan", plan).code == 0
    fill(
        mps,
        {
            2: {
                "New status": "complete",
                "Date of update": "2020-12-10",
                "Progress note": "Done",
                "Evidence of delivery": "Log",
            }
        },
    )
    result = run_import(cli, plan, mps, extra=("--format", "json"))
    assert result.code == 1
    document = json.loads(result.stdout)
    [row] = [r for r in document["workbooks"][0]["rows"] if r["action"] == 2]
    assert row["outcome"] == "conflict"
    assert row["entry"]["status"] == "complete"
    assert row["on_record"]["date"] == "2020-12-05"
    assert document["written"] is False
    assert document["problems"][0]["cell"] == "A5"
    assert document["problems"][0]["text"].startswith(f"{mps}!Return!A5: conflict")


def test_the_same_workbook_twice_in_one_import_records_once(cli: RunCli, plan: Path, mps: Path) -> None:
    fill(mps, {1: {"New status": "planned", "Date of update": "2020-12-01"}})
    result = run_import(cli, plan, mps, mps, extra=("--apply",))
    assert result.code == 0, result.stderr
    assert "Recorded 1 entry" in result.stdout
    assert len(progress(plan, 1)) == 1


def test_two_organisations_that_disagree_do_not_conflict(cli: RunCli, plan: Path, mps: Path, tmp_path: Path) -> None:
    [nps] = export(cli, plan, tmp_path / "nps", lead="NPS")
    done = {"New status": "complete", "Date of update": "2020-12-01", "Progress note": "All done"}
    fill(mps, {4: done | {"Evidence of delivery": "Our report"}})
    fill(nps, {4: {"New status": "in progress", "Date of update": "2020-12-01", "Progress note": "Not yet"}})
    result = run_import(cli, plan, mps, nps, extra=("--apply",))
    assert result.code == 0, result.stderr
    assert [(e["status"], e["by"]) for e in progress(plan, 4)] == [("complete", "MPS"), ("in_progress", "NPS")]
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    assert next(a for a in data["actions"] if a["id"] == 4)["status"] == "in_progress"  # the least advanced


def test_one_organisation_saying_two_things_on_one_date_is_a_conflict(
    cli: RunCli, plan: Path, mps: Path, tmp_path: Path
) -> None:
    other = tmp_path / "again.xlsx"
    other.write_bytes(mps.read_bytes())
    fill(mps, {4: {"New status": "planned", "Date of update": "2020-12-01", "Progress note": "Soon"}})
    fill(other, {4: {"New status": "in progress", "Date of update": "2020-12-01", "Progress note": "Begun"}})
    result = run_import(cli, plan, mps, other, extra=("--apply",))
    assert result.code == 1
    assert f"{other}!Return!A6: conflict: action 4 is also reported by the same organisation for the same date in" in (
        result.stderr
    )
    assert f"{mps}!Return!A6" in result.stderr
    assert progress(plan, 4) == []
    forced = run_import(cli, plan, mps, other, extra=("--apply", "--force", "4"))
    assert forced.code == 0, forced.stderr
    assert [e["status"] for e in progress(plan, 4)] == ["planned", "in_progress"]


def test_two_partners_giving_the_same_status_are_two_reports(
    cli: RunCli, plan: Path, mps: Path, tmp_path: Path
) -> None:
    [nps] = export(cli, plan, tmp_path / "nps", lead="NPS")
    fill(mps, {4: {"New status": "in progress", "Date of update": "2020-12-01", "Progress note": "Our part"}})
    fill(nps, {4: {"New status": "In Progress", "Date of update": "2020-12-02", "Progress note": "Ours"}})
    result = run_import(cli, plan, mps, nps, extra=("--apply",))
    assert result.code == 0, result.stderr
    assert [e["by"] for e in progress(plan, 4)] == ["MPS", "NPS"]


def test_a_row_of_the_partners_own_with_nothing_typed_is_ignored(cli: RunCli, plan: Path, mps: Path) -> None:
    fill(mps, {3: {}, 99: {}})  # another organisation's action and an unknown one, nothing typed
    book = openpyxl.load_workbook(mps)
    book["Return"].append(["Total", "our own summary row"])
    book.save(mps)
    result = run_import(cli, plan, mps)
    assert result.code == 0, result.stderr
    assert "Action 3" not in result.stdout
    assert "Nothing new to record" in result.stdout
