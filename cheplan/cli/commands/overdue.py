"""`cheplan overdue`: what of ours is late, by how much; exit 1 with --fail-if-any when anything is."""

from __future__ import annotations

from pathlib import Path

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS
from cheplan.cli.commands.output import as_of_date, emit, note_after_period
from cheplan.loading.load import collector_paused, load_plan
from cheplan.loading.locate import resolve_plan, resolve_registers
from cheplan.outputs.due_listings import Scope, overdue_listing
from cheplan.questions.actions import filter_actions, overdue


def run(
    *,
    plan: Path | None,
    registers: list[Path] | None,
    as_of: str | None,
    lead: str | None,
    theme: str | None,
    by_lead: bool,
    format_name: str,
    fail_if_any: bool,
    limit: int | None,
) -> int:
    on = as_of_date(as_of)  # a bad date is a usage error before any file is read
    # One short run over a plan and its rows, which make no reference cycles: the collector
    # would only walk them again and again (a third of the time at 100,000 actions).
    with collector_paused():
        loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
        rows = overdue(loaded.plan, on, lead=lead, theme=theme)
        scope = Scope(
            as_of=on,
            considered=len(filter_actions(loaded.plan, lead=lead, theme=theme)),
            in_plan=len(loaded.plan.actions),
            filtered=bool(lead or theme),
        )
        emit(
            overdue_listing(loaded.plan, rows, scope, by_lead=by_lead, for_people=format_name != "json"),
            format_name,
            limit=limit,
        )
    note_after_period(loaded.plan.plan.period.end, on, asked=as_of is not None)
    return EXIT_PROBLEMS if fail_if_any and rows else EXIT_OK
