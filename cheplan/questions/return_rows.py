"""The rows of a returned `Return` sheet, one at a time: read by header, checked cell by cell.

Rows may come back re-sorted, deleted, blank or with columns added: columns are found by
their header and rows by the ID they carry, never by position.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from cheplan.domain.model import Action, Plan, ProgressEntry
from cheplan.domain.months import human_month
from cheplan.domain.vocabulary import STATUS_LABELS, Status
from cheplan.loading.workbook import Cell, Sheet
from cheplan.questions.organisations import Directory
from cheplan.questions.return_cells import CellError, is_blank, read_date, read_id, read_month, read_status, read_text
from cheplan.questions.returns import (
    DATE,
    ID,
    INPUT_HEADERS,
    NEW_STATUS,
    NOTE,
    RETURN_SHEET,
    REVISED_END,
    Batch,
    CellProblem,
    RowReview,
    WorkbookReview,
    fingerprint,
    led_by,
)


class _Row:
    """One sheet row's cells under the headers that matter (a missing cell reads as blank)."""

    def __init__(self, cells: list[Cell], columns: dict[str, int], row_number: int) -> None:
        self.cells: dict[str, Cell] = {}
        for header in (ID, *INPUT_HEADERS):
            column = columns[header.casefold()]
            letter = _column_letter(column)
            self.cells[header] = cells[column] if column < len(cells) else Cell(f"{letter}{row_number}", None)

    def value(self, header: str) -> object:
        return self.cells[header].value

    def at(self, header: str) -> str:
        return self.cells[header].coordinate

    def typed(self, header: str) -> bool:
        cell = self.cells[header]
        return cell.is_formula or not is_blank(cell.value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


Report = Callable[[str, str], None]


def review_rows(
    review: WorkbookReview,
    sheet: Sheet,
    found: tuple[int, dict[str, int]],
    plan: Plan,
    directory: Directory,
    as_of: date,
    fingerprints: dict[int, str],
    *,
    force: bool,
    seen: Batch,
) -> None:
    """Add each row's review, or its problems, to `review`."""
    header_index, columns = found
    first_row: dict[int, str] = {}
    actions: dict[int, Action] = {}  # by id, built once: a lookup per row must not scan the plan
    for plan_action in plan.actions:
        actions.setdefault(plan_action.id, plan_action)
    for index in range(header_index + 1, len(sheet.rows)):
        row = _Row(sheet.rows[index], columns, index + 1)
        problems: list[CellProblem] = []

        def problem(header: str, message: str, row: _Row = row, problems: list[CellProblem] = problems) -> None:
            problems.append(CellProblem(review.file, RETURN_SHEET, row.at(header), message))

        action = _checked_action(row, actions, directory, review, problem)
        if action is not None and action.id in first_row:
            problem(ID, f"action {action.id} appears twice in this sheet (also {first_row[action.id]})")
        elif action is not None:
            first_row[action.id] = row.at(ID)
            if not any(row.typed(h) for h in INPUT_HEADERS):
                review.rows.append(RowReview(action.id, row.at(ID), "nothing_typed"))
            else:
                entry = _entry(row, action, review.organisation_name, as_of, problem)
                if entry is not None and not problems:
                    review.rows.append(_decide(action, (review.file, row.at(ID)), entry, fingerprints, force, seen))
        review.problems += problems


def _checked_action(
    row: _Row, actions: dict[int, Action], directory: Directory, review: WorkbookReview, problem: Report
) -> Action | None:
    """The row's action, or None: for a blank row, or after reporting formulas or a wrong ID."""
    formulas = [h for h in (ID, *INPUT_HEADERS) if row.cells[h].is_formula]
    for header in formulas:
        problem(header, "type the value, not a formula")
    if formulas:
        return None
    typed = any(row.typed(h) for h in INPUT_HEADERS)
    if is_blank(row.value(ID)):
        if typed:
            problem(ID, "this row has an update but no action ID")
        return None
    # A row with nothing typed records nothing, whatever its ID says (a partner's own total or
    # heading row): its ID is only a problem when the row asks for something to be recorded.
    return _action(row, actions, directory, review, problem if typed else lambda header, message: None)


def _action(
    row: _Row, actions: dict[int, Action], directory: Directory, review: WorkbookReview, problem: Report
) -> Action | None:
    try:
        action_id = read_id(row.value(ID))
    except CellError as exc:
        problem(ID, str(exc))
        return None
    action = actions.get(action_id)
    if action is None:
        problem(ID, f"the plan has no action {action_id}")
        return None
    if not led_by(directory, action, review.organisation_id):
        leads = "; ".join(action.lead)
        problem(ID, f"action {action_id} is not {review.organisation_name}'s to report on (its lead: {leads})")
        return None
    return action


def _entry(row: _Row, action: Action, by: str, as_of: date, problem: Report) -> ProgressEntry | None:
    """The entry the row asks to record, or None after reporting what is wrong."""
    status: Status | None = None
    on, note, revised = None, None, None
    try:
        status = read_status(row.value(NEW_STATUS)) if row.typed(NEW_STATUS) else _kept_status(action)
    except CellError as exc:
        problem(NEW_STATUS, str(exc))
    try:
        on = read_date(row.value(DATE)) if row.typed(DATE) else None
        if on is None:
            raise CellError("type the date of this update")
        if on > as_of:
            raise CellError(f"{on.isoformat()} is in the future (today is {as_of.isoformat()})")
        if on.isoformat()[:7] < action.start:
            raise CellError(f"{on.isoformat()} is before action {action.id} started ({human_month(action.start)})")
    except CellError as exc:
        on = None
        problem(DATE, str(exc))
    try:
        note = read_text(row.value(NOTE)) if row.typed(NOTE) else ""
        revised = read_month(row.value(REVISED_END)) if row.typed(REVISED_END) else None
        if revised is not None and revised < action.start:
            raise CellError(
                f"{human_month(revised)} is before action {action.id} started ({human_month(action.start)})"
            )
    except CellError as exc:
        problem(REVISED_END if note is not None else NOTE, str(exc))
    if status == "dropped" and not note:
        problem(NEW_STATUS, "a dropped action needs the reason in Progress note")
    if revised is not None and note == "":
        problem(REVISED_END, "a revised end month needs the reason (who agreed it, when) in Progress note")
    if status is None or on is None or note is None:
        return None
    return ProgressEntry(date=on.isoformat(), status=status, note=note, by=by, revised_end=revised)


def _kept_status(action: Action) -> Status:
    """Only a note typed: the status stays as it is, unless nothing has been reported yet."""
    if action.current_status == "not_reported":
        raise CellError(f"choose a New status for action {action.id} (nothing has been reported on it yet)")
    return action.current_status


def _decide(
    action: Action, where: tuple[str, str], entry: ProgressEntry, fingerprints: dict[int, str], force: bool, seen: Batch
) -> RowReview:
    """Record, already recorded, or a conflict: with a newer entry in the plan than the workbook
    was made from, or with another workbook of the same import that gives another status."""
    file, cell = where
    latest = action.latest_progress
    earlier = seen.setdefault(action.id, [])
    if any(entry == other for _, other in earlier) or entry in action.progress:
        return RowReview(action.id, cell, "already_recorded", entry, latest)
    disagreeing = next(((place, other) for place, other in earlier if other.status != entry.status), None)
    earlier.append((f"{file}!{RETURN_SHEET}!{cell}", entry))
    if disagreeing is not None:
        place, other = disagreeing
        return RowReview(action.id, cell, "record" if force else "conflict", entry, other, forced=force, also_in=place)
    if fingerprints.get(action.id) != fingerprint(latest):
        return RowReview(action.id, cell, "record" if force else "conflict", entry, latest, forced=force)
    return RowReview(action.id, cell, "record", entry, latest)


def describe(entry: ProgressEntry) -> str:
    """One line for a person: "in progress as of 2021-01-15: ...", with any revised end."""
    words = f"{STATUS_LABELS.get(entry.status, entry.status)} as of {entry.date}"
    if entry.revised_end:
        words += f", revised end {human_month(entry.revised_end)}"
    return words + (f': "{entry.note}"' if entry.note else "")
