"""The rows of a returned `Return` sheet, one at a time: read by header, checked cell by cell.

Rows may come back re-sorted, deleted, blank or with columns added: columns are found by
their header and rows by the ID they carry, never by position. Every cell's problem and every
conflict is reported in one run: a formula in one cell does not hide the cell beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from cheplan.domain.model import Action, Plan, ProgressEntry
from cheplan.domain.months import human_month
from cheplan.domain.vocabulary import STATUS_LABELS
from cheplan.loading.workbook import Cell, Sheet
from cheplan.questions.organisations import Directory, organisations_of
from cheplan.questions.return_cells import CellError, is_blank, read_date, read_id
from cheplan.questions.return_columns import column_letter, unread_columns
from cheplan.questions.return_entry import RowContext, row_entry
from cheplan.questions.returns import (
    ID,
    INPUT_HEADERS,
    RETURN_DATE,
    RETURN_SHEET,
    Batch,
    CellProblem,
    Outcome,
    RowReview,
    WorkbookReview,
    fingerprint,
    header_key,
    own_latest,
)


class _Row:
    """One sheet row's cells under the headers that matter (a missing cell reads as blank)."""

    def __init__(self, cells: list[Cell], columns: dict[str, int], row_number: int) -> None:
        self.cells: dict[str, Cell] = {}
        for header in (ID, *INPUT_HEADERS):
            column = columns.get(header_key(header))
            if column is None:  # an optional column an older workbook lacks
                self.cells[header] = Cell("", None)
                continue
            letter = column_letter(column)
            self.cells[header] = cells[column] if column < len(cells) else Cell(f"{letter}{row_number}", None)

    def value(self, header: str) -> object:
        return self.cells[header].value

    def at(self, header: str) -> str:
        return self.cells[header].coordinate or self.cells[ID].coordinate

    def typed(self, header: str) -> bool:
        cell = self.cells[header]
        return cell.is_formula or not is_blank(cell.value)

    def is_formula(self, header: str) -> bool:
        return self.cells[header].is_formula


Report = Callable[[str, str], None]


@dataclass(frozen=True)
class Sources:
    """What every row is checked against."""

    plan: Plan
    directory: Directory
    as_of: date
    fingerprints: dict[int, str]
    force: frozenset[int]
    actions: dict[int, Action] = field(default_factory=dict)  # the plan's, by id (filled once per sheet)


def review_rows(
    review: WorkbookReview, sheet: Sheet, found: tuple[int, dict[str, int]], sources: Sources, seen: Batch
) -> None:
    """Add each row's review, or its problems, to `review`."""
    header_index, columns = found
    review.warnings += unread_columns(review.file, sheet.rows[header_index], header_index + 1)
    return_date = _return_date(review, sheet, header_index)
    first_row: dict[int, str] = {}
    for plan_action in sources.plan.actions:  # by id, built once: a lookup per row must not scan the plan
        sources.actions.setdefault(plan_action.id, plan_action)
    for index in range(header_index + 1, len(sheet.rows)):
        row = _Row(sheet.rows[index], columns, index + 1)
        problems: list[CellProblem] = []

        def problem(header: str, message: str, row: _Row = row, problems: list[CellProblem] = problems) -> None:
            problems.append(CellProblem(review.file, RETURN_SHEET, row.at(header), message))

        action = _checked_action(row, sources, review, problem)
        if action is not None and action.id in first_row:
            problem(ID, f"action {action.id} appears twice in this sheet (also {first_row[action.id]})")
        elif action is not None:
            first_row[action.id] = row.at(ID)
            review.rows_read += 1
            if not any(row.typed(h) for h in INPUT_HEADERS):
                review.rows.append(RowReview(action.id, row.at(ID), "nothing_typed"))
            else:
                context = _context(review, sources, action, return_date)
                entry = row_entry(row, action, context, problem)
                decided = _decide(action, (review.file, row.at(ID)), entry, review.organisation_id, sources, seen)
                if decided is not None:
                    review.rows.append(decided)
        review.problems += problems


def _context(review: WorkbookReview, sources: Sources, action: Action, return_date: date | None) -> RowContext:
    shared = len(organisations_of(sources.directory, action)) > 1
    organisation = (review.organisation_id, review.organisation_name)
    return RowContext(*organisation, shared, sources.as_of, review.exported, return_date)


def _return_date(review: WorkbookReview, sheet: Sheet, header_index: int) -> date | None:
    """The 'Date of this return' cell above the header row: the first filled cell right of its label."""
    for row in sheet.rows[:header_index]:
        labels = [i for i, c in enumerate(row) if isinstance(c.value, str) and c.value.strip().startswith(RETURN_DATE)]
        if not labels:
            continue
        filled = next((c for c in row[labels[0] + 1 :] if c.is_formula or not is_blank(c.value)), None)
        if filled is None:
            return None
        try:
            if filled.is_formula:
                raise CellError("type the value, not a formula")
            return read_date(filled.value)
        except CellError as exc:
            review.problems.append(CellProblem(review.file, RETURN_SHEET, filled.coordinate, str(exc)))
    return None


def _checked_action(row: _Row, sources: Sources, review: WorkbookReview, problem: Report) -> Action | None:
    """The row's action, or None: for a blank row, or after reporting a wrong ID."""
    typed = any(row.typed(h) for h in INPUT_HEADERS)
    if row.cells[ID].is_formula:
        problem(ID, "type the value, not a formula")
        return None
    if is_blank(row.value(ID)):
        if typed:
            problem(ID, "this row has an update but no action ID")
        return None
    # A row with nothing typed records nothing, whatever its ID says (a partner's own total or
    # heading row): its ID is only a problem when the row asks for something to be recorded.
    return _action(row, sources, review, problem if typed else lambda header, message: None)


def _action(row: _Row, sources: Sources, review: WorkbookReview, problem: Report) -> Action | None:
    try:
        action_id = read_id(row.value(ID))
    except CellError as exc:
        problem(ID, str(exc))
        return None
    action = sources.actions.get(action_id)
    if action is None:
        problem(ID, f"the plan has no action {action_id}")
        return None
    if review.organisation_id not in organisations_of(sources.directory, action):
        leads = "; ".join(action.lead)
        problem(ID, f"action {action_id} is not {review.organisation_name}'s to report on (its lead: {leads})")
        return None
    return action


def _decide(
    action: Action,
    where: tuple[str, str],
    entry: ProgressEntry | None,
    organisation: str,
    sources: Sources,
    seen: Batch,
) -> RowReview | None:
    """Record, already recorded, or a conflict. Conflicts are per organisation: with a row of the
    same import, or an entry in the plan, by the same organisation on the same date that says
    something else; or a stale row (the organisation or the coordinator reported since the export)."""
    file, cell = where
    forced = action.id in sources.force
    if entry is not None:
        earlier = seen.setdefault(action.id, [])
        same_day = [(p, o) for p, o in earlier if o.organisation == entry.organisation and o.date == entry.date]
        if entry in action.progress or any(other == entry for _, other in same_day):
            return RowReview(action.id, cell, "already_recorded", entry, action.latest_progress)
        earlier.append((f"{file}!{RETURN_SHEET}!{cell}", entry))
        clash = next(((place, other) for place, other in same_day), None)
        if clash is not None:
            return RowReview(action.id, cell, _outcome(forced), entry, clash[1], forced=forced, also_in=clash[0])
        on_record = next((e for e in action.progress if (e.organisation, e.date) == (organisation, entry.date)), None)
        if on_record is not None:
            return RowReview(action.id, cell, _outcome(forced), entry, on_record, forced=forced)
    latest = own_latest(action, organisation)
    if sources.fingerprints.get(action.id) != fingerprint(latest):
        return RowReview(action.id, cell, _outcome(forced), entry, latest, forced=forced, stale=True)
    return RowReview(action.id, cell, "record", entry, latest) if entry is not None else None


def _outcome(forced: bool) -> Outcome:
    return "record" if forced else "conflict"


def describe(entry: ProgressEntry) -> str:
    """One line for a person: "in progress as of 2021-01-15: ...", with any proposal."""
    words = f"{STATUS_LABELS.get(entry.status, entry.status)} as of {entry.date}"
    if entry.revised_end:
        words += f", revised end {human_month(entry.revised_end)}"
    if entry.proposed_end:
        words += f", proposes end {human_month(entry.proposed_end)}"
    return words + (f': "{entry.note}"' if entry.note else "")
