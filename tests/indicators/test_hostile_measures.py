"""A hostile Measures sheet is refused with a cell reference for each problem, all in one run, and
nothing is recorded; a sheet past the workbook caps is refused, naming its part, before its cells are read."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cheplan.loading import workbook
from tests.conftest import RunCli
from tests.indicators.sheets import AS_OF, example_plan, export_measures, fill_measures

PLACEHOLDER = 12345.5  # written as a number, then made infinite in the XML (openpyxl would not write one)


def with_infinity(path: Path, out: Path) -> Path:
    """The workbook with the placeholder number replaced by 1e999 (infinity), as a forged file could hold."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(f"<v>{PLACEHOLDER}</v>".encode(), b"<v>1e999</v>")
            target.writestr(info, data)
    return out


@pytest.fixture
def hostile(cli: RunCli, tmp_path: Path) -> tuple[Path, Path]:
    plan = example_plan(tmp_path)
    exported = export_measures(cli, plan, tmp_path / "out")
    values: dict[str, list[Any]] = {
        "youth-service-engagement": ["=SUM(20,4)", "lots", 1e60, "NaN"],  # formula, text, 10^60, NaN
        "knife-injury-admissions": [39, "38", -1, 2.5],  # text that is a number is fine; then range
        "drug-service-referrals": [PLACEHOLDER],  # infinity
        "repeat-exclusions": [96],  # a good value in a sheet with problems: not recorded either
    }
    filled = fill_measures(exported, values, tmp_path / "filled.xlsx")
    book = openpyxl.load_workbook(filled)
    book["Measures"]["A5"] = "=A2"  # a formula in the ID column
    book["Measures"]["K3"] = "2021-Q3"  # a period not yet ended
    book.save(filled)
    return plan, with_infinity(filled, tmp_path / "hostile.xlsx")


def test_every_problem_is_reported_at_its_cell_and_nothing_recorded(cli: RunCli, hostile: tuple[Path, Path]) -> None:
    plan, book = hostile
    before = plan.read_bytes()
    result = cli("returns", "import", book, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert result.code == 1
    found = dict(re.findall(r"hostile\.xlsx!Measures!([A-Z]+\d+): (.*)", result.stderr))
    assert found["I2"] == "type the value, not a formula"
    assert found["L2"].startswith("'lots' is not a number")
    assert "the most a percent can be" in found["O2"]
    assert found["R2"] == "not a number: type the figure"  # NaN
    assert found["I4"] == "not a number: type the figure"  # infinity
    assert found["K3"] == "2021-Q3 has not ended yet (today is 2021-04-15)"
    assert "below 0" in found["O3"]
    assert "not a whole number" in found["R3"]
    assert found["A5"] == "type the value, not a formula"
    assert len(found) == 9
    assert plan.read_bytes() == before
    assert "nothing recorded" in result.stderr


def test_the_same_problems_in_json_name_their_cells(cli: RunCli, hostile: tuple[Path, Path]) -> None:
    import json

    plan, book = hostile
    result = cli("returns", "import", book, "--plan", plan, "--as-of", AS_OF, "--format", "json")
    assert result.code == 1
    document = json.loads(result.stdout)
    cells = sorted(p["cell"] for p in document["problems"] if p["sheet"] == "Measures")
    assert cells == ["A5", "I2", "I4", "K3", "L2", "O2", "O3", "R2", "R3"]
    assert document["measures"][0]["values"][0]["indicator"] == "knife-injury-admissions"


def test_a_forged_number_that_is_no_number_makes_the_workbook_unreadable(cli: RunCli, tmp_path: Path) -> None:
    plan = example_plan(tmp_path)
    exported = export_measures(cli, plan, tmp_path / "out")
    filled = fill_measures(exported, {"youth-service-engagement": [PLACEHOLDER]}, tmp_path / "filled.xlsx")
    forged = tmp_path / "forged.xlsx"
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(forged, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename).replace(f"<v>{PLACEHOLDER}</v>".encode(), b"<v>NaN</v>"))
    result = cli("returns", "import", forged, "--plan", plan, "--as-of", AS_OF)
    assert result.code == 2
    assert "forged.xlsx: could not be read as a workbook" in result.stderr


def test_a_fifty_thousand_row_sheet_is_refused_before_it_is_read(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Measures")
    sheet.append(["Indicator ID", "Period 1", "Value 1", "Note 1"])
    for _ in range(50_000):
        sheet.append(["youth-service-engagement", "2020-Q2", 1, None])
    path = tmp_path / "huge.xlsx"
    book.save(path)
    rows_read = 0
    real = workbook.Cell

    def counting(*args: object, **kwargs: object) -> workbook.Cell:
        nonlocal rows_read
        rows_read += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workbook, "Cell", counting)
    result = cli("returns", "import", path, "--plan", example_plan(tmp_path), "--as-of", AS_OF)
    assert result.code == 2
    assert "huge.xlsx: part 'xl/worksheets/sheet1.xml'" in result.stderr
    assert "refused" in result.stderr
    # Bounded: refused from the part's size before a single cell is read.
    assert rows_read == 0


def test_an_indicator_given_twice_is_a_problem_at_the_second_row(cli: RunCli, tmp_path: Path) -> None:
    plan = example_plan(tmp_path)
    exported = export_measures(cli, plan, tmp_path / "out")
    filled = fill_measures(exported, {"repeat-exclusions": [96]}, tmp_path / "filled.xlsx")
    book = openpyxl.load_workbook(filled)
    sheet = book["Measures"]
    for column in range(1, 11):
        sheet.cell(row=6, column=column).value = sheet.cell(row=5, column=column).value
    book.save(filled)
    result = cli("returns", "import", filled, "--plan", plan, "--as-of", AS_OF)
    assert result.code == 1
    assert "filled.xlsx!Measures!A6: indicator repeat-exclusions appears twice in this sheet (also A5)" in result.stderr
