"""Where an action's block is in the plan text, and where its keys are inside that block.

`update` edits one action, so it reads one action: the `actions:` list is found with a few
regular expressions over the text (no parse of the whole file), and only the action's block
goes through the YAML parser. A wrong guess cannot corrupt a plan: the block parsed on its
own must hold the action asked for, and after the edit the whole file is validated and the
action read back (see :mod:`cheplan.editing.record`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cheplan.domain.errors import WriteRefusedError

# Every pattern starts with a literal newline: the regex engine then skips from line to line,
# several times faster than `^` with MULTILINE over a 10 MB plan.
_ACTIONS_KEY = re.compile(r"\nactions:[ \t]*(?:#[^\n]*)?\n")
_FIRST_CONTENT = re.compile(r"\n([ ]*)(?=[^ \n#])")
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


# The keys an edit writes at or beside: only their positions are worked out.
EDITED_KEYS = frozenset(("status", "progress", "source_notes", "values"))  # values: an indicator's


@dataclass
class Span:
    """Character offsets in the block text."""

    start: int
    end: int


@dataclass
class Key:
    """A key of the action's mapping: where it is, and where its value is."""

    line: int  # 0-based, in the block
    column: int
    offset: int  # where the key starts in the block text
    value: Span
    kind: str  # "scalar", "block" (a block collection), "flow" (a flow collection)
    content_end: int  # just after the value's last character
    items_column: int | None = None  # a block list's dash column
    item_keys_column: int | None = None  # the column of its first item's keys


@dataclass
class ActionBlock:
    """One action's text: `text[start:end]` of the plan, from its dash to the next action's."""

    index: int  # its position in the actions list
    start: int
    end: int
    text: str
    dash_column: int  # of the actions list's items: also how far a list is indented from its key
    data: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, Key] = field(default_factory=dict)
    keys_column: int = 0
    content_end: int = 0


@dataclass(frozen=True)
class ActionIndex:
    """Where each action's block is in one plan text, found in one scan of it, so that
    recording many entries reads the text once, not once per entry."""

    dash: int  # the column of the actions list's dashes
    item_starts: list[int]  # where each item's line starts in the text, in order
    region_end: int  # where the actions list ends
    id_lines: dict[int, list[int]]  # action id -> where its `id:` lines are

    def block(self, text: str, action_id: int, name: str, actions: object = None) -> ActionBlock | None:
        """The block of action `action_id` in `text` (the text indexed), or None when the text
        does not show it plainly (no such action, its id written more than once, or a layout the
        scan does not know: the caller then validates to say why)."""
        lines = self.id_lines.get(action_id, [])
        if len(lines) != 1:
            return None
        # An item's line starts at or before its id line (`- id: N` is the dash line itself).
        index = bisect_right(self.item_starts, lines[0]) - 1
        if index < 0:
            return None
        start = self.item_starts[index]
        end = self.item_starts[index + 1] if index + 1 < len(self.item_starts) else self.region_end
        block = ActionBlock(index, start, end, text[start:end], self.dash)
        known = actions[index] if isinstance(actions, list) and index < len(actions) else None
        return block if _analyse(block, action_id, name, known) else None


@dataclass(frozen=True, slots=True)
class ListRegion:
    """Where a top-level block list (`actions:`, `indicators:`) lies in "\n" + text."""

    text_nl: str
    first: int  # the newline before the list's first item line
    dash: int  # the column of each item's dash
    keys: int  # the column of each item's keys
    end: int


def list_region(text: str, key: re.Pattern[str]) -> ListRegion | None:
    """The block list under the one top-level `key` line, or None if not one the scan knows."""
    text_nl = "\n" + text  # so that the first line starts after a newline too; offsets shift by one
    found = list(key.finditer(text_nl))
    if len(found) != 1:
        return None
    first = _FIRST_CONTENT.search(text_nl, found[0].end() - 1)
    if first is None or not text_nl.startswith("-", first.end()):
        return None
    dash = len(first.group(1))
    keys = _keys_column(text_nl, first.end(), dash)
    if keys is None:
        return None
    return ListRegion(text_nl, first.start(), dash, keys, _region_end(text_nl, first.start(), dash))


def index_actions(text: str) -> ActionIndex | None:
    """Every action block's place in `text`, or None when the actions list is not written as
    a block list the scan knows."""
    region = list_region(text, _ACTIONS_KEY)
    if region is None:
        return None
    text_nl, first, dash, keys, region_end = region.text_nl, region.first, region.dash, region.keys, region.end
    item = re.compile(rf"\n[ ]{{{dash}}}-[ \n]")
    id_line = re.compile(rf"\n(?:[ ]{{{dash}}}-[ ]+|[ ]{{{keys}}})id:[ ]+([0-9]{{1,18}})[ ]*(?:#[^\n]*)?\n")
    # Offsets in `text`: a match at the newline before a line in text_nl is that line's start.
    item_starts = [m.start() for m in item.finditer(text_nl, first, region_end + 1)]
    id_lines: dict[int, list[int]] = {}
    for match in id_line.finditer(text_nl, first, region_end + 1):
        id_lines.setdefault(int(match.group(1)), []).append(match.start())
    return ActionIndex(dash, item_starts, region_end, id_lines)


def find_action(text: str, action_id: int, name: str) -> ActionBlock | None:
    """The block of action `action_id`, or None when the text does not show it plainly
    (no such action, or a layout the scan does not know: the caller then validates to say why)."""
    index = index_actions(text)
    return None if index is None else index.block(text, action_id, name)


def reread(block: ActionBlock, new_text: str, action_id: int, name: str, data: object) -> ActionBlock | None:
    """The same block after an edit to its text, reading as `data`: its keys found again."""
    edited = ActionBlock(block.index, block.start, block.end, new_text, block.dash_column)
    return edited if _analyse(edited, action_id, name, data) else None


def _keys_column(text_nl: str, dash_at: int, dash: int) -> int | None:
    """The column of the first item's keys: after `- ` on the dash line, or on the next line."""
    same_line = re.compile(r"-([ ]+)(?=[^ \n#])").match(text_nl, dash_at)
    if same_line is not None:
        return dash + 1 + len(same_line.group(1))
    next_line = _FIRST_CONTENT.search(text_nl, dash_at)
    return len(next_line.group(1)) if next_line is not None and len(next_line.group(1)) > dash else None


def _region_end(text_nl: str, start: int, dash: int) -> int:
    """Where the actions list ends: the first content line less indented than its dashes, or
    as indented but not a dash (the next top-level key when the list is not indented)."""
    shallower = rf"[ ]{{0,{dash - 1}}}[^ \n#]|" if dash else ""
    end = re.compile(rf"\n(?:{shallower}[ ]{{{dash}}}(?!-[ \n])[^ \n#])").search(text_nl, start)
    return end.start() if end else len(text_nl) - 1


def _analyse(block: ActionBlock, action_id: int, name: str, known: object = None) -> bool:
    """Parse the block on its own; fill in its data and key positions. False if it is not the action.

    `known`: what the block reads as, when the caller has it (the action as the whole file
    read, or as an edit made it); its parser events are still read for the keys' positions.
    """
    import yaml

    from cheplan.loading.safe_yaml import parse_yaml

    try:
        events = _events(block.text)  # once: for the anchors and for the keys' positions
    except yaml.YAMLError:
        return False  # not the block it seemed: the caller finds out
    _refuse_anchors(events, action_id, name)
    if not isinstance(known, dict) or known.get("id") != action_id:
        document = parse_yaml(block.text, name)
        data = document.data
        if document.problems or not isinstance(data, list) or len(data) != 1 or not isinstance(data[0], dict):
            return False
        known = data[0]
    if not isinstance(known, dict) or known.get("id") != action_id:
        return False
    block.data = known
    _read_keys(block, events)
    return True


def _events(text: str) -> list[Any]:
    import yaml

    return list(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def _refuse_anchors(events: list[Any], action_id: int, name: str) -> None:
    """An anchor or alias shares one value between places: appending to it would change both."""
    if any(getattr(event, "anchor", None) is not None for event in events):
        raise WriteRefusedError(
            f"{name} not changed: action {action_id} uses YAML anchors or aliases (& or *), so an"
            " entry added to it could also change what another action says; write the shared"
            " values out in full first",
            [],
        )


def _read_keys(block: ActionBlock, events: list[Any]) -> None:
    """Walk the block's parser events: each top-level key's position and its value's extent."""
    import yaml

    starts = _line_starts(block.text)
    mapping = next(i for i, event in enumerate(events) if isinstance(event, yaml.MappingStartEvent))
    block.keys_column = events[mapping].start_mark.column
    position = mapping + 1
    last: tuple[int, int] | None = None
    while not isinstance(events[position], yaml.MappingEndEvent):
        key_event = events[position]
        value_end = _value_end(events, position + 1)
        if key_event.value in EDITED_KEYS:
            block.keys[key_event.value] = _key(events, position, value_end, starts)
        last = (position, value_end)
        position = value_end + 1
    if last is not None:
        # Keys follow one another in the text: the last one's content ends the block's.
        block.content_end = _key(events, *last, starts).content_end


def _value_end(events: list[Any], first: int) -> int:
    """The index of the value's last event (its own, for a scalar; its end event, for a collection)."""
    import yaml

    depth = 0
    position = first
    while True:
        event = events[position]
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if depth == 0:
            return position
        position += 1


def _key(events: list[Any], key_at: int, value_end: int, starts: list[int]) -> Key:
    import yaml

    def offset(mark: Any) -> int:
        return int(starts[mark.line] + mark.column)

    key_event, value = events[key_at], events[key_at + 1]
    content_end = max(offset(key_event.end_mark), _content_end(events[key_at + 1 : value_end + 1], offset))
    if isinstance(value, yaml.ScalarEvent):
        kind = "scalar"
        span = Span(offset(value.start_mark), offset(value.end_mark))
    else:
        kind = "flow" if value.flow_style else "block"
        span = Span(offset(value.start_mark), content_end)
    mark = key_event.start_mark
    key = Key(mark.line, mark.column, offset(mark), span, kind, content_end)
    if kind == "block" and type(value) is yaml.SequenceStartEvent:
        key.items_column = int(getattr(value.start_mark, "column", 0))
        item: Any = events[key_at + 2]
        if type(item) is yaml.MappingStartEvent and not item.flow_style:
            key.item_keys_column = int(getattr(item.start_mark, "column", 0))
    return key


def _content_end(events: list[Any], offset: Callable[[Any], int]) -> int:
    """Just after the last character a value is written with: its last scalar or closing bracket.

    (A block collection's end event is marked where the next token starts, after any comments.)
    """
    import yaml

    end = 0
    flow: list[bool] = []
    for event in events:
        if isinstance(event, yaml.ScalarEvent):
            if event.value or event.style:  # an empty value (`progress:`) is marked where the next token is
                end = max(end, offset(event.end_mark))
        elif isinstance(event, yaml.CollectionStartEvent):
            flow.append(bool(event.flow_style))
        elif isinstance(event, yaml.CollectionEndEvent) and flow.pop():
            end = max(end, offset(event.end_mark))
    return end


def _line_starts(text: str) -> list[int]:
    """Offsets where lines start, by the parser's own idea of a line break (YAML 1.1 counts
    NEL, LS and PS too), so that its marks map to the right character."""
    return [0, *(match.end() for match in _BREAK.finditer(text))]
