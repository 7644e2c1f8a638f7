"""`cheplan init` on tables laid out otherwise, and on hostile ones: clear errors, exit 2, no traceback.

The second layout's rows are illustrative, written for this test (not from any source).
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cheplan.domain.months import month_problem
from cheplan.domain.refs import REFERENCE_PATTERN
from cheplan.questions.import_values import month_of, parse_references
from tests.conftest import RunCli
from tests.plan_tables import write_docx

PERIOD = "2021-04..2022-03"
HEADERS = ["Priority", "Ref", "What we will do", "Lead agency", "Expected outcomes", "Source", "From", "Deadline"]
ROWS: list[list[Any]] = [
    [
        "Safer streets",
        "A1",
        "Map knife crime hotspots.",
        "Police; Council ASB team",
        "A shared map.",
        "LVRU - Gov 1",
        "01/04/2021",
        datetime(2021, 9, 30),
    ],
    [
        "Safer streets",
        "A2",
        "Run weapon sweeps.",
        "Police\nHousing",
        "Fewer weapons.",
        "KCS 2.1, 2.3",
        "15/05/2021",
        "31/03/2022",
    ],
    [
        "Young people",
        "B1",
        "Open youth hubs.",
        "council youth service",
        "More places.",
        "see annex B",
        datetime(2021, 6, 1),
        "30/11/2021",
    ],
    ["Young people", "", "Train mentors.", "Council Youth Service", "Mentors trained.", "", "01/07/2021", "31/12/2021"],
]


def write_second_layout(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Plan"
    sheet.append(["Borough safety plan 2021/22 (illustrative)"])
    sheet.append([])
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    book.save(path)
    return path


def run_init(cli: RunCli, table: Path, out: Path, *more: str) -> Any:
    return cli("init", "--from", table, "--title", "T", "--period", PERIOD, "--out", out, *more)


def test_another_layout_other_headers_themes_in_a_column_day_month_year(tmp_path: Path, cli: RunCli) -> None:
    out = tmp_path / "plan.yaml"
    result = run_init(cli, write_second_layout(tmp_path / "other.xlsx"), out)
    assert result.code == 1, result.stderr  # "A1" is no action number: named at its cell
    assert "other.xlsx!Plan!B4: error: action number 'A1' is not a whole number" in result.stderr
    result = run_init(cli, tmp_path / "other.xlsx", out, "--columns", "id=Z")
    assert result.code == 0, result.stderr
    assert "theme=A ('Priority')" in result.stderr
    assert "end=H ('Deadline')" in result.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [t["title"] for t in data["themes"]] == ["Safer streets", "Young people"]
    actions = data["actions"]
    assert [(a["id"], a["theme"], a["start"], a["end"]) for a in actions] == [
        (1, "safer-streets", "2021-04", "2021-09"),
        (2, "safer-streets", "2021-05", "2022-03"),
        (3, "young-people", "2021-06", "2021-11"),
        (4, "young-people", "2021-07", "2021-12"),
    ]
    assert actions[0]["lead"] == ["Police", "Council ASB team"]
    assert actions[1]["lead"] == ["Police", "Housing"]
    assert actions[1]["recommendations"] == ["KCS-2.1", "KCS-2.3"]
    assert actions[2]["source_notes"][0]["printed"] == "see annex B"
    assert "references 'see annex B' could not be read" in result.stderr
    youth = next(o for o in data["organisations"] if o["name"] == "Council Youth Service")
    assert youth["aliases"] == ["council youth service"]
    assert cli("validate", out).code == 0


def test_a_date_that_is_no_month_is_a_problem_at_its_cell(tmp_path: Path, cli: RunCli) -> None:
    table = tmp_path / "plan.csv"
    table.write_text("Action,Outcomes,Lead,Start date,End date,Theme\nDo it.,Done.,Police,Apr-21,TBC,Safety\n")
    result = run_init(cli, table, tmp_path / "out.yaml")
    assert result.code == 1
    assert "plan.csv!E2: error: end month 'TBC' is not a month" in result.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_columns_name_what_no_header_says(tmp_path: Path, cli: RunCli) -> None:
    table = tmp_path / "plan.csv"
    table.write_text("Safety,Do it.,Done.,Police,04/2021,2022-03\n")
    assert run_init(cli, table, tmp_path / "out.yaml").code == 2
    mapped = run_init(
        cli, table, tmp_path / "out.yaml", "--columns", "theme=A,action=B,outcomes=C,lead=D,start=E,end=F"
    )
    assert mapped.code == 0, mapped.stderr
    assert run_init(cli, table, tmp_path / "x.yaml", "--columns", "colour=A").code == 2


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_hostile_tables_are_refused_with_exit_2(tmp_path: Path, cli: RunCli) -> None:
    docx_types = b'<Types><Override ContentType="application/x-wordprocessingml.document.main+xml"/></Types>'
    bomb = _zip(
        tmp_path / "bomb.docx", {"[Content_Types].xml": docx_types, "word/document.xml": b"<a/>" + b" " * 17_000_000}
    )
    doctype = _zip(
        tmp_path / "entities.docx",
        {"[Content_Types].xml": docx_types, "word/document.xml": b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'},
    )
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("Action,Lead\nCaf\u00e9,Police\n".encode("latin-1"))
    huge = tmp_path / "huge.csv"
    huge.write_text("Action,Outcomes,Lead,Start,End\n" + "a,b,c,Apr-21,Mar-22\n" * 6_000)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    cases = {
        bomb: "decompression bomb",
        doctype: "DOCTYPE",
        latin1: "not UTF-8",
        huge: "more than 5,000 rows",
        fifo: "is a pipe (FIFO)",
        tmp_path / "plan.pdf": "not .pdf",
        tmp_path / "missing.csv": "",
    }
    for table, message in cases.items():
        result = run_init(cli, table, tmp_path / "out.yaml")
        assert result.code == 2, (table, result.stderr)
        assert message in result.stderr, result.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_formulas_are_named_and_refused(tmp_path: Path, cli: RunCli) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Theme", "Action", "Outcomes", "Lead", "Start date", "End date"])
    sheet.append(["Safety", '=HYPERLINK("http://example.invalid","Do it")', "Done.", "Police", "Apr-21", "=TODAY()"])
    book.save(tmp_path / "formulas.xlsx")
    result = run_init(cli, tmp_path / "formulas.xlsx", tmp_path / "out.yaml")
    assert result.code == 2
    assert "formulas.xlsx!Sheet!B2: error: a formula" in result.stderr
    assert "formulas.xlsx!Sheet!F2: error: a formula" in result.stderr


def test_the_table_option_picks_a_docx_table(tmp_path: Path, cli: RunCli) -> None:
    paper = write_docx(tmp_path / "paper.docx")
    result = run_init(cli, paper, tmp_path / "out.yaml", "--table", "2")
    assert result.code == 2
    assert "paper.docx holds 1 table(s)" in result.stderr
    assert run_init(cli, paper, tmp_path / "out.yaml", "--sheet", "Plan").code == 2


@given(st.text(max_size=60))
def test_references_are_references_or_kept_verbatim(text: str) -> None:
    import re

    parsed = parse_references(text)
    assert all(re.fullmatch(REFERENCE_PATTERN, reference) for reference in parsed.references)
    assert all(part in text for part in parsed.unreadable)


@given(st.one_of(st.text(max_size=20), st.dates()))
def test_a_month_read_is_a_valid_month(value: Any) -> None:
    month = month_of(value)
    assert month is None or month_problem(month) is None


@pytest.mark.parametrize(
    ("printed", "month"),
    [
        ("Apr-20", "2020-04"),
        ("April 2020", "2020-04"),
        ("04/2020", "2020-04"),
        ("2020-04", "2020-04"),
        ("30/09/2021", "2021-09"),
        ("Sept-20", "2020-09"),
        ("TBC", None),
        ("13/2020", None),
        ("31/02/2021", None),
    ],
)
def test_printed_months(printed: str, month: str | None) -> None:
    assert month_of(printed) == month


def test_csv_rows_keep_their_cells(tmp_path: Path) -> None:
    from cheplan.loading.tables import read_table

    text = io.StringIO()
    csv.writer(text).writerows([["a", "b\nc"], ["", "d"]])
    (tmp_path / "t.csv").write_text(text.getvalue())
    table = read_table(tmp_path / "t.csv", "t.csv")
    assert [[c.text for c in row] for row in table.rows] == [["a", "b\nc"], ["", "d"]]
    assert table.rows[1][1].where == "t.csv!B2"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".docx", ".xlsx"]))
def test_any_bytes_get_an_answer_never_a_traceback(data: bytes, suffix: str, cli: RunCli, tmp_path: Path) -> None:
    table, out = tmp_path / f"any{suffix}", tmp_path / "any.yaml"
    table.write_bytes(data)
    out.unlink(missing_ok=True)
    result = run_init(cli, table, out)
    assert result.code in (0, 1, 2), result.stderr
    assert result.code == 0 or not out.exists()


def test_a_damaged_docx_inside_a_valid_zip_is_unreadable(tmp_path: Path, cli: RunCli) -> None:
    paper = write_docx(tmp_path / "paper.docx")
    with zipfile.ZipFile(paper) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"][:500]
    result = run_init(cli, _zip(tmp_path / "damaged.docx", parts), tmp_path / "out.yaml")
    assert result.code == 2
    assert "could not be read as a Word document" in result.stderr


def test_theme_rows_of_their_own_head_the_actions_below(tmp_path: Path, cli: RunCli) -> None:
    table = tmp_path / "plan.csv"
    rows = [
        ["Theme", "Ref", "Actions", "Outcome", "Lead", "Start", "Target date"],
        ["SAFER STREETS Fewer knife injuries", "", "", "", "", "", ""],
        ["", "1", "Map hotspots.", "A map.", "Police / Council", "April 2021", "Sept 2021"],
        ["", "2", "Sweep parks.", "Fewer weapons.", "Police", "2021-05", "03/2022"],
        ["YOUNG PEOPLE", "", "", "", "", "", ""],
        ["", "3", "Open hubs.", "More places.", "Youth Service", "Jun-21", "Nov-21"],
    ]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    table.write_text(text.getvalue(), encoding="utf-8")
    out = tmp_path / "out.yaml"
    result = run_init(cli, table, out)
    assert result.code == 0, result.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["themes"] == [
        {"id": "safer-streets", "title": "SAFER STREETS", "description": "Fewer knife injuries"},
        {"id": "young-people", "title": "YOUNG PEOPLE"},
    ]
    assert [(a["id"], a["theme"], a["lead"], a["end"]) for a in data["actions"]] == [
        (1, "safer-streets", ["Police", "Council"], "2021-09"),
        (2, "safer-streets", ["Police"], "2022-03"),
        (3, "young-people", ["Youth Service"], "2021-11"),
    ]


def test_a_document_past_the_element_budget_is_refused(
    tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cheplan.loading import workbook

    monkeypatch.setattr(workbook, "MAX_DOCUMENT_ELEMENTS", 1_000)  # the shipped table is about 2,200
    result = run_init(cli, write_docx(tmp_path / "paper.docx"), tmp_path / "out.yaml")
    assert result.code == 2
    assert "holds more XML than a plan's table (at most 1,000 elements over the document)" in result.stderr
