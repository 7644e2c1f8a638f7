"""`cheplan organisations`: the partner directory with each organisation's actions, overdue and not reported."""

from __future__ import annotations

from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import as_of_date, emit
from cheplan.loading.load import load_plan
from cheplan.loading.locate import resolve_plan, resolve_registers
from cheplan.outputs.organisation_listings import organisations_listing


def run(
    *,
    plan: Path | None,
    registers: list[Path] | None,
    as_of: str | None,
    format_name: str,
    limit: int | None,
) -> int:
    on = as_of_date(as_of)
    loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
    emit(organisations_listing(loaded.plan, on), format_name, limit=limit)
    return EXIT_OK
