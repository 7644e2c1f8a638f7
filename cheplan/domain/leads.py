"""How printed leads name organisations: one rule for the cross-checks and the questions."""

from __future__ import annotations

# The printed lead that means every partner organisation; it names no organisation itself.
ALL_PARTNERS = "All"


def name_key(text: str) -> str:
    """How a printed lead is matched to an organisation's id, name or alias: any case, spaces collapsed."""
    return " ".join(text.split()).casefold()
