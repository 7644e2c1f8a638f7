"""Deadlines as an iCalendar (RFC 5545) feed, written with the icalendar library.

One all-day VEVENT per unfinished action, on its effective end date (DTEND is the next day:
the end is exclusive). UIDs come from the plan's identity (title, board, approval date: not
its progress, which changes), the action and the organisation the feed is for, so a client
that re-imports the feed updates its events instead of duplicating them. DTSTAMP is the
as-of date, not the clock: the same plan on the same day gives the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from cheplan.domain.model import Action, Organisation, Plan
from cheplan.domain.months import human_month
from cheplan.domain.safe_text import visible
from cheplan.domain.vocabulary import STATUS_LABELS
from cheplan.questions.actions import due_date
from cheplan.questions.organisations import Directory, organisations_of
from cheplan.questions.returns import slip

SUMMARY_WIDTH = 80


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


def plan_identity(plan: Plan) -> str:
    """What names this plan whatever progress it records: its title, board and approval."""
    meta = plan.plan
    approval = [meta.approved.by, meta.approved.date] if meta.approved else []
    key = "\n".join([meta.title, meta.board, *approval])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def event_uid(plan: Plan, action: Action, organisation: Organisation | None) -> str:
    return f"{plan_identity(plan)}-action-{action.id}-{organisation.id if organisation else 'all'}@cheplan"


def summary(action: Action) -> str:
    text = " ".join(action.action.split())
    head = f"Action {action.id} due: "
    if len(head) + len(text) > SUMMARY_WIDTH:
        cut = text[: SUMMARY_WIDTH - len(head) - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
    return head + text


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


def calendar_feed(feed: Feed) -> bytes:
    from icalendar import Calendar, Event, vText

    calendar = Calendar()
    calendar.add("prodid", "-//cheplan//action plan deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    who = f" ({feed.organisation.name})" if feed.organisation else ""
    # An X- property is not escaped unless typed as text: a newline in the title would start a
    # property of the plan author's choosing (icalendar only asserts against it).
    calendar.add("x-wr-calname", vText(_text(f"{feed.plan.plan.title}: deadlines{who}")))
    stamp = datetime(feed.as_of.year, feed.as_of.month, feed.as_of.day, tzinfo=UTC)
    for action in feed.actions:
        due = due_date(action, feed.as_of)
        event = Event()
        event.add("uid", event_uid(feed.plan, action, feed.organisation))
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("summary", _text(summary(action)))
        event.add("description", _text(description(feed, action)))
        event.add("transp", "TRANSPARENT")  # a deadline, not time spent: it does not block the day
        calendar.add_component(event)
    return bytes(calendar.to_ical())
