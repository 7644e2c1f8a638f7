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
    StaleDaysOption,
    chosen_registers,
)
from cheplan.domain.errors import UsageError
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS
from cheplan.outputs.formats import ReportFormat

if TYPE_CHECKING:
    from cheplan.questions.board import Window

# The default window: the last meeting three months ago, the next in three months' time.
MONTHS_BETWEEN_MEETINGS = 3


def report(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    as_of: AsOfOption = None,
    since: Annotated[
        Optional[str],
        typer.Option(
            "--since",
            metavar="DATE",
            help="The last meeting. Default: 3 months before the as-of date.",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        Optional[str],
        typer.Option(
            "--until",
            metavar="DATE",
            help="The next meeting. Default: 3 months after the as-of date.",
            show_default=False,
        ),
    ] = None,
    lead: LeadOption = None,
    stale_days: StaleDaysOption = DEFAULT_STALE_DAYS,
    format_name: Annotated[ReportFormat, FORMAT] = ReportFormat.html,
    out: OutFileOption = None,
) -> int:
    """The board's highlight report: RAG ratings, exceptions, changes since the last meeting,
    what falls due, overdue by partner, coverage, and every action in full.

    HTML is one file (no script, no network) that prints to A4; Markdown has the same content."""
    import sys

    from cheplan.cli.commands.output import as_of_date, refuse_input_as_output
    from cheplan.domain.filesystem.out_files import write_output
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
    from cheplan.outputs.formats import render
    from cheplan.questions.board import build_board
    from cheplan.questions.organisations import directory_of, require_organisations

    window = meeting_window(as_of_date(as_of), since, until, stale_days)
    registers = resolve_registers(chosen_registers(register, no_default_registers))
    loaded = load_plan(resolve_plan(plan), registers, cache=True)
    organisations: tuple[str, ...] = ()
    if lead is not None:
        organisations = tuple(o.id for o in require_organisations(directory_of(loaded.plan), lead))
    text = render(build_board(loaded.plan, loaded.registers, window, organisations=organisations), format_name)
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    refuse_input_as_output(out, [resolve_plan(plan), *registers])
    write_output(out, text.encode("utf-8"), name=display_name(out))
    return EXIT_OK


def meeting_window(on: date, since: Optional[str], until: Optional[str], stale_days: int) -> Window:
    """From the last meeting (--since) to the next (--until), around the as-of date."""
    from cheplan.domain.months import shift_months
    from cheplan.questions.board import Window

    window = Window(
        as_of=on,
        since=_date_option("--since", since, shift_months(on, -MONTHS_BETWEEN_MEETINGS)),
        until=_date_option("--until", until, shift_months(on, MONTHS_BETWEEN_MEETINGS)),
        stale_days=stale_days,
    )
    if window.since > on:
        raise UsageError(f"--since {window.since.isoformat()} is later than the as-of date {on.isoformat()}")
    if window.until < on:
        raise UsageError(f"--until {window.until.isoformat()} is earlier than the as-of date {on.isoformat()}")
    return window


def _date_option(name: str, value: Optional[str], default: date) -> date:
    from cheplan.domain.months import parse_date

    if value is None:
        return default
    try:
        return parse_date(value)
    except ValueError as exc:
        raise UsageError(f"{name}: {exc}") from None
