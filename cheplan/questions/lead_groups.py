"""A proposed organisation directory from the leads a table prints.

Spellings that differ only in case or punctuation, by a council-wide prefix ("LBS"), by a
small edit distance (rapidfuzz), or where one names a part of the other ("Community Safety",
"LBS Community Safety & Partnerships") are proposed as one organisation. Each grouping is a
guess: the alias carries a source note asking a person to confirm it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from cheplan.domain.leads import ALL_PARTNERS
from cheplan.domain.source_note import ASKS_CONFIRMATION

SIMILAR = 90  # rapidfuzz ratio (0-100) at or above which two spellings are one organisation
MAX_LEADS = 1_000  # distinct spellings compared pairwise (bounded time); any past these stand alone
_PREFIX = re.compile(r"[A-Z]{2,5}", re.ASCII)
PREFIX_USES = 3  # a capitalised first word is a prefix when it starts this many distinct leads


@dataclass
class LeadGroup:
    name: str
    aliases: list[str]


def _prefixes(spellings: list[str]) -> set[str]:
    starts = Counter(s.split()[0] for s in spellings if len(s.split()) > 1 and _PREFIX.fullmatch(s.split()[0]))
    return {word for word, count in starts.items() if count >= PREFIX_USES}


def _key(spelling: str, prefixes: set[str]) -> str:
    words = spelling.split()
    if len(words) > 1 and words[0] in prefixes:
        words = words[1:]
    text = re.sub(r"['’`]", "", " ".join(words).casefold())
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _same(first: str, second: str) -> bool:
    from rapidfuzz import fuzz

    if first == second:
        return True
    if re.findall(r"\d+", first) != re.findall(r"\d+", second):
        return False  # "Zone 1" and "Zone 10" are two places, however alike they read
    a, b = set(first.split()), set(second.split())
    if a and b and (a < b or b < a):
        return True
    return fuzz.ratio(first, second) >= SIMILAR


def group_leads(leads: list[str]) -> list[LeadGroup]:
    """The organisations `leads` (every printed lead, repeats included) propose, in first-printed
    order; each named by its most printed spelling (on a tie the longest, then the most capitalised)."""
    counts = Counter(lead for lead in leads if lead != ALL_PARTNERS)
    spellings = list(counts)[:MAX_LEADS]
    alone = [LeadGroup(spelling, []) for spelling in list(counts)[MAX_LEADS:]]
    prefixes = _prefixes(spellings)
    keys = [_key(s, prefixes) for s in spellings]
    parent = list(range(len(spellings)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i in range(len(spellings)):
        for j in range(i + 1, len(spellings)):
            if root(i) != root(j) and _same(keys[i], keys[j]):
                parent[root(j)] = root(i)
    members: dict[int, list[str]] = {}
    for index, spelling in enumerate(spellings):
        members.setdefault(root(index), []).append(spelling)
    groups = []
    for found in members.values():
        name = max(found, key=lambda s: (counts[s], len(s), sum(c.isupper() for c in s)))
        groups.append(LeadGroup(name, [s for s in found if s != name]))
    return groups + alone


def grouping_note(alias: str, name: str) -> dict[str, str]:
    """The source note an alias that cheplan grouped carries until a person confirms it."""
    return {
        "field": "aliases",
        "printed": alias,
        "corrected": name,
        "note": f"grouped by similarity with {name!r}: {ASKS_CONFIRMATION}",
    }
