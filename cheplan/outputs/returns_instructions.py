"""The words on a returns workbook's first sheet: how to fill it in and where it goes back.

Only what the plan says is named: the board that owns it, never an invented address. An
organisation's `contact` in the directory is that partner's own contact, shown as who the
coordinator will ask about the return.
"""

from __future__ import annotations

from datetime import date

from cheplan.domain.model import Organisation, Plan
from cheplan.domain.words import plural
from cheplan.questions.return_cells import DATE_FORMS
from cheplan.questions.returns import DATE, NEW_STATUS, NOTE, RETURN_SHEET, REVISED_END

STATUS_MEANINGS = (
    ("not reported", "nothing has been reported on this action yet."),
    ("planned", "agreed, but work has not started."),
    ("in progress", "work has started and is under way."),
    ("complete", "the action is done; say in the note what was delivered."),
    ("dropped", "the action will not be done; the note must give the reason."),
)


def instructions(plan: Plan, organisation: Organisation, as_of: date, count: int) -> list[tuple[str, bool]]:
    """The instruction lines, each with whether it is a heading."""
    lines: list[tuple[str, bool]] = [
        (f"Quarterly return: {organisation.name}", True),
        (f"{plan.plan.title}, owned by the {plan.plan.board}.", False),
        (f"Made on {as_of.isoformat()} with {plural(count, 'unfinished action')} your organisation leads.", False),
        ("", False),
        ("How to fill it in", True),
        (
            f"1. Go to the '{RETURN_SHEET}' sheet. Each row is one action; the columns up to 'Last update'"
            " are locked, for reference.",
            False,
        ),
        (
            f"2. For each action with news, type in the pale yellow columns: '{NEW_STATUS}', '{DATE}' and"
            f" '{NOTE}' (what was done, or why not).",
            False,
        ),
        ("3. Leave a row blank when there is nothing new: a blank row records nothing.", False),
        ("4. Type values, not formulas. Do not change the ID column or the column headers.", False),
        ("   You may sort the rows or add columns of your own; they are ignored.", False),
        ("", False),
        (f"{NEW_STATUS}: choose one of the five statuses", True),
        *((f"{label}: {meaning}", False) for label, meaning in STATUS_MEANINGS),
        ("", False),
        (DATE, True),
        (f"The date this update is true on. Accepted forms: {DATE_FORMS}.", False),
        ("Dates are read day first, as in the UK: 01/02/2021 is 1 February 2021.", False),
        ("The date cannot be in the future, or before the action started.", False),
        ("", False),
        (REVISED_END, True),
        (
            "Only when the board has agreed a new end month for the action: type it as YYYY-MM (e.g. 2021-06)"
            f" and say in '{NOTE}' who agreed it and when. The approved end month stays on record.",
            False,
        ),
        ("", False),
        ("Sending it back", True),
        (
            f"Save the workbook as .xlsx (not .xlsm, .xls or .ods) and send it back to the {plan.plan.board}'s"
            " plan coordinator, who sent it to you. Do not rename or remove the sheets.",
            False,
        ),
    ]
    if organisation.contact:
        lines.append((f"The coordinator will contact {organisation.contact} with any questions.", False))
    return lines
