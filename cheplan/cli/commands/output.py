"""Shared output handling for listing commands: one set of options, one way to write."""

from __future__ import annotations

import os
import sys
from datetime import date

from cheplan.domain.errors import UsageError
from cheplan.domain.months import parse_date
from cheplan.outputs.listing import Listing


def use_color() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def emit(listing: Listing, format_name: str, *, limit: int | None = None) -> None:
    from cheplan.outputs.formats import DEFAULT_TABLE_LIMIT, render

    if format_name == "table":
        text = render(
            listing,
            "table",
            limit=DEFAULT_TABLE_LIMIT if limit is None else limit,
            color=use_color(),
            encoding=getattr(sys.stdout, "encoding", None) or "utf-8",
        )
    else:
        text = render(listing, format_name)
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
