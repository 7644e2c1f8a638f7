"""The board's highlight report as data: what a partnership board reads before a meeting.

Every figure of `cheplan report` is computed here, once, for both the HTML and the Markdown:
the RAG ratings by theme and by partner, the exceptions, what was completed and what slipped
since the last meeting, what falls due before the next, overdue by partner, recommendation
coverage and the source corrections. Pure: no I/O, and the dates are passed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from cheplan.domain.corrections_count import count_source_notes
from cheplan.domain.model import Action, Plan, ProgressEntry
from cheplan.domain.register import Register
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS
from cheplan.questions.actions import DueRow, coming_due, effective_end, overdue
from cheplan.questions.decisions import Needed, Taken, decisions_needed, decisions_taken
from cheplan.questions.indicators import IndicatorStanding, standings
from cheplan.questions.movement import Movement, movement_of
from cheplan.questions.organisations import ALL_PARTNERS, Directory, actions_of_any, directory_of, organisations_of
from cheplan.questions.rag import RATINGS, Rating, rate
from cheplan.questions.return_round import partners_reported
from cheplan.questions.shares import share_of, share_rating, shares_differ
from cheplan.questions.trace import Trace, build_trace


@dataclass(frozen=True)
class Window:
    """The dates a report answers for: as of, since the last meeting, until the next one."""

    as_of: date
    since: date  # exclusive: what happened on the last meeting's day was in its pack
    until: date
    stale_days: int = DEFAULT_STALE_DAYS
    stale_days_then: int | None = None  # as of `since`, when it differs (the cycle's default moves)
    meeting: str | None = None  # the date of the meeting the report is for, when the plan lists it


@dataclass(frozen=True)
class RatedAction:
    action: Action
    rating: Rating
    theme: str
    organisation_names: tuple[str, ...]  # of the organisations leading it, in directory order
    effective_end: str
    latest: ProgressEntry | None
    then: Rating  # as of the previous meeting (the window's `since`), computed from the log

    @property
    def stale_only(self) -> bool:
        """Amber only because its latest update is old: no other reason, no lead's judgement."""
        return (
            self.rating.rating == "amber"
            and all(reason.startswith("stale:") for reason in self.rating.reasons)
            and (self.rating.override is None or self.rating.override.rating == "green")
        )

    @property
    def exceptional(self) -> bool:
        """Red; amber for a reason other than age alone; or red at the previous meeting. A
        completed action never is."""
        if self.rating.rating == "blue":
            return False
        return (self.rating.flagged and not self.stale_only) or self.then.rating == "red"

    @property
    def reporting(self) -> str | None:
        """For a shared action: "4 of 15 partners reported: 3 in progress, 1 complete"."""
        if len(self.organisation_names) < 2:
            return None
        return partners_reported(self.action, len(self.organisation_names))


@dataclass(frozen=True)
class Event:
    """A progress entry dated in the window: a completion or an agreed revised end."""

    rated: RatedAction
    entry: ProgressEntry
    previous_end: str


@dataclass(frozen=True)
class Tally:
    """RAG counts for one row of a chart: a theme, or a partner."""

    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Board:
    title: str
    board: str
    window: Window
    scope: tuple[str, ...]  # the organisations --lead kept (empty: the whole plan)
    rated: list[RatedAction]
    organisations: tuple[str, ...]  # the names of every organisation leading an action in scope
    returned: tuple[str, ...]  # partners that made a return in the window
    by_theme: list[Tally]
    by_organisation: list[Tally]
    completed: list[Event]
    slipped: list[Event]
    due: list[DueRow]
    overdue_by_organisation: list[tuple[str, list[DueRow]]]
    trace: Trace
    corrections: int
    needed: list[Needed]
    taken: list[Taken]
    names: dict[str, str]  # organisation id -> name, for whose each progress entry is

    outcomes: list[IndicatorStanding] = field(default_factory=list)  # the outcome indicators' standing

    @property
    def movement(self) -> Movement[RatedAction]:
        return movement_of(self.rated)

    @property
    def counts(self) -> dict[str, int]:
        return _count(self.rated)

    @property
    def exceptions(self) -> list[RatedAction]:
        """What the board must look at (`RatedAction.exceptional`): worst first, then by id."""
        order = {rating: index for index, rating in enumerate(RATINGS)}
        flagged = [r for r in self.rated if r.exceptional]
        return sorted(flagged, key=lambda r: (order[r.rating.rating], r.action.id))

    @property
    def stale_only(self) -> list[RatedAction]:
        """Amber for age alone, and not exceptional otherwise: "no update since the last meeting"."""
        return [r for r in self.rated if r.stale_only and not r.exceptional]


def _count(rated: list[RatedAction]) -> dict[str, int]:
    counts = Counter(r.rating.rating for r in rated)
    return {rating: counts[rating] for rating in RATINGS}


def _in_window(entry: ProgressEntry, window: Window) -> bool:
    return window.since.isoformat() < entry.date <= window.as_of.isoformat()


def _names(directory: Directory, action: Action, known: dict[tuple[str, ...], tuple[str, ...]]) -> tuple[str, ...]:
    """The names of the organisations owning `action`; `known` keeps them per list of printed
    leads, which thousands of actions share."""
    leads = tuple(action.lead)
    if leads not in known:
        found = set(organisations_of(directory, action))
        known[leads] = tuple(o.name for o in directory.organisations if o.id in found)
    return known[leads]


def _returned(directory: Directory, rated: list[RatedAction], window: Window) -> set[str]:
    """Partners with a progress entry in the window on an action they lead. On an action led by
    "All", only the partner the entry's `by` names counts: the others did not report."""
    found: set[str] = set()
    for item in rated:
        for entry in item.action.progress:
            if not _in_window(entry, window):
                continue
            named = entry.organisation or (directory.resolve(entry.by) if entry.by else None)
            by = directory.get(named) if named else None
            if by is not None and by.name in item.organisation_names:
                found.add(by.name)
            elif ALL_PARTNERS not in item.action.lead:
                found.update(item.organisation_names)
    return found


def _completion(action: Action, as_of: date) -> ProgressEntry | None:
    """The entry that completed the action: the first of the final run of `complete` entries."""
    cutoff = as_of.isoformat()
    on_record = sorted((e for e in action.progress if e.date <= cutoff), key=lambda e: e.date)
    first = None
    for entry in reversed(on_record):
        if entry.status != "complete":
            break
        first = entry
    return first


def _events(rated: list[RatedAction], window: Window) -> tuple[list[Event], list[Event]]:
    completed: list[Event] = []
    slipped: list[Event] = []
    for item in rated:
        done = _completion(item.action, window.as_of)
        if done is not None and _in_window(done, window):
            completed.append(Event(item, done, item.effective_end))
        for entry in sorted(item.action.progress, key=lambda e: e.date):
            if entry.revised_end is not None and _in_window(entry, window):
                # The end in force the day before the revision was recorded.
                before = date.fromisoformat(entry.date) - timedelta(days=1)
                slipped.append(Event(item, entry, effective_end(item.action, before)))
    return completed, sorted(slipped, key=lambda e: (e.entry.date, e.rated.action.id))


def _tallies(labels: Iterable[str], ratings: Iterable[tuple[str, str]]) -> list[Tally]:
    # Labels in first-seen order; one pass over the (label, rating) pairs, not one per label.
    groups: dict[str, Counter[str]] = {label: Counter() for label in labels}
    for label, rating in ratings:
        if label in groups:
            groups[label][rating] += 1
    return [Tally(label, {r: counts[r] for r in RATINGS}) for label, counts in groups.items() if counts]


def _share_ratings(rated: list[RatedAction], directory: Directory, window: Window) -> Iterator[tuple[str, str]]:
    """(partner, rating) per share: a shared action counts for each organisation by its own share."""
    for r in rated:
        if not shares_differ(r.action, len(r.organisation_names) > 1):
            yield from ((name, r.rating.rating) for name in dict.fromkeys(r.organisation_names))
            continue
        for i in organisations_of(directory, r.action):
            yield directory.name_of(i), share_rating(r.action, i, window.as_of, stale_days=window.stale_days).rating


SHARED = "Shared by all partners"
"""Where "Overdue by partner" lists an action led by "All": once, not under every partner."""


def _overdue_by_organisation(
    rows: list[DueRow], directory: Directory, names: tuple[str, ...]
) -> list[tuple[str, list[DueRow]]]:
    grouped: dict[str, list[DueRow]] = {}
    for row in rows:  # who owns each row asked once, not once per partner
        owners = [SHARED] if ALL_PARTNERS in row.action.lead else _unfinished_shares(directory, row)
        for name in dict.fromkeys(owners):
            grouped.setdefault(name, []).append(row)
    return [(name, grouped[name]) for name in (SHARED, *names) if name in grouped]


def _unfinished_shares(directory: Directory, row: DueRow) -> list[str]:
    """The names of the co-leads whose own share of the row's action is unfinished."""
    ids = organisations_of(directory, row.action)
    shared = len(ids) > 1
    return [directory.name_of(i) for i in ids if not share_of(row.action, i, row.as_of, shared=shared).finished]


def build_board(plan: Plan, registers: list[Register], window: Window, *, organisations: tuple[str, ...] = ()) -> Board:
    """The report's content. `organisations` (ids) narrows it to the actions they own ("All" included)."""
    directory = directory_of(plan)
    themes = {t.id: t.title for t in plan.themes}
    then_stale = window.stale_days if window.stale_days_then is None else window.stale_days_then
    scoped = actions_of_any(plan, directory, organisations)
    names: dict[tuple[str, ...], tuple[str, ...]] = {}
    rated = [
        RatedAction(
            action=a,
            rating=rate(a, window.as_of, stale_days=window.stale_days),
            theme=themes.get(a.theme, a.theme),
            organisation_names=_names(directory, a, names),
            effective_end=effective_end(a, window.as_of),
            latest=a.progress_on(window.as_of),
            then=rate(a, window.since, stale_days=then_stale),
        )
        for a in scoped
    ]
    in_scope = {a.id for a in scoped}
    owning = {name for r in rated for name in r.organisation_names}
    leading = tuple(
        o.name for o in directory.organisations if o.name in owning and (not organisations or o.id in organisations)
    )
    returned = _returned(directory, rated, window)  # once, not once per partner
    completed, slipped = _events(rated, window)
    late = [row for row in overdue(plan, window.as_of) if row.action.id in in_scope]
    return Board(
        title=plan.plan.title,
        board=plan.plan.board,
        window=window,
        scope=tuple(o.name for o in directory.organisations if o.id in organisations),
        rated=rated,
        organisations=leading,
        returned=tuple(name for name in leading if name in returned),
        by_theme=_tallies([*themes.values(), *(r.theme for r in rated)], ((r.theme, r.rating.rating) for r in rated)),
        by_organisation=_tallies(leading, _share_ratings(rated, directory, window)),
        completed=completed,
        slipped=slipped,
        due=[row for row in coming_due(plan, window.as_of, window.until) if row.action.id in in_scope],
        overdue_by_organisation=_overdue_by_organisation(late, directory, leading),
        trace=build_trace(plan, registers, window.as_of),
        corrections=count_source_notes(plan, registers),
        outcomes=standings(plan, window.as_of),
        needed=decisions_needed(
            scoped,
            window.as_of,
            {r.action.id for r in rated if r.then.rating == "red"},
            {r.action.id for r in rated if r.rating.rating == "red"},
        ),
        taken=decisions_taken(scoped, window.since, window.as_of),
        names={o.id: o.name for o in directory.organisations},
    )
