"""`cheplan report`: the board's highlight report, as HTML (one file that prints) or Markdown."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import (
    FORMAT,
    AsOfOption,
    LeadOption,
    NoDefaultRegistersOption,
    OutFileOption,
    PlanOption,
    RegisterOption,
    chosen_registers,
)
from cheplan.domain.errors import UsageError
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS
from cheplan.outputs.formats import ReportFormat

if TYPE_CHECKING:
    from cheplan.domain.model import Plan
    from cheplan.questions.board import Window

# The default window when the plan lists no meetings: the last three months ago, the next in three.
MONTHS_BETWEEN_MEETINGS = 3


SinceOption = Annotated[
    Optional[str],
    typer.Option(
        "--since",
        metavar="DATE",
        help="The last meeting (exclusive). Default: the meeting before the next one on or after the"
        " as-of date (the plan's meetings), else 3 months before it.",
        show_default=False,
    ),
]
UntilOption = Annotated[
    Optional[str],
    typer.Option(
        "--until",
        metavar="DATE",
        help="What falls due up to this date. Default: the meeting after the report's, else 3 months"
        " after the as-of date.",
        show_default=False,
    ),
]
CycleStaleDaysOption = Annotated[
    Optional[int],
    typer.Option(
        "--stale-days",
        metavar="N",
        min=0,
        max=36_500,
        help="RAG: amber when the latest update is more than N days old. Default: the plan's"
        f" reporting.stale_days, else no update since the meeting before last, else {DEFAULT_STALE_DAYS}.",
        show_default=False,
    ),
]
AppendixOption = Annotated[
    bool, typer.Option("--appendix/--no-appendix", help="End with every action in full (the appendix).")
]


def report(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    as_of: AsOfOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    lead: LeadOption = None,
    stale_days: CycleStaleDaysOption = None,
    format_name: Annotated[ReportFormat, FORMAT] = ReportFormat.html,
    out: OutFileOption = None,
    appendix: AppendixOption = True,
) -> int:
    """The board's highlight report for its next meeting: a one-page summary (movement since the
    last meeting, decisions needed, top exceptions), decisions taken, exceptions, what was
    completed, slipped and falls due, overdue by partner, ratings, coverage, and every action
    in full.

    HTML is one file (no script, no network) that prints to A4; Markdown has the same content."""
    import sys
    from itertools import chain

    from cheplan.cli.commands.output import as_of_date, date_option, refuse_input_as_output
    from cheplan.domain.filesystem.out_files import write_output
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
    from cheplan.outputs.board_report import report_pieces
    from cheplan.questions.board import build_board
    from cheplan.questions.organisations import directory_of, require_organisations

    on = as_of_date(as_of)
    given = (date_option("--since", since), date_option("--until", until))
    if given[0] is not None and given[0] > on:
        raise UsageError(f"--since {given[0].isoformat()} is later than the as-of date {on.isoformat()}")
    if given[1] is not None and given[1] < on:
        raise UsageError(f"--until {given[1].isoformat()} is earlier than the as-of date {on.isoformat()}")
    registers = resolve_registers(chosen_registers(register, no_default_registers))
    loaded = load_plan(resolve_plan(plan), registers, cache=True)
    window = meeting_window(loaded.plan, on, given[0], given[1], stale_days)
    organisations: tuple[str, ...] = ()
    if lead is not None:
        organisations = tuple(o.id for o in require_organisations(directory_of(loaded.plan), lead))
    if out is not None:
        refuse_input_as_output(out, [resolve_plan(plan), *registers])
    refuse_over_report_cap(loaded.plan, organisations)  # before the board is built
    board = build_board(loaded.plan, loaded.registers, window, organisations=organisations)
    # Written in pieces as it is made (at 100,000 actions the HTML is 130 MB).
    pieces = report_pieces(board, str(format_name), appendix=appendix)
    if out is None:
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
        return EXIT_OK
    # Piece by piece into the new file (at 100,000 actions, 130 MB never held whole); the first
    # piece is made before the file is, so a failure to start the report leaves nothing behind.
    first = next(pieces)
    write_output(out, (piece.encode("utf-8") for piece in chain([first], pieces)), name=display_name(out))
    return EXIT_OK


def refuse_over_report_cap(plan: Plan, organisations: tuple[str, ...]) -> None:
    """A usage error when the report would cover more actions than its cap (domain/caps.py)."""
    from cheplan.cli.commands.output import refuse_over_cap
    from cheplan.domain import caps
    from cheplan.questions.organisations import actions_of_any, directory_of

    covered = len(actions_of_any(plan, directory_of(plan), organisations))
    narrow = "report on one organisation's actions with --lead ORG"
    refuse_over_cap(covered, caps.MAX_REPORT_ACTIONS, "actions", "one board report covers", narrow)


def meeting_window(plan: Plan, on: date, since: date | None, until: date | None, stale_days: int | None) -> Window:
    """The report's dates: for the next meeting on or after `on`, since the meeting before it,
    due up to the meeting after; without meetings, three months either side. Given dates win."""
    from cheplan.domain.months import shift_months
    from cheplan.questions.board import Window
    from cheplan.questions.meetings import cycle_of, stale_days_for

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
