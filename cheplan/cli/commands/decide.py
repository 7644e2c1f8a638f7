"""`cheplan decide ID --agree|--reject`: record the board's decision on a proposed end or an ask.

The decision is a progress entry (`decision`, and for an agreed proposal the `revised_end` that
makes it effective), written by the one writer, :func:`cheplan.editing.record.record_progress`:
validated like any update, atomic, and idempotent (the same decision again changes nothing).
A proposal or ask already answered otherwise is refused: the board's record is not rewritten.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import NoDefaultRegistersOption, PlanOption, RegisterOption, chosen_registers
from cheplan.domain.errors import UsageError

if TYPE_CHECKING:
    from cheplan.domain.model import Action, Plan, ProgressEntry


EndOption = Annotated[
    Optional[str],
    typer.Option(
        "--end", metavar="YYYY-MM", help="With --agree: the end month agreed. Default: the month proposed.",
        show_default=False,
    ),
]  # fmt: skip
AskOption = Annotated[
    Optional[int],
    typer.Option(
        "--ask", metavar="N", min=1, help="Answer the action's ask N (1: its first), not its proposed end.",
        show_default=False,
    ),
]  # fmt: skip
NoteOption = Annotated[
    Optional[str], typer.Option("--note", "-n", metavar="TEXT", help="The board's reason.", show_default=False)
]
DateOption = Annotated[
    Optional[str],
    typer.Option("--date", metavar="DATE", help="Date of the decision. Default: today.", show_default=False),
]
MeetingOption = Annotated[
    Optional[str],
    typer.Option("--meeting", metavar="DATE", help="The meeting that took it, YYYY-MM-DD.", show_default=False),
]


def decide(
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The action number.")],
    agree: Annotated[bool, typer.Option("--agree", help="The board agrees the proposal or ask.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="The board rejects it (needs a --note: why).")] = False,
    end: EndOption = None,
    ask: AskOption = None,
    note: NoteOption = None,
    on_date: DateOption = None,
    meeting: MeetingOption = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
) -> int:
    """Record the board's decision on an action's proposed end (or, with --ask N, on an ask).

    An agreed proposal takes effect as the action's revised end; a rejected one keeps the
    baseline. The decision is a dated progress entry, validated like any update; recording the
    same decision again changes nothing.
    """
    from cheplan.cli.commands.output import as_of_date, require_utf8
    from cheplan.cli.commands.update import report_date
    from cheplan.editing.one_action import read_action
    from cheplan.editing.record import record_progress
    from cheplan.loading.locate import PLAN_ENV, resolve_plan, resolve_registers

    require_utf8(("--note", note))
    _options(agree, reject, end, ask, note)
    when, held = report_date(on_date), _meeting(meeting)
    if plan is None and not os.environ.get(PLAN_ENV):
        raise UsageError("decide writes to a plan file: name it with --plan FILE (or set CHEPLAN_PLAN)")
    registers = chosen_registers(register, no_default_registers)
    path = resolve_plan(plan)
    # The action and the plan around it (not its other actions): the write validates the whole plan.
    found = read_action(path, action_id, resolve_registers(registers))
    action = found.action
    entry = _decision(found.plan, action, agree, end, ask, note, when, held)
    earlier = _earlier_answer(action, entry, date.fromisoformat(when))
    if earlier is not None:
        raise UsageError(
            f"action {action_id}: the board already decided this on {earlier.date} ({earlier.decision});"
            " a new proposal or ask is needed before another decision"
        )
    outcome = record_progress(
        path, [(action_id, entry)], registers=registers, today=as_of_date(None), keep_status=True, cache=True,
        expected_sha256=found.text_sha256,
    )  # fmt: skip
    for problem in outcome.warnings:
        print(problem.as_text(), file=sys.stderr)
    subject = f"ask {ask}" if ask is not None else "the proposed end"
    effect = f", end revised to {entry.revised_end}" if entry.revised_end else ""
    said = f"Action {action_id}: {subject} {entry.decision} on {when}{effect}"
    done = outcome.entries[0].recorded
    print(f"{said}, recorded in {outcome.plan_name}." if done else f"{said} is already on record; nothing changed.")
    return EXIT_OK


def _options(agree: bool, reject: bool, end: str | None, ask: int | None, note: str | None) -> None:
    from cheplan.domain.months import month_problem

    if agree == reject:
        raise UsageError("give one of --agree or --reject")
    if end is not None and (reject or ask is not None):
        raise UsageError("--end goes with --agree on a proposed end, not with --reject or --ask")
    if end is not None and (problem := month_problem(end)) is not None:
        raise UsageError(f"--end: {problem}")
    if reject and not (note or "").strip():
        raise UsageError("--reject needs a --note giving the board's reason")


def _meeting(value: str | None) -> str | None:
    from cheplan.cli.commands.output import date_option

    day = date_option("--meeting", value)
    return None if day is None else day.isoformat()


def _same(old: ProgressEntry, new: ProgressEntry) -> bool:
    keys = ("date", "decision", "revised_end", "ask", "meeting", "note")
    return all(getattr(old, key) == getattr(new, key) for key in keys)


def _earlier_answer(action: Action, entry: ProgressEntry, day: date) -> ProgressEntry | None:
    """A different decision already on record for what `entry` decides (None: free to record)."""
    from cheplan.questions.decisions import answer_to, asks_of, in_log_order

    log = in_log_order(action, day)
    if entry.ask is not None:
        if entry.ask > len(asks_of(action, day)):
            raise UsageError(f"action {action.id} has {len(asks_of(action, day))} ask(s) on record by {entry.date}")
        answer = answer_to(action, entry.ask, day)
        return answer if answer is not None and not _same(answer, entry) else None
    proposals = [index for index, e in enumerate(log) if e.proposed_end is not None]
    if not proposals:
        raise UsageError(f"action {action.id} has no proposed end on record by {entry.date}; an ask takes --ask N")
    later = [e for e in log[proposals[-1] + 1 :] if e.decision is not None and e.ask is None]
    return next((e for e in later if not _same(e, entry)), None)


def _decision(plan: Plan, action: Action, agree: bool, end: str | None, ask: int | None, note: str | None,
              on_date: str, meeting: str | None) -> ProgressEntry:  # fmt: skip
    from cheplan.domain.model import ProgressEntry
    from cheplan.questions.decisions import in_log_order
    from cheplan.questions.meetings import meeting_on

    day = date.fromisoformat(on_date)
    revised_end = None
    if agree and ask is None:
        proposal = next((e for e in reversed(in_log_order(action, day)) if e.proposed_end is not None), None)
        revised_end = end or (proposal.proposed_end if proposal else None)
    held = meeting_on(plan, date.fromisoformat(meeting or on_date))
    who = held.body if held is not None else f"the {plan.plan.board}"
    default = f"Agreed by {who} on {meeting or on_date}." if agree else ""
    return ProgressEntry(
        date=on_date,
        status="not_reported",  # replaced by the status on record (keep_status)
        note=(note or "").strip() or default,
        decision="agreed" if agree else "rejected",
        revised_end=revised_end,
        ask=ask,
        meeting=meeting,
    )
