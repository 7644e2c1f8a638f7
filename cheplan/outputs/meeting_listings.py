"""`cheplan meetings`: the board's meetings, the window each one's pack reports on, and the
returns round each one closes.

A returns round names the meeting it feeds (its `meeting`); until the plan lists rounds, each
meeting shows the window it closes, which is what a round would collect for.
"""

from __future__ import annotations

from typing import Any

from cheplan.domain.model import Plan
from cheplan.outputs.listing import Cell, Column, Listing


def rounds_closed_by(plan: Plan, meeting_date: str) -> list[str]:
    """The ids of the returns rounds feeding the meeting on `meeting_date`: each round whose
    `meeting` is that date. A plan without `rounds` has none."""
    rounds: list[Any] = list(getattr(plan, "rounds", None) or [])
    return [str(r.id) for r in rounds if getattr(r, "meeting", None) == meeting_date]


def meetings_listing(plan: Plan) -> Listing:
    """Each meeting, oldest first, with the window its pack reports on: after the meeting
    before (exclusive) up to the meeting itself (inclusive)."""
    ordered = sorted(plan.meetings, key=lambda m: m.date)
    data: list[dict[str, Any]] = []
    for index, meeting in enumerate(ordered):
        since = ordered[index - 1].date if index else None
        data.append(
            {
                "date": meeting.date,
                "body": meeting.body,
                "papers_due": meeting.papers_due,
                "reports_since": since,
                "closes_rounds": rounds_closed_by(plan, meeting.date),
            }
        )
    rows: list[dict[str, Cell]] = [
        {
            "date": item["date"],
            "body": item["body"],
            "papers_due": item["papers_due"],
            "window": f"after {item['reports_since']}" if item["reports_since"] else "from the start",
            "rounds": ", ".join(item["closes_rounds"]) or None,
        }
        for item in data
    ]
    return Listing(
        data=data,
        columns=[
            Column("date", "Meeting", no_wrap=True, min_width=10),
            Column("body", "Body", max_chars=40, ratio=3, min_width=10),
            Column("papers_due", "Papers due", no_wrap=True, when_empty="-"),
            Column("window", "Reports on", ratio=2, min_width=10),
            Column("rounds", "Closes round", ratio=1, min_width=6, when_empty="none"),
        ],
        rows=rows,
        title="Board meetings",
        empty_message="The plan lists no meetings (`meetings:`).",
    )
