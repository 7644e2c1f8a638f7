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
from typing import TYPE_CHECKING, Annotated

import typer

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS, error
from cheplan.cli.options import (
    FORMAT,
    AsOfOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    chosen_registers,
)
from cheplan.domain.errors import UnreadableInputError, UsageError
from cheplan.outputs.formats import ReturnsFormat

if TYPE_CHECKING:
    from cheplan.domain.indicators import IndicatorValue
    from cheplan.domain.model import Plan, ProgressEntry
    from cheplan.domain.rounds import ReturnsRound
    from cheplan.outputs.returns_import_formats import ImportSummary
    from cheplan.questions.measure_rows import MeasuresReview
    from cheplan.questions.returns import CellProblem, WorkbookReview
    from cheplan.questions.rounds import RoundReturns


def returns_import(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Returned workbooks (.xlsx), one or more.")],
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    apply: Annotated[bool, typer.Option("--apply", help="Record the entries (one atomic write of the plan).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Record conflicting rows anyway, as dated entries.")] = False,
    as_of: AsOfOption = None,
    format_name: Annotated[ReturnsFormat, FORMAT] = ReturnsFormat.text,
    accept_other_plan: Annotated[
        bool, typer.Option("--accept-other-plan", help="Import workbooks exported from a plan with another title.")
    ] = False,
) -> int:
    """Show what returned workbooks would record; with --apply, record it all or nothing.

    Problems are reported at FILE!SHEET!CELL. Exit 0 when clean, 1 on any problem or conflict
    (nothing written), 2 when a file cannot be read as a workbook.
    """
    from cheplan.cli.commands.output import as_of_date
    from cheplan.domain.safe_text import visible
    from cheplan.domain.words import plural
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import PLAN_ENV, resolve_plan, resolve_registers
    from cheplan.outputs.returns_import_formats import ImportSummary

    on = as_of_date(as_of)
    if apply and plan is None and not os.environ.get(PLAN_ENV):
        raise UsageError("--apply writes to a plan file: name it with --plan FILE (or set CHEPLAN_PLAN)")
    plan_path = resolve_plan(plan)
    register_paths = resolve_registers(chosen_registers(register, no_default_registers))
    checked = _text_sha256(plan_path)  # before loading: a write after this is caught under the lock
    loaded = load_plan(plan_path, register_paths, cache=True)
    reviews = review_all(files, loaded.plan, on, force=force, accept_other=accept_other_plan)
    measures = review_measure_sheets(files, reviews, loaded.plan, on)
    problems = all_problems(reviews) + [p for m in measures for p in m.problems]
    rounds = _rounds(loaded.plan.rounds, reviews)
    summary = ImportSummary(loaded.plan_name, apply, force, rounds=rounds)
    entries = [(row.action_id, row.entry) for r in reviews for row in r.rows if row.outcome == "record" and row.entry]
    values = [(indicator_id, value) for m in measures for indicator_id, value, _ in m.values]
    if apply and (entries or values) and not problems:
        written = bool(entries) and _record(plan_path, entries, register_paths, on, checked)
        written = _record_values(plan_path, values, register_paths, None if entries else checked) or written
        summary = ImportSummary(loaded.plan_name, apply, force, written=written, rounds=rounds)
    if apply and not problems:
        _record_returns(plan_path, rounds, register_paths, on)
    sys.stdout.write(_rendered(format_name, reviews, summary, problems, measures))
    if format_name != ReturnsFormat.json:
        for problem in problems:
            print(visible(problem.as_text()), file=sys.stderr)
    if problems:
        error(f"{plural(len(problems), 'problem')} in the returns; nothing recorded")
        return EXIT_PROBLEMS
    return EXIT_OK


def _rendered(
    format_name: str,
    reviews: list[WorkbookReview],
    summary: ImportSummary,
    problems: list[CellProblem],
    measures: list[MeasuresReview],
) -> str:
    """The import's report: the Return sheets' (in the chosen format), with the Measures sheets' values."""
    from cheplan.outputs.formats import renderer
    from cheplan.outputs.measures_import_formats import measures_text, with_measures_json

    rendered: str = renderer(format_name)(reviews, summary, problems)
    if format_name == ReturnsFormat.json:
        return with_measures_json(rendered, measures)
    return measures_text(measures, written=summary.written) + rendered


def review_all(
    files: list[Path], plan: Plan, on: date, *, force: bool, accept_other: bool = False
) -> list[WorkbookReview]:
    """Every workbook's review, or exit-2 errors for each one that cannot be read.

    Each workbook is reviewed as soon as it is read and its cells let go, so an import's memory
    is one workbook's cells plus what the reviews keep: the entries, whose text is bounded by
    the bytes all the workbooks inflate to (MAX_IMPORT_BYTES).
    """
    from cheplan.loading.locate import display_name
    from cheplan.loading.returns_key import returns_key
    from cheplan.loading.workbook import MAX_IMPORT_BYTES, MAX_IMPORT_FILES, read_workbook
    from cheplan.questions.organisations import directory_of
    from cheplan.questions.returns import META_SHEET, RETURN_SHEET, Batch, plan_digest, review_workbook, row_cap

    if len(files) > MAX_IMPORT_FILES:
        raise UsageError(
            f"{len(files):,} workbooks in one import (at most {MAX_IMPORT_FILES}); a quarter's returns are one"
            " per organisation"
        )
    key = returns_key(create=False)
    directory, digest = directory_of(plan), plan_digest(plan)
    seen: Batch = {}
    reviews: list[WorkbookReview] = []
    unreadable: list[str] = []
    inflated = 0
    max_rows = row_cap(plan)  # from the plan: whatever its export wrote fits
    for path in files:
        gc.collect(0)  # the collector is off (cli.app): the last workbook's openpyxl cycles, let go
        try:
            book = read_workbook(path, display_name(path), (RETURN_SHEET, META_SHEET), max_rows)
        except UnreadableInputError as exc:
            unreadable.append(str(exc))
            continue
        inflated += book.inflated_bytes
        if inflated > MAX_IMPORT_BYTES:
            unreadable.append(
                f"{book.name}: the workbooks up to this one inflate to {inflated:,} bytes (at most"
                f" {MAX_IMPORT_BYTES:,} in one import); import the rest separately"
            )
            break
        if not unreadable:
            review = review_workbook(
                book,
                plan,
                directory,
                on,
                force=force,
                seen=seen,
                key=key,
                digest=digest,
                accept_other_plan=accept_other,
            )
            reviews.append(review)
    if unreadable:
        for message in unreadable[:-1]:
            error(message)  # each on its own line: a line feed inside one message is shown as \n
        raise UnreadableInputError(unreadable[-1])
    return reviews


def review_measure_sheets(
    files: list[Path], reviews: list[WorkbookReview], plan: Plan, on: date
) -> list[MeasuresReview]:
    """The Measures sheet (indicator values) of each workbook from an organisation that owns indicators.

    A second, bounded read of each file (the same checks, only the hidden and Measures sheets),
    so that the Return sheet's one-workbook-at-a-time review stays as it is; `review_all` has
    already refused any file that cannot be read, so `reviews` are the files in order.
    """
    from cheplan.loading.locate import display_name
    from cheplan.loading.workbook import read_workbook
    from cheplan.questions.measure_rows import MEASURES_SHEET, review_measures
    from cheplan.questions.returns import META_SHEET

    seen: dict[tuple[str, str], str] = {}  # (indicator, period) -> the figure an earlier workbook gave
    found: list[MeasuresReview] = []
    owners = {indicator.owner for indicator in plan.indicators}
    for path, review in zip(files, reviews, strict=True):
        if review.organisation_id not in owners:
            continue  # it owns no indicator: its workbook has no Measures sheet worth reading
        book = read_workbook(path, display_name(path), (META_SHEET, MEASURES_SHEET))
        if MEASURES_SHEET in book.sheets:
            found.append(review_measures(book, plan, review.organisation_id, on, seen))
    return found


def all_problems(reviews: list[WorkbookReview]) -> list[CellProblem]:
    from cheplan.outputs.returns_import_formats import conflict_problem

    found: list[CellProblem] = []
    for review in reviews:
        found += review.problems
        found += [conflict_problem(review, row) for row in review.rows if row.outcome == "conflict"]
    return found


def _rounds(rounds: list[ReturnsRound], reviews: list[WorkbookReview]) -> tuple[RoundReturns, ...]:
    from cheplan.questions.rounds import returns_by_round

    imported = [(r.round_id, r.organisation_id) for r in reviews if r.round_id and r.organisation_id]
    return tuple(returns_by_round(rounds, imported))


def _record_returns(plan_path: Path, rounds: tuple[RoundReturns, ...], registers: list[Path], on: date) -> None:
    """Each round in the plan records the organisations whose returns this import brings."""
    from cheplan.domain.rounds import ReturnReceived
    from cheplan.editing.rounds import RoundChange, record_round

    for found in rounds:
        if found.in_plan and found.importing:
            received = tuple(ReturnReceived(organisation=o, date=on.isoformat()) for o in found.importing)
            record_round(plan_path, RoundChange(found.round_id, returned=received), registers=registers)


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
    from cheplan.domain.safe_text import visible
    from cheplan.editing.record import record_progress

    outcome = record_progress(plan_path, entries, registers=registers, today=on, expected_sha256=checked, cache=True)
    for warning in outcome.warnings:
        print(visible(warning.as_text()), file=sys.stderr)
    return outcome.written


def _record_values(
    plan_path: Path, values: list[tuple[str, IndicatorValue]], registers: list[Path], checked: str | None
) -> bool:
    """The Measures sheets' values, through the writer `cheplan measure` uses."""
    if not values:
        return False
    from cheplan.domain.safe_text import visible
    from cheplan.editing.indicator_values import record_values

    outcome = record_values(plan_path, values, registers=registers, expected_sha256=checked, cache=True)
    for warning in outcome.warnings:
        print(visible(warning.as_text()), file=sys.stderr)
    return outcome.written
