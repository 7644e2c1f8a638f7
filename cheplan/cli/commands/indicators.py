"""`cheplan indicators [--as-of DATE]`: each outcome indicator against its target."""

from __future__ import annotations

from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import as_of_date, emit
from cheplan.loading.load import load_plan
from cheplan.loading.locate import resolve_plan, resolve_registers
from cheplan.outputs.indicator_listings import indicators_listing


def run(*, plan: Path | None, registers: list[Path] | None, format_name: str, as_of: str | None) -> int:
    on = as_of_date(as_of)
    loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
    emit(indicators_listing(loaded.plan, on), format_name)
    return EXIT_OK
