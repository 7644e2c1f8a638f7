"""`cheplan report`: the board's highlight report, as HTML (one file that prints) or Markdown."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import as_of_date, refuse_input_as_output
from cheplan.domain.errors import UsageError
from cheplan.domain.filesystem.out_files import write_output
from cheplan.domain.model import Plan
from cheplan.domain.months import parse_date, shift_months
from cheplan.domain.words import suggestion
from cheplan.loading.load import load_plan
from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
from cheplan.questions.board import Window, build_board
from cheplan.questions.meetings import cycle_of, stale_days_for
from cheplan.questions.organisations import directory_of, find_organisations

# The default window when the plan lists no meetings: the last three months ago, the next in three.
MONTHS_BETWEEN_MEETINGS = 3


def _date_option(name: str, value: str | None, default: date) -> date:
    if value is None:
        return default
    try:
        return parse_date(value)
    except ValueError as exc:
        raise UsageError(f"{name}: {exc}") from None


def run(
    *,
    plan: Path | None,
    registers: list[Path] | None,
    as_of: str | None,
    since: str | None,
    until: str | None,
    lead: str | None,
    stale_days: int | None,
    format_name: str,
    out: Path | None,
    appendix: bool = True,
) -> int:
    on = as_of_date(as_of)
    since_given = _date_option("--since", since, on) if since is not None else None
    until_given = _date_option("--until", until, on) if until is not None else None
    if since_given is not None and since_given > on:
        raise UsageError(f"--since {since_given.isoformat()} is later than the as-of date {on.isoformat()}")
    if until_given is not None and until_given < on:
        raise UsageError(f"--until {until_given.isoformat()} is earlier than the as-of date {on.isoformat()}")
    loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
    window = meeting_window(loaded.plan, on, since_given, until_given, stale_days)
    organisations: tuple[str, ...] = ()
    if lead is not None:
        directory = directory_of(loaded.plan)
        found = find_organisations(directory, lead)
        if not found:
            names = [o.name for o in directory.organisations]
            raise UsageError(f"--lead {lead!r} matches no organisation{suggestion(lead, names)}")
        organisations = tuple(o.id for o in found)
    from cheplan.outputs.board_report import render_report

    board = build_board(loaded.plan, loaded.registers, window, organisations=organisations)
    text = render_report(board, format_name, appendix=appendix)
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    refuse_input_as_output(out, [resolve_plan(plan), *resolve_registers(registers)])
    write_output(out, text.encode("utf-8"), name=display_name(out))
    return EXIT_OK


def meeting_window(plan: Plan, on: date, since: date | None, until: date | None, stale_days: int | None) -> Window:
    """The report's dates: for the next meeting on or after `on`, since the meeting before it,
    due up to the meeting after; without meetings, three months either side. Given dates win."""
    cycle = cycle_of(plan, on)
    default_since = date.fromisoformat(cycle.previous.date) if cycle.previous else None
    default_until = date.fromisoformat(cycle.following.date) if cycle.following else None
    since = since or default_since or shift_months(on, -MONTHS_BETWEEN_MEETINGS)
    until = until or default_until or shift_months(on, MONTHS_BETWEEN_MEETINGS)
    return Window(
        as_of=on,
        since=since,
        until=until,
        stale_days=stale_days_for(plan, on) if stale_days is None else stale_days,
        stale_days_then=stale_days_for(plan, since) if stale_days is None else stale_days,
        meeting=cycle.meeting.date if cycle.meeting else None,
    )
