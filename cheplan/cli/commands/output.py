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
