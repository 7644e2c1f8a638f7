"""`cheplan trace`: every recommendation, the actions implementing it, their state, and the gaps.

Unlike the other queries, trace reads a plan that fails cross-checks: an action citing a
recommendation the register does not hold is exactly what it must show, not hide. Only a plan
(or register) that cannot be read as one at all stops it.
"""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS, print_problems
from cheplan.cli.options import (
    AsOfOption,
    FormatOption,
    LimitOption,
    NoDefaultRegistersOption,
    PlansOption,
    RegisterOption,
    chosen_registers,
)
from cheplan.domain.errors import UsageError
from cheplan.outputs.formats import ListingFormat

if TYPE_CHECKING:
    from cheplan.domain.model import Plan
    from cheplan.domain.problems import Problem
    from cheplan.domain.register import Register
    from cheplan.questions.trace import Trace


def trace(
    recommendation_id: Annotated[
        Optional[str],
        typer.Argument(
            metavar="[RECOMMENDATION]", help="Show one recommendation in full, e.g. SELR-5.", show_default=False
        ),
    ] = None,
    plan: PlansOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    source: Annotated[
        Optional[str],
        typer.Option(
            "--source", metavar="CODE", help="Only this register's recommendations, e.g. SELR.", show_default=False
        ),
    ] = None,
    as_of: AsOfOption = None,
    uncovered: Annotated[bool, typer.Option("--uncovered", help="Only recommendations no action implements.")] = False,
    fail_under: Annotated[
        Optional[float],
        typer.Option(
            "--fail-under",
            metavar="PCT",
            min=0,
            max=100,
            help="Exit 1 when coverage is below PCT percent.",
            show_default=False,
        ),
    ] = None,
    format_name: FormatOption = ListingFormat.table,
    limit: LimitOption = None,
) -> int:
    """Every recommendation, the actions implementing it, their state, and what is not covered.

    States: not covered, dropped (every citing action dropped), overdue, delivered, in progress,
    planned. Exit 1 when the plan has problems (shown, not hidden) or coverage is under --fail-under."""
    from cheplan.cli.commands.across import one_plan, trace_across_years
    from cheplan.cli.commands.output import as_of_date, emit
    from cheplan.loading.load import load_leniently
    from cheplan.loading.locate import resolve_plan, resolve_registers
    from cheplan.outputs.trace_listings import trace_listing
    from cheplan.questions.organisations import directory_of
    from cheplan.questions.trace import build_trace

    if fail_under is not None and not math.isfinite(fail_under):
        raise UsageError(f"--fail-under must be a percentage from 0 to 100, not {fail_under}")
    when = as_of_date(as_of)
    paths = resolve_registers(chosen_registers(register, no_default_registers))
    if plan and len(plan) > 1:
        return trace_across_years(plan, paths, when, format_name, uncovered, recommendation_id, source, fail_under)
    loaded_plan, loaded_registers, problems = load_leniently(resolve_plan(one_plan(plan)), paths, cache=True)
    source_code = chosen_source(source, loaded_registers)
    traced = build_trace(loaded_plan, loaded_registers, when, source=source_code)
    if recommendation_id is not None:
        _emit_one(traced, recommendation_id, loaded_plan, loaded_registers, format_name)
    else:
        listing = trace_listing(traced, uncovered_only=uncovered, directory=directory_of(loaded_plan))
        emit(listing, format_name, limit=limit)
    return _verdict(problems, traced, fail_under)


def _emit_one(
    traced: Trace, recommendation_id: str, plan: Plan, registers: list[Register], format_name: ListingFormat
) -> None:
    """One recommendation in full."""
    from cheplan.cli.commands.output import emit
    from cheplan.outputs.recommendation_listing import recommendation_detail_listing
    from cheplan.questions.organisations import directory_of
    from cheplan.questions.trace import find_recommendation

    item = find_recommendation(traced, recommendation_id, plan, registers)
    emit(recommendation_detail_listing(traced, item, directory_of(plan)), format_name)


def _verdict(problems: list[Problem], traced: Trace, fail_under: float | None) -> int:
    """Exit 1, saying why, when the plan has problems or coverage is under --fail-under."""
    failed = False
    if problems:
        print_problems(problems)
        count = len(problems)
        print(
            f"cheplan: {count} problem{'s' if count != 1 else ''} in the plan or registers"
            " (traced anyway, so the output shows them; run `cheplan validate` for details)",
            file=sys.stderr,
        )
        failed = True
    if fail_under is not None and traced.below(fail_under):
        print(
            f"cheplan: coverage {traced.percent:.1f} % ({traced.covered} of {traced.total}) is below --fail-under"
            f" {fail_under:g} %",
            file=sys.stderr,
        )
        failed = True
    return EXIT_PROBLEMS if failed else EXIT_OK


def chosen_source(source: str | None, registers: list[Register]) -> str | None:
    """The --source code as a loaded register spells it (any case accepted)."""
    from cheplan.questions.trace import unique_registers

    if source is None:
        return None
    codes = [r.source.code for r in unique_registers(registers)]
    match = next((code for code in codes if code.casefold() == source.strip().casefold()), None)
    if match is None:
        raise UsageError(
            f"--source {source!r}: no register for it is loaded (loaded: {', '.join(codes) or 'none'});"
            " add one with --register FILE"
        )
    return match
