"""The worksheets' XML budget grows with the plan (a workbook the export wrote is always
importable); every other part keeps the fixed budget, and cannot borrow the sheets' by its name."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from cheplan.loading import workbook_parts
from cheplan.loading.workbook import MAX_ROWS, read_workbook
from cheplan.loading.workbook_parts import MAX_ELEMENTS, SHEET_ELEMENTS_PER_ROW, count_elements, sheet_budget
from tests.conftest import RunCli
from tests.returns.test_hostile_workbooks import WANTED, real_export, refusal, rezip
from tests.returns.test_workbook_budgets import MAIN, parts_of
from tests.returns.workbooks import AS_OF

__all__ = ["real_export"]

WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def _sheet_of(rows: int, cells: int) -> bytes:
    """A worksheet of `rows` rows of `cells` numeric cells: 1 + 2 * cells elements a row."""
    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}"><v>1</v></c>' for c in range(cells)) + "</row>"
        for r in range(1, rows + 1)
    )
    return f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'.encode()


def test_the_sheets_budget_follows_the_row_cap(tmp_path: Path, real_export: bytes) -> None:
    # Past the fixed budget, within the sheets' budget for the smallest row cap: read.
    rows = MAX_ELEMENTS // 19 + 100
    sheet = _sheet_of(rows, 9)
    assert MAX_ELEMENTS < count_elements("s", sheet, 10**9, 10**9)[0] < sheet_budget(MAX_ROWS)[0]
    path = tmp_path / "big.xlsx"
    path.write_bytes(rezip(real_export, {"xl/worksheets/sheet2.xml": sheet}))
    assert len(read_workbook(path, "big.xlsx", WANTED).sheets["Return"].rows) == rows
    # Past the sheets' budget for that cap: refused with the part named; a cap twice as high reads it.
    over = _sheet_of(SHEET_ELEMENTS_PER_ROW * MAX_ROWS // 19 + 10, 9)
    path.write_bytes(rezip(real_export, {"xl/worksheets/sheet2.xml": over}))
    with pytest.raises(workbook_parts.TooManyElements):
        workbook_parts.check_parts(parts_of(path.read_bytes()), MAX_ROWS)
    limit = f"{sheet_budget(MAX_ROWS)[0]:,} XML elements"
    assert f"part 'xl/worksheets/sheet2.xml' takes the workbook past {limit}" in refusal(tmp_path, path.read_bytes())
    workbook_parts.check_parts(parts_of(path.read_bytes()), 2 * MAX_ROWS)


def test_a_part_not_declared_a_worksheet_keeps_the_fixed_budget(real_export: bytes) -> None:
    """Shared strings (or styles) placed under xl/worksheets/, or declared a worksheet as well as
    something else, count against the fixed budget: openpyxl finds them by their declared type."""
    strings = f'<sst xmlns="{MAIN}">' + "<si><t>a</t></si>" * (MAX_ELEMENTS // 2 + 1) + "</sst>"
    types = parts_of(real_export)["[Content_Types].xml"].decode()
    for declared in (
        '<Override PartName="/xl/worksheets/strings.xml" ContentType="application/xml"/>',
        f'<Override PartName="/xl/worksheets/strings.xml" ContentType="{WORKSHEET}"/>'
        '<Override PartName="/xl/worksheets/strings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/>',
    ):
        changed: dict[str, bytes | None] = {
            "[Content_Types].xml": types.replace("</Types>", declared + "</Types>").encode(),
            "xl/worksheets/strings.xml": strings.encode(),
        }
        with pytest.raises(workbook_parts.TooManyElements) as caught:
            workbook_parts.check_parts(parts_of(rezip(real_export, changed)), 10 * MAX_ROWS)
        assert caught.value.part == "xl/worksheets/strings.xml"
        assert caught.value.reason == f"takes the workbook past {MAX_ELEMENTS:,} XML elements"


def test_a_ten_thousand_action_plans_export_imports(cli: RunCli, tmp_path: Path) -> None:
    """Its largest organisation's return has about 5,000 rows: far past the fixed budget, read."""
    benchmarks = str(Path(__file__).resolve().parents[2] / "benchmarks")
    sys.path.insert(0, benchmarks)  # the benchmarks' shipped-style plans: the shipped actions, new ids
    try:
        from plans import synthetic_plan
    finally:
        sys.path.remove(benchmarks)
    plan = tmp_path / "plan.yaml"
    plan.write_text(synthetic_plan(10_000), encoding="utf-8")
    out = tmp_path / "out"
    lead = "LBS Community Safety & Partnerships"
    assert cli("returns", "export", "--out", out, "--plan", plan, "--as-of", AS_OF, "--lead", lead).code == 0
    (book,) = out.glob("*.xlsx")
    rows = len(re.findall(rb"<row ", parts_of(book.read_bytes())["xl/worksheets/sheet2.xml"]))
    assert rows > MAX_ELEMENTS // SHEET_ELEMENTS_PER_ROW  # over the old fixed budget's share
    result = cli("returns", "import", book, "--plan", plan, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert "Nothing new to record" in result.stdout
