"""What an exception asks of the board: the decision each reason for red or amber calls for.

An exception report gives, for each action off track, the decision the board is asked for.
The plan records no such request, so cheplan suggests the one its rating calls for (the report
says it is a suggestion); the lead's own judgement, when recorded, is quoted beside it.
"""

from __future__ import annotations

from cheplan.domain.combined_status import COORDINATOR, latest_by_reporter
from cheplan.domain.model import Action
from cheplan.domain.vocabulary import STATUS_LABELS, STATUSES
from cheplan.questions.rag import Rating

# (how a reason of `rag.rate` starts, the decision it asks for); a test keeps every red and
# amber reason that `rate` gives covered here.
_ASKS: tuple[tuple[str, str], ...] = (
    ("past its effective end", "Agree a revised end month with the lead, or escalate."),
    ("slipped:", "Note the agreed revised end, and confirm it is realistic."),
    ("stale:", "Ask the lead for an update before the next meeting."),
    ("due ", "Confirm the lead will start it before it falls due."),
)
_LEAD_CONCERN = "Hear the concern the lead has raised, and decide what support it needs."


def asks_of_the_board(rating: Rating) -> list[str]:
    """The decisions a red or amber rating asks of the board, one per reason; none otherwise."""
    if not rating.flagged:
        return []
    found = [ask for reason in rating.reasons for prefix, ask in _ASKS if reason.startswith(prefix)]
    if rating.override is not None and rating.override.rating in ("red", "amber"):
        found.append(_LEAD_CONCERN)
    return list(dict.fromkeys(found))


def leads_asks(action: Action) -> list[str]:
    """What the leads themselves ask of the board: each reporter's latest entry's support asked."""
    found = []
    for entry in latest_by_reporter(action.progress).values():
        if entry.support_asked:
            who = entry.by or entry.organisation or "The coordinator"
            found.append(f"{who} asks: {entry.support_asked}")
    return found


def partners_reported(action: Action, partners: int) -> str:
    """How many of a shared action's `partners` have reported, and what their latest entries say."""
    latest = [e for key, e in latest_by_reporter(action.progress).items() if key != COORDINATOR]
    counts = {status: sum(1 for e in latest if e.status == status) for status in STATUSES}
    said = ", ".join(f"{count} {STATUS_LABELS[status]}" for status, count in counts.items() if count)
    return f"{len(latest)} of {partners} partners reported" + (f": {said}" if said else "")
