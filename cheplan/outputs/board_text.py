"""Plan text made safe for the board report: control characters shown, Markdown kept literal.

HTML escaping is Jinja2's autoescaping; these cover what it does not: characters that would
act rather than show (terminal escapes, bidirectional overrides, NUL), and Markdown, where
plan text must never become a heading, a link, a table cell break or raw HTML.
"""

from __future__ import annotations

import re

from cheplan.outputs.markdown_format import markdown_text

# C0 and C1 controls (tab, newline and carriage return are whitespace, kept), DEL, and the
# invisible formatting characters that can reorder or hide text (bidi overrides and isolates,
# zero-width joiners, the BOM).
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def visible(text: object) -> str:
    """`text` with each control or invisible formatting character written as [U+XXXX]."""
    return _INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", str(text))


def one_line(text: object) -> str:
    """Visible, with every run of whitespace (newlines included) as one space."""
    return " ".join(visible(text).split())


# "&amp;" in plan text must show as written, not as "&" (unless the shared helper sees to it).
_ESCAPE_AMPERSAND = markdown_text("&") == "&"


def md(text: object) -> str:
    """Plan text as literal Markdown on one line: it can never start a block or end a cell."""
    escaped = markdown_text(one_line(text))
    return escaped.replace("&", "\\&") if _ESCAPE_AMPERSAND else escaped
