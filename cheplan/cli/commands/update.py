"""`cheplan update ID --status S`: record dated progress in the plan file without hand-editing YAML.

Order matters: usage errors first, then the plan as it is must be valid, then the edited
text must validate (and read back as the entry asked for) before the file is replaced.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import as_of_date, require_utf8
from cheplan.domain.errors import InvalidPlanError, UsageError, WriteRefusedError
from cheplan.domain.fields import STATUS_LABELS
from cheplan.domain.months import parse_date
from cheplan.domain.problems import Problem
from cheplan.editing.update import NewProgress, add_progress, exclusive, starts_with_bom, write_atomically
from cheplan.loading import cache
from cheplan.loading.load import Source, Validation, validate_sources
from cheplan.loading.locate import PLAN_ENV, resolve_plan, resolve_registers
from cheplan.questions.actions import require_action


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


def run(
    *,
    action_id: int,
    status: str,
    note: str | None,
    on_date: str | None,
    by: str | None,
    plan: Path | None,
    registers: list[Path] | None,
) -> int:
    require_utf8(("--note", note), ("--by", by))
    entry = NewProgress(date=report_date(on_date), status=status, note=_text_or_none(note), by=_text_or_none(by))
    if plan is None and not os.environ.get(PLAN_ENV):
        raise UsageError(
            "update writes to a plan file: name it with --plan FILE (or set CHEPLAN_PLAN);"
            " cheplan does not record progress in the copy of the plan it ships with"
        )
    plan_path = resolve_plan(plan)
    with exclusive(plan_path):
        return _record(plan_path, action_id, entry, status, registers)


def _record(plan_path: Path, action_id: int, entry: NewProgress, status: str, registers: list[Path] | None) -> int:
    source = Source.read(plan_path)
    register_sources = [Source.read(path) for path in resolve_registers(registers)]
    before = validate_sources(source, register_sources)
    if not before.ok or before.plan is None:
        raise InvalidPlanError(before.errors)
    action = require_action(before.plan, action_id, source.name)

    latest = action.latest_progress
    # The latest-dated entry sets the status; on the same date the new entry, written last, wins.
    superseded_by = latest if latest is not None and latest.date > entry.date else None
    status_after = superseded_by.status if superseded_by else entry.status
    edited = add_progress(source.text, action_id, entry, name=source.name, status_after=status_after)
    after = validate_sources(Source(edited, source.name), register_sources)
    if not after.ok:
        raise WriteRefusedError(
            f"{source.name} not changed: this update would make the plan invalid"
            " (the positions above are in the text as it would have been written)",
            after.errors,
        )
    _check_reads_back(after, action_id, entry, source.name)
    write_atomically(plan_path, edited, name=source.name, bom=starts_with_bom(plan_path))
    cache.remember_valid(cache.content_key([edited, *(s.text for s in register_sources)]), after.documents)

    for problem in _new_warnings(before, after):
        print(problem.as_text(), file=sys.stderr)
    if superseded_by is not None:
        print(
            f"cheplan: note: the entry of {superseded_by.date} is later;"
            f" action {action_id} stays {STATUS_LABELS[status_after]}",
            file=sys.stderr,
        )
    print(f"Action {action_id}: {STATUS_LABELS[status]} as of {entry.date}, recorded in {source.name}.")
    return EXIT_OK


def _check_reads_back(after: Validation, action_id: int, entry: NewProgress, name: str) -> None:
    """The file must say exactly what was asked: a guard against any formatting surprise."""
    action = after.plan.action(action_id) if after.plan else None
    written = action.progress[-1] if action and action.progress else None
    wanted = (entry.date, entry.status, entry.note or "", entry.by)
    if written is None or (written.date, written.status, written.note, written.by) != wanted:
        raise WriteRefusedError(f"{name} not changed: the new entry would not read back as given", [])


def _new_warnings(before: Validation, after: Validation) -> list[Problem]:
    """Warnings the edit introduced (e.g. an entry dated before the previous one)."""
    seen = {(p.code, p.message) for p in before.warnings}
    return [p for p in after.warnings if (p.code, p.message) not in seen]
