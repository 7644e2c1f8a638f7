"""Shared output handling for listing commands: one set of options, one way to write."""

from __future__ import annotations

import os
import sys
from datetime import date

from cheplan.domain.errors import UsageError
from cheplan.domain.months import human_month, month_end, parse_date
from cheplan.outputs.listing import Listing


def use_color() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def emit(listing: Listing, format_name: str, *, limit: int | None = None) -> None:
    from cheplan.outputs.formats import DEFAULT_TABLE_LIMIT, UTF8_ONLY, render

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
