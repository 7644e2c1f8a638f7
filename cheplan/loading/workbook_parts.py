"""What a workbook's parts would make openpyxl build, judged before openpyxl sees them.

The zip checks bound the bytes a workbook inflates to, but not the objects openpyxl builds
from them: 15 MiB of `<xf/>` is 3 million style objects and 2 GB. So every part, whatever
its name, is read once by a streaming expat parser that only counts start tags and their
attributes (no tree, no text kept) and stops at the workbook's budgets, naming the part that
passed one; a tag too long to hand to expat is refused before. The same pass refuses a
DOCTYPE or an entity declaration in whatever encoding the part declares, so one the byte
check cannot read is refused too. A part expat cannot parse (an image, a binary part) is
counted as far as it parses: openpyxl could build no more from it than that."""

from __future__ import annotations

import contextlib
import re
from xml.parsers import expat

# A returns workbook of N actions holds about 600 + 31 N elements (the Return and hidden
# sheets, their strings and styles); LibreOffice and Excel re-saves hold about the same. The
# costliest parts (styles, defined names) make openpyxl build ~1 KB and ~15 microseconds of CPU
# per element: at this budget a workbook is read within 256 MiB and 5 s even on a busy machine
# (benchmarks/budgets.py), leaving room for about 1,900 actions in one organisation's return.
MAX_ELEMENTS = 60_000
# Attributes too: one element may carry millions (each a dict entry for openpyxl). A return's
# cells carry about three each; LibreOffice's rows a few more.
MAX_ATTRIBUTES = 4 * MAX_ELEMENTS


# expat hands an element's attributes over all at once, so one tag of 15 MiB would cost
# hundreds of MiB before it could be counted: a longer tag is refused first, by a scan for a
# `<` followed by this many bytes that are neither `<` nor `>` (no tag holds either).
MAX_TAG_BYTES = 65_536
_LONG_TAG = re.compile(b"<[^<>]{%d}" % MAX_TAG_BYTES)


class TooManyElements(Exception):
    """A part took the workbook past a budget; `reason` says which ("takes the workbook past 60,000 XML elements")."""

    def __init__(self, part: str, reason: str = f"takes the workbook past {MAX_ELEMENTS:,} XML elements") -> None:
        super().__init__(part)
        self.part, self.reason = part, reason


class DeclaresDoctype(Exception):
    """A part declares a DOCTYPE or an entity."""

    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.part = part


def declares_doctype(data: bytes) -> bool:
    """The cheap byte check, for every part: `<!DOCTYPE` or `<!ENTITY` in UTF-8 or UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    lowered = data.lower().replace(b"\x00", b"")
    return b"<!doctype" in lowered or b"<!entity" in lowered


def count_elements(part: str, data: bytes, budget: int, attribute_budget: int = MAX_ATTRIBUTES) -> tuple[int, int]:
    """The numbers of elements and attributes in `part` (raises TooManyElements past either
    budget, DeclaresDoctype on a DOCTYPE or entity declaration)."""
    parser = expat.ParserCreate()
    elements = attributes = 0

    def start(_name: str, pairs: list[str]) -> None:
        nonlocal elements, attributes
        elements += 1
        attributes += len(pairs) // 2
        if elements > budget:
            raise TooManyElements(part)
        if attributes > attribute_budget:
            raise TooManyElements(part, f"takes the workbook past {MAX_ATTRIBUTES:,} XML attributes")

    def doctype(*_args: object) -> None:
        raise DeclaresDoctype(part)

    parser.ordered_attributes = True  # a flat list of names and values: cheaper than a dict
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    # Not XML, or XML openpyxl will refuse in turn: counted as far as it parsed.
    with contextlib.suppress(expat.ExpatError, ValueError, LookupError):
        parser.Parse(data, True)
    return elements, attributes


def check_parts(parts: dict[str, bytes], budget: int | None = None) -> None:
    """Raise DeclaresDoctype or TooManyElements for the first part that does either (past a
    workbook's budgets, or `budget` elements and four times as many attributes, over all the parts)."""
    elements, attributes = (MAX_ELEMENTS, MAX_ATTRIBUTES) if budget is None else (budget, 4 * budget)
    for part, data in parts.items():
        if declares_doctype(data):
            raise DeclaresDoctype(part)
        if _LONG_TAG.search(data):
            raise TooManyElements(part, f"holds an XML tag longer than {MAX_TAG_BYTES:,} bytes")
        counted = count_elements(part, data, elements, attributes)
        elements, attributes = elements - counted[0], attributes - counted[1]
