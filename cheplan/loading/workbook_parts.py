"""What a workbook's parts would make openpyxl build, judged before openpyxl sees them.

The zip checks bound the bytes a workbook inflates to, but not the objects openpyxl builds
from them: 15 MiB of `<xf/>` is 3 million style objects and 2 GB. So every part, whatever
its name, is read once by a streaming expat parser that only counts start tags and their
attributes (no tree, no text kept) and stops at the workbook's budgets, naming the part that
passed one; a tag too long to hand to expat is refused before. The same pass refuses a
DOCTYPE or an entity declaration in whatever encoding the part declares, so one the byte
check cannot read is refused too. A part expat cannot parse (an image, a binary part) is
counted as far as it parses: openpyxl could build no more from it than that.

Two budgets. The worksheets grow with the plan (a row per action), so a workbook that
`returns export` wrote for this plan must fit: their cells and rows count against a budget
derived from the import's row cap (`sheet_budget`). Everything else (styles, shared strings,
defined names, themes, anything unknown) keeps the fixed, small budget: those are the parts
whose elements cost openpyxl about 1 KB each. A part counts as a worksheet only when
[Content_Types].xml declares it a worksheet and nothing else, so a styles or workbook part
cannot take the larger budget by its name."""

from __future__ import annotations

import contextlib
import re
from xml.parsers import expat

# Every part but the worksheets: a return's are about 400 elements whatever its size (styles,
# theme, workbook, properties); a LibreOffice or Excel re-save moves the cells' text into the
# shared strings, two elements a string. The costliest parts (styles, defined names) make
# openpyxl build ~1 KB and ~15 microseconds of CPU per element: at this budget a workbook is read
# within 256 MiB and 5 s even on a busy machine (benchmarks/budgets.py).
MAX_ELEMENTS = 60_000
# Attributes too: one element may carry millions (each a dict entry for openpyxl).
MAX_ATTRIBUTES = 4 * MAX_ELEMENTS
# The worksheets, per row of the row cap: the export writes 39 elements and 41 attributes for
# each action across its Return and hidden sheets (a row, its cells, their inline strings); with
# every input filled in, 56 elements (openpyxl, and Excel's inline strings), and re-saved by
# LibreOffice, 40 elements and 71 attributes (measured on a 10,000-row return). openpyxl reads
# worksheets in read-only mode, as a stream, and the import keeps only the wanted sheets' cells,
# up to its own cell budget.
SHEET_ELEMENTS_PER_ROW = 64
SHEET_ATTRIBUTES_PER_ROW = 96
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CONTENT_TYPES = "[Content_Types].xml"


def sheet_budget(max_rows: int) -> tuple[int, int]:
    """The elements and attributes all the worksheets together may hold, for a row cap."""
    return SHEET_ELEMENTS_PER_ROW * max_rows, SHEET_ATTRIBUTES_PER_ROW * max_rows


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


def count_elements(
    part: str,
    data: bytes,
    budget: int,
    attribute_budget: int = MAX_ATTRIBUTES,
    limits: tuple[int, int] = (MAX_ELEMENTS, MAX_ATTRIBUTES),
    overrides: list[tuple[str, str]] | None = None,
) -> tuple[int, int]:
    """The numbers of elements and attributes in `part` (raises TooManyElements past either
    budget, naming `limits`, the budgets in all; DeclaresDoctype on a DOCTYPE or entity
    declaration). With `overrides`, each `<Override>`'s part name and content type is added to it."""
    parser = expat.ParserCreate()
    elements = attributes = 0

    def start(name: str, pairs: list[str]) -> None:
        nonlocal elements, attributes
        elements += 1
        attributes += len(pairs) // 2
        if elements > budget:
            raise TooManyElements(part, f"takes the workbook past {limits[0]:,} XML elements")
        if attributes > attribute_budget:
            raise TooManyElements(part, f"takes the workbook past {limits[1]:,} XML attributes")
        if overrides is not None and name.rpartition(":")[2] == "Override":
            found = dict(zip(pairs[::2], pairs[1::2], strict=True))
            overrides.append((found.get("PartName", ""), found.get("ContentType", "")))

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


def worksheet_parts(overrides: list[tuple[str, str]]) -> set[str]:
    """The parts [Content_Types].xml declares worksheets and nothing else (names without the `/`)."""
    kinds: dict[str, set[str]] = {}
    for name, kind in overrides:
        kinds.setdefault(name.lstrip("/"), set()).add(kind.strip())
    return {name for name, found in kinds.items() if found == {_WORKSHEET_TYPE}}


def check_parts(parts: dict[str, bytes], max_rows: int, budget: int | None = None) -> None:
    """Raise DeclaresDoctype or TooManyElements for the first part that does either. A workbook's
    worksheets count against the budget of `max_rows` rows, every other part the fixed one; with
    `budget` (a document), all the parts share that many elements and four times as many attributes."""
    fixed = [MAX_ELEMENTS, MAX_ATTRIBUTES] if budget is None else [budget, 4 * budget]
    fixed_limits = (fixed[0], fixed[1])
    sheets = list(sheet_budget(max_rows))
    overrides: list[tuple[str, str]] = []
    first = [_CONTENT_TYPES] if _CONTENT_TYPES in parts else []  # read first: it says which parts are sheets
    worksheets: set[str] = set()
    for part in [*first, *(name for name in parts if name != _CONTENT_TYPES)]:
        data = parts[part]
        if declares_doctype(data):
            raise DeclaresDoctype(part)
        if _LONG_TAG.search(data):
            raise TooManyElements(part, f"holds an XML tag longer than {MAX_TAG_BYTES:,} bytes")
        left, limits = (sheets, sheet_budget(max_rows)) if part in worksheets else (fixed, fixed_limits)
        counted = count_elements(part, data, left[0], left[1], limits, overrides if part == _CONTENT_TYPES else None)
        left[0], left[1] = left[0] - counted[0], left[1] - counted[1]
        if part == _CONTENT_TYPES and budget is None:
            worksheets = worksheet_parts(overrides)
