"""Stale updates: unfinished actions nobody has reported on for a while, most neglected first.

The known failure of partnership plans is drift: actions carried across meetings without
anyone escalating them. Two lists: actions whose latest update is more than N days old, and
started actions with no return at all. Pure: no I/O, and "today" is always passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cheplan.domain.combined_status import own_latest_entry
from cheplan.domain.model import Action, Plan, ProgressEntry
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS, FINISHED_STATUSES
from cheplan.questions.actions import effective_end, filter_actions, is_finished
from cheplan.questions.organisations import directory_of, find_organisations, organisations_of


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
    organisation: str | None = None
    """On a shared action (led by "All" or by several organisations), whose share this row is:
    each organisation's share is stale or fresh by its own latest entry (or the coordinator's)."""


@dataclass(frozen=True)
class Staleness:
    as_of: date
    days: int
    considered: int
    """Unfinished actions, a shared action once for each of its organisations."""
    # Latest update more than `days` old, most neglected first.
    stale: list[Neglected]
    # Started, with no return at all, longest without one first.
    never_reported: list[Neglected]


def started_on(action: Action) -> date:
    return date.fromisoformat(f"{action.start}-01")


def _neglected(action: Action, as_of: date) -> Neglected | None:
    """How long `action` has gone without a return, or None when it has not started yet."""
    latest = action.progress_on(as_of)
    return _row(action, as_of, latest, action.status_on(as_of), None)


def _row(
    action: Action, as_of: date, latest: ProgressEntry | None, status: str, organisation: str | None
) -> Neglected | None:
    since = date.fromisoformat(latest.date) if latest else started_on(action)
    if latest is None and since > as_of:
        return None
    return Neglected(
        action=action,
        status=status,
        since=since,
        days=(as_of - since).days,
        last_update=latest.date if latest else None,
        effective_end=effective_end(action, as_of),
        organisation=organisation,
    )


def _shares(action: Action, as_of: date, organisations: list[str]) -> list[Neglected]:
    """A shared action's row for each of its organisations whose own latest entry leaves it unfinished."""
    rows = []
    for organisation in organisations:
        latest = own_latest_entry(action.progress, organisation, as_of.isoformat())
        status = latest.status if latest else "not_reported"
        if status not in FINISHED_STATUSES and (row := _row(action, as_of, latest, status, organisation)):
            rows.append(row)
    return rows


def _rows(plan: Plan, actions: list[Action], as_of: date, lead: str | None) -> tuple[list[Neglected], int]:
    """The rows, and how many were considered (a shared action's unfinished shares, each)."""
    directory = directory_of(plan)
    only = {o.id for o in find_organisations(directory, lead)} if lead else set()
    rows: list[Neglected] = []
    considered = 0
    for action in actions:
        organisations = organisations_of(directory, action)
        if len(organisations) > 1:
            shares = _shares(action, as_of, [o for o in organisations if not only or o in only])
            rows += shares  # in place: a new list each time copies every row so far, per action
            considered += len(shares)
        else:
            considered += 1
            if (row := _neglected(action, as_of)) is not None:
                rows.append(row)
    return rows, considered


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
    rows, considered = _rows(plan, _unfinished(plan, as_of, lead, theme), as_of, lead)
    order = sorted(rows, key=lambda row: (-row.days, row.action.id))
    return Staleness(
        as_of=as_of,
        days=days,
        considered=considered,
        stale=[row for row in order if row.last_update is not None and row.days > days],
        never_reported=[row for row in order if row.last_update is None],
    )


def _unfinished(plan: Plan, as_of: date, lead: str | None, theme: str | None) -> list[Action]:
    return [a for a in filter_actions(plan, lead=lead, theme=theme) if not is_finished(a, as_of)]


def rows_to_weigh(plan: Plan, as_of: date, *, lead: str | None = None, theme: str | None = None) -> tuple[int, int]:
    """How many rows `stale` weighs, at most, and how many organisations they name in all (each
    row names its action's): each unfinished action once, a shared one once for each of its
    organisations (--lead's only, with it). Counted without making any row, so that a listing too
    long to make can be refused first."""
    directory = directory_of(plan)
    only = {o.id for o in find_organisations(directory, lead)} if lead else set()
    rows = names = 0
    for action in _unfinished(plan, as_of, lead, theme):
        organisations = organisations_of(directory, action)
        weighed = sum(1 for o in organisations if not only or o in only) if len(organisations) > 1 else 1
        rows += weighed
        names += weighed * len(organisations)
    return rows, names
