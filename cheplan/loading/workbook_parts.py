"""What a workbook's parts would make openpyxl build, judged before openpyxl sees them.

The zip checks bound the bytes a workbook inflates to, but not the objects openpyxl builds
from them: 15 MiB of `<xf/>` is 3 million style objects and 2 GB. So every part, whatever
its name, is read once by a streaming expat parser that only counts start tags (no tree, no
text kept) and stops at the workbook's element budget, naming the part that passed it. The
same pass refuses a DOCTYPE or an entity declaration in any encoding expat accepts, so a part
that hides its DOCTYPE from the byte check (UTF-16 without a mark, an EBCDIC declaration) is
refused too. A part expat cannot parse (an image, a binary part) is counted as far as it
parses: openpyxl could build no more from it than that.
"""

from __future__ import annotations

import contextlib
from xml.parsers import expat

# A returns workbook of N actions holds about 600 + 31 N elements (the Return and hidden
# sheets, their strings and styles); LibreOffice and Excel re-saves hold about the same. The
# costliest parts (styles, defined names) make openpyxl build ~1 KB and ~15 microseconds of CPU
# per element: at this budget a workbook is read within 256 MiB and 5 s even on a busy machine
# (benchmarks/budgets.py), leaving room for about 1,900 actions in one organisation's return.
MAX_ELEMENTS = 60_000


class TooManyElements(Exception):
    """A part took the workbook past MAX_ELEMENTS."""

    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.part = part


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


def count_elements(part: str, data: bytes, budget: int) -> int:
    """The number of elements in `part` (raises TooManyElements past `budget`, DeclaresDoctype on one)."""
    parser = expat.ParserCreate()
    count = 0

    def start(_name: str, _attributes: list[str]) -> None:
        nonlocal count
        count += 1
        if count > budget:
            raise TooManyElements(part)

    def doctype(*_args: object) -> None:
        raise DeclaresDoctype(part)

    parser.ordered_attributes = True  # a list per element is cheaper than a dict, and never read
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    # Not XML, or XML openpyxl will refuse in turn: counted as far as it parsed.
    with contextlib.suppress(expat.ExpatError, ValueError, LookupError):
        parser.Parse(data, True)
    return count


def check_parts(parts: dict[str, bytes]) -> None:
    """Raise DeclaresDoctype or TooManyElements for the first part that does either."""
    budget = MAX_ELEMENTS
    for part, data in parts.items():
        if declares_doctype(data):
            raise DeclaresDoctype(part)
        budget -= count_elements(part, data, budget)
