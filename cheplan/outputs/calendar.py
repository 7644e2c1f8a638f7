"""Deadlines as an iCalendar (RFC 5545) feed, written with the icalendar library.

All-day VEVENTs (DTEND is the next day: the end is exclusive) for what a partner must meet:
each unfinished action on its effective end date, each returns round's deadline, and each
board meeting (with its papers deadline) when the plan lists meetings. Each event carries
VALARM reminders (7 and 1 days before, by default).

A re-imported feed updates its events instead of duplicating them: UIDs come from the plan's
identity (title, board, approval date: not its progress, which changes), the event's own id
and the organisation the feed is for; SEQUENCE counts the revisions of the date (an action's
agreed revised ends, a round's moved deadlines), so a client sees a moved date as a newer
version of the same event; LAST-MODIFIED is the date of the latest revision. DTSTAMP is the
as-of date, not the clock: the same plan on the same day gives the same bytes. Summaries are
never cut: the library folds long lines as RFC 5545 says.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cheplan.domain.meetings import Meeting
from cheplan.domain.model import Action, Organisation, Plan
from cheplan.domain.months import human_month
from cheplan.domain.rounds import ReturnsRound
from cheplan.domain.safe_text import visible
from cheplan.domain.vocabulary import STATUS_LABELS
from cheplan.questions.actions import due_date, is_overdue
from cheplan.questions.organisations import Directory, organisations_of
from cheplan.questions.returns import slip

DEFAULT_REMINDERS = (7, 1)  # days before each event


def _text(value: str) -> str:
    """Plan text as calendar text: hidden characters shown as escapes, never passed on.

    RFC 5545 text allows no control characters but tab and (escaped) newline; C1 controls (CSI,
    OSC) and bidi overrides would act in a terminal or client showing the feed."""
    return visible(value, keep="\t\n")


@dataclass(frozen=True)
class Feed:
    plan: Plan
    directory: Directory
    actions: list[Action]  # unfinished on as_of, in plan order
    as_of: date
    organisation: Organisation | None = None  # None: every organisation's deadlines
    reminders: tuple[int, ...] = DEFAULT_REMINDERS
    rounds: list[ReturnsRound] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)


@dataclass(frozen=True)
class Occasion:
    """One all-day event: its UID, day, texts, and how many times its date was revised (and when last)."""

    uid: str
    day: date
    summary: str
    description: str
    sequence: int = 0
    modified: date | None = None


def plan_identity(plan: Plan) -> str:
    """What names this plan whatever progress it records: its title, board and approval."""
    meta = plan.plan
    approval = [meta.approved.by, meta.approved.date] if meta.approved else []
    key = "\n".join([meta.title, meta.board, *approval])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _uid(plan: Plan, what: str, organisation: Organisation | None) -> str:
    return f"{plan_identity(plan)}-{what}-{organisation.id if organisation else 'all'}@cheplan"


def event_uid(plan: Plan, action: Action, organisation: Organisation | None) -> str:
    return _uid(plan, f"action-{action.id}", organisation)


def summary(action: Action, as_of: date | None = None) -> str:
    """The whole action, on one line: never cut (clients wrap or scroll; the feed folds)."""
    overdue = as_of is not None and is_overdue(action, as_of)
    return f"Action {action.id} {'overdue' if overdue else 'due'}: {' '.join(action.action.split())}"


def description(feed: Feed, action: Action) -> str:
    found = set(organisations_of(feed.directory, action))  # once, not once per organisation
    names = [o.name for o in feed.directory.organisations if o.id in found]
    if "All" in action.lead:
        names = ["every partner"]
    moved = slip(action, feed.as_of)
    lines = [
        action.action,
        "",
        f"Lead: {'; '.join(action.lead)}",
        f"Organisations: {'; '.join(dict.fromkeys(names)) or 'none resolved'}",
        f"End: {moved}" if moved else f"End: {human_month(action.end)}",
        f"Status on {feed.as_of.isoformat()}: {STATUS_LABELS.get(action.status_on(feed.as_of), 'unknown')}",
        f"Outcomes: {action.outcomes}",
    ]
    return "\n".join(lines)


def _action_occasion(feed: Feed, action: Action) -> Occasion:
    cutoff = feed.as_of.isoformat()
    revisions = [e for e in action.progress if e.revised_end is not None and e.date <= cutoff]
    latest = max((e.date for e in revisions), default=None)
    return Occasion(
        event_uid(feed.plan, action, feed.organisation),
        due_date(action, feed.as_of),
        summary(action, feed.as_of),
        description(feed, action),
        len(revisions),
        date.fromisoformat(latest) if latest else None,
    )


def _round_occasion(feed: Feed, round_: ReturnsRound) -> Occasion:
    lines = [f"Returns for round {round_.id} (as of {round_.as_of}) are due back to the coordinator."]
    if round_.meeting:
        bodies = [m.body for m in feed.meetings if m.date == round_.meeting]
        lines.append(f"They are for the {bodies[0] + ' ' if bodies else ''}meeting of {round_.meeting}.")
    if round_.revised_deadlines:
        lines.append(f"The deadline was first {round_.deadline}.")
    return Occasion(
        _uid(feed.plan, f"round-{round_.id}", feed.organisation),
        date.fromisoformat(round_.current_deadline),
        f"Returns due: round {round_.id}",
        "\n".join(lines),
        len(round_.revised_deadlines),
        date.fromisoformat(round_.as_of),
    )


def _meeting_occasions(feed: Feed, meeting: Meeting) -> list[Occasion]:
    day, body, papers = meeting.date, meeting.body, meeting.papers_due
    found = [Occasion(_uid(feed.plan, f"meeting-{day}", feed.organisation), date.fromisoformat(day),
                      f"Meeting: {body}", f"{body} meets on {day}.")]  # fmt: skip
    if papers:
        found.append(
            Occasion(
                _uid(feed.plan, f"meeting-{day}-papers", feed.organisation),
                date.fromisoformat(papers),
                f"Papers due: {body} of {day}",
                f"Papers for the {body} meeting of {day} are due.",
            )
        )
    return found


def occasions(feed: Feed) -> list[Occasion]:
    """Every event of the feed: the actions, then the rounds' deadlines, then the meetings."""
    found = [_action_occasion(feed, action) for action in feed.actions]
    found += [_round_occasion(feed, round_) for round_ in feed.rounds]
    for meeting in feed.meetings:
        found += _meeting_occasions(feed, meeting)
    return found


def _event(occasion: Occasion, stamp: datetime, reminders: tuple[int, ...]) -> Any:
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", occasion.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", occasion.day)
    event.add("dtend", occasion.day + timedelta(days=1))
    event.add("summary", _text(occasion.summary))
    event.add("description", _text(occasion.description))
    event.add("sequence", occasion.sequence)
    if occasion.modified is not None:
        modified = min(occasion.modified, stamp.date())
        event.add("last-modified", datetime(modified.year, modified.month, modified.day, tzinfo=UTC))
    event.add("transp", "TRANSPARENT")  # a deadline, not time spent: it does not block the day
    for days in sorted(set(reminders), reverse=True):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _text(occasion.summary))
        alarm.add("trigger", timedelta(days=-days))
        event.add_component(alarm)
    return event


def calendar_feed(feed: Feed) -> bytes:
    from icalendar import Calendar, vText

    calendar = Calendar()
    calendar.add("prodid", "-//cheplan//action plan deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    who = f" ({feed.organisation.name})" if feed.organisation else ""
    # An X- property is not escaped unless typed as text: a newline in the title would start a
    # property of the plan author's choosing (icalendar only asserts against it).
    calendar.add("x-wr-calname", vText(_text(f"{feed.plan.plan.title}: deadlines{who}")))
    stamp = datetime(feed.as_of.year, feed.as_of.month, feed.as_of.day, tzinfo=UTC)
    for occasion in occasions(feed):
        calendar.add_component(_event(occasion, stamp, feed.reminders))
    return bytes(calendar.to_ical())
