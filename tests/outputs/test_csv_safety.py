"""CSV that a spreadsheet cannot be turned against: no live formula, no extra row, and a
`csv-excel` variant that spreadsheets decode as UTF-8. Checked with Python's csv reader and
with LibreOffice itself."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cheplan.outputs.csv_format import FORMULA_STARTS, neutralised
from cheplan.outputs.formats import render
from cheplan.outputs.listing import Column, Listing
from tests.conftest import MakePlan, RunCli, base_action, require_client

FORMULAS = ["=1+3", "+1+3", "-1+3", "@SUM(A1)", "\t=1+3", "\r=1+3", '=HYPERLINK("http://evil.example","click")']


def listing(cells: list[Any]) -> Listing:
    return Listing(
        data=[],
        columns=[Column("id", "ID"), Column("text", "Text"), Column("lead", "Lead")],
        rows=[
            {"id": i, "text": cell, "lead": [cell, "X"] if isinstance(cell, str) else None}
            for i, cell in enumerate(cells)
        ],
    )


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("formula", FORMULAS)
def test_cells_a_spreadsheet_would_run_start_with_a_quote(formula: str) -> None:
    rows = read(render(listing([formula]), "csv"))
    assert rows[1] == ["0", "'" + formula, "'" + formula + "; X"]


@pytest.mark.parametrize("value", ["plain", "a=b", "café “quoted”", "'already", " =1", ""])
def test_other_text_is_untouched(value: str) -> None:
    assert neutralised(value) == value


def test_numbers_stay_numbers() -> None:
    assert neutralised(-3) == "-3"
    assert neutralised(-2.5) == "-2.5"


def test_a_lone_cr_stays_inside_its_quoted_cell() -> None:
    text = render(listing(["\r=1+3", "a\rb", "a\nb", "a\r\nb"]), "csv")
    rows = read(text)
    assert len(rows) == 5
    assert [row[1] for row in rows[1:]] == ["'\r=1+3", "a\rb", "a\nb", "a\r\nb"]
    assert '"\'\r=1+3"' in text
    assert text.count("\n") == 5 + 4  # five records; two cells in each of two rows hold a line break


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.one_of(st.sampled_from(list(",\"\r\n\t=+-@ '")), st.characters())), max_size=6))
def test_any_text_reads_back_cell_for_cell(cells: list[str]) -> None:
    for format_name in ("csv", "csv-excel"):
        text = render(listing(cells), format_name).removeprefix("\ufeff")
        rows = read(text)
        assert len(rows) == len(cells) + 1
        for cell, row in zip(cells, rows[1:], strict=True):
            expected = "'" + cell if cell.startswith(FORMULA_STARTS) else cell
            assert row[1] == expected


def test_csv_excel_has_a_bom_and_crlf_and_the_same_cells() -> None:
    cells = ["café “quoted” – naïve", "=1+3", "a\nb"]
    plain = render(listing(cells), "csv")
    excel = render(listing(cells), "csv-excel")
    assert excel.startswith("\ufeffid,text,lead\r\n")
    assert not plain.startswith("\ufeff")  # the machine contract has no BOM
    assert read(excel.removeprefix("\ufeff")) == read(plain)
    decoded = excel.encode("utf-8").decode("utf-8-sig")  # as Excel reads a file with a BOM
    assert read(decoded)[1][1] == "café “quoted” – naïve"


def test_the_cli_writes_csv_excel_as_utf8_bytes(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from cheplan.cli.app import main

    assert main(["corrections", "--format", "csv-excel"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"\xef\xbb\xbfwhere,field,printed,corrected,note\r\n")
    rows = read(out.decode("utf-8-sig"))
    assert len(rows) > 5
    assert all(len(row) == 5 for row in rows)


def test_hostile_plan_through_the_cli(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, action='=HYPERLINK("http://evil.example","click")', lead=["\r=1+3"])])
    result = cli("actions", "--plan", plan, "--format", "csv")
    rows = read(result.stdout)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["action"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["lead"] == "'\r=1+3"


def libreoffice(source: Path, target: str, outdir: Path) -> Path:
    """Convert with LibreOffice, reading the CSV as UTF-8 (comma-separated, double quotes)."""
    soffice = require_client("soffice")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{outdir / 'profile'}",
            "--headless",
            "--infilter=CSV:44,34,76",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return outdir / f"{source.stem}.{target.partition(':')[0]}"


def formula_cells(xlsx: Path) -> int:
    with zipfile.ZipFile(xlsx) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    return sheet.count("<f>") + sheet.count("<f ")


@pytest.mark.external
def test_libreoffice_runs_no_formula_and_sees_every_row(tmp_path: Path) -> None:
    cells = [*FORMULAS, "café “quoted”"]
    ours = tmp_path / "ours.csv"
    ours.write_bytes(render(listing(cells), "csv-excel").encode("utf-8"))
    # The same cells written raw, as before: proof that LibreOffice would run them.
    raw = tmp_path / "raw.csv"
    with raw.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["ID", "Text"], *([str(i), c] for i, c in enumerate(cells))])

    assert formula_cells(libreoffice(raw, "xlsx", tmp_path)) > 0
    assert formula_cells(libreoffice(ours, "xlsx", tmp_path)) == 0

    exported = libreoffice(ours, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path / "again")
    rows = read(exported.read_text(encoding="utf-8"))
    assert rows[0] == ["id", "text", "lead"]  # the BOM is not read as part of the first cell
    assert len(rows) == len(cells) + 1  # the lone CR did not start a row
    texts = [row[1] for row in rows[1:]]
    assert texts[0] == "'=1+3"
    assert texts[-1] == "café “quoted”"
    assert texts[5].endswith("=1+3")
    assert texts[5].startswith("'")
