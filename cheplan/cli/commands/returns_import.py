"""`cheplan returns import FILE... --plan PLAN [--apply]`: what returned workbooks would record.

Order matters, and nothing is written unless everything is right: every file must be a
readable workbook (else exit 2), then every row of every workbook is checked and every
problem and conflict reported at its cell (any: exit 1), and only then, with --apply, are all
entries recorded by `record_progress` in one locked, validated, atomic write of the plan.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS, error
from cheplan.cli.commands.output import as_of_date
from cheplan.domain.errors import UnreadableInputError, UsageError
from cheplan.domain.indicators import IndicatorValue
from cheplan.domain.model import ProgressEntry
from cheplan.domain.safe_text import visible
from cheplan.domain.words import plural
from cheplan.loading.load import load_plan
from cheplan.loading.locate import PLAN_ENV, display_name, resolve_plan, resolve_registers
from cheplan.loading.workbook import Workbook, read_workbook
from cheplan.outputs.measures_import_formats import measures_text, with_measures_json
from cheplan.outputs.returns_import_formats import ImportSummary, conflict_problem, render_json, render_text
from cheplan.questions.measure_rows import MEASURES_SHEET, review_all_measures
from cheplan.questions.organisations import directory_of
from cheplan.questions.returns import (
    META_SHEET,
    RETURN_SHEET,
    Batch,
    CellProblem,
    WorkbookReview,
    plan_digest,
    review_workbook,
)


def read_all(files: list[Path]) -> list[Workbook]:
    """Every workbook, or exit-2 errors for each one that cannot be read."""
    books, unreadable = [], []
    for path in files:
        try:
            books.append(read_workbook(path, display_name(path), (RETURN_SHEET, META_SHEET, MEASURES_SHEET)))
        except UnreadableInputError as exc:
            unreadable.append(str(exc))
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
    books = read_all(files)
    checked = _text_sha256(plan_path)  # before loading: a write after this is caught under the lock
    loaded = load_plan(plan_path, register_paths)
    directory = directory_of(loaded.plan)
    seen: Batch = {}
    digest = plan_digest(loaded.plan)
    reviews = [
        review_workbook(book, loaded.plan, directory, on, force=force, seen=seen, digest=digest) for book in books
    ]
    measures = review_all_measures(books, [r.organisation_id for r in reviews], loaded.plan, on)
    problems = all_problems(reviews) + [p for m in measures for p in m.problems]
    summary = ImportSummary(loaded.plan_name, apply, force)
    entries = [(row.action_id, row.entry) for r in reviews for row in r.rows if row.outcome == "record" and row.entry]
    values = [(indicator_id, value) for m in measures for indicator_id, value, _ in m.values]
    if apply and (entries or values) and not problems:
        written = bool(entries) and _record(plan_path, entries, register_paths, on, checked)
        written = _record_values(plan_path, values, register_paths, None if entries else checked) or written
        summary = ImportSummary(loaded.plan_name, apply, force, written=written)
    if format_name == "json":
        sys.stdout.write(with_measures_json(render_json(reviews, summary, problems), measures))
    else:
        sys.stdout.write(measures_text(measures, written=summary.written))
        sys.stdout.write(render_text(reviews, summary, len(problems)))
        for problem in problems:
            print(visible(problem.as_text()), file=sys.stderr)
    if problems:
        error(f"{plural(len(problems), 'problem')} in the returns; nothing recorded")
        return EXIT_PROBLEMS
    return EXIT_OK


def _text_sha256(plan_path: Path) -> str | None:
    from cheplan.domain.errors import UnreadableInputError
    from cheplan.domain.filesystem.reading import read_regular
    from cheplan.editing.record import text_sha256

    try:
        raw = read_regular(plan_path, str(plan_path))
    except UnreadableInputError:
        return None  # load_plan says why it cannot be read
    return text_sha256(raw.decode("utf-8", "surrogateescape").removeprefix("\ufeff"))


def _record(
    plan_path: Path, entries: list[tuple[int, ProgressEntry]], registers: list[Path], on: date, checked: str | None
) -> bool:
    from cheplan.editing.record import record_progress

    outcome = record_progress(plan_path, entries, registers=registers, today=on, expected_sha256=checked)
    for warning in outcome.warnings:
        print(visible(warning.as_text()), file=sys.stderr)
    return outcome.written


def _record_values(
    plan_path: Path, values: list[tuple[str, IndicatorValue]], registers: list[Path], checked: str | None
) -> bool:
    """The Measures sheets' values, through the writer `cheplan measure` uses."""
    if not values:
        return False
    from cheplan.editing.indicator_values import record_values

    outcome = record_values(plan_path, values, registers=registers, expected_sha256=checked)
    for warning in outcome.warnings:
        print(visible(warning.as_text()), file=sys.stderr)
    return outcome.written
