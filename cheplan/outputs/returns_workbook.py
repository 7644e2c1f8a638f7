"""Write one organisation's quarterly returns workbook (.xlsx) with openpyxl.

Sheets: `Instructions` first, then `Return` (one row per unfinished action: locked reference
columns, unlocked input columns with in-cell validation, the sheet protected so only the
inputs can be typed in), then a very hidden `cheplan` sheet recording what the workbook was
made from, signed with the coordinator's key, which the import checks. The bytes depend only
on the plan, the organisation, the as-of date and the key: document times come from the as-of
date and zip entries carry a fixed time.
"""

from __future__ import annotations

import io
import zipfile
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cheplan.domain.model import Action, Organisation, Plan
from cheplan.domain.months import human_month
from cheplan.domain.vocabulary import STATUS_LABELS, STATUSES
from cheplan.outputs.measures_sheet import add_measures_sheet
from cheplan.outputs.returns_instructions import instructions
from cheplan.questions.actions import effective_end
from cheplan.questions.returns import (
    DATE,
    ID,
    META_SHEET,
    META_TITLE,
    NEW_STATUS,
    NOTE,
    RETURN_SHEET,
    REVISED_END,
    fingerprint,
    slip,
)
from cheplan.questions.returns_signature import (
    ACTIONS_HEADER,
    SIGNATURE,
    Identity,
    action_tag,
    cell_text,
    field_tag,
    signature,
)

META_VERSION = 2  # 2: signed
# (header, width); the first seven are reference columns, locked; the last four are inputs.
COLUMNS = (
    (ID, 6),
    ("Action", 60),
    ("Outcomes", 45),
    ("Baseline end", 12),
    ("Effective end", 24),
    ("Current status", 14),
    ("Last update", 45),
    (NEW_STATUS, 16),
    (DATE, 16),
    (NOTE, 50),
    (REVISED_END, 16),
)
INPUT_FROM = 8  # 1-based column of the first input (New status)
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ReturnRequest:
    plan: Plan
    organisation: Organisation
    actions: list[Action]  # the organisation's unfinished actions, in plan order
    as_of: date
    digest: str
    key: bytes  # the coordinator's returns key, which signs the hidden sheet
    round_id: str | None = None  # the returns round the workbook is sent for, when it is


def _last_update(action: Action, as_of: date) -> str:
    entry = action.progress_on(as_of)
    if entry is None:
        return "nothing reported yet"
    text = f"{entry.date}: {STATUS_LABELS.get(entry.status, entry.status)}"
    return f"{text}. {entry.note}" if entry.note else text


def _visible(text: str) -> str:
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
            text = _visible(value) if isinstance(value, str) else value
            cell = self._cell(self.sheet, row, column + 1, text, style)
            if cell.data_type == "f":
                cell.data_type = "s"
            cells.append(cell)
        self.sheet.append(cells)
        self.last = row
        return row


def _reference(action: Action, as_of: date) -> list[Any]:
    end = effective_end(action, as_of)
    texts = [
        action.action,
        action.outcomes,
        human_month(action.end),
        slip(action, as_of) or human_month(end),
        STATUS_LABELS[action.status_on(as_of)],
        _last_update(action, as_of),
    ]
    return [action.id, *texts]


def _validations(sheet: Any, last_row: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    if last_row < 2:
        return
    labels = ",".join(STATUS_LABELS[s] for s in STATUSES)
    status = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True, showDropDown=False)
    status.error, status.errorTitle = "Choose one of the five statuses from the list.", "Status"
    status.prompt, status.promptTitle = "planned, in progress, complete, dropped or not reported", "New status"
    when = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True)
    when.errorStyle, when.error = "warning", "Type a date: 2021-01-15 or 15/01/2021 (day first)."
    when.prompt, when.promptTitle = "The date of this update, e.g. 15/01/2021", "Date of update"
    month = DataValidation(type="textLength", operator="equal", formula1="7", allow_blank=True)
    month.errorStyle, month.error = "warning", "Type the month as YYYY-MM, e.g. 2021-06."
    month.prompt, month.promptTitle = "Only a board-agreed new end month, YYYY-MM", "Revised end month"
    for validation, column in ((status, "H"), (when, "I"), (month, "K")):
        validation.showErrorMessage = validation.showInputMessage = True
        validation.add(f"{column}2:{column}{last_row}")
        sheet.add_data_validation(validation)


def _cell_styles(sheet: Any) -> list[Any]:
    """The style of each column of a row, made once: assigning a style object to a cell looks it
    up in the workbook's style tables (hashing it), so the rows copy these instead."""
    from copy import copy

    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment, PatternFill, Protection

    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    input_fill = PatternFill("solid", fgColor="FFF2CC")  # a pale fill marks where to type (the header says so too)
    formats = {INPUT_FROM + 1: "yyyy-mm-dd", INPUT_FROM + 3: "@"}  # text, so Excel keeps 2021-06 as typed
    styles = []
    for column in range(1, len(COLUMNS) + 1):
        model: Any = Cell(sheet, 1, column)  # never put in the sheet: only its style is used
        model.alignment = wrap
        if column >= INPUT_FROM:
            model.protection, model.fill = unlocked, input_fill
        if column in formats:
            model.number_format = formats[column]
        styles.append(copy(model._style))
    return styles


def _return_sheet(book: Any, request: ReturnRequest) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(RETURN_SHEET)
    rows = Rows(sheet)
    rows.append([header for header, _ in COLUMNS])
    for column, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.cell(row=1, column=column).font = Font(bold=True)
    styles = _cell_styles(sheet)
    for action in request.actions:
        rows.append([*_reference(action, request.as_of), None, None, None, None], styles)
    _validations(sheet, rows.last)
    sheet.freeze_panes = "B2"
    protection = sheet.protection
    protection.sheet = True
    # Allowed under protection: resizing, sorting and filtering rows (the import finds rows by ID).
    protection.formatColumns = protection.formatRows = protection.sort = protection.autoFilter = False


def _instructions_sheet(book: Any, request: ReturnRequest) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.active
    sheet.title = "Instructions"
    sheet.column_dimensions["A"].width = 100
    rows = Rows(sheet)
    for line, bold in instructions(request.plan, request.organisation, request.as_of, len(request.actions)):
        cell = sheet.cell(row=rows.append([line]), column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True)
    sheet.protection.sheet = True


def _meta_sheet(book: Any, request: ReturnRequest) -> None:
    """The hidden sheet: what the workbook was made from, each signed row with its tag in column C."""
    from openpyxl.workbook.protection import WorkbookProtection

    key = request.key
    fields = {
        "organisation": cell_text(request.organisation.id),
        "exported": request.as_of.isoformat(),
        "plan": cell_text(request.plan.plan.title),
        "plan digest": request.digest,
    }
    actions = [(action.id, fingerprint(action.latest_progress)) for action in request.actions]
    sheet = book.create_sheet(META_SHEET)
    rows = Rows(sheet)
    rows.append([META_TITLE, META_VERSION])
    rows.append(["organisation", fields["organisation"], field_tag(key, "organisation", fields["organisation"])])
    rows.append(["organisation name", request.organisation.name])
    if request.round_id is not None:
        fields["round"] = request.round_id
    for name in [name for name in ("exported", "plan", "plan digest", "round") if name in fields]:
        rows.append([name, fields[name], field_tag(key, name, fields[name])])
    rows.append([SIGNATURE, signature(key, Identity(fields, actions))])
    rows.append([ACTIONS_HEADER, "latest entry fingerprint", "tag"])
    for action_id, latest in actions:
        rows.append([action_id, latest, action_tag(key, action_id, latest)])
    # Out of sight and out of the way: Excel lists a veryHidden sheet nowhere, and with the
    # structure locked no sheet can be unhidden, renamed, moved or deleted from the menus.
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time, so the same workbook is the same bytes."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_FIXED_ZIP_TIME)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl writes each worksheet to a temporary file first; its time must not leak in.
        with open(filename, "rb") as handle:
            self.writestr(str(arcname or filename), handle.read())


def returns_workbook(request: ReturnRequest) -> bytes:
    """The .xlsx file for one organisation, as bytes."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    _instructions_sheet(book, request)
    _return_sheet(book, request)
    add_measures_sheet(book, request.plan, request.organisation, request.as_of)
    _meta_sheet(book, request)
    stamp = datetime(request.as_of.year, request.as_of.month, request.as_of.day)
    book.properties.creator = book.properties.lastModifiedBy = "cheplan"
    book.properties.created = book.properties.modified = stamp
    book.properties.title = _visible(f"Return: {request.organisation.name}")
    out = io.BytesIO()
    with _FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    return out.getvalue()
