"""`cheplan corrections`: where the source printed something wrong, and what the data records."""

from __future__ import annotations

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import (
    FormatOption,
    LimitOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    chosen_registers,
)
from cheplan.outputs.formats import ListingFormat


def corrections(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    format_name: FormatOption = ListingFormat.table,
    limit: LimitOption = None,
) -> int:
    """Where the source documents printed something wrong or doubtful, and what the data records."""
    from cheplan.cli.commands.output import emit
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import resolve_plan, resolve_registers
    from cheplan.outputs.action_listings import corrections_listing

    registers = resolve_registers(chosen_registers(register, no_default_registers))
    loaded = load_plan(resolve_plan(plan), registers, cache=True)
    emit(corrections_listing(loaded.plan, loaded.registers), format_name, limit=limit)
    return EXIT_OK
