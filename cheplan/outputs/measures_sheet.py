"""The `Measures` sheet of a returns workbook: the indicators an organisation reports, to fill in.

One row per indicator the organisation owns: its baseline, target and last value shown
(locked), then for each period due since its last value a locked period cell and two input
cells, the value and a note. The import (:mod:`cheplan.questions.measure_rows`) reads it back
by its headers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cheplan.domain.indicators import Indicator
from cheplan.domain.model import Organisation, Plan
from cheplan.outputs.indicator_listings import figure
from cheplan.questions.indicators import periods_due, series_of
from cheplan.questions.measure_rows import INDICATOR_ID, MEASURES_SHEET, MOST_PERIODS, period_headers

REFERENCE = (
    (INDICATOR_ID, 26),
    ("Indicator", 48),
    ("Unit", 12),
    ("Better", 8),
    ("Baseline", 18),
    ("Target", 18),
    ("Last value", 18),
)


def owned_indicators(plan: Plan, organisation: Organisation) -> list[Indicator]:
    return [indicator for indicator in plan.indicators if indicator.owner == organisation.id]


def _reference(indicator: Indicator) -> list[Any]:
    series = series_of(indicator)
    last = f"{figure(series[-1].value, indicator.unit)} ({series[-1].period})" if series else "none yet"
    return [
        indicator.id,
        indicator.title,
        indicator.unit,
        "higher" if indicator.better == "up" else "lower",
        f"{figure(indicator.baseline.value, indicator.unit)} ({indicator.baseline.period})",
        f"{figure(indicator.target.value, indicator.unit)} by {indicator.target.by}",
        last,
    ]


def _prompts(sheet: Any, last_row: int, width: int) -> None:
    """What to type, shown by the spreadsheet as the cell is chosen; a warning (not a refusal) on text."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    value = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True)
    value.errorStyle, value.error = "warning", "Type the figure as a number, e.g. 24 or 35.5 (no formula)."
    value.prompt, value.promptTitle = "The figure for the period to the left, in the indicator's unit", "Value"
    value.showErrorMessage = value.showInputMessage = True
    for n in range(width):
        column = get_column_letter(len(REFERENCE) + 3 * n + 2)
        value.add(f"{column}2:{column}{last_row}")
    sheet.add_data_validation(value)


def add_measures_sheet(book: Any, plan: Plan, organisation: Organisation, as_of: date) -> None:
    """Add the sheet when the organisation owns indicators; else leave the workbook as it is."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    from cheplan.outputs.returns_layout import Rows

    indicators = owned_indicators(plan, organisation)
    if not indicators:
        return
    due = {indicator.id: periods_due(indicator, as_of, MOST_PERIODS) for indicator in indicators}
    width = max(1, *(len(periods) for periods in due.values()))
    sheet = book.create_sheet(MEASURES_SHEET)
    rows = Rows(sheet)
    headers = [h for h, _ in REFERENCE] + [h for n in range(1, width + 1) for h in period_headers(n)]
    rows.append(headers)
    widths = [w for _, w in REFERENCE] + [12, 12, 36] * width
    for column, size in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
        sheet.cell(row=1, column=column).font = Font(bold=True)
    unlocked, fill = Protection(locked=False), PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    for indicator in indicators:
        periods = due[indicator.id]
        cells: list[Any] = _reference(indicator)
        for period in periods:
            cells += [period, None, None]
        row = rows.append(cells)
        for column in range(1, len(headers) + 1):
            sheet.cell(row=row, column=column).alignment = wrap
        for n in range(len(periods)):
            first = len(REFERENCE) + 3 * n + 1
            sheet.cell(row=row, column=first).number_format = "@"  # "2021-03" stays text
            for column in (first + 1, first + 2):
                sheet.cell(row=row, column=column).protection = unlocked
                sheet.cell(row=row, column=column).fill = fill
            sheet.cell(row=row, column=first + 1).number_format = "General"
    _prompts(sheet, len(indicators) + 1, width)
    sheet.freeze_panes = "B2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False
