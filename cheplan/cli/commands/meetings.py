"""`cheplan meetings`: the board's meetings and the returns round each one closes."""

from __future__ import annotations

from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import emit
from cheplan.loading.load import load_plan
from cheplan.loading.locate import resolve_plan, resolve_registers
from cheplan.outputs.meeting_listings import meetings_listing


def run(*, plan: Path | None, registers: list[Path] | None, format_name: str, limit: int | None) -> int:
    loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
    emit(meetings_listing(loaded.plan), format_name, limit=limit)
    return EXIT_OK
