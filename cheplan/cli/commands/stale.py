"""`cheplan stale`: unfinished actions whose latest update is old, and those with no return at all."""

from __future__ import annotations

from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import as_of_date, emit
from cheplan.loading.load import load_plan
from cheplan.loading.locate import resolve_plan, resolve_registers
from cheplan.outputs.rag_listings import stale_listing
from cheplan.questions.organisations import directory_of
from cheplan.questions.stale import stale


def run(
    *,
    days: int,
    plan: Path | None,
    registers: list[Path] | None,
    as_of: str | None,
    lead: str | None,
    theme: str | None,
    format_name: str,
    limit: int | None,
) -> int:
    on = as_of_date(as_of)
    loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
    found = stale(loaded.plan, on, days=days, lead=lead, theme=theme)
    emit(stale_listing(loaded.plan.plan.title, found, directory_of(loaded.plan)), format_name, limit=limit)
    return EXIT_OK
