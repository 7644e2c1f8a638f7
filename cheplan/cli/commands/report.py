"""`cheplan report`: the board's highlight report, as HTML (one file that prints) or Markdown."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import as_of_date, refuse_input_as_output
from cheplan.domain.errors import UsageError
from cheplan.domain.months import parse_date
from cheplan.domain.words import suggestion
from cheplan.editing.output_files import write_output
from cheplan.loading.load import load_plan
from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
from cheplan.questions.board import Window, build_board
from cheplan.questions.organisations import directory_of, find_organisations

# The default window: the last meeting three months ago, the next in three months' time.
MONTHS_BETWEEN_MEETINGS = 3


def shift_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), clamped to the end of a short month."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


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
    stale_days: int,
    format_name: str,
    out: Path | None,
) -> int:
    on = as_of_date(as_of)
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
    loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
    organisations: tuple[str, ...] = ()
    if lead is not None:
        directory = directory_of(loaded.plan)
        found = find_organisations(directory, lead)
        if not found:
            names = [o.name for o in directory.organisations]
            raise UsageError(f"--lead {lead!r} matches no organisation{suggestion(lead, names)}")
        organisations = tuple(o.id for o in found)
    if out is not None:
        refuse_input_as_output(out, [resolve_plan(plan), *resolve_registers(registers)])
    from cheplan.outputs.board_report import report_pieces

    board = build_board(loaded.plan, loaded.registers, window, organisations=organisations)
    if out is None:
        for piece in report_pieces(board, format_name):
            sys.stdout.write(piece)
        sys.stdout.flush()
        return EXIT_OK
    import io

    # One growing buffer, never the text and its bytes at once (getvalue hands over the buffer).
    data = io.BytesIO()
    for piece in report_pieces(board, format_name):
        data.write(piece.encode("utf-8"))
    write_output(out, data.getvalue(), name=display_name(out))
    return EXIT_OK
