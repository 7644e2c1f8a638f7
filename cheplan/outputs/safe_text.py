"""Plan text made safe to show on a terminal: control characters are shown, never obeyed.

A plan is edited by many hands. Text in it may carry an escape sequence (ESC, CSI, OSC 8
hyperlinks, OSC 0 window titles), a C1 control, BEL, a backspace or a bidi override that,
printed raw, would clear a reader's screen, hide a link or show text that is not there.
People's formats (table, text) show such characters as escapes (`\\x1b`, `\\u202e`); JSON
keeps the exact text.
"""

from __future__ import annotations

# Every C0 control, DEL and every C1 control (U+0080-U+009F: 8-bit CSI is U+009B).
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
# Characters that reorder or hide what follows them (Trojan Source, CVE-2021-42574), and the
# line and paragraph separators some terminals and editors obey.
_INVISIBLE = [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_VISIBLE = {code: _escape(code) for code in (*_CONTROLS, *_INVISIBLE)} | {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}


def visible(text: str) -> str:
    """`text` with every control and bidi character shown as an escape, so it can only print."""
    return text.translate(_VISIBLE)


def one_line(text: str) -> str:
    """`text` on one line, whitespace runs collapsed, for a heading or a cell."""
    return visible(" ".join(text.split()))


def safe_file_name(name: str) -> str:
    """A file name that cannot start a line a CI runner would obey.

    GitHub Actions reads any output line that starts (after spaces) with `::` as a workflow
    command; a name with a newline, or one that starts with `:` or a space, could forge one.
    """
    shown = visible(name)
    if shown[:1] in (":", " ", "#"):
        shown = "./" + shown
    return shown
