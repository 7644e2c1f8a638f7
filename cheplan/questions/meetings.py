"""The meeting cycle: which meeting a report is for, the one before, and when updates go stale.

A report is for the next meeting on or after its as-of date and looks back to the meeting
before. Windows are half-open, (since, as-of]: an event dated on a meeting day belongs to the
pack for that meeting, never to the next one too, so consecutive packs never count it twice.
Pure: no I/O, and "today" is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cheplan.domain.meetings import Meeting
from cheplan.domain.model import Plan
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS


@dataclass(frozen=True)
class Cycle:
    """The meetings around a report's as-of date (each None when the plan lists none)."""

    meeting: Meeting | None  # the next meeting on or after the as-of date: the one the report is for
    previous: Meeting | None  # the meeting before it: the report looks back to it
    before_last: Meeting | None  # the one before that: no update since then is stale
    following: Meeting | None  # the meeting after the report's: what falls due before it


def _dated(plan: Plan) -> list[tuple[date, Meeting]]:
    return sorted(((date.fromisoformat(m.date), m) for m in plan.meetings), key=lambda pair: pair[0])


def cycle_of(plan: Plan, as_of: date) -> Cycle:
    """The meetings around `as_of`: the first on or after it, and its neighbours."""
    dated = _dated(plan)
    index = next((i for i, (day, _) in enumerate(dated) if day >= as_of), len(dated))

    def at(position: int) -> Meeting | None:
        return dated[position][1] if 0 <= position < len(dated) else None

    return Cycle(meeting=at(index), previous=at(index - 1), before_last=at(index - 2), following=at(index + 1))


def stale_days_for(plan: Plan, as_of: date) -> int:
    """Days after which an update is stale on `as_of`: the plan's `reporting.stale_days`, else no
    update since the meeting before last (an update on that day counts as before it), else
    DEFAULT_STALE_DAYS."""
    if plan.reporting.stale_days is not None:
        return plan.reporting.stale_days
    cycle = cycle_of(plan, as_of)
    if cycle.previous is None or cycle.before_last is None:
        return DEFAULT_STALE_DAYS
    # Stale when the latest update is on or before the meeting before last: older than this many days.
    return max(0, (as_of - date.fromisoformat(cycle.before_last.date)).days - 1)


def meeting_on(plan: Plan, day: date) -> Meeting | None:
    """The meeting held on `day`, if any."""
    return next((m for m in plan.meetings if m.date == day.isoformat()), None)
