"""`cheplan trace`: every recommendation, the actions implementing it, their state, and the gaps.

Unlike the other queries, trace reads a plan that fails cross-checks: an action citing a
recommendation the register does not hold is exactly what it must show, not hide. Only a plan
(or register) that cannot be read as one at all stops it.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS, print_problems
from cheplan.cli.commands.output import as_of_date, emit
from cheplan.domain.errors import UsageError
from cheplan.domain.register import Register
from cheplan.loading.load import load_leniently
from cheplan.loading.locate import resolve_plan, resolve_registers
from cheplan.outputs.trace_listings import recommendation_detail_listing, trace_listing
from cheplan.questions.organisations import directory_of
from cheplan.questions.trace import build_trace, find_recommendation, unique_registers


def run(
    *,
    recommendation_id: str | None,
    plan: Path | None,
    registers: list[Path] | None,
    source: str | None,
    as_of: str | None,
    uncovered: bool,
    fail_under: float | None,
    format_name: str,
    limit: int | None,
) -> int:
    if fail_under is not None and not math.isfinite(fail_under):
        raise UsageError(f"--fail-under must be a percentage from 0 to 100, not {fail_under}")
    when = as_of_date(as_of)
    loaded_plan, loaded_registers, problems = load_leniently(resolve_plan(plan), resolve_registers(registers))
    source_code = chosen_source(source, loaded_registers)
    trace = build_trace(loaded_plan, loaded_registers, when, source=source_code)
    if recommendation_id is not None:
        item = find_recommendation(trace, recommendation_id, loaded_plan, loaded_registers)
        emit(recommendation_detail_listing(trace, item, directory_of(loaded_plan)), format_name)
    else:
        emit(
            trace_listing(trace, uncovered_only=uncovered, directory=directory_of(loaded_plan)),
            format_name,
            limit=limit,
        )
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
    if fail_under is not None and trace.below(fail_under):
        print(
            f"cheplan: coverage {trace.percent:.1f} % ({trace.covered} of {trace.total}) is below --fail-under"
            f" {fail_under:g} %",
            file=sys.stderr,
        )
        failed = True
    return EXIT_PROBLEMS if failed else EXIT_OK


def chosen_source(source: str | None, registers: list[Register]) -> str | None:
    """The --source code as a loaded register spells it (any case accepted)."""
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
