"""Edit a plan file in place: record progress on an action, keeping every byte outside the edit.

The one place cheplan writes a plan. ruamel.yaml's round-trip mode keeps comments, key order
and quoting; it is imported only here, and only when an edit is made. With the settings in
:func:`_round_trip_yaml` it reproduces the shipped files byte for byte. Whatever ruamel does,
:func:`_check_only_block_changed` refuses a result that differs outside the edited action.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cheplan.domain.errors import UsageError, WriteRefusedError

# Long notes are folded (`>-`) at this width, like the text transcribed from the source.
FOLD_WIDTH = 100
# In the shipped layout a progress entry's `note:` key sits 8 columns in, its folded text 10.
_NOTE_LINE_START = len("        note: ")
_FOLDED_TEXT_INDENT = 10
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class NewProgress:
    """A progress entry to append; the optional fields are left out of the file when None.

    A `status` of None repeats the status on record on `date` (for an entry that only revises
    the end month or gives a RAG rating).
    """

    date: str
    status: str | None
    note: str | None = None
    by: str | None = None
    revised_end: str | None = None
    rag: str | None = None


def _round_trip_yaml(list_offset: int = 2) -> Any:
    """ruamel set to write what it read: 2-space mappings, list dashes `list_offset` in from their key."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line ruamel did not write
    yaml.indent(mapping=2, sequence=list_offset + 2, offset=list_offset)
    return yaml


def _list_offset(document: Any) -> int:
    """How far the file indents `actions:` list dashes from the key: 2 as shipped, 0 as PyYAML writes."""
    actions = document.get("actions") if isinstance(document, dict) else None
    if not actions:
        return 2  # a register, or no list to learn from: the shipped layout
    key_column: int = document.lc.key("actions")[1]
    first_item_column: int = actions.lc.item(0)[1]  # where the item's content starts, after "- "
    return max(0, first_item_column - 2 - key_column)


def round_trip(text: str) -> str:
    """Load and dump without an edit (what every edit starts from)."""
    document = _round_trip_yaml().load(text)
    return _dump(_round_trip_yaml(_list_offset(document)), document)


def _dump(yaml: Any, document: Any) -> str:
    import io

    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def add_progress(
    text: str, action_id: int, entry: NewProgress, *, name: str = "plan", status_after: str | None = None
) -> str:
    """`text` with `entry` appended to action `action_id`'s progress and its `status` field set.

    The status field becomes `status_after` (default the entry's status): what the latest-dated
    entry says, so that the `status-mismatch` check stays quiet.

    The plan text must already be valid. Raises UsageError for an unknown action and
    WriteRefusedError when the result would change anything outside that action's block.
    """
    crlf = text.count("\r\n")
    if crlf and crlf != text.count("\n"):
        # Writing it back would have to pick one ending for every line, changing lines
        # outside the edit.
        raise WriteRefusedError(
            f"{name} not changed: it mixes CRLF and LF line endings; use one kind throughout first", []
        )
    newline = "\r\n" if crlf else "\n"
    plain = text.replace("\r\n", "\n")
    document = _round_trip_yaml().load(plain)
    actions = document["actions"]
    index = next((i for i, action in enumerate(actions) if action.get("id") == action_id), None)
    if index is None:
        raise UsageError(f"no action {action_id} in {name}")
    status = status_after or entry.status
    if status is None:
        raise UsageError(f"action {action_id}: no status to record")
    _append_entry(actions[index], entry, status)
    edited = _dump(_round_trip_yaml(_list_offset(document)), document)
    start = actions.lc.item(index)[0]
    end = actions.lc.item(index + 1)[0] if index + 1 < len(actions) else None
    _check_only_block_changed(plain, edited, start, end, name)
    return edited.replace("\n", newline)


def _append_entry(action: Any, entry: NewProgress, status: str) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    before = _last_slot(action)
    item = CommentedMap()
    item["date"] = DoubleQuotedScalarString(entry.date)  # quoted like every date in the plan
    item["status"] = entry.status
    if entry.note is not None:
        item["note"] = _note_scalar(entry.note)
    if entry.by is not None:
        item["by"] = _text_scalar(entry.by)
    if entry.revised_end is not None:
        item["revised_end"] = DoubleQuotedScalarString(entry.revised_end)
    if entry.rag is not None:
        item["rag"] = entry.rag
    keys = list(action)
    if "status" not in keys:
        # The shipped order: ..., status, progress, source_notes.
        following = [keys.index(key) for key in ("progress", "source_notes") if key in keys]
        action.insert(min(following, default=len(keys)), "status", status)
        keys = list(action)
    action["status"] = status
    progress = action.get("progress")
    if isinstance(progress, CommentedSeq) and progress:
        progress.append(item)
    elif "progress" in keys:
        action["progress"] = CommentedSeq([item])  # `progress: []` becomes a block list
    else:
        action.insert(keys.index("status") + 1, "progress", CommentedSeq([item]))
    after = _last_slot(action)
    if before is not None and after is not None and not _same_slot(before, after):
        _move_trailing_lines(before, after)


def _text_scalar(text: str) -> Any:
    """Text as ruamel should write it: quoted where YAML 1.1 (what cheplan reads) would see a non-string.

    ruamel writes YAML 1.2, where `yes`, `off` or `~` are plain text; cheplan's reader would take
    them as a boolean or null, so they are quoted.
    """
    import yaml
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return text if tag == "tag:yaml.org,2002:str" else SingleQuotedScalarString(text)


def _note_scalar(note: str) -> Any:
    """A long one-line note folds (`>-`) at FOLD_WIDTH; anything else is left to ruamel to quote."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    if _NOTE_LINE_START + len(note) <= FOLD_WIDTH or note != " ".join(note.split()):
        return _text_scalar(note)
    folded = FoldedScalarString(note)
    folded.fold_pos = _fold_positions(note, FOLD_WIDTH - _FOLDED_TEXT_INDENT)
    return folded


def _fold_positions(text: str, width: int) -> list[int]:
    """Indexes of the spaces to break `text` at so that no line exceeds `width` (where a word allows)."""
    positions: list[int] = []
    line_start = 0
    last_space = -1
    for index, char in enumerate(text):
        if char == " ":
            if index - line_start > width and last_space > line_start:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = index
    if len(text) - line_start > width and last_space > line_start:
        positions.append(last_space)
    return positions


# --- The blank line between actions -------------------------------------------------------
# ruamel keeps what follows a value (a comment, the blank line before the next action) as a
# comment token on the deepest, last key of the previous node. Appending a key after it would
# put the new lines after the blank line, outside the action; so the token moves to the new
# last key. A comment on the old last line stays where it is.

Slot = tuple[Any, Any]  # (container, key or index)


def _last_slot(node: Any) -> Slot | None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while True:
        if isinstance(node, CommentedMap) and node:
            key: Any = list(node)[-1]
        elif isinstance(node, CommentedSeq) and node:
            key = len(node) - 1
        else:
            return None
        child = node[key]
        if isinstance(child, (CommentedMap, CommentedSeq)) and child:
            node = child
            continue
        return node, key


def _same_slot(first: Slot, second: Slot) -> bool:
    return first[0] is second[0] and first[1] == second[1]


def _token_index(container: Any) -> int:
    from ruamel.yaml.comments import CommentedMap

    # A mapping's comment after a value sits at index 2; a sequence item's at index 0.
    return 2 if isinstance(container, CommentedMap) else 0


def _is_block_scalar(value: Any) -> bool:
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, (FoldedScalarString, LiteralScalarString))


def _move_trailing_lines(source: Slot, target: Slot) -> None:
    from ruamel.yaml.tokens import CommentToken

    container, key = source
    entry = container.ca.items.get(key)
    index = _token_index(container)
    token = entry[index] if entry and len(entry) > index else None
    if token is None:
        return  # the action is the last thing in the file
    value: str = token.value
    # After a plain scalar the token starts with the rest of its own line; a block scalar ends its own.
    split = 0 if _is_block_scalar(container[key]) else value.find("\n") + 1
    own_line, following = value[:split], value[split:]
    if not following:
        return
    if "#" in own_line:
        token.value = own_line
    else:
        entry[index] = None
        if not any(entry):
            del container.ca.items[key]
    target_container, target_key = target
    lead_in = "" if _is_block_scalar(target_container[target_key]) else "\n"
    moved = CommentToken(lead_in + following, token.start_mark, token.end_mark)
    slot: list[Any] = [None, None, None, None] if _token_index(target_container) == 2 else [None, None]
    slot[_token_index(target_container)] = moved
    target_container.ca.items[target_key] = slot


def _check_only_block_changed(original: str, edited: str, start: int, end: int | None, name: str) -> None:
    """Refuse an edit that touches any line outside the action's block, or lands after its separator.

    `start`/`end` are 0-based line numbers of the action's first line and the next action's.
    """
    old, new = original.splitlines(keepends=True), edited.splitlines(keepends=True)
    tail = len(old) - (end if end is not None else len(old))
    problem = None
    if new[:start] != old[:start]:
        problem = _first_difference(old[:start], new[:start])
    elif tail and new[-tail:] != old[-tail:]:
        problem = "after the action"
    elif _separator(old[start : len(old) - tail]) != _separator(new[start : len(new) - tail]):
        problem = "between this action and the next"
    if problem is not None:
        raise WriteRefusedError(
            f"{name} not changed: recording this would also reformat the file {problem}; cheplan keeps"
            " a layout with 2-space indentation and the same list indentation throughout. Edit it by hand.",
            [],
        )


def _first_difference(old: list[str], new: list[str]) -> str:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, first, _, _, _ in matcher.get_opcodes():
        if tag != "equal":
            return f"at line {first + 1}"
    return "before the action"


def _separator(block: list[str]) -> list[str]:
    """The blank and comment-only lines a block ends with (what separates it from the next)."""
    count = 0
    for line in reversed(block):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        count += 1
    return block[len(block) - count :]


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the plan file while it is read, edited and replaced.

    Two officers recording progress at once would otherwise each write their edit over the
    other's. The lock (POSIX flock) is taken on the file itself. An edit replaces the file
    with a new one, so a waiter that gets the lock checks it still holds the current file,
    and if not, locks the new one. Where flock does not exist, edits are not locked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    if not path.is_file():
        yield  # reading it reports why
        return
    while True:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            if os.fstat(descriptor).st_ino == os.stat(path).st_ino:
                yield
                return
        finally:
            os.close(descriptor)  # releases the lock


def starts_with_bom(path: Path) -> bool:
    """Whether the file starts with a UTF-8 byte-order mark (reading strips it; writing puts it back)."""
    with contextlib.suppress(OSError), path.open("rb") as handle:
        return handle.read(len(_UTF8_BOM)) == _UTF8_BOM
    return False


def write_atomically(path: Path, text: str, *, name: str, bom: bool = False) -> None:
    """Replace `path` with `text`: a temporary file in the same directory, synced, then renamed.

    The original is untouched if anything fails; the file keeps its permissions, and a
    symlinked plan stays a symlink (its target is replaced).
    """
    target = path.resolve()
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise WriteRefusedError(f"{name} not changed: cannot write beside it ({exc.strerror})", []) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write((_UTF8_BOM if bom else b"") + text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise WriteRefusedError(f"{name} not changed: writing failed ({exc.strerror})", []) from None
        raise
    _sync_directory(target.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
