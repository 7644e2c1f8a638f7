"""`cheplan corrections`: where the source printed something wrong, and what the data records."""

from __future__ import annotations

from pathlib import Path

from cheplan.commands import EXIT_OK
from cheplan.commands.output import emit
from cheplan.load import load_plan
from cheplan.paths import resolve_plan, resolve_registers
from cheplan.views import corrections_report


def run(*, plan: Path | None, registers: list[Path] | None, format_name: str, limit: int | None) -> int:
    loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
    emit(corrections_report(loaded.plan, loaded.registers), format_name, limit=limit)
    return EXIT_OK
