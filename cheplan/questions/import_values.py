"""How a council's table writes months, recommendation references and leads, read into the plan's terms.

Every function takes the printed text and either gives the plan's value or says what is wrong
with it; the caller names the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_NAMED = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?[ -])?([A-Za-z]{3,9})\.?[ -]+'?(\d{2}|\d{4})", re.ASCII)
_NUMERIC_MONTH = re.compile(r"(\d{1,2})[/.](\d{4})", re.ASCII)
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", re.ASCII)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})", re.ASCII)
_TIME = re.compile(r"\s+00:00(:00)?$")


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _month(year: int, month: int, day: int | None = None) -> str | None:
    try:
        date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" if 1900 <= year <= 2999 else None


def month_of(value: object) -> str | None:
    """The month a date cell or its text means: `Apr-20`, `April 2020`, `04/2020`, `2020-04`,
    `01/04/2020` (day first, as UK papers write it) or a real date; None when it is none of these."""
    if isinstance(value, date):
        return _month(value.year, value.month)
    text = _TIME.sub("", str(value or "").strip())
    if match := _NAMED.fullmatch(text):
        number = _MONTHS.get(match[2].casefold())
        day = int(match[1]) if match[1] else None
        return None if number is None else _month(_year(match[3]), number, day)
    if match := _NUMERIC_MONTH.fullmatch(text):
        return _month(int(match[2]), int(match[1]))
    if match := _ISO_MONTH.fullmatch(text):
        return _month(int(match[1]), int(match[2]), int(match[3]) if match[3] else None)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        return _month(_year(match[3]), int(match[2]), int(match[1]))
    return None


# A source code: capitals, followed by a dash or by an item number ("SELR - 1", "JSNA 1.3").
_CODE = re.compile(r"\b([A-Z][A-Z]{1,9})\b(?=\s*-|\s+\d)", re.ASCII)
_BODY = re.compile(
    r"\s*-?\s*(?P<theme>[A-Za-z][A-Za-z ]*?)?\s*(?P<items>\d+(?:\.\d+)*(?:\s*,?\s*\d+(?:\.\d+)*)*)?\s*,?\s*",
    re.ASCII,
)
_ITEM = re.compile(r"\d+(?:\.\d+)*", re.ASCII)


@dataclass
class ParsedReferences:
    """The references a recommendations cell cites, in printed order, and what could not be read."""

    references: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def parse_references(text: str) -> ParsedReferences:
    """`SELR - 1, 3, 4 JSNA - 1.7, 3.2 LVRU - Gov 1,2` -> SELR-1, SELR-3, SELR-4, JSNA-1.7,
    JSNA-3.2, LVRU-Gov-1, LVRU-Gov-2. A sub-heading's words are joined (`Tar Law` -> `TarLaw`);
    one with no number is the reference itself (`LVRU - Keep DWOS` -> `LVRU-KeepDWOS`)."""
    parsed = ParsedReferences()
    codes = list(_CODE.finditer(text))
    before = text[: codes[0].start()] if codes else text
    if before.strip():
        parsed.unreadable.append(before.strip())
    for index, code in enumerate(codes):
        end = codes[index + 1].start() if index + 1 < len(codes) else len(text)
        body = text[code.end() : end]
        match = _BODY.fullmatch(body)
        if match is None or not (match["theme"] or match["items"]):
            parsed.unreadable.append(text[code.start() : end].strip())
            continue
        prefix = code[1] + ("-" + "".join(match["theme"].split()) if match["theme"] else "")
        items = _ITEM.findall(match["items"] or "")
        parsed.references.extend([f"{prefix}-{item}" for item in items] if items else [prefix])
    return parsed


_LEAD_SEPARATORS = re.compile(r"\s*(?:/|;|\n)\s*")
# "Southwark CRC and NPS": two partners joined by a word, which only a person can tell from one
# name ("Community Harm and Exploitation Board"); an acronym after "and" is the sign worth asking about.
_JOINED = re.compile(r"\s(?:and|&)\s+[A-Z]{2,}\b", re.ASCII)


def split_leads(text: str) -> list[str]:
    """The partners a lead cell names, split on "/", ";" and line breaks ("&" joins one name)."""
    return [part for part in _LEAD_SEPARATORS.split(text.strip()) if part]


def may_join_two(lead: str) -> bool:
    """Whether a lead reads like two partners joined by "and" (a person should check)."""
    return bool(_JOINED.search(lead))
