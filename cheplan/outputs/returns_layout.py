"""How a returns sheet reads on screen and on paper: row heights that fit wrapped text, and a
page set up to print one page wide, landscape A4, with the header row on every page.

openpyxl does not fit rows to their text, and neither does LibreOffice for a row whose height
the file sets, so each row's height is computed from its cells' text and column widths.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from copy import copy
from datetime import date
from typing import Any

from cheplan.domain.model import Action
from cheplan.questions.returns_signature import cell_text

LINE_POINTS = 15.0
"""The height of one line of 11-point text, in points (Calibri's and Carlito's line spacing, rounded up)."""
PADDING_POINTS = 4.0
MAX_ROW_POINTS = 409.0
"""The tallest row a spreadsheet allows."""
CHARS_PER_WIDTH = 1.0
"""Characters of ordinary text per unit of column width (a unit is one '0' wide: a safe floor)."""


def lines_needed(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (words kept whole)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH) - 1)
    count = 0
    for paragraph in text.split("\n"):
        used, lines = 0, 1
        for word in paragraph.split(" "):
            size = len(word)
            if used and used + 1 + size > per_line:
                lines += 1
                used = 0
            if size > per_line:  # a word longer than the line is broken across lines
                lines += math.ceil(size / per_line) - 1
                used = size % per_line
            else:
                used += size + (1 if used else 0)
        count += lines
    return count


def row_points(texts: Sequence[object], widths: Sequence[float]) -> float:
    """The height, in points, that shows every cell of a row whole."""
    lines = max(
        (lines_needed(str(t), w) for t, w in zip(texts, widths, strict=False) if t not in (None, "")), default=1
    )
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + PADDING_POINTS)


def set_page(sheet: Any, header_row: int, header_text: str) -> None:
    """Landscape A4, fitted to one page wide (as many pages tall as it takes), the header row
    repeated on every page, and `header_text` (organisation and round) at the top of each."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddHeader.center.text = header_text.replace("&", "&&")
    sheet.oddFooter.center.text = "Page &P of &N"


def visible_text(text: str) -> str:
    """Plan text as a cell can hold it: hidden characters shown as escapes, not dropped or refused."""
    return cell_text(text)


class Rows:
    """Appends rows to a sheet and counts them itself: openpyxl's `max_row` and `sheet[row]` scan
    every cell of the sheet, so asking after each row would make writing a sheet quadratic."""

    def __init__(self, sheet: Any) -> None:
        from openpyxl.cell import Cell

        self.sheet = sheet
        self.last = 0
        self._cell: Any = Cell

    def append(self, values: list[Any], styles: list[Any] | None = None) -> int:
        """Append a row of values as values: text shown with its control characters visible, and
        text that starts with "=" kept as text, never made a formula. `styles`, one per value,
        are copied onto the cells as they are made. The row's number."""
        cells, row = [], self.last + 1
        for column, value in enumerate(values):
            style = copy(styles[column]) if styles else None
            text = visible_text(value) if isinstance(value, str) else value
            cell = self._cell(self.sheet, row, column + 1, text, style)
            if cell.data_type == "f":
                cell.data_type = "s"
            cells.append(cell)
        self.sheet.append(cells)
        self.last = row
        return row


def effective_end_text(action: Action, as_of: date) -> str:
    """The Effective end cell: the end in force (with an agreed slip), and a pending proposal
    beside it, worded as `overdue`, `due` and `show` word it."""
    from cheplan.domain.months import human_month
    from cheplan.questions.actions import effective_end
    from cheplan.questions.returns import slip
    from cheplan.questions.slips import pending_proposal, proposal_words

    text = slip(action, as_of) or human_month(effective_end(action, as_of))
    proposal = pending_proposal(action, as_of)
    return f"{text} ({proposal_words(proposal)})" if proposal else text
