"""What the board is asked to decide, and what it decided: read from the progress log alone.

A partner's `proposed_end` is a request until the board answers it with a `decision` entry
(`agreed` with the `revised_end` it sets, or `rejected`); a partner's `support_asked` is ask N
of its action (numbered in log order) until a decision with `ask: N` answers it. An action red
at the previous meeting and red again now is escalated. Pure: no I/O, dates passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from cheplan.domain.model import Action, ProgressEntry
from cheplan.domain.months import months_between
from cheplan.questions.actions import effective_end

DecisionKind = Literal["proposal", "ask", "escalation"]


def in_log_order(action: Action, as_of: date) -> list[ProgressEntry]:
    """The entries on record on `as_of`, oldest first (stable: on one date, in written order)."""
    cutoff = as_of.isoformat()
    return sorted((e for e in action.progress if e.date <= cutoff), key=lambda e: e.date)


def asks_of(action: Action, as_of: date) -> list[tuple[int, ProgressEntry]]:
    """Every ask on record, numbered from 1 in log order."""
    entries = [e for e in in_log_order(action, as_of) if e.support_asked]
    return list(enumerate(entries, start=1))


def answer_to(action: Action, number: int, as_of: date) -> ProgressEntry | None:
    """The decision answering ask `number`, if one is on record."""
    return next((e for e in in_log_order(action, as_of) if e.decision and e.ask == number), None)


def pending_proposal(action: Action, as_of: date) -> ProgressEntry | None:
    """The latest proposed end, unless a decision on a proposal is recorded after it."""
    pending = None
    for entry in in_log_order(action, as_of):
        if entry.proposed_end is not None:
            pending = entry
        elif entry.decision is not None and entry.ask is None:
            pending = None
    return pending


def pending_asks(action: Action, as_of: date) -> list[tuple[int, ProgressEntry]]:
    answered = {e.ask for e in in_log_order(action, as_of) if e.decision and e.ask is not None}
    return [(number, entry) for number, entry in asks_of(action, as_of) if number not in answered]


@dataclass(frozen=True)
class Needed:
    """One decision the board is asked for: a proposal, an ask or an escalation."""

    kind: DecisionKind
    action: Action
    entry: ProgressEntry | None  # the partner's entry (none for an escalation)
    ask_number: int | None = None

    @property
    def proposed(self) -> str:
        """What is proposed, in words."""
        if self.kind == "proposal" and self.entry is not None and self.entry.proposed_end:
            return f"Proposed: a new end month, {self.entry.proposed_end} (baseline {self.action.end})"
        if self.kind == "ask" and self.entry is not None and self.entry.support_asked:
            return f"Asked: {self.entry.support_asked.rstrip('.')}"
        return "Escalated: red at the previous meeting and red again now"

    @property
    def consequence(self) -> str:
        """What follows if the board agrees, as far as the plan says."""
        if self.kind == "proposal" and self.entry is not None and self.entry.proposed_end:
            later = months_between(self.action.end, self.entry.proposed_end)
            when = f"{abs(later)} month{'s' if abs(later) != 1 else ''} {'later' if later >= 0 else 'earlier'}"
            return f"the action would end {when} than the baseline; the plan records no actions depending on it"
        if self.kind == "escalation":
            return "without a decision it stays red at the next meeting"
        return "the plan records no consequence"


def decisions_needed(actions: list[Action], as_of: date, red_then: set[int], red_now: set[int]) -> list[Needed]:
    """Pending proposals and asks, and escalations (red then and now), in action order."""
    found: list[Needed] = []
    for action in actions:
        proposal = pending_proposal(action, as_of)
        if proposal is not None:
            found.append(Needed("proposal", action, proposal))
        found.extend(Needed("ask", action, entry, number) for number, entry in pending_asks(action, as_of))
        if action.id in red_then and action.id in red_now:
            found.append(Needed("escalation", action, None))
    return found


@dataclass(frozen=True)
class Taken:
    """A decision the board took, and its effect."""

    action: Action
    entry: ProgressEntry
    end_before: str  # the effective end in force before it

    @property
    def held_on(self) -> str:
        """The meeting that took it (its date), else the date it was recorded."""
        return self.entry.meeting or self.entry.date

    @property
    def subject(self) -> str:
        return f"ask {self.entry.ask}" if self.entry.ask is not None else "proposed end"

    @property
    def effect(self) -> str:
        entry = self.entry
        if entry.ask is not None:
            return "support agreed" if entry.decision == "agreed" else "support not agreed"
        if entry.decision == "agreed" and entry.revised_end:
            return f"end moved from {self.end_before} to {entry.revised_end}"
        return f"end stays {self.end_before}"


def decisions_taken(actions: list[Action], since: date, as_of: date) -> list[Taken]:
    """Decisions taken at a meeting on or after `since` and before `as_of`: those of the last
    meeting, never of this one (its decisions belong to the next pack)."""
    start, stop = since.isoformat(), as_of.isoformat()
    found = [
        Taken(action, entry, effective_end(action, date.fromisoformat(entry.date) - timedelta(days=1)))
        for action in actions
        for entry in in_log_order(action, as_of)
        if entry.decision is not None and start <= (entry.meeting or entry.date) < stop
    ]
    return sorted(found, key=lambda t: (t.held_on, t.action.id))
