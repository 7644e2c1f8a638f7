"""`cheplan returns import FILE... --plan PLAN [--apply]`: what returned workbooks would record.

Order matters, and nothing is written unless everything is right: every file must be a
readable workbook (else exit 2), then every row of every workbook is checked and every
problem and conflict reported at its cell (any: exit 1), and only then, with --apply, are all
entries recorded by `record_progress` in one locked, validated, atomic write of the plan.
"""

from __future__ import annotations

import gc
import os
import sys
from datetime import date
from pathlib import Path

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS, error
from cheplan.cli.commands.output import as_of_date
from cheplan.domain.errors import UnreadableInputError, UsageError
from cheplan.domain.words import plural
from cheplan.loading.load import load_plan
from cheplan.loading.locate import PLAN_ENV, display_name, resolve_plan, resolve_registers
from cheplan.loading.workbook import Workbook, read_workbook
from cheplan.outputs.returns_report import ImportSummary, conflict_problem, json_report, text_report, visible
from cheplan.questions.organisations import directory_of
from cheplan.questions.returns import (
    META_SHEET,
    RETURN_SHEET,
    Batch,
    CellProblem,
    Proposed,
    WorkbookReview,
    plan_digest,
    review_workbook,
    row_cap,
)


def read_all(files: list[Path], max_rows: int) -> list[Workbook]:
    """Every workbook, or exit-2 errors for each one that cannot be read."""
    books, unreadable = [], []
    for path in files:
        try:
            books.append(read_workbook(path, display_name(path), (RETURN_SHEET, META_SHEET), max_rows))
        except UnreadableInputError as exc:
            unreadable.append(str(exc))
        # The run keeps the cyclic collector off (cli.app); openpyxl's reader leaves cycles,
        # so each workbook's would stay in memory until exit: collect them before the next.
        gc.collect(0)
    if unreadable:
        raise UnreadableInputError("\ncheplan: error: ".join(unreadable))
    return books


def all_problems(reviews: list[WorkbookReview]) -> list[CellProblem]:
    found: list[CellProblem] = []
    for review in reviews:
        found += review.problems
        found += [conflict_problem(review, row) for row in review.rows if row.outcome == "conflict"]
    return found


def run(
    *,
    files: list[Path],
    plan: Path | None,
    registers: list[Path] | None,
    apply: bool,
    force: bool,
    as_of: str | None,
    format_name: str,
) -> int:
    on = as_of_date(as_of)
    if apply and plan is None and not os.environ.get(PLAN_ENV):
        raise UsageError("--apply writes to a plan file: name it with --plan FILE (or set CHEPLAN_PLAN)")
    plan_path, register_paths = resolve_plan(plan), resolve_registers(registers)
    checked = _text_sha256(plan_path)  # before loading: a write after this is caught under the lock
    loaded = load_plan(plan_path, register_paths)
    books = read_all(files, row_cap(loaded.plan))  # the cap from the plan: whatever its export wrote fits
    directory = directory_of(loaded.plan)
    seen: Batch = {}
    digest = plan_digest(loaded.plan)
    reviews = [
        review_workbook(book, loaded.plan, directory, on, force=force, seen=seen, digest=digest) for book in books
    ]
    problems = all_problems(reviews)
    summary = ImportSummary(loaded.plan_name, apply, force)
    entries = [(row.action_id, row.entry) for r in reviews for row in r.rows if row.outcome == "record" and row.entry]
    if apply and entries and not problems:
        summary = ImportSummary(
            loaded.plan_name, apply, force, written=_record(plan_path, entries, register_paths, on, checked)
        )
    if format_name == "json":
        sys.stdout.write(json_report(reviews, summary, problems))
    else:
        sys.stdout.write(text_report(reviews, summary, len(problems)))
        for problem in problems:
            print(visible(problem.as_text()), file=sys.stderr)
    if problems:
        error(f"{plural(len(problems), 'problem')} in the returns; nothing recorded")
        return EXIT_PROBLEMS
    return EXIT_OK


def _text_sha256(plan_path: Path) -> str | None:
    from cheplan.editing.record import text_sha256

    try:
        return text_sha256(plan_path.read_bytes().decode("utf-8", "surrogateescape").removeprefix("\ufeff"))
    except OSError:
        return None  # load_plan says why it cannot be read


def _record(
    plan_path: Path, entries: list[tuple[int, Proposed]], registers: list[Path], on: date, checked: str | None
) -> bool:
    from cheplan.editing.record import record_progress
    from cheplan.editing.update import NewProgress

    new = [
        (action_id, NewProgress(date=e.date, status=e.status, note=e.note, by=e.by, revised_end=e.revised_end))
        for action_id, e in entries
    ]
    outcome = record_progress(plan_path, new, registers=registers, today=on, expected_sha256=checked)
    for warning in outcome.warnings:
        print(visible(warning.as_text()), file=sys.stderr)
    return outcome.written
