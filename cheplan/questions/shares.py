"""A shared action, seen by each of its organisations: that organisation's share.

An action led by "All" or by several organisations is counted once for each of them, by that
organisation's own latest entry (or the coordinator's, which every share sees); entries by
the other organisations are theirs. An action with one lead has one share: the action itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cheplan.domain.combined_status import own_latest_entry
from cheplan.domain.model import Action, ProgressEntry
from cheplan.domain.vocabulary import FINISHED_STATUSES
from cheplan.questions.actions import due_date, effective_end
from cheplan.questions.rag import Facts, Rating, rate_facts


@dataclass(frozen=True)
class Share:
    """Where `organisation`'s share of an action stands on a date."""

    status: str
    last_update: str | None
    entry: ProgressEntry | None = None  # the entry it stands on

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES


def share_of(action: Action, organisation_id: str, as_of: date, *, shared: bool) -> Share:
    """`organisation_id`'s share on `as_of`: its own latest entry when the action is `shared`,
    else the action's status (the one rule, with one reporter)."""
    if not shared:
        latest = action.progress_on(as_of) if action.progress else None
        return Share(action.status_on(as_of), latest.date if latest else None, latest)
    latest = own_latest_entry(action.progress, organisation_id, as_of.isoformat())
    return Share(latest.status, latest.date, latest) if latest else Share("not_reported", None)


def share_overdue(action: Action, share: Share, as_of: date) -> bool:
    """Past the action's due date, and this share not finished."""
    return as_of > due_date(action, as_of) and not share.finished


def shares_differ(action: Action, shared: bool) -> bool:
    """Whether the shares of an action can stand apart: it is shared and an organisation made an
    entry of its own. Otherwise every share is the action (and an action without a log is its
    `status` field, the coordinator's, for every organisation)."""
    return shared and any(entry.organisation for entry in action.progress)


def share_rating(action: Action, organisation_id: str, as_of: date, *, stale_days: int) -> Rating:
    """The RAG rating of `organisation_id`'s share of a shared action on `as_of`: the rules of
    `rag.RULES` applied to its own latest entry (status, age and the lead's own RAG); the
    effective end is the action's."""
    share = share_of(action, organisation_id, as_of, shared=True)
    end = effective_end(action, as_of)
    return rate_facts(Facts(action, as_of, stale_days, share.status, share.entry, end, due_date(action, as_of)))
