"""What can be refused about a progress entry before the plan is read (usage errors)."""

from __future__ import annotations

from datetime import date

from cheplan.domain import caps
from cheplan.domain.errors import UsageError
from cheplan.domain.model import ProgressEntry
from cheplan.domain.vocabulary import RAG_VALUES, STATUS_LABELS


def check_entry(action_id: int, entry: ProgressEntry, today: date, *, status_given: bool = True) -> None:
    """What can be refused before reading the plan (usage errors)."""
    from cheplan.domain.months import date_problem, month_problem

    problem = date_problem(entry.date)
    if problem is not None:
        raise UsageError(f"action {action_id}: {problem}")
    if status_given and entry.status not in STATUS_LABELS:
        raise UsageError(f"action {action_id}: {entry.status!r} is not a status; use one of {', '.join(STATUS_LABELS)}")
    for what, text in (("note", entry.note), ("name in by", entry.by)):
        if text is not None and any("\ud800" <= char <= "\udfff" for char in text):  # undecodable input bytes
            raise UsageError(f"action {action_id}: the text {text!r} holds bytes that are not valid UTF-8")
        if text is not None and len(text) > caps.MAX_SCALAR_CHARS:
            raise UsageError(
                f"action {action_id}: the {what} is {len(text):,} characters, over the {caps.MAX_SCALAR_CHARS:,}"
                " cheplan reads a plan value up to; shorten it, or link to the full text"
            )
    if entry.date > today.isoformat():
        raise UsageError(
            f"action {action_id}: the progress date {entry.date} is after today ({today.isoformat()});"
            " progress is recorded when it has happened"
        )
    if entry.revised_end is not None and (problem := month_problem(entry.revised_end)) is not None:
        raise UsageError(f"action {action_id}: revised end {problem}")
    if entry.proposed_end is not None and (problem := month_problem(entry.proposed_end)) is not None:
        raise UsageError(f"action {action_id}: proposed end {problem}")
    if entry.rag is not None and entry.rag not in RAG_VALUES:
        raise UsageError(f"action {action_id}: RAG {entry.rag!r} is not one of {', '.join(RAG_VALUES)}")
    for _, why in entry.unexplained():  # the plan's own check (judgement-without-note), asked first
        raise UsageError(f"action {action_id}: {why}")
