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
    for row in rows:
        lines.append("| " + " | ".join(_markdown_cell(row.get(c.key), c) for c in columns) + " |")
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
    return "\n".join(lines).rstrip() + "\n"
