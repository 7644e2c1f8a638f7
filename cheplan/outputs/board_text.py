"""Plan text made safe for the board report: control characters shown, Markdown kept literal.

HTML escaping is Jinja2's autoescaping; these cover what it does not: characters that would
act rather than show (terminal escapes, bidirectional overrides, NUL), and Markdown, where
plan text must never become a heading, a link, a table cell break or raw HTML.
"""

from __future__ import annotations

from cheplan.domain.safe_text import visible
from cheplan.outputs.markdown_format import markdown_text


def shown(text: object) -> str:
    """`text` with each hidden character written as [U+XXXX]; tab, newline and carriage return
    are whitespace to HTML and Markdown, so they stay."""
    return visible(str(text), keep="\t\n\r", code_points=True)


def one_line(text: object) -> str:
    """Visible, with every run of whitespace (newlines included) as one space."""
    return " ".join(shown(text).split())


# "&amp;" in plan text must show as written, not as "&" (unless the shared helper sees to it).
_ESCAPE_AMPERSAND = markdown_text("&") == "&"


def md(text: object) -> str:
    """Plan text as literal Markdown on one line: it can never start a block or end a cell."""
    escaped = markdown_text(one_line(text))
    return escaped.replace("&", "\\&") if _ESCAPE_AMPERSAND else escaped


# An action's text runs to a paragraph; a row of the pack shows its first sentence, at most this
# long (page 1's one-line items, BRIEF_CHARS).
SENTENCE_CHARS = 160
BRIEF_CHARS = 80


def first_sentence(text: object, limit: int = SENTENCE_CHARS) -> str:
    """The first sentence of `text` on one line, cut at a word (with "…") past `limit` characters."""
    line = one_line(text)
    for index, char in enumerate(line):
        if char in ".;:" and (index + 1 == len(line) or line[index + 1] == " ") and index > 10:
            line = line[: index + 1] if char == "." else line[:index]
            break
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
