"""Stale updates: unfinished actions nobody has reported on for a while, most neglected first.

The known failure of partnership plans is drift: actions carried across meetings without
anyone escalating them. Two lists: actions whose latest update is more than N days old, and
started actions with no return at all. Pure: no I/O, and "today" is always passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cheplan.domain.model import Action, Plan
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS
from cheplan.questions.actions import effective_end, filter_actions, is_finished


@dataclass(frozen=True)
class Neglected:
    """An unfinished action and how long it has gone without a return on `as_of`.

    `since` is the date of its latest update, or (with no update at all) the first day of its
    start month; `days` counts from it.
    """

    action: Action
    status: str
    since: date
    days: int
    last_update: str | None
    effective_end: str


@dataclass(frozen=True)
class Staleness:
    as_of: date
    days: int
    considered: int
    # Latest update more than `days` old, most neglected first.
    stale: list[Neglected]
    # Started, with no return at all, longest without one first.
    never_reported: list[Neglected]


def started_on(action: Action) -> date:
    return date.fromisoformat(f"{action.start}-01")


def _neglected(action: Action, as_of: date) -> Neglected | None:
    """How long `action` has gone without a return, or None when it has not started yet."""
    latest = action.progress_on(as_of)
    since = date.fromisoformat(latest.date) if latest else started_on(action)
    if latest is None and since > as_of:
        return None
    return Neglected(
        action=action,
        status=action.status_on(as_of),
        since=since,
        days=(as_of - since).days,
        last_update=latest.date if latest else None,
        effective_end=effective_end(action, as_of),
    )


def stale(
    plan: Plan,
    as_of: date,
    *,
    days: int = DEFAULT_STALE_DAYS,
    lead: str | None = None,
    theme: str | None = None,
) -> Staleness:
    """Unfinished actions (as of `as_of`) whose latest update is more than `days` old, and,
    separately, started ones with no return at all; each list most neglected first, then by id."""
    unfinished = [a for a in filter_actions(plan, lead=lead, theme=theme) if not is_finished(a, as_of)]
    rows = [row for action in unfinished if (row := _neglected(action, as_of)) is not None]
    order = sorted(rows, key=lambda row: (-row.days, row.action.id))
    return Staleness(
        as_of=as_of,
        days=days,
        considered=len(unfinished),
        stale=[row for row in order if row.last_update is not None and row.days > days],
        never_reported=[row for row in order if row.last_update is None],
    )
