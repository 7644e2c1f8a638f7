"""Questions asked of a validated plan. Pure functions: no I/O, and "today" is always passed in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from cheplan.domain.errors import UsageError
from cheplan.domain.leads import ALL_PARTNERS
from cheplan.domain.model import Action, Plan, ProgressEntry
from cheplan.domain.months import month_end
from cheplan.domain.vocabulary import FINISHED_STATUSES, STATUS_LABELS
from cheplan.domain.words import suggestion
from cheplan.questions.organisations import Directory, directory_of, matched_organisations, require_organisations


def matching_leads(action: Action, lead: str | None) -> list[str]:
    """The action's printed leads that contain `lead`, case-insensitively (all when None)."""
    if not lead:
        return list(action.lead)
    needle = lead.casefold()
    return [org for org in action.lead if needle in org.casefold()]


def theme_titles(plan: Plan) -> dict[str, str]:
    """Each theme id's title, as `plan.theme` finds it (the first theme of that id), looked up
    without a scan of the themes per action: a plan of 5,000 themes made listing 100,000 actions
    500 million comparisons."""
    titles: dict[str, str] = {}
    for theme in plan.themes:
        titles.setdefault(theme.id, theme.title)
    return titles


def theme_matches(plan: Plan, action: Action, theme: str | None, titles: dict[str, str] | None = None) -> bool:
    """`theme` matches the theme's id or title, case-insensitively, as a substring (`titles`:
    the plan's theme_titles, when a caller asks about many actions)."""
    if not theme:
        return True
    needle = theme.casefold()
    title = (theme_titles(plan) if titles is None else titles).get(action.theme, "")
    return needle in action.theme.casefold() or needle in title.casefold()


@dataclass(frozen=True)
class LeadFilter:
    """What `--lead TEXT` picked: organisations by id, name or alias (else by part of one), or,
    when no organisation matches, the printed leads containing TEXT (e.g. "All")."""

    directory: Directory
    ids: frozenset[str]
    text: str | None

    def leads(self, action: Action) -> list[str]:
        """The action's printed leads the filter matches (every lead without a filter)."""
        if self.text is None:
            return list(action.lead)
        if not self.ids:
            return matching_leads(action, self.text)
        return [lead for lead in action.lead if lead == ALL_PARTNERS or self.directory.resolve(lead) in self.ids]

    def organisations(self, leads: list[str] | tuple[str, ...]) -> list[str]:
        """The ids of the organisations those printed leads mean, as far as the filter picked them."""
        ids = matched_organisations(self.directory, leads)
        return ids if not self.ids else [i for i in ids if i in self.ids]


def lead_filter(plan: Plan, lead: str | None) -> LeadFilter:
    """The `--lead` filter; a text that matches no organisation and no printed lead is a usage error."""
    directory = directory_of(plan)
    if lead is None:
        return LeadFilter(directory, frozenset(), None)
    try:
        found = require_organisations(directory, lead)
    except UsageError:
        if lead.strip() and any(matching_leads(action, lead) for action in plan.actions):
            return LeadFilter(directory, frozenset(), lead)
        raise
    return LeadFilter(directory, frozenset(o.id for o in found), lead)


def _require_theme(plan: Plan, theme: str) -> None:
    needle = theme.casefold()
    if any(needle in t.id.casefold() or needle in t.title.casefold() for t in plan.themes):
        return
    names = [t.id for t in plan.themes]
    raise UsageError(f"--theme {theme!r} matches no theme{suggestion(theme, names, cutoff=0.5)}")


def _require_statuses(statuses: set[str]) -> None:
    unknown = sorted(statuses - set(STATUS_LABELS))
    if unknown:
        status = unknown[0]
        raise UsageError(f"--status {status!r} is not a status{suggestion(status, list(STATUS_LABELS))}")


def filter_actions(
    plan: Plan,
    *,
    lead: str | None = None,
    theme: str | None = None,
    status: Iterable[str] | None = None,
) -> list[Action]:
    """The actions every given filter lets through. A filter that names nothing in the plan (a
    typo) is a usage error, never an empty answer: a gate must not pass because of it."""
    wanted = set(status) if status else None
    if wanted is not None:
        _require_statuses(wanted)
    if theme:
        _require_theme(plan, theme)
    leads = lead_filter(plan, lead) if lead is not None else None
    titles = theme_titles(plan)
    return [
        action
        for action in plan.actions
        if (leads is None or leads.leads(action))
        and theme_matches(plan, action, theme, titles)
        and (wanted is None or action.current_status in wanted)
    ]


def require_action(plan: Plan, action_id: int, plan_name: str) -> Action:
    """The action with this id, or a usage error that says which ids exist."""
    action = plan.action(action_id)
    if action is None:
        ids = [a.id for a in plan.actions]
        span = f" (actions run {min(ids)}–{max(ids)})" if ids else ""
        raise UsageError(f"no action {action_id} in {plan_name}{span}")
    return action


def is_finished(action: Action, as_of: date | None = None) -> bool:
    """Complete or dropped: now, or on `as_of` (progress reported later does not count then)."""
    status = action.current_status if as_of is None else action.status_on(as_of)
    return status in FINISHED_STATUSES


def latest_revision(action: Action, as_of: date | None = None) -> ProgressEntry | None:
    """The latest progress entry carrying a board-agreed `revised_end`, on record on `as_of`
    (any date when None). On equal dates the later-written entry wins."""
    if not action.progress:
        return None
    cutoff = as_of.isoformat() if as_of is not None else None
    revisions = [
        entry for entry in action.progress if entry.revised_end is not None and (cutoff is None or entry.date <= cutoff)
    ]
    return max(reversed(revisions), key=lambda entry: entry.date) if revisions else None


def effective_end(action: Action, as_of: date | None = None) -> str:
    """The end month in force on `as_of`: the latest agreed revision, else the approved `end`.

    The approved `end` is the baseline and is never edited; a slip is always recorded as a
    revision, so both stay visible.
    """
    revision = latest_revision(action, as_of)
    return revision.revised_end if revision is not None and revision.revised_end else action.end


def due_date(action: Action, as_of: date | None = None) -> date:
    """An action is due at the end of its effective end month (`"2020-09"` is due 2020-09-30)."""
    return month_end(effective_end(action, as_of))


def days_overdue(action: Action, as_of: date) -> int:
    """Days past the due date on `as_of` (0 or less when not yet overdue)."""
    return (as_of - due_date(action, as_of)).days


def is_overdue(action: Action, as_of: date) -> bool:
    """Past its due date and not finished. On the last day of the month it is not yet overdue."""
    return as_of > due_date(action, as_of) and not is_finished(action, as_of)


@dataclass(frozen=True)
class DueRow:
    """An unfinished action and where it stands against its due date on `as_of`.

    `matched_leads` are the printed leads the `--lead` filter matched (all leads without a
    filter); `organisations` the ids of the organisations they mean ("All": every one, or
    every one the filter picked). Grouped per lead, the action is listed under each of those.
    """

    action: Action
    due: date
    as_of: date
    matched_leads: tuple[str, ...]
    organisations: tuple[str, ...] = ()

    @property
    def days_overdue(self) -> int:
        return (self.as_of - self.due).days

    # Computed once per row, when it is made: every output reads them, some twice (JSON and table).
    status: str = field(init=False)
    """The status on record on `as_of`."""
    last_update: str | None = field(init=False)
    """The date of the last progress entry on record on `as_of`."""

    def __post_init__(self) -> None:
        if not self.action.progress:  # most actions: the status field is all there is (Action.status_on)
            object.__setattr__(self, "status", self.action.status)
            object.__setattr__(self, "last_update", None)
            return
        entry = self.action.progress_on(self.as_of)
        object.__setattr__(self, "status", self.action.status_on(self.as_of))
        object.__setattr__(self, "last_update", entry.date if entry else None)

    @property
    def days_left(self) -> int:
        return (self.due - self.as_of).days


def _unfinished(
    plan: Plan, as_of: date, lead: str | None, theme: str | None
) -> list[tuple[Action, tuple[str, ...], tuple[str, ...]]]:
    leads = lead_filter(plan, lead)
    found = []
    # A plan has few distinct sets of leads: each is resolved to organisations once.
    resolved: dict[tuple[str, ...], tuple[str, ...]] = {}
    for action in filter_actions(plan, lead=lead, theme=theme):
        if not is_finished(action, as_of):
            matched = tuple(leads.leads(action))
            ids = resolved.get(matched)
            if ids is None:
                ids = resolved[matched] = tuple(leads.organisations(matched))
            found.append((action, matched, ids))
    return found


def overdue(plan: Plan, as_of: date, *, lead: str | None = None, theme: str | None = None) -> list[DueRow]:
    """Unfinished actions past their due date on `as_of`, most overdue first (then by id)."""
    # `_unfinished` has already ruled out finished actions: what is left is overdue once past due.
    rows = [
        DueRow(action, due, as_of, leads, ids)
        for action, leads, ids in _unfinished(plan, as_of, lead, theme)
        if as_of > (due := due_date(action, as_of))
    ]
    return sorted(rows, key=lambda row: (-row.days_overdue, row.action.id))


def coming_due(
    plan: Plan, as_of: date, until: date, *, lead: str | None = None, theme: str | None = None
) -> list[DueRow]:
    """Unfinished actions due between `as_of` and `until` (both included), soonest first.

    An action due on `as_of` itself (the last day of its end month) is due today: 0 days left.
    """
    rows = [
        DueRow(action, due, as_of, leads, ids)
        for action, leads, ids in _unfinished(plan, as_of, lead, theme)
        if as_of <= (due := due_date(action, as_of)) <= until
    ]
    return sorted(rows, key=lambda row: (row.days_left, row.action.id))
