"""`cheplan overdue`: what of ours is late, by how much; exit 1 with --fail-if-any when anything is."""

from __future__ import annotations

from typing import Annotated

import typer

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS
from cheplan.cli.options import (
    AsOfOption,
    FormatOption,
    LeadOption,
    LimitOption,
    NoDefaultRegistersOption,
    PlanOption,
    RatingSinceOption,
    RegisterOption,
    ThemeOption,
    load_chosen,
)
from cheplan.outputs.formats import ListingFormat


def overdue(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    as_of: AsOfOption = None,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    by_lead: Annotated[bool, typer.Option("--by-lead", help="Group per lead organisation, with counts.")] = False,
    format_name: FormatOption = ListingFormat.table,
    fail_if_any: Annotated[bool, typer.Option("--fail-if-any", help="Exit 1 when anything is overdue.")] = False,
    limit: LimitOption = None,
    since: RatingSinceOption = None,
) -> int:
    """Actions past their end month and not finished, most overdue first.

    An action is due on the last day of its end month. Exit 0; with --fail-if-any, exit 1 when
    anything is overdue. JSON lists one object per action (`lead` all leads, `matched_leads`).
    """
    from cheplan.cli.commands.output import as_of_date, emit, note_after_period, rating_since
    from cheplan.loading.load import collector_paused
    from cheplan.outputs.due_listings import Scope, overdue_listing
    from cheplan.questions.actions import filter_actions
    from cheplan.questions.actions import overdue as overdue_rows

    on = as_of_date(as_of)  # a bad date is a usage error before any file is read
    then = rating_since(since, on)
    # One short run over a plan and its rows, which make no reference cycles: the collector
    # would only walk them again and again (a third of the time at 100,000 actions).
    with collector_paused():
        loaded = load_chosen(plan, register, no_default_registers)
        rows = overdue_rows(loaded.plan, on, lead=lead, theme=theme)
        scope = Scope(
            as_of=on,
            considered=len(filter_actions(loaded.plan, lead=lead, theme=theme)),
            in_plan=len(loaded.plan.actions),
            filtered=lead is not None or bool(theme),
            since=then,
        )
        note_after_period(loaded.plan, on, asked=as_of is not None, plan_file=str(plan or "YOUR_COPY.yaml"))
        for_people = format_name != ListingFormat.json
        emit(
            overdue_listing(loaded.plan, rows, scope, by_lead=by_lead, for_people=for_people), format_name, limit=limit
        )
    return EXIT_PROBLEMS if fail_if_any and rows else EXIT_OK
