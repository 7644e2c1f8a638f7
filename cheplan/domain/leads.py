"""How printed leads name organisations: one rule for the cross-checks and the questions."""

from __future__ import annotations

from functools import lru_cache

# The printed lead that means every partner organisation; it names no organisation itself.
ALL_PARTNERS = "All"


# A plan prints a few dozen distinct leads, each resolved once per action: remember them.
@lru_cache(maxsize=4096)
def name_key(text: str) -> str:
    """How a printed lead is matched to an organisation's id, name or alias: any case, spaces collapsed."""
    return " ".join(text.split()).casefold()
