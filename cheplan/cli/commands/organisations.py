"""`cheplan organisations`: the partner directory with each organisation's actions, overdue and not reported."""

from __future__ import annotations

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import (
    AsOfOption,
    FormatOption,
    LimitOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    load_chosen,
)
from cheplan.outputs.formats import ListingFormat


def organisations(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    as_of: AsOfOption = None,
    format_name: FormatOption = ListingFormat.table,
    limit: LimitOption = None,
) -> int:
    """The partner organisations that lead actions: aliases, and counts of actions, overdue, not reported.

    Actions led by "All" count under every organisation. `--lead` takes an id, a name or an alias.
    """
    from cheplan.cli.commands.output import as_of_date, emit
    from cheplan.outputs.organisation_listings import organisations_listing

    on = as_of_date(as_of)
    loaded = load_chosen(plan, register, no_default_registers)
    emit(organisations_listing(loaded.plan, on), format_name, limit=limit)
    return EXIT_OK
