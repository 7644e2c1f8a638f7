"""What importing a returned workbook would record: row by row, with every problem at its cell.

A returns workbook carries a hidden sheet saying which organisation it was made for, when,
from which plan, and a fingerprint of each action's latest progress entry at that moment.
On import, a row whose action has since gained a different latest entry is a conflict (both
versions are shown; `--force` records it anyway as a dated entry). A row whose entry is
already on record records nothing, so importing the same workbook twice is harmless, and a
row with nothing typed in its input columns is not an update. Pure functions: no I/O.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from cheplan.domain.model import Action, Plan, ProgressEntry
from cheplan.domain.safe_text import safe_file_name, visible
from cheplan.loading.workbook import Sheet, Workbook
from cheplan.questions.organisations import Directory, organisations_of
from cheplan.questions.plan_digest import plan_digest

RETURN_SHEET = "Return"
META_SHEET = "cheplan"
META_TITLE = "cheplan returns workbook"
ID, NEW_STATUS, DATE, NOTE = "ID", "New status", "Date of update", "Progress note"
RATING, RISKS, SUPPORT = "Lead's rating", "Risks or blockers", "Support asked of the board"
EVIDENCE, PROPOSED_END, COMPLETED_BY = "Evidence of delivery", "Proposed new end month", "Completed by (name)"
REFERENCE_HEADERS = (ID, "Action", "Outcomes", "Baseline end", "Effective end", "Current status", "Last update")
INPUT_HEADERS = (NEW_STATUS, DATE, NOTE, RATING, RISKS, SUPPORT, EVIDENCE, PROPOSED_END, COMPLETED_BY)
REQUIRED_HEADERS = (ID, NEW_STATUS, DATE, NOTE)
"""A workbook without the later columns (made by an older cheplan) still imports."""
OLDER_HEADERS = {"revised end month": PROPOSED_END}
"""Headers older workbooks used, read as today's: a partner's new end month is a proposal."""
RETURN_DATE = "Date of this return"
"""The label of the cell at the top of the Return sheet a blank 'Date of update' takes its date from."""

Outcome = Literal["record", "nothing_typed", "already_recorded", "conflict"]


@dataclass(frozen=True, slots=True)
class CellProblem:
    file: str
    sheet: str
    cell: str
    message: str

    def as_text(self) -> str:
        """`FILE!SHEET!CELL: message` on one line: shown, never obeyed by a terminal or a CI runner."""
        where = "!".join(part for part in (safe_file_name(self.file), visible(self.sheet), self.cell) if part)
        return f"{where}: {visible(self.message)}"


# What the workbooks read so far in one import would record, per action: (FILE!SHEET!CELL, entry).
Batch = dict[int, list[tuple[str, ProgressEntry]]]


@dataclass(frozen=True)
class RowReview:
    action_id: int
    cell: str  # the row's ID cell, e.g. "A7"
    outcome: Outcome
    entry: ProgressEntry | None = None  # what the row would record
    on_record: ProgressEntry | None = None  # the plan's latest entry, shown beside a conflict
    forced: bool = False
    also_in: str | None = None  # a conflict with another row of the same import: where it is
    stale: bool = False  # a conflict because the organisation or coordinator reported since the export


@dataclass
class WorkbookReview:
    file: str
    organisation_id: str = ""
    organisation_name: str = ""
    exported: str = ""
    round_id: str | None = None
    plan_changed: bool = False
    rows: list[RowReview] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)  # e.g. a column of the partner's own, not read
    rows_read: int = 0  # rows with an action ID


def own_latest(action: Action, organisation_id: str, cutoff: str | None = None) -> ProgressEntry | None:
    """The latest entry a row of `organisation_id`'s return must have seen: its own or the
    coordinator's (entries by other organisations never make a row stale)."""
    from cheplan.domain.combined_status import own_latest_entry

    return own_latest_entry(action.progress, organisation_id, cutoff)


def fingerprint(entry: ProgressEntry | None) -> str:
    """A short, stable digest of an action's latest entry ("none" before any progress)."""
    if entry is None:
        return "none"
    fields: list[str | None] = [entry.date, entry.status, entry.note, entry.by, entry.revised_end, entry.rag]
    if entry.organisation is not None:  # the fingerprints of entries made before organisations stay as they were
        fields += [entry.organisation, entry.risks, entry.support_asked, entry.evidence, entry.proposed_end]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=True).encode()).hexdigest()[:16]


# The hidden sheet's rows before its one row per action (title, organisation, ..., round, signature,
# column heads): the export writes them (outputs.returns_workbook._meta_sheet).
META_HEADER_ROWS = 9


def row_cap(plan: Plan) -> int:
    """The most rows a sheet of a returned workbook may have: whatever `returns export` writes
    for this plan (a row per action, at most every one or one workbook's cap, and the headers),
    and never less than the fixed cap, so a workbook the export wrote is always importable."""
    from cheplan.domain import caps
    from cheplan.loading.workbook import MAX_ROWS

    return max(MAX_ROWS, min(len(plan.actions), caps.MAX_WORKBOOK_ROWS) + META_HEADER_ROWS)


@dataclass(frozen=True)
class Meta:
    organisation_id: str
    exported: str
    digest: str
    fingerprints: dict[int, str]
    title: str = ""  # of the plan it was exported from
    round_id: str | None = None  # the returns round it was sent for, when it was


def read_meta(book: Workbook, problems: list[CellProblem]) -> Meta | None:
    """What the hidden sheet says the workbook was made from; None (and a problem) when it is missing."""
    sheet = book.sheets.get(META_SHEET)
    cells = [[c.value for c in row] for row in sheet.rows] if sheet else []
    if not cells or not cells[0] or cells[0][0] != META_TITLE:
        problems.append(
            CellProblem(
                book.name,
                META_SHEET,
                "",
                "not a cheplan returns workbook (its hidden sheet is missing);"
                " export a fresh one with `cheplan returns export`",
            )
        )
        return None
    values: dict[str, object] = {}
    for row in cells:
        if len(row) >= 2 and row[0] is not None:
            values.setdefault(str(row[0]), row[1])  # the first, as the signature checks it
    prints: dict[int, str] = {}
    listing = False
    for row in cells:
        if listing and len(row) >= 2 and isinstance(row[0], int | float) and _whole(row[0]) and isinstance(row[1], str):
            prints[int(row[0])] = row[1]
        listing = listing or (bool(row) and row[0] == "action")
    round_id = values.get("round")
    return Meta(
        str(values.get("organisation", "")),
        str(values.get("exported", "")),
        str(values.get("plan digest", "")),
        prints,
        str(values.get("plan", "")),
        str(round_id) if isinstance(round_id, str) and round_id else None,
    )


def _trusted(review: WorkbookReview, book: Workbook, meta: Meta, plan: Plan, key: bytes, accept_other: bool) -> bool:
    """Whether the hidden sheet's signature verifies and it names this plan (else problems say why)."""
    from cheplan.questions.returns_signature import cell_text, verify

    for cell, message in verify(book.sheets[META_SHEET], key):
        review.problems.append(
            CellProblem(book.name, META_SHEET, cell, f"{message}; nothing from it is recorded (export a fresh one)")
        )
    if review.problems:
        return False
    if meta.title != cell_text(plan.plan.title) and not accept_other:
        review.problems.append(
            CellProblem(
                book.name,
                META_SHEET,
                "",
                f"exported from another plan, {meta.title!r}, not {plan.plan.title!r}; import it into its own plan,"
                " or give --accept-other-plan",
            )
        )
        return False
    return True


def _whole(value: object) -> bool:
    """A whole action number; a forged inf, nan, 7.5 or TRUE is not (int(inf) would crash the import)."""
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())


def header_key(text: str) -> str:
    """A header as compared: any case, any spacing, and the apostrophe of "Lead's" either way."""
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def _header_row(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The first row (of the first ten) holding the ID and New status headers: row index, header -> column."""
    for index, row in enumerate(sheet.rows[:10]):
        columns: dict[str, int] = {}
        for column, cell in enumerate(row):
            if isinstance(cell.value, str):
                key = header_key(cell.value)
                columns.setdefault(header_key(OLDER_HEADERS.get(key, key)), column)
        if ID.casefold() in columns and NEW_STATUS.casefold() in columns:
            return index, columns
    return None


def review_workbook(
    book: Workbook,
    plan: Plan,
    directory: Directory,
    as_of: date,
    *,
    force: frozenset[int],
    seen: Batch,
    key: bytes,
    digest: str | None = None,
    accept_other_plan: bool = False,
) -> WorkbookReview:
    """Every row of one returned workbook: what it would record, or what is wrong where.

    `seen` collects the entries earlier workbooks of the same import would record, so a
    workbook given twice records once, and two rows by one organisation that disagree on one
    date are a conflict; `force` names the actions whose conflicts are recorded anyway;
    `key` is the coordinator's returns key, which must verify the hidden sheet's signature;
    `digest` is `plan_digest(plan)`, when already known. A workbook exported from a plan
    with another title is a problem unless `accept_other_plan`.
    """
    from cheplan.questions.return_rows import Sources, review_rows

    review = WorkbookReview(book.name)
    meta = read_meta(book, review.problems)
    sheet = book.sheets.get(RETURN_SHEET)
    if sheet is None:
        review.problems.append(CellProblem(book.name, RETURN_SHEET, "", "the workbook has no sheet named 'Return'"))
    if meta is None or sheet is None or not _trusted(review, book, meta, plan, key, accept_other_plan):
        return review
    organisation = directory.get(meta.organisation_id)
    if organisation is None:
        review.problems.append(
            CellProblem(book.name, META_SHEET, "B2", f"the plan has no organisation {meta.organisation_id!r}")
        )
        return review
    review.organisation_id, review.organisation_name, review.exported = (
        organisation.id,
        organisation.name,
        meta.exported,
    )
    review.round_id = meta.round_id
    review.plan_changed = meta.digest != (digest or plan_digest(plan))
    found = _header_row(sheet)
    missing = [h for h in REQUIRED_HEADERS if found is None or header_key(h) not in found[1]]
    if found is None or missing:
        names = ", ".join(repr(h) for h in missing)
        review.problems.append(CellProblem(book.name, RETURN_SHEET, "A1", f"no {names} column; keep the header row"))
        return review
    review_rows(review, sheet, found, Sources(plan, directory, as_of, meta.fingerprints, force), seen)
    return review


def dropping_refused(action_id: int) -> str:
    """Why a partner may not drop a shared action, and who can."""
    return (
        f"action {action_id} is shared: dropping it is the coordinator's or the board's decision, not one"
        f" partner's; the coordinator records it with `cheplan update {action_id} --status dropped --note REASON`"
    )


def led_by(directory: Directory, action: Action, organisation_id: str) -> bool:
    return organisation_id in organisations_of(directory, action)


def slip(action: Action, as_of: date | None = None) -> str | None:
    """ "Dec 2020 → Jun 2021 (+6 months, agreed 2020-12-01)" when a revision moved the end, else None."""
    from cheplan.questions.slips import slip_of

    found = slip_of(action, as_of)
    return found.words() if found is not None and found.months != 0 else None
