"""The rows of a returned `Measures` sheet: the indicator values a partner typed, checked cell by cell.

Read with the Return sheet's rules: columns found by header and rows by the indicator id they
carry, never by position; numbers must be typed numbers (a number stored as text, "1,204" or
"35%", is accepted), a formula is refused, and every problem is reported at its cell, all in
one run. A value already on record for its period records nothing (importing twice is
harmless); a different one is a problem: a correction says why, with `cheplan measure --corrects`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from cheplan.domain.indicators import Indicator, IndicatorValue, unit_problem
from cheplan.domain.model import Plan
from cheplan.domain.periods import last_ended, period_index, period_kind, period_problem
from cheplan.loading.workbook import Cell, Sheet, Workbook
from cheplan.questions.indicators import find_indicator, series_of
from cheplan.questions.return_cells import CellError, is_blank, read_text
from cheplan.questions.returns import CellProblem

MEASURES_SHEET = "Measures"
INDICATOR_ID = "Indicator ID"
MOST_PERIODS = 8  # period columns a sheet offers (and the import reads) per indicator
Report = Callable[[Cell, str], None]


def period_headers(number: int) -> tuple[str, str, str]:
    return f"Period {number}", f"Value {number}", f"Note {number}"


@dataclass
class MeasuresReview:
    file: str
    values: list[tuple[str, IndicatorValue, str]] = field(default_factory=list)  # (indicator id, value, cell)
    already_recorded: int = 0
    problems: list[CellProblem] = field(default_factory=list)


def read_number(value: object, unit: str) -> float | int:
    """A typed number, or one stored as text ("24", "1,204", "35%" for a percent); never a formula's text."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CellError(f"{value!r} is not a number: type the figure")
    if isinstance(value, str):
        typed = value.strip().replace(",", "")
        if unit == "percent":
            typed = typed.removesuffix("%").strip()
        try:
            if not typed.isascii():  # Python would read "١٢" or "１２" as 12: a figure is typed in ASCII digits
                raise ValueError(typed)
            value = int(typed) if typed.lstrip("-").isdigit() else float(typed)
        except ValueError:
            raise CellError(f"{typed!r} is not a number: type the figure, e.g. 24 or 35.5") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise CellError("not a number: type the figure")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    problem = unit_problem(unit, value)
    if problem is not None:
        raise CellError(problem)
    return value


def _columns(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(sheet.rows[:10]):
        columns = {" ".join(c.value.split()).casefold(): n for n, c in enumerate(row) if isinstance(c.value, str)}
        if INDICATOR_ID.casefold() in columns:
            return index, columns
    return None


def review_measures(
    book: Workbook, plan: Plan, organisation_id: str, as_of: date, seen: dict[tuple[str, str], str]
) -> MeasuresReview:
    """Every value typed in the workbook's Measures sheet (none when it has no such sheet)."""
    review = MeasuresReview(book.name)
    sheet = book.sheets.get(MEASURES_SHEET)
    if sheet is None:
        return review
    found = _columns(sheet)
    if found is None:
        review.problems.append(
            CellProblem(book.name, MEASURES_SHEET, "A1", f"no {INDICATOR_ID!r} column; keep the header row")
        )
        return review
    header, columns = found
    groups = [
        tuple(columns.get(h.casefold()) for h in period_headers(n))
        for n in range(1, MOST_PERIODS + 1)
        if all(h.casefold() in columns for h in period_headers(n))
    ]
    first_row: dict[str, str] = {}  # indicator id -> the cell of the row that first gives it
    for index in range(header + 1, len(sheet.rows)):
        cells = sheet.rows[index]

        def cell(column: int | None, row_number: int = index + 1, cells: list[Cell] = cells) -> Cell:
            assert column is not None
            return cells[column] if column < len(cells) else Cell(f"{_letter(column)}{row_number}", None)

        id_cell = cell(columns[INDICATOR_ID.casefold()])
        if isinstance(id_cell.value, str) and id_cell.value.strip():
            earlier = first_row.setdefault(id_cell.value.strip(), id_cell.coordinate)
            if earlier != id_cell.coordinate:
                why = f"indicator {id_cell.value.strip()} appears twice in this sheet (also {earlier})"
                review.problems.append(CellProblem(book.name, MEASURES_SHEET, id_cell.coordinate, why))
                continue
        row_groups = [tuple(cell(c) for c in group) for group in groups]
        _review_row(review, id_cell, row_groups, plan, organisation_id, as_of, seen)
    return review


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _review_row(
    review: MeasuresReview,
    id_cell: Cell,
    groups: list[tuple[Cell, ...]],
    plan: Plan,
    organisation_id: str,
    as_of: date,
    seen: dict[tuple[str, str], str],
) -> None:
    def problem(at: Cell, message: str) -> None:
        review.problems.append(CellProblem(review.file, MEASURES_SHEET, at.coordinate, message))

    inputs = [c for group in groups for c in group[1:]]
    for formula in [c for c in (id_cell, *inputs) if c.is_formula]:
        problem(formula, "type the value, not a formula")
    typed = [group for group in groups if any(c.is_formula or not is_blank(c.value) for c in group[1:])]
    if not typed or id_cell.is_formula:
        return
    # A group with a formula is reported above; the row's other values are still checked.
    typed = [group for group in typed if not any(c.is_formula for c in group)]
    if is_blank(id_cell.value):
        problem(id_cell, "this row has values but no indicator ID")
        return
    indicator = find_indicator(plan, str(id_cell.value).strip())
    if indicator is None:
        problem(id_cell, f"the plan has no indicator {str(id_cell.value).strip()!r}")
        return
    if indicator.owner != organisation_id:
        problem(id_cell, f"indicator {indicator.id} is reported by {indicator.owner}, not by this organisation")
        return
    for period_cell, value_cell, note_cell in typed:  # only the groups without a formula
        _review_value(review, indicator, (period_cell, value_cell, note_cell), organisation_id, as_of, seen, problem)


def _review_value(
    review: MeasuresReview,
    indicator: Indicator,
    cells: tuple[Cell, Cell, Cell],
    organisation_id: str,
    as_of: date,
    seen: dict[tuple[str, str], str],
    report: Report,
) -> None:
    period_cell, value_cell, note_cell = cells
    period = _period_text(period_cell.value)
    why = period_problem(period) if period else "the period cell is empty; keep the periods the workbook was made with"
    kind = period_kind(indicator.baseline.period)
    if why is None and period_kind(period) != kind:
        why = f"{period} is a {period_kind(period)}; indicator {indicator.id} is reported by {kind}"
    elif why is None and period_index(period) <= period_index(indicator.baseline.period):
        why = f"{period} is not after the baseline period {indicator.baseline.period}"
    elif why is None and period_index(period) > period_index(last_ended(as_of, kind)):
        why = f"{period} has not ended yet (today is {as_of.isoformat()})"
    if why is not None:
        report(period_cell, why)
    value, note = None, ""
    if is_blank(value_cell.value):
        report(value_cell, "a note without a value: type the figure, or clear the note")
    else:
        try:
            value = read_number(value_cell.value, indicator.unit)
        except CellError as exc:
            report(value_cell, str(exc))
    try:
        note = read_text(note_cell.value) if not is_blank(note_cell.value) else ""
    except CellError as exc:
        report(note_cell, str(exc))
    if why is not None or value is None:
        return
    entry = IndicatorValue(period=period, value=value, note=note, organisation=organisation_id)
    _decide(review, indicator, entry, value_cell, seen, report)


def _period_text(value: object) -> str:
    """The period a cell holds: its text, or the month of a date cell (a spreadsheet may turn 2021-03 into one)."""
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    return value.strip() if isinstance(value, str) else ""


def _decide(
    review: MeasuresReview,
    indicator: Indicator,
    entry: IndicatorValue,
    at: Cell,
    seen: dict[tuple[str, str], str],
    report: Report,
) -> None:
    on_record = {found.period: found for found in series_of(indicator)}
    period = entry.for_period
    earlier = on_record.get(period)
    place = f"{review.file}!{MEASURES_SHEET}!{at.coordinate}"
    key = (indicator.id, period)
    if earlier is not None:
        if earlier.value == entry.value:
            review.already_recorded += 1
            return
        report(
            at,
            f"indicator {indicator.id} already has {earlier.value} for {period}; to correct it, run"
            f" `cheplan measure {indicator.id} --corrects {period} --value {entry.value} --note WHY`",
        )
        return
    if key in seen:
        if seen[key] != repr(entry.value):
            report(at, f"indicator {indicator.id}: {period} is also given, as another figure, elsewhere in this import")
        else:
            review.already_recorded += 1
        return
    seen[key] = repr(entry.value)
    review.values.append((indicator.id, entry, place))
