"""`cheplan indicators [--as-of DATE]`: each outcome indicator against its target."""

from __future__ import annotations

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import (
    AsOfOption,
    FormatOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    load_chosen,
)
from cheplan.outputs.formats import ListingFormat


def indicators(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    format_name: FormatOption = ListingFormat.table,
    as_of: AsOfOption = None,
) -> int:
    """Outcome indicators: baseline, target, latest value, change, status against target, owner.

    On track: the latest value is at or beyond the straight line from baseline to target at
    its period, in the better direction. No data: the latest value is more than two periods old.
    JSON carries every value on record.
    """
    from cheplan.cli.commands.output import as_of_date, emit
    from cheplan.outputs.indicator_listings import indicators_listing

    on = as_of_date(as_of)
    loaded = load_chosen(plan, register, no_default_registers)
    emit(indicators_listing(loaded.plan, on), format_name)
    return EXIT_OK
