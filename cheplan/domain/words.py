"""Small helpers for sentences people read: counts and "did you mean" suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Sequence


def plural(count: int, noun: str) -> str:
    """ "1 action", "2 actions", "10,000 actions"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def closest(word: str, options: Sequence[str], *, cutoff: float = 0.6) -> str | None:
    """The option most like `word`, if any is close enough to be a likely typo."""
    found = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return found[0] if found else None


def suggestion(word: str, options: Sequence[str], *, cutoff: float = 0.6) -> str:
    """ " (did you mean 'status'?)", else the options to choose from (empty when there are none)."""
    match = closest(word, options, cutoff=cutoff)
    if match is not None:
        return f" (did you mean {match!r}?)"
    return f" (expected one of: {', '.join(options)})" if options else ""
