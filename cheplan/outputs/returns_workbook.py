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
from cheplan.domain.rounds import ReturnsRound
from cheplan.domain.vocabulary import STATUS_LABELS, STATUSES
from cheplan.outputs.measures_sheet import add_measures_sheet
from cheplan.outputs.returns_instructions import instructions, send_back
from cheplan.outputs.returns_layout import Rows, effective_end_text, row_points, set_page
from cheplan.outputs.returns_layout import visible_text as _visible
from cheplan.questions.returns import (
    COMPLETED_BY,
    DATE,
    EVIDENCE,
    INPUT_HEADERS,
    META_SHEET,
    META_TITLE,
    NEW_STATUS,
    NOTE,
    PROPOSED_END,
    RATING,
    REFERENCE_HEADERS,
    RETURN_DATE,
    RETURN_SHEET,
    RISKS,
    SUPPORT,
    fingerprint,
    own_latest,
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
_WIDTHS = {
    "ID": 5, "Action": 40, "Outcomes": 30, "Baseline end": 10, "Effective end": 14, "Current status": 11,
    "Last update": 32, NEW_STATUS: 12, DATE: 12, NOTE: 40, RATING: 9, RISKS: 24, SUPPORT: 24, EVIDENCE: 28,
    PROPOSED_END: 12, COMPLETED_BY: 14,
}  # fmt: skip
# (header, width): the reference columns, locked, then the inputs.
COLUMNS = tuple((header, _WIDTHS[header]) for header in (*REFERENCE_HEADERS, *INPUT_HEADERS))
INPUT_FROM = len(REFERENCE_HEADERS) + 1  # 1-based column of the first input (New status)
HEADER_ROW = 3  # above it: the 'Date of this return' cell, and where the return goes back
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ReturnRequest:
    plan: Plan
    organisation: Organisation
    actions: list[Action]  # the organisation's unfinished actions, in plan order
    as_of: date
    digest: str
    key: bytes  # the coordinator's returns key, which signs the hidden sheet
    round_: ReturnsRound | None = None  # the returns round the workbook is sent for (its deadline), when it is

    @property
    def round_id(self) -> str | None:
        return self.round_.id if self.round_ is not None else None


def _last_update(action: Action, organisation_id: str, as_of: date) -> str:
    """The latest entry this organisation (or the coordinator) made: what the row must have seen."""
    entry = own_latest(action, organisation_id, as_of.isoformat())
    if entry is None:
        return "nothing reported yet"
    text = f"{entry.date}: {STATUS_LABELS.get(entry.status, entry.status)}"
    return f"{text}. {entry.note}" if entry.note else text


def _reference(action: Action, organisation_id: str, as_of: date) -> list[Any]:
    texts = [
        action.action,
        action.outcomes,
        human_month(action.end),
        effective_end_text(action, as_of),
        STATUS_LABELS[action.status_on(as_of)],
        _last_update(action, organisation_id, as_of),
    ]
    return [action.id, *texts]


def _letter(header: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter([h for h, _ in COLUMNS].index(header) + 1)


def _validations(sheet: Any, first_row: int, last_row: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    if last_row < first_row:
        return
    labels = ",".join(STATUS_LABELS[s] for s in STATUSES)
    status = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True, showDropDown=False)
    status.error, status.errorTitle = "Choose one of the five statuses from the list.", "Status"
    status.prompt, status.promptTitle = "planned, in progress, complete, dropped or not reported", NEW_STATUS
    when = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True)
    when.errorStyle, when.error = "warning", "Type a date: 2021-01-15 or 15 Jan 2021 (never 15/01/2021)."
    when.prompt, when.promptTitle = "The date of this update, e.g. 2021-01-15; blank: the date of this return", DATE
    rating = DataValidation(type="list", formula1='"R,A,G"', allow_blank=True, showDropDown=False)
    rating.errorStyle, rating.error = "warning", "R, A or G; say why in the progress note."
    rating.prompt, rating.promptTitle = "Your own rating: R, A or G (say why in the progress note)", RATING
    month = DataValidation(allow_blank=True)  # any value: only the prompt
    month.prompt, month.promptTitle = "A month you propose, e.g. 2021-06; the reason in the note", PROPOSED_END
    for validation, header in ((status, NEW_STATUS), (when, DATE), (rating, RATING), (month, PROPOSED_END)):
        validation.showErrorMessage = validation.showInputMessage = True
        validation.add(f"{_letter(header)}{first_row}:{_letter(header)}{last_row}")
        sheet.add_data_validation(validation)


def _top_rows(sheet: Any, request: ReturnRequest) -> None:
    """Row 1: the 'Date of this return' cell, filled in once; row 2: where and when it goes back."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    sheet.merge_cells("A1:B1")
    sheet["A1"] = f"{RETURN_DATE} (type it once; a blank '{DATE}' takes it):"
    sheet["A1"].font = Font(bold=True)
    sheet["A1"].alignment = Alignment(horizontal="right")
    date_cell = sheet["C1"]
    date_cell.protection, date_cell.number_format = Protection(locked=False), "yyyy-mm-dd"
    date_cell.fill = PatternFill("solid", fgColor="FFF2CC")
    sheet.merge_cells("A2:G2")
    sheet["A2"] = _visible(send_back(request.plan, request.round_))
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")


def _return_sheet(book: Any, request: ReturnRequest) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(RETURN_SHEET)
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = [width for _, width in COLUMNS]
    _top_rows(sheet, request)
    headers = [header for header, _ in COLUMNS]
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = widths[column - 1]
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font, cell.alignment = Font(bold=True), wrap
    sheet.row_dimensions[HEADER_ROW].height = row_points(headers, widths)
    _header_comments(sheet)
    unlocked = Protection(locked=False)
    input_fill = PatternFill("solid", fgColor="FFF2CC")  # a pale fill marks where to type (the header says so too)
    organisation_id = request.organisation.id
    rows = Rows(sheet)
    rows.last = HEADER_ROW  # the rows above were written cell by cell
    styles: list[Any] = []  # the first row's cell styles, copied to every other row
    for action in request.actions:
        values = _reference(action, organisation_id, request.as_of)
        row = rows.append([*values, *([None] * len(INPUT_HEADERS))])
        sheet.row_dimensions[row].height = row_points([_visible(str(v)) for v in values], widths)
        if styles:
            # openpyxl hashes a style object at every assignment (in Python, ~30 us each): the
            # rows share the first one's, as openpyxl's own copy_worksheet copies them.
            for column, style in enumerate(styles, start=1):
                sheet.cell(row=row, column=column)._style = copy(style)
            continue
        for column in range(1, len(COLUMNS) + 1):
            cell = sheet.cell(row=row, column=column)
            cell.alignment = wrap
            if column >= INPUT_FROM:
                cell.protection, cell.fill = unlocked, input_fill
        sheet[f"{_letter(DATE)}{row}"].number_format = "yyyy-mm-dd"
        sheet[f"{_letter(PROPOSED_END)}{row}"].number_format = "yyyy-mm"
        styles = [sheet.cell(row=row, column=column)._style for column in range(1, len(COLUMNS) + 1)]
    _validations(sheet, HEADER_ROW + 1, rows.last)
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"
    set_page(sheet, HEADER_ROW, _visible(f"{request.organisation.name}: return of {request.as_of.isoformat()}"))
    protection = sheet.protection
    protection.sheet = True
    # Allowed under protection: resizing rows and columns. Sorting, filtering and inserting
    # columns stay blocked, as the instructions say (the import would cope, but the partner could not).
    protection.formatColumns = protection.formatRows = False


def _header_comments(sheet: Any) -> None:
    """Each input column's rule, as a comment on its header (the instructions say the same)."""
    from openpyxl.comments import Comment

    from cheplan.outputs.returns_instructions import COLUMN_RULES

    for header, rule in COLUMN_RULES:
        comment = Comment(rule, "cheplan")
        comment.width, comment.height = 300, 120
        sheet[f"{_letter(header)}{HEADER_ROW}"].comment = comment


def _instructions_sheet(book: Any, request: ReturnRequest) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.active
    sheet.title = "Instructions"
    sheet.column_dimensions["A"].width = 100
    rows = Rows(sheet)
    for line, bold in instructions(
        request.plan, request.organisation, request.as_of, len(request.actions), request.round_
    ):
        row = rows.append([line])
        cell = sheet.cell(row=row, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = row_points([line], [100])
        if bold:
            cell.font = Font(bold=True)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
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
    # Each row must have seen its action's latest entry by this organisation or the coordinator.
    actions = [(action.id, fingerprint(own_latest(action, request.organisation.id))) for action in request.actions]
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
