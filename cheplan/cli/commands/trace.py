"""`cheplan trace`: every recommendation, the actions implementing it, their state, and the gaps.

Unlike the other queries, trace reads a plan that fails cross-checks: an action citing a
recommendation the register does not hold is exactly what it must show, not hide. Only a plan
(or register) that cannot be read as one at all stops it.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS, print_problems
from cheplan.cli.options import (
    AsOfOption,
    FormatOption,
    LimitOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    chosen_registers,
)
from cheplan.domain.errors import InvalidPlanError, UsageError
from cheplan.outputs.formats import ListingFormat

if TYPE_CHECKING:
    from cheplan.domain.model import Plan
    from cheplan.domain.problems import Problem
    from cheplan.domain.register import Register
    from cheplan.questions.trace import RecommendationTrace, Trace


def trace(
    recommendation_id: Annotated[
        Optional[str],
        typer.Argument(
            metavar="[RECOMMENDATION]", help="Show one recommendation in full, e.g. SELR-5.", show_default=False
        ),
    ] = None,
    plan: PlanOption = None,
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
    planned. Exit 1 when the plan has problems (shown, not hidden) or coverage is under --fail-under.
    """
    from cheplan.cli.commands.output import as_of_date, emit
    from cheplan.loading.locate import resolve_plan, resolve_registers
    from cheplan.outputs.trace_listings import recommendation_detail_listing, trace_listing
    from cheplan.questions.organisations import directory_of
    from cheplan.questions.trace import build_trace

    if fail_under is not None and not math.isfinite(fail_under):
        raise UsageError(f"--fail-under must be a percentage from 0 to 100, not {fail_under}")
    when = as_of_date(as_of)
    register_paths = resolve_registers(chosen_registers(register, no_default_registers))
    loaded_plan, loaded_registers, problems = load_leniently(resolve_plan(plan), register_paths)
    source_code = chosen_source(source, loaded_registers)
    traced = build_trace(loaded_plan, loaded_registers, when, source=source_code)
    if recommendation_id is not None:
        item = find_recommendation(traced, recommendation_id, loaded_plan, loaded_registers)
        emit(recommendation_detail_listing(traced, item, directory_of(loaded_plan)), format_name)
    else:
        listing = trace_listing(traced, uncovered_only=uncovered, directory=directory_of(loaded_plan))
        emit(listing, format_name, limit=limit)
    return _verdict(problems, traced, fail_under)


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


def load_leniently(plan_path: Path, register_paths: list[Path]) -> tuple[Plan, list[Register], list[Problem]]:
    """The plan and registers, with the cross-check errors found rather than raised.

    A valid plan takes the fast (cached) path; only a plan that fails is validated again in full.
    """
    from cheplan.loading.load import load_plan, validate_paths

    try:
        loaded = load_plan(plan_path, register_paths, cache=True)
    except InvalidPlanError:
        pass
    else:
        return loaded.plan, loaded.registers, []
    validation = validate_paths(plan_path, register_paths, cache=True)
    # A register that fails its schema would silently drop out and its references look unchecked.
    if validation.plan is None or len(validation.registers) != len(register_paths):
        raise InvalidPlanError(validation.errors)
    return validation.plan, validation.registers, validation.errors


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


def find_recommendation(trace: Trace, wanted: str, plan: Plan, registers: list[Register]) -> RecommendationTrace:
    """The traced recommendation `wanted` names (any case), or a UsageError that helps find it."""
    from cheplan.domain.refs import REFERENCE_RE, reference_problem, source_of
    from cheplan.domain.words import closest
    from cheplan.questions.trace import citations, unique_registers

    reference = wanted.strip()
    item = next((r for r in trace.recommendations if r.recommendation.id.casefold() == reference.casefold()), None)
    if item is not None:
        return item
    codes = [r.source.code for r in unique_registers(registers)]
    if not REFERENCE_RE.fullmatch(reference):
        # A bare item ("5", "P1") is a natural shorthand: point at the id it would be.
        suffix = f"-{reference}".casefold()
        guesses = [
            r.recommendation.id for r in trace.recommendations if r.recommendation.id.casefold().endswith(suffix)
        ]
        if guesses:
            raise UsageError(f"no recommendation {reference!r}: did you mean {' or '.join(guesses)}?")
        raise UsageError(reference_problem(reference) or f"{reference!r} is not a reference")
    source = source_of(reference)
    if source.casefold() not in {c.casefold() for c in codes}:
        cited_by = citations(plan).get(reference, [])
        cited = f"; cited by action {', '.join(str(a.id) for a in cited_by)}" if cited_by else ""
        raise UsageError(
            f"{reference}: no {source} register is loaded (loaded: {', '.join(codes) or 'none'}){cited};"
            " add one with --register FILE"
        )
    traced = [r.source.code for r in trace.registers]
    if source.casefold() not in {c.casefold() for c in traced}:
        raise UsageError(f"{reference} is not in --source {', '.join(traced)}; leave out --source to trace it")
    ids = {r.recommendation.id.upper(): r.recommendation.id for r in trace.recommendations}
    close = closest(reference.upper(), list(ids))
    hint = f"did you mean {ids[close]}?" if close else f"known: {', '.join(ids.values())}"
    shown = "the traced registers" if len(trace.registers) != 1 else f"the {trace.registers[0].source.code} register"
    raise UsageError(f"no recommendation {reference} in {shown} ({hint})")
