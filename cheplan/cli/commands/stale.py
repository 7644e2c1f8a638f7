"""`cheplan stale`: unfinished actions whose latest update is old, and those with no return at all."""

from __future__ import annotations

from typing import Annotated

import typer

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import (
    AsOfOption,
    FormatOption,
    LeadOption,
    LimitOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    ThemeOption,
    load_chosen,
)
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS
from cheplan.outputs.formats import ListingFormat


def stale(
    days: Annotated[
        int, typer.Option("--days", metavar="N", min=0, max=36_500, help="Stale after N days without an update.")
    ] = DEFAULT_STALE_DAYS,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    as_of: AsOfOption = None,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    format_name: FormatOption = ListingFormat.table,
    limit: LimitOption = None,
) -> int:
    """Unfinished actions whose latest update is more than N days old, and, separately, started
    actions with no return at all; most neglected first."""
    from cheplan.cli.commands.output import as_of_date, emit
    from cheplan.outputs.rag_listings import stale_listing
    from cheplan.questions.organisations import directory_of
    from cheplan.questions.stale import stale as stale_actions

    on = as_of_date(as_of)
    loaded = load_chosen(plan, register, no_default_registers)
    found = stale_actions(loaded.plan, on, days=days, lead=lead, theme=theme)
    emit(stale_listing(loaded.plan.plan.title, found, directory_of(loaded.plan)), format_name, limit=limit)
    return EXIT_OK
