"""`cheplan returns import FILE... --plan PLAN [--apply]`: what returned workbooks would record.

Everything is told in one run: a file that cannot be read is reported (exit 2) and the others
are still checked, every row's problems and every conflict are reported at their cells
(exit 1), and only when there are none, with --apply, are all entries recorded by
`record_progress` in one locked, validated, atomic write of the plan.
"""

from __future__ import annotations

import gc
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, error
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

_CONVERTIBLE = (".ods", ".xls", ".xlsm", ".fods", ".csv")
FORCE_HELP = "Record the conflicting rows of these actions anyway, as dated entries (e.g. --force 7,38)."

if TYPE_CHECKING:
    from cheplan.domain.model import Plan
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
    force: Annotated[Optional[str], typer.Option("--force", metavar="IDS", help=FORCE_HELP, show_default=False)] = None,
    as_of: AsOfOption = None,
    format_name: Annotated[ReturnsFormat, FORMAT] = ReturnsFormat.text,
    accept_other_plan: Annotated[
        bool, typer.Option("--accept-other-plan", help="Import workbooks exported from a plan with another title.")
    ] = False,
) -> int:
    """Show what returned workbooks would record; with --apply, record it all or nothing.

    Problems are reported at FILE!SHEET!CELL, all in one run. Exit 0 when clean, 1 on any
    problem or conflict (nothing written), 2 when a file cannot be read as a workbook (the
    others are still checked).
    """
    from cheplan.cli.commands.output import as_of_date
    from cheplan.cli.commands.returns_import_writes import record_all
    from cheplan.domain.words import plural
    from cheplan.editing.rounds import returns_received
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import PLAN_ENV, resolve_plan, resolve_registers
    from cheplan.outputs.returns_import_formats import ImportSummary
    from cheplan.questions.organisations import directory_of
    from cheplan.questions.return_round import not_returned

    on = as_of_date(as_of)
    forced = parse_force(force)
    if apply and plan is None and not os.environ.get(PLAN_ENV):
        raise UsageError("--apply writes to a plan file: name it with --plan FILE (or set CHEPLAN_PLAN)")
    plan_path = resolve_plan(plan)
    register_paths = resolve_registers(chosen_registers(register, no_default_registers))
    plan_text = _plan_text(plan_path)  # before loading: a write after this is caught under the lock
    loaded = load_plan(plan_path, register_paths, cache=True)
    reviews, unreadable = review_all(files, loaded.plan, on, force=forced, accept_other=accept_other_plan)
    measures = [] if unreadable else review_measure_sheets(files, reviews, loaded.plan, on)
    problems = unreadable + all_problems(reviews, plan_text or "") + [p for m in measures for p in m.problems]
    missing = tuple(not_returned(loaded.plan, directory_of(loaded.plan), reviews, on))
    rounds = _rounds(loaded.plan.rounds, reviews)
    entries = [(row.action_id, row.entry) for r in reviews for row in r.rows if row.outcome == "record" and row.entry]
    values = [(indicator_id, value) for m in measures for indicator_id, value, _ in m.values]
    plan_name, known_values = loaded.plan_name, loaded.values
    del loaded  # one plan in memory at a time: the write validates the plan with the entries
    written = bool(apply and not problems) and record_all(
        plan_path, entries, returns_received(rounds, on), values, register_paths, on, plan_text, known_values
    )
    summary = ImportSummary(plan_name, apply, bool(forced), written=written, missing=missing, rounds=rounds)
    sys.stdout.write(_rendered(format_name, reviews, summary, problems, measures))
    if format_name != ReturnsFormat.json:
        _tell(reviews, problems)
    if problems:
        error(f"{plural(len(problems), 'problem')} in the returns; nothing recorded")
        return EXIT_USAGE if unreadable else EXIT_PROBLEMS
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


def _tell(reviews: list[WorkbookReview], problems: list[CellProblem]) -> None:
    """The warnings and problems on stderr, one a line (shown, never obeyed by a terminal)."""
    from cheplan.domain.safe_text import visible

    for warning in (w for review in reviews for w in review.warnings):
        print(f"{visible(warning.as_text())} (warning)", file=sys.stderr)
    for problem in problems:
        print(visible(problem.as_text()), file=sys.stderr)


def parse_force(value: str | None) -> frozenset[int]:
    """`--force 7,38`: the actions whose conflicting rows are recorded anyway."""
    if value is None:
        return frozenset()
    try:
        ids = frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
    except ValueError:
        ids = frozenset()
    if not ids or min(ids) < 1:
        raise UsageError(f"--force: {value!r} is not a list of action IDs; name them, e.g. --force 7,38")
    return ids


def _unreadable(path: Path, name: str, message: str) -> CellProblem:
    """A file that cannot be read, as a problem; an .ods or .xls with the command that converts it."""
    import shlex

    from cheplan.questions.returns import CellProblem

    message = message.removeprefix(f"{name}: ")
    if path.suffix.casefold() in _CONVERTIBLE or "OpenDocument" in message or "old-format" in message:
        message += f"; convert it with LibreOffice: soffice --headless --convert-to xlsx {shlex.quote(str(path))}"
    return CellProblem(name, "", "", message)


def review_all(
    files: list[Path], plan: Plan, on: date, *, force: frozenset[int], accept_other: bool = False
) -> tuple[list[WorkbookReview], list[CellProblem]]:
    """Every readable workbook's review, and a problem for each file that cannot be read (the
    others are still checked).

    Each workbook is reviewed as soon as it is read and its cells let go, so an import's memory
    is one workbook's cells plus what the reviews keep: the entries, whose text is bounded by
    the bytes all the workbooks inflate to (MAX_IMPORT_BYTES).
    """
    from cheplan.loading.locate import display_name
    from cheplan.loading.returns_key import returns_key
    from cheplan.loading.workbook import MAX_IMPORT_BYTES, MAX_IMPORT_FILES, read_workbook
    from cheplan.questions.organisations import directory_of
    from cheplan.questions.plan_digest import plan_digest
    from cheplan.questions.returns import META_SHEET, RETURN_SHEET, Batch, review_workbook, row_cap

    if len(files) > MAX_IMPORT_FILES:
        raise UsageError(
            f"{len(files):,} workbooks in one import (at most {MAX_IMPORT_FILES}); a quarter's returns are one"
            " per organisation"
        )
    key = returns_key(create=False)
    directory, digest = directory_of(plan), plan_digest(plan)
    seen: Batch = {}
    reviews: list[WorkbookReview] = []
    unreadable: list[CellProblem] = []
    inflated = 0
    max_rows = row_cap(plan)  # from the plan: whatever its export wrote fits
    for path in files:
        name = display_name(path)
        gc.collect(0)  # the collector is off (cli.app): the last workbook's openpyxl cycles, let go
        try:
            book = read_workbook(path, name, (RETURN_SHEET, META_SHEET), max_rows)
        except UnreadableInputError as exc:
            unreadable.append(_unreadable(path, name, str(exc)))
            continue
        inflated += book.inflated_bytes
        if inflated > MAX_IMPORT_BYTES:
            message = (
                f"the workbooks up to this one inflate to {inflated:,} bytes (at most {MAX_IMPORT_BYTES:,} in one"
                " import); import the rest separately"
            )
            unreadable.append(_unreadable(path, name, message))
            break
        review = review_workbook(
            book, plan, directory, on, force=force, seen=seen, key=key, digest=digest, accept_other_plan=accept_other
        )
        reviews.append(review)
    return reviews, unreadable


def review_measure_sheets(
    files: list[Path], reviews: list[WorkbookReview], plan: Plan, on: date
) -> list[MeasuresReview]:
    """The Measures sheet (indicator values) of each workbook from an organisation that owns indicators.

    A second, bounded read of each such file (the same checks, only the hidden and Measures
    sheets), so that the Return sheet's one-workbook-at-a-time review stays as it is.
    """
    from cheplan.loading.locate import display_name
    from cheplan.loading.workbook import read_workbook
    from cheplan.questions.measure_rows import MEASURES_SHEET, review_measures
    from cheplan.questions.returns import META_SHEET

    seen: dict[tuple[str, str], str] = {}  # (indicator, period) -> the figure an earlier workbook gave
    found: list[MeasuresReview] = []
    owners = {indicator.owner for indicator in plan.indicators}
    organisation = {review.file: review.organisation_id for review in reviews}
    for path in files:
        name = display_name(path)
        if organisation.get(name) not in owners:
            continue  # unread, or it owns no indicator: no Measures sheet worth reading
        book = read_workbook(path, name, (META_SHEET, MEASURES_SHEET))
        if MEASURES_SHEET in book.sheets:
            found.append(review_measures(book, plan, organisation[name], on, seen))
    return found


def all_problems(reviews: list[WorkbookReview], plan_text: str) -> list[CellProblem]:
    from cheplan.outputs.returns_import_formats import conflict_problem

    found: list[CellProblem] = []
    for review in reviews:
        found += review.problems
        found += [conflict_problem(review, row, plan_text) for row in review.rows if row.outcome == "conflict"]
    return found


def _rounds(rounds: list[ReturnsRound], reviews: list[WorkbookReview]) -> tuple[RoundReturns, ...]:
    from cheplan.questions.rounds import returns_by_round

    imported = [(r.round_id, r.organisation_id) for r in reviews if r.round_id and r.organisation_id]
    return tuple(returns_by_round(rounds, imported))


def _plan_text(plan_path: Path) -> str | None:
    from cheplan.domain.filesystem.reading import read_regular

    try:
        raw = read_regular(plan_path, str(plan_path))
    except UnreadableInputError:
        return None  # load_plan says why it cannot be read
    return raw.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
