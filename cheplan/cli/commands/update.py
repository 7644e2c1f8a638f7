"""`cheplan update ID --status S`: record dated progress in the plan file without hand-editing YAML.

A thin layer over :func:`cheplan.editing.record.record_progress`: it turns the options into
an entry, and prints what the outcome says. Usage errors come first, before the plan is read.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import as_of_date, require_utf8
from cheplan.domain.errors import UsageError
from cheplan.domain.model import ProgressEntry
from cheplan.domain.months import month_problem, parse_date
from cheplan.domain.vocabulary import STATUS_LABELS
from cheplan.editing.record import EntryOutcome, RecordOutcome, record_progress
from cheplan.loading.locate import PLAN_ENV, resolve_plan


def report_date(value: str | None) -> str:
    """`--date` as an ISO date; default today."""
    if value is None:
        return as_of_date(None).isoformat()
    try:
        return parse_date(value).isoformat()
    except ValueError as exc:
        raise UsageError(f"--date: {exc}") from None


def _text_or_none(value: str | None) -> str | None:
    """Surrounding whitespace is noise from the shell; an empty value means none."""
    if value is None:
        return None
    return value.strip() or None


def _entry(
    status: str | None, note: str | None, on_date: str | None, by: str | None, revised_end: str | None, rag: str | None
) -> ProgressEntry:
    """The entry the options ask for, or a usage error naming the option at fault."""
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


def run(
    *,
    action_id: int,
    status: str | None,
    note: str | None,
    on_date: str | None,
    by: str | None,
    plan: Path | None,
    registers: list[Path] | None,
    revised_end: str | None = None,
    rag: str | None = None,
) -> int:
    require_utf8(("--note", note), ("--by", by))
    entry = _entry(status, note, on_date, by, revised_end, rag)
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
        keep_status=status is None,
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
    entry = outcome.entry
    said = f"{STATUS_LABELS[entry.status]} as of {entry.date}"
    if entry.revised_end is not None:
        said += f", end revised to {entry.revised_end}"
    if entry.rag is not None:
        said += f", rated {entry.rag}"
    if not outcome.recorded:
        return f"Action {outcome.action_id}: {said} is already on record in {plan_name}; nothing changed."
    return f"Action {outcome.action_id}: {said}, recorded in {plan_name}."
