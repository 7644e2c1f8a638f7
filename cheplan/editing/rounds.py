"""Record a returns round in the plan file: the library API behind `returns export --round`,
`returns send`, `returns chase` and `returns import --apply`.

The same discipline as recording progress (:mod:`cheplan.editing.record`): one lock, one read,
the edits (text inserted into the `rounds:` block, :mod:`cheplan.editing.round_blocks`), one
validation, a check that the rounds read back exactly as meant, one atomic write. Messages
already on record (by Message-ID) and returns already recorded are not added twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cheplan.domain.errors import InvalidPlanError, UsageError, WriteRefusedError
from cheplan.domain.filesystem.temporary import remove_stale_temps
from cheplan.domain.rounds import ReturnReceived, ReturnsRound, SentMessage, find_round
from cheplan.editing.files import PlanFile, check_writable, locked_plan, plan_bytes, write_atomically
from cheplan.editing.round_blocks import append_round, append_to_round
from cheplan.editing.round_validation import revalidated
from cheplan.editing.update import split_newlines
from cheplan.loading import cache as validation_cache
from cheplan.loading.load import Source, Validation, validate_sources
from cheplan.loading.locate import display_name, resolve_registers
from cheplan.loading.remembered import remembered_validation
from cheplan.questions.rounds import RoundReturns


@dataclass(frozen=True)
class RoundChange:
    """What to record for round `round_id`. `as_of` and `deadline` make the round when it is new;
    a `deadline` unlike the one in force is recorded as a revised deadline."""

    round_id: str
    as_of: str | None = None
    deadline: str | None = None
    meeting: str | None = None
    messages: tuple[SentMessage, ...] = ()
    returned: tuple[ReturnReceived, ...] = ()


def returns_received(rounds: Sequence[RoundReturns], on: date) -> list[RoundChange]:
    """What an import records in each of the plan's rounds: the organisations whose returns it brings."""
    day = on.isoformat()
    return [
        RoundChange(found.round_id, returned=tuple(ReturnReceived(organisation=o, date=day) for o in found.importing))
        for found in rounds
        if found.in_plan and found.importing
    ]


def message_data(message: SentMessage) -> dict[str, Any]:
    data: dict[str, Any] = {"organisation": message.organisation, "kind": message.kind, "to": list(message.to)}
    if message.cc:
        data["cc"] = list(message.cc)
    return data | {"message_id": message.message_id, "sent": message.sent}


def returned_data(received: ReturnReceived) -> dict[str, Any]:
    return {"organisation": received.organisation, "date": received.date}


def record_round(
    plan_path: Path, change: RoundChange, *, registers: list[Path] | None, cache: bool = False
) -> ReturnsRound:
    """Record `change` in the plan at `plan_path`, in one atomic write; the round as written.

    Raises UsageError (a new round without as-of date or deadline, a different meeting),
    InvalidPlanError (the plan is not valid as it stands) and WriteRefusedError (the result
    would not validate or read back, or the file cannot be written faithfully). With `cache` (the
    command line's choice), the plan as it stands may come from the validation cache.
    """
    register_sources = [Source.read(path) for path in resolve_registers(registers)]
    with locked_plan(plan_path, display_name(plan_path)) as plan:
        remove_stale_temps(plan.path.parent, target_name=plan.path.name)
        check_writable(plan)
        return _record(plan, change, register_sources, cache=cache)


@dataclass(frozen=True)
class HeldRound:
    """A round as on record while the plan's lock is held: what a sender re-checks before a
    message goes, and records it through once it has gone (the lock is not taken twice)."""

    plan: PlanFile
    registers: list[Source]
    round_: ReturnsRound | None
    # The plan's text as read under this lock, and its validation: the record reuses it rather
    # than validating the same text again (it re-reads the file and compares, to be sure).
    text: str = field(repr=False)
    validation: Validation = field(repr=False)

    def record(self, change: RoundChange) -> ReturnsRound:
        """Record `change` (once per hold: the write replaces the file the lock is on)."""
        return _record(self.plan, change, self.registers, held=(self.text, self.validation), remember=False)


@contextlib.contextmanager
def held_round(
    plan_path: Path, round_id: str, *, registers: list[Path] | None, cache: bool = False
) -> Iterator[HeldRound]:
    """Hold the plan's lock for the block, with round `round_id` as on record now.

    The text this process wrote last (the last message's record, above all) is not validated
    again; with `cache`, nor is a text that passed before and is in the validation cache.
    """
    register_sources = [Source.read(path) for path in resolve_registers(registers)]
    with locked_plan(plan_path, display_name(plan_path)) as plan:
        remove_stale_temps(plan.path.parent, target_name=plan.path.name)
        check_writable(plan)
        source = Source(plan.read_text(), plan.name)
        before = _written_last(source, register_sources)
        if before is None and cache:
            before = remembered_validation(source, register_sources)
        if before is None:
            before = validate_sources(source, register_sources)
        if not before.ok or before.plan is None:
            raise InvalidPlanError(before.errors)
        yield HeldRound(plan, register_sources, find_round(before.plan.rounds, round_id), source.text, before)


# The plan text this process wrote last, the names and registers it was validated with, and its
# validation: a later hold of the plan that reads exactly this text takes it as it is (it knows
# where the top-level keys are, which the validation cache does not keep).
_last_written: list[tuple[str, str, tuple[str, ...], Validation]] = []


def _written_last(source: Source, registers: list[Source]) -> Validation | None:
    for name, text, register_texts, validation in _last_written:
        if name == source.name and text == source.text and register_texts == tuple(s.text for s in registers):
            return validation
    return None


def remember_last_written() -> None:
    """Put the text this process wrote last in the validation cache, for the next command."""
    for _, text, register_texts, validation in _last_written:
        validation_cache.remember_valid(validation_cache.content_key([text, *register_texts]), validation.documents)


def _record(
    plan: PlanFile,
    change: RoundChange,
    registers: list[Source],
    *,
    held: tuple[str, Validation] | None = None,
    cache: bool = False,
    remember: bool = True,
) -> ReturnsRound:
    """`held`: a text read under this same lock and its validation, reused when the file still
    reads exactly so (line endings aside, the data and positions are those of the LF text);
    with `cache`, a text that passed validation before is taken from the validation cache.
    Without `remember`, the text written is not put in the validation cache (a sender writes
    once a message, and puts only the last in: `remember_last_written`)."""
    as_read = plan.read_text()
    text, newline = split_newlines(as_read, plan.name)
    before = held[1] if held is not None and held[0] == as_read else None
    if before is None and cache:
        before = remembered_validation(Source(as_read, plan.name), registers)
    if before is None:
        before = validate_sources(Source(text, plan.name), registers)
    del as_read
    edited = edit_rounds(text, [change], before, plan.name)
    if edited is None:
        current = find_round(before.plan.rounds, change.round_id) if before.plan else None
        assert current is not None  # a new round always changes the list
        return current
    text_before, (text, expected) = text, edited
    final = text.replace("\n", newline) if newline != "\n" else text
    plan_bytes(plan, final)
    after = revalidated(text_before, before, final, plan.name)  # only the rounds block changed
    if after is None:
        after = validate_sources(Source(final, plan.name), registers)
    del text_before
    check_rounds(after, expected, plan.name, what=f"recording round {change.round_id!r}")
    write_atomically(plan, final)
    _last_written[:] = [(plan.name, final, tuple(s.text for s in registers), after)]
    if remember:
        remember_last_written()
    assert after.plan is not None
    written = find_round(after.plan.rounds, change.round_id)
    assert written is not None
    return written


def edit_rounds(
    text: str, changes: Sequence[RoundChange], before: Validation, name: str
) -> tuple[str, list[Any]] | None:
    """`text` (validated as `before`) with each change made, and the `rounds` data it must read
    back as; None when the changes are all on record already."""
    if not before.ok or before.plan is None:
        raise InvalidPlanError(before.errors)
    return _edit_rounds_as(text, changes, before.plan.rounds, _raw_rounds(before.documents), name)


def rounds_beside_entries(text: str, changes: Sequence[RoundChange], name: str) -> tuple[str, list[Any] | None] | None:
    """`text` (a plan, the entries perhaps made in it) with the rounds' changes made too, and the
    `rounds` data it must read back as (None when all are on record already), so that the
    entries and the rounds are validated together, once.

    The rounds as they stand are read from the plan with its actions left out but the first
    (one small validation against the schema: the entries' edits touch only actions). None when
    the plan cannot be read so (a layout the scan does not know, a part that fails the schema):
    the caller then edits the rounds after validating the entries, from that validation."""
    from cheplan.editing.blocks import index_actions

    index = index_actions(text)
    if index is None or not index.item_starts:
        return None
    end = index.item_starts[1] if len(index.item_starts) > 1 else index.region_end
    around = validate_sources(Source(text[:end] + text[index.region_end :], name), [])
    if around.plan is None:
        return None
    edited = _edit_rounds_as(text, changes, around.plan.rounds, _raw_rounds(around.documents), name)
    return (text, None) if edited is None else edited


def _edit_rounds_as(
    text: str, changes: Sequence[RoundChange], rounds: list[ReturnsRound], raw: list[Any], name: str
) -> tuple[str, list[Any]] | None:
    expected = raw
    for change in changes:
        text, expected = _edited(text, change, find_round(rounds, change.round_id), expected, name)
    return None if expected == raw else (text, expected)


def check_rounds(after: Validation, expected: list[Any], name: str, *, what: str) -> None:
    """The edited text, validated as `after`, must be valid and hold the rounds exactly as meant."""
    if not after.ok or after.plan is None:
        raise WriteRefusedError(f"{name} not changed: {what} would make the plan invalid", after.errors)
    if _raw_rounds(after.documents) != expected:
        raise WriteRefusedError(f"{name} not changed: the rounds would not read back as given", [])


def _raw_rounds(documents: list[Any]) -> list[Any]:
    data = documents[0] if documents and isinstance(documents[0], dict) else {}
    rounds = data.get("rounds")
    return [dict(r) for r in rounds] if isinstance(rounds, list) else []


def _edited(
    text: str, change: RoundChange, current: ReturnsRound | None, raw: list[Any], name: str
) -> tuple[str, list[Any]]:
    """The text with the change made, and the `rounds` data it must read back as."""
    expected = [dict(r) for r in raw]
    if current is None:
        if change.as_of is None or change.deadline is None:
            raise UsageError(f"round {change.round_id!r} is not in the plan; give its deadline to start it")
        item: dict[str, Any] = {"id": change.round_id, "as_of": change.as_of, "deadline": change.deadline}
        if change.meeting:
            item["meeting"] = change.meeting
        messages = [message_data(m) for m in _new_messages(None, change.messages)]
        returned = [returned_data(r) for r in _new_returns(None, change.returned)]
        item |= ({"messages": messages} if messages else {}) | ({"returned": returned} if returned else {})
        expected.append(item)
        return append_round(text, item, name), expected
    index = next(i for i, r in enumerate(raw) if r.get("id") == change.round_id)
    target = expected[index]
    if change.meeting and current.meeting and change.meeting != current.meeting:
        raise UsageError(
            f"round {change.round_id!r} feeds {current.meeting!r}, not {change.meeting!r}; change it in the plan first"
        )
    additions: list[tuple[str, list[Any]]] = []
    if change.deadline and change.deadline != current.current_deadline:
        additions.append(("revised_deadlines", [change.deadline]))
    additions.append(("messages", [message_data(m) for m in _new_messages(current, change.messages)]))
    additions.append(("returned", [returned_data(r) for r in _new_returns(current, change.returned)]))
    for key, items in additions:
        if items:
            target[key] = [*(target.get(key) or []), *items]
            text = append_to_round(text, change.round_id, key, items, name)
    if change.meeting and not current.meeting:
        target["meeting"] = change.meeting
        text = append_to_round(text, change.round_id, "meeting", change.meeting, name)
    return text, expected


def _new_messages(current: ReturnsRound | None, messages: tuple[SentMessage, ...]) -> list[SentMessage]:
    seen = {m.message_id for m in current.messages} if current else set()
    fresh = []
    for message in messages:
        if message.message_id not in seen:
            seen.add(message.message_id)
            fresh.append(message)
    return fresh


def _new_returns(current: ReturnsRound | None, returned: tuple[ReturnReceived, ...]) -> list[ReturnReceived]:
    seen = current.returned_by() if current else set()
    fresh = []
    for received in returned:
        if received.organisation not in seen:
            seen.add(received.organisation)
            fresh.append(received)
    return fresh
