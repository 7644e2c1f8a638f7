"""The progress entry one row of a returned sheet asks to record, checked cell by cell.

Every cell is read, whatever is wrong with the cells beside it, so that one run reports
every problem of the row. A partner's new end month is a proposal (`proposed_end`), never a
revision: only the coordinator, recording a board decision, revises an end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from cheplan.domain.model import Action, ProgressEntry
from cheplan.domain.months import human_month
from cheplan.domain.vocabulary import Rag, Status
from cheplan.questions.return_cells import (
    CellError,
    read_date,
    read_month,
    read_rating,
    read_status,
    read_text,
    shown_date,
)
from cheplan.questions.returns import (
    COMPLETED_BY,
    DATE,
    EVIDENCE,
    INPUT_HEADERS,
    NEW_STATUS,
    NOTE,
    PROPOSED_END,
    RATING,
    RETURN_DATE,
    RISKS,
    SUPPORT,
    dropping_refused,
    own_latest,
)

Report = Callable[[str, str], None]


class RowCells(Protocol):
    def value(self, header: str) -> object: ...

    def typed(self, header: str) -> bool: ...

    def is_formula(self, header: str) -> bool: ...


class _ValuesOnly:
    """The row with its formula cells read as blank (each already reported at its cell)."""

    def __init__(self, row: RowCells, formulas: set[str]) -> None:
        self.row, self.formulas = row, formulas

    def value(self, header: str) -> object:
        return None if header in self.formulas else self.row.value(header)

    def typed(self, header: str) -> bool:
        return header not in self.formulas and self.row.typed(header)

    def is_formula(self, header: str) -> bool:
        return False


@dataclass(frozen=True)
class RowContext:
    """What a row is checked against: whose return it is, and its dates."""

    organisation_id: str
    organisation_name: str
    shared: bool  # more than one organisation leads the action
    as_of: date
    exported: str  # the export's date, YYYY-MM-DD ("" when unknown)
    return_date: date | None  # the 'Date of this return' cell, when filled in


def row_entry(row: RowCells, action: Action, context: RowContext, problem: Report) -> ProgressEntry | None:
    """The entry the row asks to record, or None after reporting each thing wrong at its cell."""
    before = _Count(problem)
    formulas = {header for header in INPUT_HEADERS if row.is_formula(header)}
    for header in formulas:
        before(header, "type the value, not a formula")
    row = _ValuesOnly(row, formulas)
    status = _status(row, action, context, before)
    on = _date(row, action, context, before)
    texts = {header: _text(row, header, before) for header in (NOTE, RISKS, SUPPORT, EVIDENCE, COMPLETED_BY)}
    note = texts[NOTE] or ""
    proposed = _proposal(row, action, note, before)
    rating = _rating(row, note, before)
    if status == "complete" and not texts[EVIDENCE] and not before.seen(EVIDENCE):
        before(EVIDENCE, "a complete action needs its evidence: what was delivered, and where it can be seen")
    if status == "dropped" and not note and not before.seen(NOTE):
        before(NEW_STATUS, f"a dropped action needs the reason in '{NOTE}'")
    if before.count or status is None or on is None:
        return None
    return ProgressEntry(
        date=on.isoformat(),
        status=status,
        note=note,
        by=texts[COMPLETED_BY] or context.organisation_name,
        rag=rating,
        organisation=context.organisation_id,
        risks=texts[RISKS],
        support_asked=texts[SUPPORT],
        evidence=texts[EVIDENCE],
        proposed_end=proposed,
    )


class _Count:
    """The row's problem reporter, counting what it reported and where."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.count = 0
        self.headers: set[str] = set()

    def __call__(self, header: str, message: str) -> None:
        self.count += 1
        self.headers.add(header)
        self.report(header, message)

    def seen(self, header: str) -> bool:
        return header in self.headers


def _status(row: RowCells, action: Action, context: RowContext, problem: _Count) -> Status | None:
    if problem.seen(NEW_STATUS):  # a formula, already reported
        return None
    try:
        status = read_status(row.value(NEW_STATUS)) if row.typed(NEW_STATUS) else _kept_status(action)
    except CellError as exc:
        problem(NEW_STATUS, str(exc))
        return None
    if status == "dropped" and context.shared and row.typed(NEW_STATUS):
        problem(NEW_STATUS, dropping_refused(action.id))
        return None
    return status


def _kept_status(action: Action) -> Status:
    """Only a note typed: the status stays as it is, unless nothing has been reported yet."""
    if action.current_status == "not_reported":
        raise CellError(f"choose a New status for action {action.id} (nothing has been reported on it yet)")
    return action.current_status


def _date(row: RowCells, action: Action, context: RowContext, problem: _Count) -> date | None:
    if problem.seen(DATE):  # a formula, already reported
        return None
    try:
        on = read_date(row.value(DATE)) if row.typed(DATE) else context.return_date
        if on is None:
            raise CellError(f"type the date of this update (or the '{RETURN_DATE}' at the top of the sheet)")
        _check_plausible(on, action, context)
    except CellError as exc:
        problem(DATE, str(exc))
        return None
    return on


def _check_plausible(on: date, action: Action, context: RowContext) -> None:
    """An update dated in the future, after the return, before the action or before what the row showed."""
    if on > context.as_of:
        raise CellError(f"{shown_date(on)} is in the future (today is {shown_date(context.as_of)})")
    if context.return_date is not None and on > context.return_date:
        raise CellError(f"{shown_date(on)} is after the '{RETURN_DATE}' ({shown_date(context.return_date)})")
    if on.isoformat()[:7] < action.start:
        raise CellError(f"{shown_date(on)} is before action {action.id} started ({human_month(action.start)})")
    shown = own_latest(action, context.organisation_id, context.exported or None)
    if shown is not None and on.isoformat() < shown.date:
        raise CellError(
            f"{shown_date(on)} is before the last update this row shows"
            f" ({shown_date(date.fromisoformat(shown.date))}); check the date"
        )


def _text(row: RowCells, header: str, problem: Report) -> str | None:
    try:
        return (read_text(row.value(header)) or None) if row.typed(header) else None
    except CellError as exc:
        problem(header, str(exc))
        return None


def _proposal(row: RowCells, action: Action, note: str, problem: Report) -> str | None:
    if not row.typed(PROPOSED_END):
        return None
    try:
        proposed = read_month(row.value(PROPOSED_END))
    except CellError as exc:
        problem(PROPOSED_END, str(exc))
        return None
    if proposed < action.start:
        problem(
            PROPOSED_END,
            f"{human_month(proposed)} is before action {action.id} started ({human_month(action.start)})",
        )
    elif not note:
        problem(PROPOSED_END, f"a proposed new end month needs its reason in '{NOTE}'")
    return proposed


def _rating(row: RowCells, note: str, problem: Report) -> Rag | None:
    if not row.typed(RATING):
        return None
    try:
        rating = read_rating(row.value(RATING))
    except CellError as exc:
        problem(RATING, str(exc))
        return None
    if not note:
        problem(RATING, f"a rating needs a '{NOTE}' saying why")
    return rating
