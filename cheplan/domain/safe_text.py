"""Text made safe to show: every character that could act rather than print is shown as an escape.

A plan is edited by many hands, and file names come from anyone. Text may carry an escape
sequence (ESC, CSI, OSC 8 hyperlinks, OSC 0 window titles), a C1 control, BEL, a backspace,
a bidi override or isolate (Trojan Source, CVE-2021-42574), a zero-width or other invisible
format character, a line or paragraph separator, or a lone surrogate. Printed raw, these
would clear a reader's screen, hide a link, show text that is not there or start a line a CI
runner obeys. This module is the one place that decides which characters those are: every
character of the Unicode categories Cc (controls), Cf (format), Zl, Zp (separators) and Cs
(surrogates), as this Python's Unicode database knows them, so no hand-kept list can drift.

People's formats show them as escapes (`\\x1b`, `\\u202e`; the board report writes `[U+001B]`);
JSON keeps the exact text.
"""

from __future__ import annotations

import unicodedata

# What acts instead of printing: controls, format characters, line/paragraph separators, surrogates.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_SHORT = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
# Distinct characters remembered per table; past this, each is looked up again (memory stays bounded
# whatever text arrives, and ordinary text never gets near it).
_REMEMBERED = 65_536


def is_hidden(char: str) -> bool:
    """True for a character that would act, or not show, rather than print as itself."""
    return unicodedata.category(char) in HIDDEN_CATEGORIES


def _escape(code: int) -> str:
    if code in _SHORT:
        return _SHORT[code]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _code_point(code: int) -> str:
    return f"[U+{code:04X}]"


class _Table(dict[int, "int | str"]):
    """A `str.translate` table filled on first sight of each character (hidden: its escape; else itself)."""

    def __init__(self, keep: str, code_points: bool) -> None:
        super().__init__()
        self.keep = frozenset(map(ord, keep))
        self.shown = _code_point if code_points else _escape

    def __missing__(self, code: int) -> int | str:
        hidden = code not in self.keep and unicodedata.category(chr(code)) in HIDDEN_CATEGORIES
        value = self.shown(code) if hidden else code
        if len(self) < _REMEMBERED:
            self[code] = value
        return value


_TABLES: dict[tuple[str, bool], _Table] = {}
_WHITESPACE = "\t\n\r"


def visible(text: str, *, keep: str = "", code_points: bool = False) -> str:
    """`text` with every hidden character shown as an escape, so it can only print.

    `keep`: whitespace (some of tab, LF, CR) a format can hold as it is (a spreadsheet cell, an
    HTML paragraph, a calendar's escaped text). `code_points`: write `[U+001B]` instead of `\\x1b`.
    """
    if not set(keep) <= set(_WHITESPACE):
        raise ValueError(f"only tab, LF and CR can be kept, not {keep!r}")
    table = _TABLES.get((keep, code_points))
    if table is None:
        table = _TABLES[keep, code_points] = _Table(keep, code_points)
    return text.translate(table)


def first_hidden(text: str, *, keep: str = "") -> str | None:
    """The first hidden character of `text` (whitespace in `keep` aside), or None.

    Each distinct character is judged once, not each character: a note of 100,000 characters
    has a few dozen distinct ones (judged one by one, 100 such notes took 5 s of CPU).
    """
    hidden = [char for char in set(text).difference(keep) if is_hidden(char)]
    return min(hidden, key=text.index) if hidden else None


def one_line(text: str) -> str:
    """`text` on one line, whitespace runs collapsed, for a heading or a cell."""
    return visible(" ".join(text.split()))


def safe_file_name(name: str) -> str:
    """A file name as every message shows it: it cannot start a line a CI runner would obey.

    GitHub Actions reads any output line that starts (after spaces) with `::` as a workflow
    command; a name with a newline, or one that starts with `:` or a space, could forge one.
    The result is the same name for the file system (`./` prefixed), escapes aside, and
    applying this twice changes nothing.
    """
    shown = visible(name)
    if shown[:1] in (":", " ", "#"):
        shown = "./" + shown
    return shown
