"""Helpers for returns tests: export a workbook, fill it in as a partner would, read it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from tests.conftest import RunCli

AS_OF = "2020-12-15"


def export(cli: RunCli, plan: Path, out: Path, lead: str | None = None, as_of: str = AS_OF) -> list[Path]:
    """Export the returns workbooks; the paths written."""
    args: list[str | Path] = ["returns", "export", "--out", out, "--plan", plan, "--as-of", as_of]
    if lead:
        args += ["--lead", lead]
    result = cli(*args)
    assert result.code == 0, result.stderr
    return sorted(out.glob("*.xlsx"))


HEADER_ROW = 3  # above it: the 'Date of this return' cell and where the return goes back


def columns(sheet: Any) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[HEADER_ROW] if cell.value}


def fill(path: Path, rows: dict[int, dict[str, Any]], *, out: Path | None = None) -> Path:
    """Type `rows` (action id -> {header: value}) into the Return sheet and save (to `out`, else in place)."""
    book = openpyxl.load_workbook(path)
    sheet = book["Return"]
    where = columns(sheet)
    by_id = {sheet.cell(row=r, column=1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    for action_id, values in rows.items():
        row = by_id.get(action_id)
        if row is None:
            row = sheet.max_row + 1
            sheet.cell(row=row, column=1).value = action_id
        for header, value in values.items():
            sheet.cell(row=row, column=where[header]).value = value
    target = out or path
    book.save(target)
    return target


def ids_in(path: Path) -> list[int]:
    sheet = openpyxl.load_workbook(path)["Return"]
    return [int(str(sheet.cell(row=r, column=1).value)) for r in range(HEADER_ROW + 1, sheet.max_row + 1)]
