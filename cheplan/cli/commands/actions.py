"""`cheplan actions` (a filtered list) and `cheplan actions ID` (one in full; `cheplan show ID` too)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import (
    AsOfOption,
    FormatOption,
    LeadOption,
    LimitOption,
    NoDefaultRegistersOption,
    PlansOption,
    RatingSinceOption,
    RegisterOption,
    StaleDaysOption,
    StatusChoice,
    ThemeOption,
    load_chosen,
)
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS
from cheplan.outputs.formats import ListingFormat

SHOW_HELP = "Show one action in full, with the recommendations it implements (the same as `actions ID`)."


def actions(
    action_id: Annotated[
        Optional[str],
        typer.Argument(
            metavar="[ID]",
            help="Show this action in full; with a plan year (2020/21#22), follow it across the plans given.",
            show_default=False,
        ),
    ] = None,
    plan: PlansOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    status: Annotated[
        Optional[list[StatusChoice]],
        typer.Option("--status", "-s", help="Only actions with this status; repeatable.", show_default=False),
    ] = None,
    format_name: FormatOption = ListingFormat.table,
    limit: LimitOption = None,
    as_of: AsOfOption = None,
    stale_days: StaleDaysOption = DEFAULT_STALE_DAYS,
    since: RatingSinceOption = None,
) -> int:
    """List the plan's actions, or show one action in full with the recommendations it implements.

    Status and last update are as on record on --as-of (default today); JSON adds each action's
    RAG rating on that date (and with --since, `rag_then`, its rating on that day).
    `show 2020/21#22 --plan A --plan B` follows an action across plan years."""
    from cheplan.cli.commands.across import action_reference, show_across
    from cheplan.cli.commands.output import as_of_date, emit, rating_since
    from cheplan.loading.locate import resolve_plan
    from cheplan.outputs.action_listings import action_detail_listing, actions_listing
    from cheplan.questions.actions import filter_actions, require_action

    on = as_of_date(as_of)
    label, number = action_reference(action_id) if action_id is not None else (None, 0)
    if label is not None or (plan and len(plan) > 1):
        return show_across(plan or [resolve_plan(None)], label, number, on, format_name)
    then = rating_since(since, on)
    loaded = load_chosen(plan[0] if plan else None, register, no_default_registers)
    if action_id is not None:
        action = require_action(loaded.plan, number, loaded.plan_name)
        emit(action_detail_listing(loaded.plan, action, loaded.registers, on, stale_days, then), format_name)
        return EXIT_OK
    statuses = [s.value for s in status] if status else None
    chosen = filter_actions(loaded.plan, lead=lead, theme=theme, status=statuses)
    emit(actions_listing(loaded.plan, chosen, on, stale_days, then), format_name, limit=limit)
    return EXIT_OK
