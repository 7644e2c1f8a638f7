"""Markdown for board papers: every piece of plan text shown literally, and never cut short.

Plan text is untrusted: a title holding a newline could forge a table, and `<script>` or a
`[link](javascript:...)` must come out as text whatever renders the Markdown (CommonMark,
GitHub, pandoc). Each piece is put on one line, control characters shown as escapes, and
every character that could start Markdown syntax backslash-escaped (CommonMark lets any ASCII
punctuation be escaped so).
"""

from __future__ import annotations

import re
from typing import Any

from cheplan.domain.safe_text import one_line
from cheplan.outputs.cells import groups, human_cell
from cheplan.outputs.listing import Cell, Column, Listing

# What acts inside a line: escapes, code, emphasis, links and images, HTML and autolinks,
# table cells, strikethrough, entities.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# What acts at the start of a line: headings, block quotes, list items, setext underlines.
_LINE_START = re.compile(r"^([#>+=-])")
# An ordered list item: "1. Foo" or "1) Foo"; "1\. Foo" is text.
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
# Distinct values per column whose Markdown is remembered (see _markdown_table).
REMEMBERED = 4096


def markdown_text(text: str) -> str:
    """Plan text shown literally inside a line of Markdown: one line, nothing live."""
    return _INLINE.sub(r"\\\1", one_line(text))


def markdown_line(text: str) -> str:
    """Plan text shown literally as a line of its own (a paragraph or a footer line)."""
    return _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", markdown_text(text)))


def markdown_code(text: str) -> str:
    """`text` as a code span: literal whatever it holds, its fence longer than any run of backticks in it."""
    shown = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {shown} " if shown.startswith("`") or shown.endswith("`") else shown
    return f"{fence}{padded}{fence}"


def markdown_heading(level: int, text: str) -> str:
    # A trailing "#" would close the heading and vanish: every "#" is escaped.
    return "#" * level + " " + markdown_text(text).replace("#", "\\#")


def _markdown_cell(value: Cell, column: Column) -> str:
    # Board papers need the whole text: Markdown never shortens a cell.
    return markdown_text(human_cell(value, column)) or " "


def _markdown_table(columns: list[Column], rows: list[dict[str, Cell]]) -> list[str]:
    lines = ["| " + " | ".join(markdown_text(c.header) for c in columns) + " |"]
    lines.append("| " + " | ".join("---:" if c.justify == "right" else "---" for c in columns) + " |")
    # Most cells repeat (a status, a lead, the field names of a detail view): a column's first
    # REMEMBERED distinct values are escaped once each, which halves a 100,000-action listing's
    # time. The type is part of the key: True, 1 and 1.0 are equal but read differently.
    done: list[dict[Any, str]] = [{} for _ in columns]
    for row in rows:
        cells = []
        for column, seen in zip(columns, done, strict=True):
            value = row.get(column.key)
            key = (type(value), tuple(value) if isinstance(value, list) else value)
            text = seen.get(key)
            if text is None:
                text = _markdown_cell(value, column)
                if len(seen) < REMEMBERED:
                    seen[key] = text
            cells.append(text)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _footer_line(line: str) -> str:
    # A footer's own indent (up to 3 spaces: 4 would start code) is kept; two trailing spaces
    # break the line, so footer lines stay lines in one paragraph.
    indent = min(3, len(line) - len(line.lstrip(" ")))
    return " " * indent + markdown_line(line) + "  "


def render_markdown(listing: Listing, **_: Any) -> str:
    lines: list[str] = []
    if listing.title:
        lines += [markdown_heading(2, listing.title), ""]
    if not listing.rows:
        lines += [markdown_line(listing.empty_message), ""]
    elif listing.group_by:
        for group, rows in groups(listing).items():
            lines += [markdown_heading(3, group), "", *_markdown_table(listing.columns, rows), ""]
    else:
        lines += [*_markdown_table(listing.columns, listing.rows), ""]
    lines += [_footer_line(line) for line in listing.footer]
    # "\n".join(lines).rstrip() + "\n", without two more copies of a 20 MB text.
    while lines and not lines[-1].rstrip():
        lines.pop()
    if not lines:
        return "\n"
    lines[-1] = lines[-1].rstrip()
    lines.append("")
    return "\n".join(lines)
