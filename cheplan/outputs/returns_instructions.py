"""The words on a returns workbook's first sheet: how to fill it in and where it goes back.

Only what the plan says is named: the board that owns it, and the deadline and coordinator's
contact when the plan's `returns` settings give them; never an invented address. Each input
column's rule is written once, here, and shown both in the instructions and as a comment on
the column's header.
"""

from __future__ import annotations

from datetime import date

from cheplan.domain.model import Organisation, Plan
from cheplan.domain.words import plural
from cheplan.questions.return_cells import DATE_FORMS, MONTH_FORMS
from cheplan.questions.returns import (
    COMPLETED_BY,
    DATE,
    EVIDENCE,
    NEW_STATUS,
    NOTE,
    PROPOSED_END,
    RATING,
    RETURN_DATE,
    RETURN_SHEET,
    RISKS,
    SUPPORT,
)

STATUS_MEANINGS = (
    ("not reported", "nothing has been reported on this action yet."),
    ("planned", "agreed, but work has not started."),
    ("in progress", "work has started and is under way."),
    ("complete", f"the action is done; say in '{EVIDENCE}' what was delivered and where it can be seen."),
    ("dropped", "the action will not be done; the note must give the reason. On an action shared with other"
     " organisations, only the coordinator or the board can drop it."),
)  # fmt: skip

COLUMN_RULES = (
    (NEW_STATUS, "Choose one of the five statuses. Blank: the status stays as it is."),
    (DATE, f"The date this update is true on: {DATE_FORMS}. Never 01/10/2020: UK and US spreadsheets read"
     f" it as different days. Blank: the '{RETURN_DATE}' at the top of the sheet."),
    (NOTE, "What was done, or why not. Required for a rating, a proposed end month or a dropped action."),
    (RATING, "Optional: your own rating, R (red), A (amber) or G (green). Say why in the progress note."),
    (RISKS, "Optional: risks or blockers, free text."),
    (SUPPORT, "Optional: what you ask of the board; each ask goes to the board report's decisions and asks."),
    (EVIDENCE, "Required when the new status is complete: what was delivered, and where it can be seen."),
    (PROPOSED_END, f"Optional: a new end month you propose ({MONTH_FORMS}), with the reason in the progress"
     " note. It is a proposal for the board to decide, not a change: the end stays as it is until the board agrees."),
    (COMPLETED_BY, "Who filled in the row: your name."),
)  # fmt: skip


def send_back(plan: Plan) -> str:
    """Where and by when the return goes back, as far as the plan says."""
    deadline, contact = plan.returns.deadline, plan.returns.coordinator
    when = f" by {date.fromisoformat(deadline).strftime('%-d %B %Y')}" if deadline else ""
    to = contact or f"the {plan.plan.board}'s plan coordinator, who sent it to you"
    return f"Send this workbook back{when} to {to}."


def instructions(plan: Plan, organisation: Organisation, as_of: date, count: int) -> list[tuple[str, bool]]:
    """The instruction lines, each with whether it is a heading."""
    lines: list[tuple[str, bool]] = [
        (f"Quarterly return: {organisation.name}", True),
        (f"{plan.plan.title}, owned by the {plan.plan.board}.", False),
        (f"Made on {as_of.isoformat()} with {plural(count, 'unfinished action')} your organisation leads.", False),
        (send_back(plan), False),
        ("", False),
        ("How to fill it in", True),
        (
            f"1. Go to the '{RETURN_SHEET}' sheet. Type the '{RETURN_DATE}' once, at the top: a row whose"
            f" '{DATE}' is blank takes it.",
            False,
        ),
        (
            "2. Each row is one action; the columns up to 'Last update' are locked, for reference. For each"
            " action with news, type in the pale yellow columns.",
            False,
        ),
        ("3. Leave a row blank when there is nothing new: a blank row records nothing.", False),
        ("4. Type values, not formulas. Do not change the ID column or the column headers.", False),
        (
            "5. The sheet is protected: you can type in the pale yellow cells and resize rows and columns, but"
            f" not sort, filter or add columns. Anything more you need to say goes in '{NOTE}' or '{RISKS}'.",
            False,
        ),
        ("", False),
        ("The columns to fill in", True),
        *((f"{header}: {rule}", False) for header, rule in COLUMN_RULES),
        ("", False),
        (f"{NEW_STATUS}: the five statuses", True),
        *((f"{label}: {meaning}", False) for label, meaning in STATUS_MEANINGS),
        ("", False),
        ("Sending it back", True),
        (
            "Save the workbook as .xlsx (not .xlsm, .xls or .ods). Do not rename or remove the sheets. "
            + send_back(plan),
            False,
        ),
    ]
    if organisation.contact:
        lines.append((f"The coordinator will contact {organisation.contact} with any questions.", False))
    return lines
