"""A realistic quarter recorded on a copy of the shipped plan, for the board-pack scenario tests.

Two meetings (2020-07-01 and 2020-10-01). Before the first: three proposals of a new end and
an ask; the first meeting's decisions are recorded with `cheplan decide` by the tests. In the
quarter after it: 21 updates, a third proposal and a second ask, both left pending. Action 22
(due 2020-03) is red at both meetings. Action 1 completes on the first meeting's day, so it
belongs to that meeting's pack and never to the next. Test data written for these tests, never
part of data/ (the source records no progress).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.conftest import SHIPPED_PLAN

BODY = "Community Harm and Exploitation Board"
FIRST, SECOND = "2020-07-01", "2020-10-01"
MEETINGS = [
    {"date": FIRST, "body": BODY, "papers_due": "2020-06-24"},
    {"date": SECOND, "body": BODY, "papers_due": "2020-09-24"},
]
CSP = "lbs-community-safety"


def _entry(day: str, status: str = "in_progress", note: str = "Work continuing.", **extra: Any) -> dict[str, Any]:
    return {"date": day, "status": status, "note": note, **extra}


AGREED, REJECTED, PENDING = 10, 19, 17  # the three proposals' actions
ANSWERED_ASK, PENDING_ASK = 9, 26  # the two asks' actions
RED_TWICE = 22

BEFORE_FIRST: dict[int, list[dict[str, Any]]] = {
    1: [_entry("2020-06-10", note="Terms of reference drafted."), _entry(FIRST, "complete", "Board established.")],
    AGREED: [
        _entry(
            "2020-06-20", note="Analyst recruitment delayed by the pandemic.", proposed_end="2020-12", organisation=CSP
        )
    ],
    REJECTED: [_entry("2020-06-22", note="Mentoring partners paused.", proposed_end="2021-03", organisation=CSP)],
    ANSWERED_ASK: [
        _entry("2020-06-25", note="No analyst time.", support_asked="A data analyst two days a week.", organisation=CSP)
    ],
}

QUARTER: dict[int, list[dict[str, Any]]] = {
    2: [_entry("2020-07-15", note="Hub pilot running in two localities.")],
    3: [_entry("2020-08-03", note="Board forward plan agreed.")],
    4: [_entry("2020-09-01")],
    5: [_entry("2020-07-20")],
    7: [_entry("2020-09-30", note="Data-sharing agreement signed by the police.", organisation="mps-southwark")],
    8: [_entry("2020-08-10", note="Needs assessment under way.")],
    ANSWERED_ASK: [_entry("2020-08-12", note="Analyst in post two days a week.")],
    AGREED: [_entry("2020-09-05", note="Analyst recruited; profile drafting started.")],
    11: [_entry("2020-09-10")],
    13: [_entry("2020-07-30", "planned", "Training dates being set with schools.")],
    14: [_entry("2020-08-25")],
    PENDING: [
        _entry(
            "2020-09-14",
            note="The community venue closed in lockdown.",
            proposed_end="2021-03",
            organisation="lbs-communities",
        )
    ],
    18: [_entry("2020-09-01", "complete", "Directory published on the council website.")],
    20: [_entry("2020-09-28", "complete", "Peer mentors trained and placed.")],
    RED_TWICE: [_entry("2020-08-15", note="Care leavers pathway delayed by staff shortages.", rag="red")],
    PENDING_ASK: [
        _entry(
            "2020-09-20",
            note="Mentor funding withdrawn; seeking a new funder.",
            rag="amber",
            support_asked="Help from partners to find a new funder for the mentors.",
            organisation="lbs-education",
        )
    ],
    27: [_entry("2020-08-20")],
    30: [_entry("2020-09-01", "planned", "Campaign planned for January.")],
    31: [_entry("2020-09-22", by="MPS Southwark")],
    32: [_entry("2020-09-25", note="Tracker in use in two wards.")],
    37: [_entry("2020-07-10")],
}


def _dump(data: dict[str, Any], path: Path) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def first_meeting_plan(tmp_path: Path) -> Path:
    """A copy of the shipped plan with the meetings and what was on record at the first one."""
    data = yaml.safe_load(SHIPPED_PLAN.read_text(encoding="utf-8"))
    data["meetings"] = MEETINGS
    for action in data["actions"]:
        entries = BEFORE_FIRST.get(action["id"])
        if entries:
            action["progress"] = entries
            action["status"] = entries[-1]["status"]
    path = tmp_path / "plan_quarter.yaml"
    _dump(data, path)
    return path


def record_quarter(path: Path) -> None:
    """Append the quarter's entries (after the first meeting's decisions), oldest first."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for action in data["actions"]:
        entries = QUARTER.get(action["id"])
        if entries:
            action["progress"] = [*(action.get("progress") or []), *entries]
            action["status"] = entries[-1]["status"]
    _dump(data, path)


# The first meeting's decisions, as the officer records them: (action, options).
DECISIONS: list[tuple[int, list[str]]] = [
    (AGREED, ["--agree", "--date", FIRST, "--meeting", FIRST]),
    (
        REJECTED,
        ["--reject", "--note", "Partners must resume mentoring this year.", "--date", FIRST, "--meeting", FIRST],
    ),
    (ANSWERED_ASK, ["--ask", "1", "--agree", "--note", "Analyst time agreed.", "--date", FIRST, "--meeting", FIRST]),
]
