"""Insert text into the plan's `rounds:` block, keeping every other byte of the file.

The block is found with a regular expression (the top-level `rounds:` key and the lines
indented under it) and only that block goes through the YAML parser, whose node marks say
where a round's item ends and where its lists end. New items are dumped by PyYAML and
indented to sit at the columns the file already uses. The caller validates the whole
result and checks that the rounds read back as meant (:mod:`cheplan.editing.rounds`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cheplan.domain.errors import WriteRefusedError

_ROUNDS_KEY = re.compile(r"(?:^|\n)rounds:(?:[ \t][^\n]*)?\n")
_NEXT_TOP_LEVEL = re.compile(r"\n(?![ #\n]|-[ \n])")


@dataclass(frozen=True)
class Region:
    """Where the `rounds:` block is in the text: from its key to the next top-level line."""

    start: int
    end: int


def dump_items(items: list[dict[str, Any]], column: int) -> str:
    """`items` as block-list items whose dashes sit at `column`, each line ending in a newline."""
    import yaml

    text = yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=False)
    pad = " " * column
    return "".join(pad + line + "\n" for line in text.splitlines())


def find_region(text: str, name: str) -> Region | None:
    keys = list(_rounds_keys(text))
    if not keys:
        return None
    if len(keys) > 1:
        raise _refused(name, "it has more than one top-level `rounds:` key")
    start = keys[0].start() + (1 if text.startswith("\n", keys[0].start()) else 0)
    following = _NEXT_TOP_LEVEL.search(text, keys[0].end() - 1)
    return Region(start, following.start() + 1 if following else len(text))


def _rounds_keys(text: str) -> Iterator[re.Match[str]]:
    """Each top-level `rounds:` line, as _ROUNDS_KEY matches it: candidates found with str.find
    (the regular expression alone tries every position of a 10 MB plan: 0.1 s a time)."""
    at = text.find("rounds:")
    while at >= 0:
        if at == 0 or text[at - 1] == "\n":
            found = _ROUNDS_KEY.match(text, at - 1 if at else 0)
            if found is not None:
                yield found
        at = text.find("rounds:", at + 1)


def _refused(name: str, why: str) -> WriteRefusedError:
    return WriteRefusedError(f"{name} not changed: {why}; record the round by hand", [])


def _compose(text: str, name: str) -> Any:
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        raise _refused(name, "its `rounds:` block cannot be read on its own") from None
    if any(getattr(n, "anchor", None) for n in _walk(node)):
        raise _refused(name, "its `rounds:` block uses anchors or aliases")
    return node


def _walk(node: Any) -> list[Any]:
    found = [node]
    value = getattr(node, "value", None)
    if isinstance(value, list):
        for item in value:
            for part in item if isinstance(item, tuple) else (item,):
                found += _walk(part)
    return found


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]


def _after(node: Any, starts: list[int], text: str) -> int:
    """Where a line inserted after `node`'s last character goes: the start of the next line."""
    ends = [n.end_mark for n in _walk(node) if type(n).__name__ == "ScalarNode" and (n.value or n.style)]
    mark = max(ends, key=lambda m: (m.line, m.column))
    if mark.column == 0:  # a block scalar ends at the start of the line after it
        return starts[mark.line] if mark.line < len(starts) else len(text)
    line_end = text.find("\n", starts[mark.line] + mark.column)
    return len(text) if line_end < 0 else line_end + 1


def _rounds_list(block: str, name: str) -> Any:
    node = _compose(block, name)
    sequence = node.value[0][1] if node is not None and node.value else None
    if sequence is None or (type(sequence).__name__ == "ScalarNode" and sequence.value == ""):
        return None  # `rounds:` with nothing under it yet
    if type(sequence).__name__ != "SequenceNode" or sequence.flow_style:
        raise _refused(name, "its `rounds:` is not written as a block list (`- id: ...` items)")
    return sequence


def append_round(text: str, item: dict[str, Any], name: str) -> str:
    """`text` with a new round appended to the `rounds:` list (the list added at the end if absent)."""
    region = find_region(text, name)
    if region is None:
        body = text if text.endswith("\n") or not text else text + "\n"
        return body + "rounds:\n" + dump_items([item], 2)
    block = text[region.start : region.end]
    empty_flow = re.match(r"rounds:[ \t]*\[[ \t]*\][ \t]*(?:#[^\n]*)?\n", block)
    if empty_flow is not None:  # `rounds: []`: becomes a block list holding the new round
        rest = text[region.start + empty_flow.end() :]
        return text[: region.start] + "rounds:\n" + dump_items([item], 2) + rest
    sequence = _rounds_list(block, name)
    if sequence is None or not sequence.value:
        at = block.index("\n") + 1
        return text[: region.start + at] + dump_items([item], 2) + text[region.start + at :]
    at = _after(sequence, _line_starts(block), block)
    return text[: region.start + at] + dump_items([item], sequence.start_mark.column) + text[region.start + at :]


def append_to_round(text: str, round_id: str, key: str, items: list[Any] | str, name: str) -> str:
    """`text` with `items` appended to the list `key` of round `round_id` (the key added if absent);
    a text for `items` is a scalar value for a key the round does not have yet."""
    region = find_region(text, name)
    if region is None:
        raise _refused(name, f"it has no `rounds:` list holding round {round_id!r}")
    block = text[region.start : region.end]
    starts = _line_starts(block)
    sequence = _rounds_list(block, name)
    rounds = [n for n in (sequence.value if sequence is not None else []) if _value(n, "id") == round_id]
    if len(rounds) != 1 or type(rounds[0]).__name__ != "MappingNode" or rounds[0].flow_style:
        raise _refused(name, f"round {round_id!r} is not written once as a block mapping under `rounds:`")
    mapping = rounds[0]
    existing = [(k, v) for k, v in mapping.value if k.value == key]
    if existing and isinstance(items, str):
        raise _refused(name, f"round {round_id!r} already has its `{key}`")
    if existing:
        assert not isinstance(items, str)
        value = existing[0][1]
        if type(value).__name__ != "SequenceNode" or value.flow_style or not value.value:
            raise _refused(name, f"round {round_id!r} has its `{key}` not written as a block list")
        at = _after(value, starts, block)
        inserted = _indented(items, value.start_mark.column)
    else:
        at = _after(mapping, starts, block)
        column = mapping.start_mark.column
        inserted = _key_text(key, items, column)
    return text[: region.start + at] + inserted + text[region.start + at :]


def _indented(items: list[Any], column: int) -> str:
    return dump_items(items, column)


def _key_text(key: str, value: list[Any] | str, column: int) -> str:
    import yaml

    if isinstance(value, list):
        return " " * column + f"{key}:\n" + _indented(value, column)
    line = yaml.safe_dump({key: value}, allow_unicode=True, width=10**6, default_flow_style=False)
    return "".join(" " * column + part + "\n" for part in line.splitlines())


def _value(mapping: Any, key: str) -> Any:
    if type(mapping).__name__ != "MappingNode":
        return None
    return next((v.value for k, v in mapping.value if k.value == key and type(v).__name__ == "ScalarNode"), None)
