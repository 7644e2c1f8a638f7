"""Shared output handling for listing commands: one set of options, one way to write."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cheplan.domain.errors import UsageError
from cheplan.domain.months import human_month, month_end, months_between, parse_date, shift_months
from cheplan.outputs.formats import ListingFormat
from cheplan.outputs.listing import Listing

if TYPE_CHECKING:
    from cheplan.domain.model import Plan


def use_color() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def emit(listing: Listing, format_name: ListingFormat, *, limit: int | None = None) -> None:
    from cheplan.outputs.formats import UTF8_ONLY, render, render_pieces
    from cheplan.outputs.listing import DEFAULT_TABLE_LIMIT

    if format_name == ListingFormat.json:
        # Written as it is made: a large plan's JSON is never whole in memory.
        for piece in render_pieces(listing, format_name):
            sys.stdout.write(piece)
        sys.stdout.flush()
        return
    if format_name == ListingFormat.table:
        shown = DEFAULT_TABLE_LIMIT if limit is None else limit
        refuse_a_long_table(listing, shown)
        text = render(
            listing,
            format_name,
            limit=shown,
            color=use_color(),
            encoding=getattr(sys.stdout, "encoding", None) or "utf-8",
        )
    else:
        text = render(listing, format_name)
    buffer = getattr(sys.stdout, "buffer", None)
    if format_name in UTF8_ONLY and buffer is not None:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def refuse_a_long_table(listing: Listing, limit: int) -> None:
    """A table of more than `caps.MAX_TABLE_ROWS` rows (`--limit 0` on 100,000 actions), or of
    more than `caps.MAX_TABLE_GROUPS` groups (a theme per action), is refused before it is laid
    out, naming the cap and the ways to a shorter table or to every row."""
    from cheplan.domain import caps
    from cheplan.outputs.cells import cell_text

    wanted = len(listing.rows) if limit == 0 else min(len(listing.rows), limit)
    if wanted > caps.MAX_TABLE_ROWS:
        too_many = f"{caps.MAX_TABLE_ROWS:,} rows, and this one would show {wanted:,}"
    elif listing.group_by and wanted > caps.MAX_TABLE_GROUPS:
        count = len({cell_text(row.get(listing.group_by)) for row in listing.rows[:wanted]})
        if count <= caps.MAX_TABLE_GROUPS:
            return
        too_many = f"{caps.MAX_TABLE_GROUPS:,} groups, and this one would show {count:,}"
    else:
        return
    raise UsageError(
        f"--limit: a table shows at most {too_many}; narrow it (e.g. --lead ORG, --theme TEXT) or give a"
        " smaller --limit N, or write every row with --format csv or --format json"
    )


def date_given(name: str, value: str) -> date:
    """The date option `name` gives (as `parse_date` reads it); a usage error naming the option
    when it is not a date. The one place a date option is read."""
    try:
        return parse_date(value)
    except ValueError as exc:
        raise UsageError(f"{name}: {exc}") from None


def date_option(name: str, value: str | None) -> date | None:
    """A date option's value, None when it is not given."""
    return None if value is None else date_given(name, value)


def as_of_date(value: str | None, today: date | None = None) -> date:
    """`--as-of` or today: the one place a command's "today" comes from."""
    given = date_option("--as-of", value)
    return given if given is not None else today or date.today()


def rating_since(value: str | None, as_of: date) -> date | None:
    """`--since` for the JSON's `rag_then`: the last meeting, on or before the as-of date."""
    since = date_option("--since", value)
    if since is not None and since > as_of:
        raise UsageError(f"--since {since.isoformat()} is later than the as-of date {as_of.isoformat()}")
    return since


def note_after_period(plan: Plan, as_of: date, *, asked: bool, plan_file: str = "YOUR_COPY.yaml") -> None:
    """Say once, on stderr and before the table, when today is after the plan period: how to see
    the plan as it stood, and how to start next year's plan.

    Otherwise a new user's first `cheplan overdue` is every unfinished action, years late,
    with no word why. Not said when `--as-of` was given: that user already knows the way.
    """
    from cheplan.domain.months import parse_month
    from cheplan.domain.rollover import plan_label

    if asked:
        return
    period = plan.plan.period
    try:
        ended = month_end(period.end)
        year, month = parse_month(period.start)
    except ValueError:
        return
    if as_of <= ended:
        return
    middle = shift_months(date(year, month, 1), months_between(period.start, period.end) // 2 + 1)
    if plan.closed is not None:
        next_step = f"it was closed on {plan.closed.date}, its unfinished actions carried into {plan.closed.by_plan}"
    else:
        start, end = shift_months(date(year, month, 1), 12), shift_months(ended.replace(day=1), 12)
        months = f"{start.isoformat()[:7]}..{end.isoformat()[:7]}"
        label = plan_label(months[:7], months[9:])
        next_step = (
            f"to start next year's plan, run `cheplan rollover --plan {plan_file} --to {label} --period {months}"
            f" --as-of {ended.isoformat()} --out NEXT.yaml`"
        )
    sys.stdout.flush()
    print(
        f"cheplan: note: the plan period has ended: today ({as_of.isoformat()}) is after the plan period, which"
        f" ended in {human_month(period.end)}, so every unfinished action shows as overdue. To see the plan as it"
        f" stood, add --as-of {ended.isoformat()} (its last day) or any date in it, e.g. --as-of"
        f" {middle.isoformat()}; {next_step}.",
        file=sys.stderr,
        flush=True,
    )


def require_utf8(*options: tuple[str, str | None]) -> None:
    """Text typed on the command line is stored in a UTF-8 plan. Bytes that are not UTF-8 (a
    terminal in another encoding; Python keeps them as surrogate escapes) get a usage error that
    names the option, before anything is read or written.

    Called as `require_utf8(("--note", note), ("--by", by))`.
    """
    for option, value in options:
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            character = value[exc.start]
            try:
                shown = f"the byte 0x{character.encode('utf-8', 'surrogateescape').hex()}"
            except UnicodeEncodeError:
                shown = f"the character U+{ord(character):04X}"
            raise UsageError(
                f"{option} is not valid UTF-8 text ({shown} at character {exc.start + 1}); set the terminal"
                " to UTF-8 (e.g. a locale such as C.UTF-8 or en_GB.UTF-8) and type it again"
            ) from None


def refuse_over_cap(count: int, cap: int, things: str, holder: str, narrow: str) -> None:
    """A usage error when `count` `things` are more than `holder` ("one calendar feed holds")
    allows: an output cap (domain/caps.py), checked before any of the output is made."""
    if count > cap:
        raise UsageError(f"{count:,} {things} are more than {holder} (at most {cap:,}); {narrow}")


def refuse_input_as_output(out: Path, inputs: list[Path]) -> None:
    """--out naming the plan or a register (or a link to one) would replace the evidence the
    output was made from with the output: refuse, writing nothing."""
    for path in inputs:
        try:
            same = out.exists() and os.path.samefile(out, path)
        except OSError:
            same = False
        if same:
            raise UsageError(f"--out: {out} is an input of this command ({path}); write the output to another file")
