"""`cheplan meetings`: the board's meetings and the returns round each one closes."""

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


def meetings(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    format_name: FormatOption = ListingFormat.table,
    limit: LimitOption = None,
) -> int:
    """The board's meetings (the plan's `meetings:`), oldest first: papers due, the window each
    meeting's pack reports on, and the returns round each one closes."""
    from cheplan.cli.commands.output import emit
    from cheplan.outputs.meeting_listings import meetings_listing

    loaded = load_chosen(plan, register, no_default_registers)
    emit(meetings_listing(loaded.plan), format_name, limit=limit)
    return EXIT_OK
