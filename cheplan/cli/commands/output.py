"""Shared output handling for listing commands: one set of options, one way to write."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from cheplan.domain.errors import UsageError
from cheplan.domain.months import human_month, month_end, parse_date
from cheplan.outputs.formats import ListingFormat
from cheplan.outputs.listing import Listing


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
        text = render(
            listing,
            format_name,
            limit=DEFAULT_TABLE_LIMIT if limit is None else limit,
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


def as_of_date(value: str | None, today: date | None = None) -> date:
    """`--as-of` or today. The only place the clock is read."""
    if value is None:
        return today or date.today()
    try:
        return parse_date(value)
    except ValueError as exc:
        raise UsageError(f"--as-of: {exc}") from None


def rating_since(value: str | None, as_of: date) -> date | None:
    """`--since` for the JSON's `rag_then`: the last meeting, on or before the as-of date."""
    if value is None:
        return None
    try:
        since = parse_date(value)
    except ValueError as exc:
        raise UsageError(f"--since: {exc}") from None
    if since > as_of:
        raise UsageError(f"--since {since.isoformat()} is later than the as-of date {as_of.isoformat()}")
    return since


def note_after_period(period_end: str, as_of: date, *, asked: bool) -> None:
    """Say once, on stderr, when today is after the plan period, and how to see the plan as it stood.

    Otherwise a new user's first `cheplan overdue` is every unfinished action, years late,
    with no word why. Not said when `--as-of` was given: that user already knows the way.
    """
    if asked:
        return
    try:
        ended = month_end(period_end)
    except ValueError:
        return
    if as_of > ended:
        print(
            f"cheplan: note: today ({as_of.isoformat()}) is after the plan period, which ended in"
            f" {human_month(period_end)}; to see the plan as it stood then, add --as-of {ended.isoformat()}"
            " (or any date).",
            file=sys.stderr,
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
