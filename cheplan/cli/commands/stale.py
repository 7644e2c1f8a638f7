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
    from cheplan.cli.commands.output import as_of_date, emit, refuse_over_cap
    from cheplan.domain import caps
    from cheplan.outputs.rag_listings import stale_listing
    from cheplan.questions.organisations import directory_of
    from cheplan.questions.stale import rows_to_weigh
    from cheplan.questions.stale import stale as stale_actions

    on = as_of_date(as_of)
    loaded = load_chosen(plan, register, no_default_registers)
    rows, names = rows_to_weigh(loaded.plan, on, lead=lead, theme=theme)
    narrow = "narrow it with --lead ORG or --theme TEXT"
    refuse_over_cap(rows, caps.MAX_STALE_ROWS, "actions and shares", "one stale listing weighs", narrow)
    refuse_over_cap(names, caps.MAX_SHARES, "organisations named by its rows", "one stale listing names", narrow)
    found = stale_actions(loaded.plan, on, days=days, lead=lead, theme=theme)
    emit(stale_listing(loaded.plan.plan.title, found, directory_of(loaded.plan)), format_name, limit=limit)
    return EXIT_OK
