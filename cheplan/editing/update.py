"""Edit a plan's text: append a progress entry to one action, changing nothing outside its block.

The entry's text is inserted where the action's progress list ends (positions from the
parser, :mod:`cheplan.editing.blocks`), and the status value is replaced in place; every
other byte of the file is kept as it is. No round trip of the whole file: an update costs
what one action costs. The edited block must parse as the action with exactly the new entry
appended, or the edit is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cheplan.domain.errors import WriteRefusedError
from cheplan.domain.model import ProgressEntry
from cheplan.editing.blocks import ActionBlock, Key
from cheplan.editing.entry_text import entry_text

_COMMENT_AFTER = re.compile(r"([ \t]+)#")


@dataclass(frozen=True)
class Edit:
    """An edited plan text, and what the edited action must read as."""

    text: str
    index: int
    expected: dict[str, Any]


def split_newlines(text: str, name: str) -> tuple[str, str]:
    """The text with LF line endings, and the ending to write back ("\\n" or "\\r\\n")."""
    crlf = text.count("\r\n")
    if crlf and crlf != text.count("\n"):
        # Writing the entry would have to pick one ending, unlike some of the lines around it.
        raise WriteRefusedError(
            f"{name} not changed: it mixes CRLF and LF line endings; use one kind throughout first", []
        )
    return (text.replace("\r\n", "\n"), "\r\n") if crlf else (text, "\n")


def edit_action(text: str, block: ActionBlock, entry: ProgressEntry, status: str, *, name: str) -> Edit:
    """Append `entry` in `block` (found in `text`, LF endings) and set the action's status."""
    new_block, expected = edit_block(block, entry, status, name=name)
    return Edit("".join((text[: block.start], new_block, text[block.end :])), block.index, expected)


def edit_block(
    block: ActionBlock, entry: ProgressEntry, status: str, *, name: str, check: bool = True
) -> tuple[str, dict[str, Any]]:
    """The block's text with `entry` appended and the status set, and what it must read as.
    `check`: parse the new block to see that it does (a caller that validates the whole file
    and compares each edited action afterwards may leave it to that)."""
    edits = _status_edit(block, status, name) + _progress_edits(block, entry, status, name)
    new_block = block.text
    for start, end, replacement in sorted(edits, reverse=True):
        new_block = new_block[:start] + replacement + new_block[end:]
    expected = dict(block.data)
    expected["status"] = status
    old = list(block.data.get("progress") or [])
    at = _position_by_date(old, entry.date)
    expected["progress"] = [*old[:at], entry.as_data(), *old[at:]]
    if check:
        _check_reads_back(new_block, expected, name)
    return new_block, expected


def _refused(name: str, why: str) -> WriteRefusedError:
    return WriteRefusedError(f"{name} not changed: {why}; record this entry by hand", [])


def _status_edit(block: ActionBlock, status: str, name: str) -> list[tuple[int, int, str]]:
    """Replace the status value in place, keeping a comment after it in its column."""
    key = block.keys.get("status")
    if key is None:
        return []  # written with the progress list
    span = key.value
    if key.kind != "scalar" or "\n" in block.text[span.start : span.end]:
        raise _refused(name, "the action's status is not written as one word on its line")
    comment = _COMMENT_AFTER.match(block.text, span.end)
    if comment is None:
        return [(span.start, span.end, status)]
    padding = max(1, len(comment.group(1)) + (span.end - span.start) - len(status))
    return [(span.start, comment.end(1), status + " " * padding)]


def _progress_edits(block: ActionBlock, entry: ProgressEntry, status: str, name: str) -> list[tuple[int, int, str]]:
    keys, text, column = block.keys, block.text, block.keys_column
    progress = keys.get("progress")
    status_line = "" if "status" in keys else f"{' ' * column}status: {status}\n"
    # A new list is indented from its key as the actions list is from `actions:`.
    new_list = entry_text(entry, column + block.dash_column, column + block.dash_column + 2)
    if progress is None:
        after = keys.get("status")
        if after is not None:
            at = _line_after(text, after.content_end)
        elif "source_notes" in keys:
            at = _line_start(block, keys["source_notes"], name)
        else:
            at = _line_after(text, block.content_end)
        return [_insert(text, at, f"{status_line}{' ' * column}progress:\n{new_list}")]
    edits = [_insert(text, _line_start(block, progress, name), status_line)] if status_line else []
    old = block.data.get("progress")
    if isinstance(old, list) and old and progress.kind == "block" and progress.items_column is not None:
        dash = progress.items_column
        written = entry_text(entry, dash, progress.item_keys_column or dash + 2)
        at = _position_by_date(old, entry.date)
        if at < len(old):  # the log stays oldest first: the entry goes before the first later one
            return [*edits, _insert(text, _item_start(text, progress, at, name), written)]
        return [*edits, _insert(text, _line_after(text, progress.content_end), written)]
    if old is None or old == []:
        # `progress:`, `progress: ~` or `progress: []` becomes a block list.
        start = progress.value.start
        while start > 0 and text[start - 1] == " ":
            start -= 1
        empty = text[progress.value.start : progress.value.end].strip() == ""
        replaced = [] if empty else [(start, progress.value.end, "")]
        return [*edits, *replaced, _insert(text, _line_after(text, progress.content_end), new_list)]
    raise _refused(name, "the action's progress is not written as a block list (`- date: ...` lines)")


def _position_by_date(old: list[Any], day: str) -> int:
    """Where an entry dated `day` goes: after every entry dated on or before it."""
    for index, item in enumerate(old):
        if isinstance(item, dict) and str(item.get("date", "")) > day:
            return index
    return len(old)


def _item_start(text: str, progress: Key, index: int, name: str) -> int:
    """The offset of the start of the line holding item `index`'s dash in a block list."""
    dash = re.compile(rf"(?m)^[ ]{{{progress.items_column}}}-[ \n]")
    from_line = text.rfind("\n", 0, progress.offset) + 1
    starts = [m.start() for m in dash.finditer(text, from_line, progress.content_end)]
    if index >= len(starts):
        raise _refused(name, "the entries of the action's progress list cannot be told apart")
    return starts[index]


def _insert(text: str, at: int, new: str) -> tuple[int, int, str]:
    """An insertion at a line start; at the very end of a file without a final newline, one is added."""
    if at == len(text) and text and not text.endswith("\n"):
        new = "\n" + new
    return (at, at, new)


def _line_start(block: ActionBlock, key: Key, name: str) -> int:
    start = block.text.rfind("\n", 0, key.offset) + 1
    if start == 0:
        raise _refused(name, "the key to write before is on the action's first line")
    return start


def _line_after(text: str, offset: int) -> int:
    """The start of the line after the one where content ends (blank lines it took with it skipped)."""
    while offset > 0 and text[offset - 1] in " \n":
        offset -= 1
    newline = text.find("\n", offset)
    return len(text) if newline == -1 else newline + 1


def _check_reads_back(new_block: str, expected: dict[str, Any], name: str) -> None:
    """The edited block, parsed on its own, must be the action with exactly the entry appended."""
    from cheplan.loading.safe_yaml import parse_yaml

    document = parse_yaml(new_block, name)
    if document.problems or document.data != [expected]:
        raise _refused(name, "the entry would not read back as given in this layout")
