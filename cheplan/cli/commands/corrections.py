"""`cheplan corrections`: where the source printed something wrong, and what the data records."""

from __future__ import annotations

from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import emit
from cheplan.loading.load import load_plan
from cheplan.loading.locate import resolve_plan, resolve_registers
from cheplan.outputs.action_listings import corrections_listing


def run(*, plan: Path | None, registers: list[Path] | None, format_name: str, limit: int | None) -> int:
    loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
    emit(corrections_listing(loaded.plan, loaded.registers), format_name, limit=limit)
    return EXIT_OK
