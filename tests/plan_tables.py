"""The shipped plan's source table rebuilt from data/, as the Cabinet paper lays it out.

Columns Theme, Action No, Action(s), Outcomes, Lead organisation, Start date, End date,
Recommendations; each theme printed once, in bold with its description after it, over the
rows of its actions (a merged cell); the header repeated where the paper starts a new page;
months as "Apr-20"; leads, recommendations and action numbers as printed (the second "32").
Built in the test from data/ only, so it runs without ../shared.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import SHIPPED_PLAN

HEADER = ["Theme", "Action No", "Action", "Outcomes", "Lead organisation", "Start date", "End date", "Recommendations"]
# Where the paper's table starts a new page, repeating its header (with "Actions" for "Action").
REPEATED_HEADER_BEFORE = {9, 15, 31}
# The paper prints "TRANSFORMING LIVES" again, all bold, before action 24: a continuation block.
THEME_AGAIN_BEFORE = 24


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SHIPPED_PLAN.read_text(encoding="utf-8"))
    return data


def printed_month(month: str) -> str:
    return date(int(month[:4]), int(month[5:]), 1).strftime("%b-%y")


def printed_id(action: dict[str, Any]) -> str:
    return next((n["printed"] for n in action.get("source_notes", []) if n["field"] == "id"), str(action["id"]))


def rows() -> list[tuple[str, str, bool, list[str]]]:
    """(theme title, theme description, theme all bold, the other seven cells) for each row."""
    data = shipped()
    themes = {t["id"]: t for t in data["themes"]}
    found = []
    previous = None
    for action in data["actions"]:
        theme = themes[action["theme"]]
        starts = action["theme"] != previous or action["id"] == THEME_AGAIN_BEFORE
        previous = action["theme"]
        cells = [
            printed_id(action),
            action["action"],
            action["outcomes"],
            action["lead_printed"],
            printed_month(action["start"]),
            printed_month(action["end"]),
            action["recommendations_printed"],
        ]
        all_bold = action["theme"] == "targeting-lawbreakers" or action["id"] == THEME_AGAIN_BEFORE
        found.append(
            (theme["title"] if starts else "", theme.get("description", "") if starts else "", all_bold, cells)
        )
    return found


def write_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Appendix 1: Community Harm and Exploitation Reduction Plan 2020-2021")
    table = document.add_table(rows=0, cols=len(HEADER))
    _docx_row(table, HEADER)
    spans: list[tuple[int, int]] = []
    for number, (title, description, all_bold, cells) in enumerate(rows(), start=1):
        if number in REPEATED_HEADER_BEFORE:  # a new page: the theme's merged cell ends on the last
            _docx_row(table, [h if h != "Action" else "Actions" for h in HEADER])
            spans.append((len(table.rows), len(table.rows)))
        row = _docx_row(table, ["", *cells])
        if title:
            paragraph = row.cells[0].paragraphs[0]
            paragraph.add_run(title).bold = True
            paragraph.add_run(" " + description).bold = all_bold or None
            spans.append((len(table.rows) - 1, len(table.rows) - 1))
        elif spans:
            spans[-1] = (spans[-1][0], len(table.rows) - 1)
    for first, last in spans:
        if last > first:
            table.cell(first, 0).merge(table.cell(last, 0))
    document.save(str(path))
    return path


def _docx_row(table: Any, values: list[str]) -> Any:
    row = table.add_row()
    for cell, value in zip(row.cells, values, strict=True):
        lines = value.split("\n")
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    return row


def write_xlsx(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Action plan"
    sheet.append(["Community Harm and Exploitation Reduction Plan 2020-2021"])
    sheet.append(HEADER)
    first = None
    for number, (title, description, _, cells) in enumerate(rows(), start=1):
        if (title or number in REPEATED_HEADER_BEFORE) and first is not None and sheet.max_row > first:
            sheet.merge_cells(start_row=first, end_row=sheet.max_row, start_column=1, end_column=1)
        if number in REPEATED_HEADER_BEFORE:
            sheet.append([h if h != "Action" else "Actions" for h in HEADER])
            first = sheet.max_row + 1
        sheet.append([f"{title}\n{description}" if title else None, *cells])
        if title:
            first = sheet.max_row
    book.save(path)
    return path
