"""Record progress in a plan file: the library API behind `cheplan update` and `returns import`.

One call takes the lock, reads the plan once, makes every edit, validates the result once and
writes it once, atomically: all entries or none. It never prints; what happened comes back as
a :class:`RecordOutcome`, and what cannot be done is raised as a domain error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from cheplan.domain.errors import InvalidPlanError, UsageError, WriteRefusedError
from cheplan.domain.fields import STATUS_LABELS
from cheplan.domain.model import Action, ProgressEntry
from cheplan.domain.problems import Problem
from cheplan.editing.update import NewProgress, add_progress, exclusive, starts_with_bom, write_atomically
from cheplan.loading import cache
from cheplan.loading.load import Source, Validation, validate_sources
from cheplan.loading.locate import resolve_registers
from cheplan.questions.actions import require_action


@dataclass(frozen=True)
class EntryOutcome:
    """What became of one requested entry."""

    action_id: int
    entry: NewProgress
    """The entry as recorded (or found): its status filled in when the request left it out."""
    recorded: bool
    """True when appended; False when an identical entry was already on record (a no-op)."""
    status_after: str
    """The action's status once the plan is written."""
    notes: tuple[str, ...] = ()
    """Things the person should know, e.g. that a later entry keeps the status."""


@dataclass(frozen=True)
class RecordOutcome:
    """What `record_progress` did: per entry, plus the validation warnings the edit brought."""

    plan_name: str
    entries: tuple[EntryOutcome, ...]
    warnings: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    """About the file rather than one entry (e.g. temporary files cleaned up)."""

    @property
    def written(self) -> bool:
        return any(outcome.recorded for outcome in self.entries)


def record_progress(
    plan_path: Path,
    entries: Sequence[tuple[int, NewProgress]],
    *,
    registers: list[Path] | None,
    today: date,
) -> RecordOutcome:
    """Append each `(action_id, entry)` to the plan at `plan_path`, in one atomic write.

    Raises UsageError (unknown action, a date after `today`, a revision without a reason),
    InvalidPlanError (the plan is not valid as it stands) and WriteRefusedError (the result
    would not validate, or the file cannot be written as it is).
    """
    for action_id, entry in entries:
        check_entry(action_id, entry, today)
    with exclusive(plan_path):
        return _record(plan_path, entries, registers)


def check_entry(action_id: int, entry: NewProgress, today: date) -> None:
    """What can be refused before reading the plan (usage errors)."""
    from cheplan.domain.months import date_problem, month_problem

    problem = date_problem(entry.date)
    if problem is not None:
        raise UsageError(f"action {action_id}: {problem}")
    if entry.date > today.isoformat():
        raise UsageError(
            f"action {action_id}: the progress date {entry.date} is after today ({today.isoformat()});"
            " progress is recorded when it has happened"
        )
    if entry.revised_end is not None and (problem := month_problem(entry.revised_end)) is not None:
        raise UsageError(f"action {action_id}: revised end {problem}")
    if entry.revised_end is not None and not (entry.note or "").strip():
        raise UsageError(f"action {action_id}: a revised end needs a note saying who agreed it, when and why")
    if entry.rag is not None and entry.rag not in ("red", "amber", "green"):
        raise UsageError(f"action {action_id}: RAG {entry.rag!r} is not one of red, amber, green")
    if entry.rag is not None and not (entry.note or "").strip():
        raise UsageError(f"action {action_id}: a RAG rating needs a note giving the reason")


def _record(plan_path: Path, entries: Sequence[tuple[int, NewProgress]], registers: list[Path] | None) -> RecordOutcome:
    source = Source.read(plan_path)
    register_sources = [Source.read(path) for path in resolve_registers(registers)]
    before = validate_sources(source, register_sources)
    if not before.ok or before.plan is None:
        raise InvalidPlanError(before.errors)
    text = source.text
    outcomes: list[EntryOutcome] = []
    for action_id, requested in entries:
        action = require_action(before.plan, action_id, source.name)
        outcome, text = _apply(text, action, requested, outcomes, source.name)
        outcomes.append(outcome)
    if not any(o.recorded for o in outcomes):
        return RecordOutcome(source.name, tuple(outcomes))
    after = validate_sources(Source(text, source.name), register_sources)
    if not after.ok:
        raise WriteRefusedError(
            f"{source.name} not changed: this update would make the plan invalid"
            " (the positions above are in the text as it would have been written)",
            after.errors,
        )
    for outcome in outcomes:
        if outcome.recorded:
            _check_reads_back(after, outcome, source.name)
    write_atomically(plan_path, text, name=source.name, bom=starts_with_bom(plan_path))
    cache.remember_valid(cache.content_key([text, *(s.text for s in register_sources)]), after.documents)
    return RecordOutcome(source.name, tuple(outcomes), tuple(_new_warnings(before, after)))


def _apply(
    text: str, action: Action, requested: NewProgress, earlier: list[EntryOutcome], name: str
) -> tuple[EntryOutcome, str]:
    on_record: list[ProgressEntry | NewProgress] = [
        *action.progress,
        *(o.entry for o in earlier if o.recorded and o.action_id == action.id),
    ]
    status = requested.status or _status_on(action, on_record, requested.date)
    entry = replace(requested, status=status)
    if any(_same(old, entry) for old in on_record):
        current = (max(reversed(on_record), key=lambda e: e.date).status if on_record else None) or action.status
        return EntryOutcome(action.id, entry, recorded=False, status_after=current), text
    latest = max(reversed(on_record), key=lambda e: e.date) if on_record else None
    # The latest-dated entry sets the status; on the same date the new entry, written last, wins.
    superseded_by = latest if latest is not None and latest.date > entry.date else None
    status_after = (superseded_by.status if superseded_by else None) or status
    notes: tuple[str, ...] = ()
    if superseded_by is not None:
        notes = (f"the entry of {superseded_by.date} is later; action {action.id} stays {STATUS_LABELS[status_after]}",)
    edited = add_progress(text, action.id, entry, name=name, status_after=status_after)
    return EntryOutcome(action.id, entry, recorded=True, status_after=status_after, notes=notes), edited


def _status_on(action: Action, on_record: Sequence[ProgressEntry | NewProgress], day: str) -> str:
    """The status on record on `day`: what an entry that leaves the status out repeats."""
    reported = [e for e in on_record if e.date <= day]
    if reported:
        return max(reversed(reported), key=lambda e: e.date).status or action.status
    return "not_reported" if on_record else action.status


def _same(old: object, new: NewProgress) -> bool:
    """Identical on every field a person typed: recording it again would duplicate it."""
    return (
        getattr(old, "date", None) == new.date
        and getattr(old, "status", None) == new.status
        and (getattr(old, "note", None) or "") == (new.note or "")
        and getattr(old, "by", None) == new.by
        and getattr(old, "revised_end", None) == new.revised_end
        and getattr(old, "rag", None) == new.rag
    )


def _check_reads_back(after: Validation, outcome: EntryOutcome, name: str) -> None:
    """The file must say exactly what was asked: a guard against any formatting surprise."""
    action = after.plan.action(outcome.action_id) if after.plan else None
    entry = outcome.entry
    if action is None or not any(_same(written, entry) for written in action.progress):
        raise WriteRefusedError(f"{name} not changed: the new entry would not read back as given", [])


def _new_warnings(before: Validation, after: Validation) -> list[Problem]:
    """Warnings the edit introduced (e.g. an entry dated before the previous one)."""
    seen = {(p.code, p.message) for p in before.warnings}
    return [p for p in after.warnings if (p.code, p.message) not in seen]
