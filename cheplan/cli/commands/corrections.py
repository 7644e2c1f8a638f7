"""`cheplan corrections`: where the source printed something wrong, and what the data records."""

from __future__ import annotations

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import (
    FormatOption,
    LimitOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    load_chosen,
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
    from cheplan.outputs.action_listings import corrections_listing

    loaded = load_chosen(plan, register, no_default_registers)
    emit(corrections_listing(loaded.plan, loaded.registers), format_name, limit=limit)
    return EXIT_OK
