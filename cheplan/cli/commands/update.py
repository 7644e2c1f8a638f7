"""`cheplan update ID --status S`: record dated progress in the plan file without hand-editing YAML.

A thin layer over :func:`cheplan.editing.record.record_progress`: it turns the options into
an entry, and prints what the outcome says. Usage errors come first, before the plan is read.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import (
    NoDefaultRegistersOption,
    PlanOption,
    RagChoice,
    RegisterOption,
    chosen_registers,
)
from cheplan.domain.errors import UsageError

if TYPE_CHECKING:
    from cheplan.domain.model import ProgressEntry
    from cheplan.domain.vocabulary import Status
    from cheplan.editing.record import EntryOutcome, RecordOutcome

STATUS_HELP = (
    "The action's status as of the date, in any case or spacing: planned, in progress, complete, dropped,"
    " not reported. Default: the status on record."
)
ORG_HELP = "The organisation reporting, by id (default: the coordinator)."


def update(
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The action number.")],
    status: Annotated[Optional[str], typer.Option("--status", "-s", metavar="STATUS", help=STATUS_HELP)] = None,
    note: Annotated[
        Optional[str],
        typer.Option("--note", "-n", metavar="TEXT", help="What was done, or why it was dropped.", show_default=False),
    ] = None,
    on_date: Annotated[
        Optional[str],
        typer.Option(
            "--date", metavar="DATE", help="Date of the report, YYYY-MM-DD. Default: today.", show_default=False
        ),
    ] = None,
    by: Annotated[
        Optional[str],
        typer.Option("--by", metavar="WHO", help="Who reports it (organisation or officer).", show_default=False),
    ] = None,
    revised_end: Annotated[
        Optional[str],
        typer.Option(
            "--revised-end",
            metavar="YYYY-MM",
            help="A board-agreed revised end month (needs a --note: who agreed it, when, why).",
            show_default=False,
        ),
    ] = None,
    rag: Annotated[
        Optional[RagChoice],
        typer.Option("--rag", help="The lead's own RAG rating (needs a --note giving the reason).", show_default=False),
    ] = None,
    org: Annotated[Optional[str], typer.Option("--org", metavar="ID", help=ORG_HELP, show_default=False)] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
) -> int:
    """Record progress on an action: insert a dated entry in the plan file, in date order, in place.

    Comments, order and formatting are kept; the file is replaced atomically, and only if
    the result validates. An entry already on record is not added again.
    """
    from cheplan.cli.commands.output import require_utf8

    require_utf8(("--note", note), ("--by", by), ("--org", org))
    registers = chosen_registers(register, no_default_registers)
    entry = _entry(parse_status(status), note, on_date, by, revised_end, rag.value if rag else None)
    checked = None
    if org is not None:
        organisation, checked = _organisation(org.strip(), action_id, entry, plan, registers)
        entry = replace(entry, organisation=organisation)
    return record(action_id, entry, plan, registers, keep_status=status is None, checked=checked)


def record(
    action_id: int,
    entry: ProgressEntry,
    plan: Path | None,
    registers: list[Path] | None,
    *,
    keep_status: bool,
    checked: str | None = None,
) -> int:
    """Record `entry` on the action (without --status, at the status on record); say what the plan now holds.

    `checked`: the digest of the plan text the entry was checked against (refused if it changed)."""
    from cheplan.cli.commands.output import as_of_date
    from cheplan.editing.record import record_progress
    from cheplan.loading.locate import PLAN_ENV, resolve_plan

    if plan is None and not os.environ.get(PLAN_ENV):
        raise UsageError(
            "update writes to a plan file: name it with --plan FILE (or set CHEPLAN_PLAN);"
            " cheplan does not record progress in the copy of the plan it ships with"
        )
    outcome = record_progress(
        resolve_plan(plan),
        [(action_id, entry)],
        registers=registers,
        today=as_of_date(None),
        keep_status=keep_status,
        cache=True,
        expected_sha256=checked,
    )
    try:
        _report(outcome)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        # The plan is written: say so, so that nobody edits it by hand to "retry".
        done = "was updated" if outcome.written else "already held this entry"
        raise UsageError(
            f"{outcome.plan_name} {done}, but the report could not be written ({exc.strerror});"
            " running the same update again changes nothing"
        ) from None
    return EXIT_OK


def report_date(value: str | None) -> str:
    """`--date` as an ISO date; default today."""
    from cheplan.cli.commands.output import as_of_date, date_given

    return (as_of_date(None) if value is None else date_given("--date", value)).isoformat()


def _text_or_none(value: str | None) -> str | None:
    """Surrounding whitespace is noise from the shell; an empty value means none."""
    if value is None:
        return None
    return value.strip() or None


def parse_status(value: str | None) -> Status | None:
    """`--status` as the workbook reads it ("In Progress", "in-progress", any case), else a usage
    error with a did-you-mean."""
    if value is None:
        return None
    from cheplan.questions.return_cells import CellError, read_status

    try:
        return read_status(value)
    except CellError as exc:
        raise UsageError(f"--status: {exc}") from None


def _organisation(
    org: str, action_id: int, entry: ProgressEntry, plan: Path | None, registers: list[Path] | None
) -> tuple[str, str]:
    """`--org`: an organisation of the plan's directory, leading the action; a partner may not
    drop a shared action (that is the coordinator's or the board's decision). With the digest
    of the plan text it was checked against."""
    from cheplan.editing.one_action import read_action
    from cheplan.loading.locate import resolve_plan, resolve_registers
    from cheplan.questions.organisations import directory_of, organisations_of
    from cheplan.questions.returns import dropping_refused

    path, register_paths = resolve_plan(plan), resolve_registers(registers)
    found = read_action(path, action_id, register_paths)
    if not found.plan.organisations:  # a directory made from every action's leads: all are needed
        found = read_action(path, action_id, register_paths, whole=True)
    directory = directory_of(found.plan)
    if directory.get(org) is None:
        from cheplan.domain.words import suggestion

        ids = [o.id for o in directory.organisations]
        raise UsageError(f"--org: the plan has no organisation {org!r}{suggestion(org, ids)}")
    action = found.action
    leads = organisations_of(directory, action)
    if org not in leads:
        raise UsageError(f"--org: {org} does not lead action {action_id} (its leads: {', '.join(sorted(leads))})")
    if entry.status == "dropped" and len(leads) > 1:
        raise UsageError(dropping_refused(action_id))
    return org, found.text_sha256


def _entry(
    status: str | None, note: str | None, on_date: str | None, by: str | None, revised_end: str | None, rag: str | None
) -> ProgressEntry:
    """The entry the options ask for, or a usage error naming the option at fault."""
    from cheplan.domain.model import ProgressEntry
    from cheplan.domain.months import month_problem

    if status is None and revised_end is None and rag is None:
        raise UsageError("nothing to record: give --status, --revised-end or --rag")
    for option, value in (("--note", note), ("--by", by)):
        if value is not None and any("\udc80" <= char <= "\udcff" for char in value):
            raise UsageError(f"{option}: the text is not valid in this terminal's encoding (UTF-8 expected)")
    note = _text_or_none(note)
    if revised_end is not None:
        problem = month_problem(revised_end.strip())
        if problem is not None:
            raise UsageError(f"--revised-end: {problem}")
        if note is None:
            raise UsageError("--revised-end needs a --note saying who agreed the new end month, when and why")
        revised_end = revised_end.strip()
    if rag is not None and note is None:
        raise UsageError("--rag needs a --note giving the reason for the rating")
    # Without --status, the entry repeats the status on record on its date (record_progress's keep_status).
    return ProgressEntry(
        date=report_date(on_date),
        status=status or "not_reported",  # type: ignore[arg-type]  # checked by record_progress
        note=note or "",
        by=_text_or_none(by),
        revised_end=revised_end,
        rag=rag,  # type: ignore[arg-type]  # checked by record_progress
    )


def _report(outcome: RecordOutcome) -> None:
    """Diagnostics to stderr first, then the one line that says what the file now holds."""
    for problem in outcome.warnings:
        print(problem.as_text(), file=sys.stderr)
    for note in outcome.notes:
        print(f"cheplan: note: {note}", file=sys.stderr)
    for entry in outcome.entries:
        for note in entry.notes:
            print(f"cheplan: note: {note}", file=sys.stderr)
    for entry in outcome.entries:
        print(_summary(entry, outcome.plan_name))


def _summary(outcome: EntryOutcome, plan_name: str) -> str:
    from cheplan.domain.vocabulary import STATUS_LABELS

    entry = outcome.entry
    said = f"{STATUS_LABELS[entry.status]} as of {entry.date}"
    if entry.revised_end is not None:
        said += f", end revised to {entry.revised_end}"
    if entry.rag is not None:
        said += f", rated {entry.rag}"
    if not outcome.recorded:
        return f"Action {outcome.action_id}: {said} is already on record in {plan_name}; nothing changed."
    return f"Action {outcome.action_id}: {said}, recorded in {plan_name}."
