"""Record progress in a plan file: the library API behind `cheplan update` and `returns import`.

One call takes the lock, reads the plan once, makes every edit, validates the result once and
writes it once, atomically: all entries or none. It never prints; what happened comes back as
a :class:`RecordOutcome`, and what cannot be done is raised as a domain error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from cheplan.domain.combined_status import combined_status, reporter
from cheplan.domain.errors import InvalidPlanError, UsageError, WriteRefusedError
from cheplan.domain.filesystem.temporary import remove_stale_temps
from cheplan.domain.indicators import IndicatorValue
from cheplan.domain.model import Plan, ProgressEntry
from cheplan.domain.problems import Problem
from cheplan.domain.vocabulary import FINISHED_STATUSES, STATUS_LABELS, Status
from cheplan.editing.block_edits import BlockEdits, cached_data
from cheplan.editing.blocks import ActionBlock
from cheplan.editing.entry_checks import check_entry
from cheplan.editing.files import PlanFile, check_writable, locked_plan, plan_bytes, write_atomically
from cheplan.editing.indicator_values import IndicatorNotFoundError, ValueOutcome, add_values, why_not_found
from cheplan.editing.plan_size import refuse_if_stopped_at_the_cap, require_within_cap, values_in
from cheplan.editing.rounds import RoundChange, check_rounds, edit_rounds, rounds_beside_entries
from cheplan.editing.update import edit_block, split_newlines
from cheplan.loading import cache as validation_cache
from cheplan.loading.load import Source, Validation, validate_sources
from cheplan.loading.locate import display_name, resolve_registers


@dataclass(frozen=True)
class EntryOutcome:
    """What became of one requested entry."""

    action_id: int
    entry: ProgressEntry
    """The entry as recorded (or found): with `keep_status`, the status it repeats."""
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
    rounds_recorded: bool = False
    """True when the write recorded something in the plan's returns rounds."""
    values: tuple[ValueOutcome, ...] = ()
    """What became of each requested indicator value."""

    @property
    def written(self) -> bool:
        return any(outcome.recorded for outcome in self.entries)

    @property
    def values_recorded(self) -> bool:
        return any(outcome.recorded for outcome in self.values)


def record_progress(
    plan_path: Path,
    entries: Sequence[tuple[int, ProgressEntry]],
    *,
    registers: list[Path] | None,
    today: date,
    expected_sha256: str | None = None,
    keep_status: bool = False,
    cache: bool = False,
    rounds: Sequence[RoundChange] = (),
    values: Sequence[tuple[str, IndicatorValue]] = (),
    known_values: int | None = None,
) -> RecordOutcome:
    """Append each `(action_id, entry)` to the plan at `plan_path`, in one atomic write.

    `keep_status`: each entry repeats the status on record on its date, whatever status it was
    built with (for an entry that only revises the end month or gives a RAG rating).

    `expected_sha256` (of the text the caller checked the entries against): refuse, writing
    nothing, if the plan changed since, so a check made outside the lock is not outrun.
    `rounds`: what to record in the plan's returns rounds (who has returned), in the same write.
    `values`: `(indicator_id, value)` pairs for the indicators' `values:` lists, in the same write.
    `cache`: remember the written plan as valid in the user's cache directory (the command
    line does; a library call does not unless asked).
    `known_values`: the values in the text of `expected_sha256` (its validation counted them):
    entries that would take the plan past the cap are refused before the costly validation.

    Raises UsageError (unknown action, a date after `today`, a revision without a reason, not
    a regular file), InvalidPlanError (the plan is not valid as it stands) and
    WriteRefusedError (the result would not validate, or the file cannot be written faithfully).
    """
    for action_id, entry in entries:
        check_entry(action_id, entry, today, status_given=not keep_status)
    register_sources = [Source.read(path) for path in resolve_registers(registers)]
    with locked_plan(plan_path, display_name(plan_path)) as plan:
        removed = remove_stale_temps(plan.path.parent, target_name=plan.path.name)
        interrupted = f"removed {removed} temporary file(s) left beside the plan by an interrupted write"
        notes = (interrupted,) if removed else ()
        check_writable(plan)
        if expected_sha256 is not None and text_sha256(plan.read_text()) != expected_sha256:
            raise WriteRefusedError(
                f"{plan.name} not changed: it changed while the entries were being checked; run again", []
            )
        known = known_values if expected_sha256 is not None else None  # counted on the text just checked
        outcome = _record(plan, entries, register_sources, keep_status, cache, rounds, values, known)
        return replace(outcome, notes=notes + outcome.notes)


def text_sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _record(
    plan: PlanFile,
    entries: Sequence[tuple[int, ProgressEntry]],
    registers: list[Source],
    keep_status: bool,
    cache: bool,
    rounds: Sequence[RoundChange] = (),
    values: Sequence[tuple[str, IndicatorValue]] = (),
    known_values: int | None = None,
) -> RecordOutcome:
    """One read (done), the edits (the rounds' with them: `rounds_beside_entries`), one validation, one write."""
    as_read = plan.read_text()
    text, newline = split_newlines(as_read, plan.name)
    parsed = cached_data([as_read, *(s.text for s in registers)]) if cache and text == as_read else None
    text, outcomes, edited, grown = _edit_entries(text, plan, entries, registers, keep_status, parsed)
    del as_read, parsed
    if known_values is not None:  # rounds and values not counted: few, and the validation decides
        require_within_cap(plan.name, known_values + grown)
    try:  # the indicators' values: the edit `cheplan measure` makes, here in the same write
        text, value_outcomes = add_values(text, values, plan.name)
    except IndicatorNotFoundError as missing:
        raise why_not_found(plan.name, plan.read_text(), registers, missing.indicator_id) from None
    values_recorded = any(outcome.recorded for outcome in value_outcomes)
    joined = rounds_beside_entries(text, rounds, plan.name) if rounds else None
    text, joined_rounds = joined if joined is not None else (text, None)  # validated with the entries, once
    rounds = () if joined is not None else rounds
    final = text.replace("\n", newline) if newline != "\n" else text
    if not edited and not rounds and not values_recorded and joined_rounds is None:  # nothing new: must be valid
        _require_valid(plan, registers, final)
        return RecordOutcome(plan.name, tuple(outcomes), values=value_outcomes)
    plan_bytes(plan, final)  # over the size cap: refused before the costly validation
    after = validate_sources(Source(final, plan.name), registers)
    if not after.ok:
        if known_values is not None:  # it was valid when counted: a stop at the cap is the entries' doing
            refuse_if_stopped_at_the_cap(plan.name, after.errors)
        _require_valid(plan, registers)
        raise WriteRefusedError(
            f"{plan.name} not changed: this update would make the plan invalid"
            " (the positions above are in the text as it would have been written)",
            after.errors,
        )
    _check_reads_back(after, edited, plan.name)
    if joined_rounds is not None:
        check_rounds(after, joined_rounds, plan.name, what="recording the returns")
    if rounds and (with_rounds := edit_rounds(text, rounds, after, plan.name)) is not None:
        text, expected_rounds = with_rounds  # the rounds' records join the entries: one write for both
        final = text.replace("\n", newline) if newline != "\n" else text
        plan_bytes(plan, final)
        after = validate_sources(Source(final, plan.name), registers)
        check_rounds(after, expected_rounds, plan.name, what="recording the returns")
        _check_reads_back(after, edited, plan.name)
    elif not edited and not values_recorded and joined_rounds is None:  # the returns were on record already
        return RecordOutcome(plan.name, tuple(outcomes), values=value_outcomes)
    rounds_recorded = joined_rounds is not None or (bool(rounds) and with_rounds is not None)
    write_atomically(plan, final)
    if cache:
        key = validation_cache.content_key([final, *(s.text for s in registers)])
        validation_cache.remember_valid(key, after.documents)
    warnings = _warnings(after, edited, values_recorded)
    return RecordOutcome(plan.name, tuple(outcomes), warnings, rounds_recorded=rounds_recorded, values=value_outcomes)


def _warnings(after: Validation, edited: dict[int, tuple[int, dict[str, Any]]], values: bool) -> tuple[Problem, ...]:
    """The validation's warnings about what this write touched: the edited actions, the indicators."""
    indexes = {index for index, _ in edited.values()}
    return tuple(
        w
        for w in after.warnings
        if (len(w.path) > 1 and w.path[:1] == ("actions",) and w.path[1] in indexes)
        or (values and w.path[:1] == ("indicators",))
    )


def _edit_entries(
    text: str,
    plan: PlanFile,
    entries: Sequence[tuple[int, ProgressEntry]],
    registers: list[Source],
    keep_status: bool,
    parsed: Callable[[], object] | None = None,
) -> tuple[str, list[EntryOutcome], dict[int, tuple[int, dict[str, Any]]], int]:
    """The text with the entries; their outcomes; per edited action id, its index and the data it must
    read as; how many values the edits add."""
    outcomes: list[EntryOutcome] = []
    edited: dict[int, tuple[int, dict[str, Any]]] = {}
    grown = 0
    blocks = BlockEdits(text, plan.name, len(entries), parsed)
    for action_id, requested in entries:
        block = blocks.of(action_id)
        if block is None:
            raise _why_not_found(plan, registers, action_id)
        outcome, new_text, expected = _apply(block, requested, plan.name, keep_status)
        outcomes.append(outcome)
        if outcome.recorded:
            blocks.edited(block, new_text, expected)
            edited[action_id] = (block.index, expected)
            grown += values_in(expected) - values_in(block.data)
    return blocks.text(), outcomes, edited, grown


def _require_valid(plan: PlanFile, registers: list[Source], text: str | None = None) -> Plan:
    """The plan as it stands must be valid (checked only when the edit alone cannot show it)."""
    # Else read again (still under the lock): only on a failure path, so the text is not kept meanwhile.
    before = validate_sources(Source(plan.read_text() if text is None else text, plan.name), registers)
    if not before.ok or before.plan is None:
        raise InvalidPlanError(before.errors)
    return before.plan


def _why_not_found(plan: PlanFile, registers: list[Source], action_id: int) -> Exception:
    """The scan did not find the action: an invalid plan, no such action, or a layout it cannot edit."""
    from cheplan.questions.actions import require_action

    require_action(_require_valid(plan, registers), action_id, plan.name)
    return WriteRefusedError(
        f"{plan.name} not changed: action {action_id} is not written as a block list item"
        " (`- id: N` under `actions:`), so cheplan cannot tell where its entry goes; record it by hand",
        [],
    )


def _apply(
    block: ActionBlock, requested: ProgressEntry, name: str, keep_status: bool
) -> tuple[EntryOutcome, str, dict[str, Any]]:
    """The outcome of one entry, and the block's text with it (unchanged when already on record)."""
    action_id = block.data.get("id", 0)
    on_record = [e for e in block.data.get("progress") or [] if isinstance(e, dict)]
    known = [entry for entry in map(_as_entry, on_record) if entry is not None]
    fallback = str(block.data.get("status", "not_reported"))
    status = _status_on(known, fallback, requested) if keep_status else requested.status
    entry = replace(requested, status=status)
    if entry.rag is not None and status in FINISHED_STATUSES:
        raise UsageError(
            f"action {action_id} is {STATUS_LABELS[status]} as of {entry.date}: a finished action takes no RAG"
            " rating (it is rated blue or grey by its status)"
        )
    if entry in known:
        current = combined_status(known) if known else fallback
        return EntryOutcome(action_id, entry, recorded=False, status_after=current), block.text, block.data
    status_after = combined_status([*known, entry])
    notes: tuple[str, ...] = ()
    later = [e for e in known if e.date > entry.date and reporter(e) == reporter(entry)]
    label = STATUS_LABELS.get(status_after, status_after)
    if later and status_after != status:
        notes = (f"the entry of {max(e.date for e in later)} is later; action {action_id} stays {label}",)
    elif status_after != status:
        notes = (f"other organisations' latest entries hold action {action_id} at {label} (the least advanced counts)",)
    # The whole file is validated after all edits, and each edited action compared with `expected`.
    new_text, expected = edit_block(block, entry, status_after, name=name, check=False)
    return EntryOutcome(action_id, entry, True, status_after, notes), new_text, expected


def _status_on(known: list[ProgressEntry], fallback: str, requested: ProgressEntry) -> Status:
    """The status an entry that leaves it out repeats: its reporter's on its date, else the action's."""
    own = [e for e in known if reporter(e) == reporter(requested)]
    status = combined_status(own or known, requested.date) if known else fallback
    return status if status in STATUS_LABELS else "not_reported"  # type: ignore[return-value]


def _as_entry(raw: dict[str, Any]) -> ProgressEntry | None:  # an entry on record, to compare with a new one
    try:
        return ProgressEntry(**raw)
    except TypeError:  # an unknown or missing key: the plan's validation says what is wrong
        return None


def _check_reads_back(after: Validation, edited: dict[int, tuple[int, dict[str, Any]]], name: str) -> None:
    """The whole file, validated, must hold each edited action exactly as the edit meant it."""
    actions = after.documents[0].get("actions") if after.documents and isinstance(after.documents[0], dict) else None
    for action_id, (index, expected) in edited.items():
        if not isinstance(actions, list) or index >= len(actions) or actions[index] != expected:
            raise WriteRefusedError(f"{name} not changed: action {action_id} would not read back as given", [])
