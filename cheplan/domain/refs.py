"""Canonical recommendation references: ``SOURCE-ITEM``, e.g. SELR-1, JSNA-1.12, LVRU-TarLaw-4."""

from __future__ import annotations

import re

REFERENCE_RE = re.compile(r"^([A-Z][A-Za-z]*)-([A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*)$", re.ASCII)
REFERENCE_PATTERN = REFERENCE_RE.pattern

# The London VRU cites the themes of the London Knife Crime Strategy (2017) by short codes.
# These glosses are cheplan's, for display; the plan prints only the codes.
LVRU_THEMES = {
    "Gov": "Governance",
    "TarLaw": "Targeting lawbreakers",
    "KeepDWOS": "Keeping deadly weapons off our streets",
    "ProtEd": "Protecting and educating young people",
    "StanCom": "Standing with communities, neighbourhoods and families against knife crime",
    "SupVic": "Supporting victims of knife crime",
    "OffWay": "Offering ways out of crime",
}


def reference_problem(value: str) -> str | None:
    if REFERENCE_RE.fullmatch(value):
        return None
    hint = 'write references as SOURCE-ITEM, e.g. "SELR-1", "JSNA-1.12", "LVRU-TarLaw-4"'
    squashed = re.sub(r"\s*-\s*|\s+", "-", value.strip())
    if squashed != value and REFERENCE_RE.fullmatch(squashed):
        hint = f'did you mean "{squashed}"? {hint}'
    return f"{value!r} is not a reference: {hint}"


def source_of(reference: str) -> str:
    """The source code of a canonical reference ("JSNA-1.12" -> "JSNA")."""
    return reference.split("-", 1)[0]


def sort_key(reference: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Order references naturally: SELR-2 before SELR-10, SELR-15 before SELR-P1."""
    source, _, item = reference.partition("-")
    parts = re.split(r"[.-]", item)
    return source, tuple((int(p), "") if p.isdigit() else (1 << 30, p) for p in parts)
