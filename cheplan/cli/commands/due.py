"""`cheplan due`: unfinished actions falling due in a window (default the next 30 days), soonest first."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import (
    AsOfOption,
    FormatOption,
    LeadOption,
    LimitOption,
    NoDefaultRegistersOption,
    PlanOption,
    RatingSinceOption,
    RegisterOption,
    StaleDaysOption,
    ThemeOption,
    load_chosen,
)
from cheplan.domain.errors import UsageError
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS
from cheplan.outputs.formats import ListingFormat

DEFAULT_WINDOW_DAYS = 30


def due(
    within: Annotated[
        Optional[int],
        typer.Option(
            "--within",
            metavar="DAYS",
            min=0,
            max=36_500,
            help="Due within this many days (default 30).",
            show_default=False,
        ),
    ] = None,
    before: Annotated[
        Optional[str],
        typer.Option("--before", metavar="DATE", help="Due on or before this date, YYYY-MM-DD.", show_default=False),
    ] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    as_of: AsOfOption = None,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    format_name: FormatOption = ListingFormat.table,
    limit: LimitOption = None,
    stale_days: StaleDaysOption = DEFAULT_STALE_DAYS,
    since: RatingSinceOption = None,
) -> int:
    """Unfinished actions coming due in a window, soonest first, with days left.

    The window runs from the as-of date to --before DATE, or --within DAYS of it (default 30 days).
    """
    from cheplan.cli.commands.output import as_of_date, emit, note_after_period, rating_since
    from cheplan.loading.load import collector_paused
    from cheplan.outputs.due_listings import Scope, due_listing
    from cheplan.questions.actions import coming_due, filter_actions

    on = as_of_date(as_of)
    then = rating_since(since, on)
    until = window_end(on, within, before)
    # One short run over a plan and its rows, which make no reference cycles: the collector
    # would only walk them again and again (a third of the time at 100,000 actions).
    with collector_paused():
        loaded = load_chosen(plan, register, no_default_registers)
        rows = coming_due(loaded.plan, on, until, lead=lead, theme=theme)
        scope = Scope(
            as_of=on,
            considered=len(filter_actions(loaded.plan, lead=lead, theme=theme)),
            in_plan=len(loaded.plan.actions),
            filtered=lead is not None or bool(theme),
            stale_days=stale_days,
            since=then,
        )
        note_after_period(loaded.plan, on, asked=as_of is not None, plan_file=str(plan or "YOUR_COPY.yaml"))
        for_people = format_name != ListingFormat.json
        emit(due_listing(loaded.plan, rows, scope, until, for_people=for_people), format_name, limit=limit)
    return EXIT_OK


def window_end(as_of: date, within: int | None, before: str | None) -> date:
    """The last day of the window: `--before DATE` (included) or `--within DAYS` of `as_of`."""
    from cheplan.cli.commands.output import date_given

    if within is not None and before is not None:
        raise UsageError("give --within DAYS or --before DATE, not both")
    if before is None:
        days = DEFAULT_WINDOW_DAYS if within is None else within
        try:
            return as_of + timedelta(days=days)
        except OverflowError:
            raise UsageError(f"--within {days} reaches past the last date the calendar can hold") from None
    until = date_given("--before", before)
    if until < as_of:
        raise UsageError(f"--before {until.isoformat()} is earlier than the as-of date {as_of.isoformat()}")
    return until
