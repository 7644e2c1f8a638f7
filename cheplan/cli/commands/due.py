"""`cheplan due`: unfinished actions falling due in a window (default the next 30 days), soonest first."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import as_of_date, emit, note_after_period
from cheplan.domain.errors import UsageError
from cheplan.domain.months import parse_date
from cheplan.loading.load import collector_paused, load_plan
from cheplan.loading.locate import resolve_plan, resolve_registers
from cheplan.outputs.due_listings import Scope, due_listing
from cheplan.questions.actions import coming_due, filter_actions

DEFAULT_WINDOW_DAYS = 30


def window_end(as_of: date, within: int | None, before: str | None) -> date:
    """The last day of the window: `--before DATE` (included) or `--within DAYS` of `as_of`."""
    if within is not None and before is not None:
        raise UsageError("give --within DAYS or --before DATE, not both")
    if before is None:
        days = DEFAULT_WINDOW_DAYS if within is None else within
        try:
            return as_of + timedelta(days=days)
        except OverflowError:
            raise UsageError(f"--within {days} reaches past the last date the calendar can hold") from None
    try:
        until = parse_date(before)
    except ValueError as exc:
        raise UsageError(f"--before: {exc}") from None
    if until < as_of:
        raise UsageError(f"--before {until.isoformat()} is earlier than the as-of date {as_of.isoformat()}")
    return until


def run(
    *,
    within: int | None,
    before: str | None,
    plan: Path | None,
    registers: list[Path] | None,
    as_of: str | None,
    lead: str | None,
    theme: str | None,
    format_name: str,
    limit: int | None,
    stale_days: int | None = None,
) -> int:
    on = as_of_date(as_of)
    until = window_end(on, within, before)
    # One short run over a plan and its rows, which make no reference cycles: the collector
    # would only walk them again and again (a third of the time at 100,000 actions).
    with collector_paused():
        loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
        rows = coming_due(loaded.plan, on, until, lead=lead, theme=theme)
        scope = Scope(
            as_of=on,
            considered=len(filter_actions(loaded.plan, lead=lead, theme=theme)),
            in_plan=len(loaded.plan.actions),
            filtered=bool(lead or theme),
            stale_days=stale_days,
        )
        emit(due_listing(loaded.plan, rows, scope, until, for_people=format_name != "json"), format_name, limit=limit)
    note_after_period(loaded.plan.plan.period.end, on, asked=as_of is not None)
    return EXIT_OK
