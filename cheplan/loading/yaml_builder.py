"""Build plain Python data from PyYAML's flat event stream, in one pass, with an explicit stack.

PyYAML's composer keeps a node object (with two marks) per value and recurses in C, which
crashes on deeply nested input. This loop is where the structural safety rules live: a
duplicate key is a problem naming both lines; nesting depth and alias expansion are
bounded, so a billion-laughs file fails fast; one document per file.

Positions cost time and memory and are only needed when there is something to report, so
they are recorded by a second pass over the same text (``position_index``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

# The caps every reader and writer share (their reasons are there): imported by name, so that
# a test can shrink one for this module alone.
from cheplan.domain.caps import MAX_DEPTH, MAX_NODES, MAX_SCALAR_CHARS
from cheplan.domain.problems import KeyPath, Problem
from cheplan.loading.problem_cap import Tally
from cheplan.loading.yaml_scalars import (
    MAP_TAGS,
    SEQ_TAGS,
    Fatal,
    at,
    tag_message,
    tagged,
    typed_plain,
    yaml_api,
)

# Aliases may share data, but the expanded tree may not grow past this many nodes plus
# ALIAS_GROWTH times the nodes actually written in the file.
ALIAS_BASE_BUDGET = 100_000
ALIAS_GROWTH = 4
MAX_TOP_KEYS = 1_000  # a plan has a dozen: a file of a million unknown keys keeps no list of them
DEPTH_MESSAGE = f"nesting deeper than {MAX_DEPTH} levels; a plan is never this deep"
NODES_MESSAGE = (
    f"more than {MAX_NODES:,} values (texts, numbers, lists and mappings) in one file;"
    " a plan is never this big (a 10,000-action plan has about 310,000, and 100,000 one-line actions"
    " about 1.9 million), so cheplan stops reading here"
)


@dataclass
class PositionIndex:
    """Line and column (1-based) of each value, and of each mapping key, by path."""

    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: KeyPath, *, at_key: bool = False) -> tuple[int, int]:
        """The closest recorded position: the path itself, else its nearest ancestor."""
        if at_key and path in self.keys:
            return self.keys[path]
        probe = path
        while probe:
            found = self.values.get(probe) or self.keys.get(probe)
            if found:
                return found
            probe = probe[:-1]
        return self.values.get((), (1, 1))


def position_index(text: str) -> PositionIndex:
    index = PositionIndex()
    # Positions up to a failure are still useful.
    with contextlib.suppress(Fatal, yaml_api().yaml.YAMLError):
        build(text, "", index)
    return index


def build(
    text: str, name: str, index: PositionIndex | None, top_keys: list[tuple[str, int, int]] | None = None
) -> tuple[Any, list[Problem], PositionIndex | None, int]:
    """One pass over the parser's events: the data, its problems, the position index when one had to be built
    (to name the first line of a duplicate key), the values written (what MAX_NODES caps). `top_keys` receives
    each key of a top-level block mapping, line and column (0-based): none past MAX_TOP_KEYS."""
    return (*(builder := _Builder(text, name, index, top_keys)).run(), builder.written)


class _Frame:
    """One open mapping or sequence while the event stream is read."""

    __slots__ = ("anchor", "is_map", "key", "key_event", "opened_at", "path", "start", "value")

    def __init__(self, value: Any, is_map: bool, start: Any, anchor: str | None, opened_at: int, path: KeyPath) -> None:
        self.value = value
        self.is_map = is_map
        self.start = start  # the start event, for its position
        self.anchor = anchor
        self.opened_at = opened_at  # the node count when it opened: its size when it closes
        self.path = path  # only recorded for a position index
        self.key: Any = _NO_KEY
        self.key_event: Any = None


_NO_KEY = object()


def _pending_path(stack: list[_Frame]) -> KeyPath:
    """The path of the value about to be attached to the innermost open collection."""
    return tuple(frame.key if frame.is_map else len(frame.value) for frame in stack)


def _position(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return mark.line + 1, mark.column + 1


class _Builder:
    """The state of one pass; `run` reads events and hands each kind to a small method."""

    def __init__(self, text: str, name: str, index: PositionIndex | None, top_keys: list[Any] | None) -> None:
        self.api, self.top_keys = yaml_api(), top_keys
        self.text, self.name, self.index, self.tally = text, name, index, Tally()
        # Duplicate keys found before positions exist: (where in `problems`, key event, path, key).
        self.duplicates: list[tuple[int, Any, KeyPath, str]] = []
        self.anchors: dict[str, tuple[Any, int | None]] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.root_event: Any = None
        self.documents = 0
        self.written = 0  # nodes written in the file
        self.expanded = 0  # nodes in the data, aliases counted in full

    def run(self) -> tuple[Any, list[Problem], PositionIndex | None]:
        yaml = self.api.yaml
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, mapping_end = yaml.MappingStartEvent, yaml.MappingEndEvent
        sequence_start, sequence_end = yaml.SequenceStartEvent, yaml.SequenceEndEvent
        document_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
        stack = self.stack
        parser = self.api.loader(self.text)
        try:
            while True:
                event = parser.get_event()
                kind = type(event)
                if kind is scalar_event:
                    value = self._scalar(event)
                elif kind is mapping_start or kind is sequence_start:
                    self._open(event, kind is mapping_start)
                    continue
                elif kind is mapping_end or kind is sequence_end:
                    value, event = self._close()
                elif kind is alias_event:
                    value = self._alias(event)
                elif kind is document_start:
                    self._document(event)
                    continue
                elif kind is stream_end:
                    break
                else:
                    continue
                if stack:
                    self._attach(value, event)
                else:
                    self.root, self.root_event = value, event
                    if self.index is not None:
                        self.index.values[()] = _position(event)
        finally:
            parser.dispose()
        return self._finish()

    def _scalar(self, event: Any) -> Any:
        self.written += 1
        if self.written > MAX_NODES:
            raise Fatal(at(self.name, event, "yaml-too-big", NODES_MESSAGE))
        self.expanded += 1
        value: Any = event.value
        if len(value) > MAX_SCALAR_CHARS:
            message = f"a value of {len(value):,} characters; plan values are at most {MAX_SCALAR_CHARS:,}"
            raise Fatal(at(self.name, event, "yaml-too-long", message))
        tag = event.tag
        if self.index is not None and not self._is_key():
            pass  # a position pass: only keys (they name paths) need their type, values do not
        elif tag is None:
            if event.implicit[0]:
                api = self.api
                candidates = api.implicit.get(value[:1])
                if candidates is not None or api.implicit_anywhere:
                    value = typed_plain(api, event, candidates or api.implicit_anywhere, self.name, self.tally)
        elif tag != "!":
            value = tagged(self.api, event, tag, self.name)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        return value

    def _is_key(self) -> bool:
        """Whether the scalar being read is a mapping key."""
        stack = self.stack
        return bool(stack) and stack[-1].is_map and stack[-1].key is _NO_KEY

    def _open(self, event: Any, is_map: bool) -> None:
        if event.tag not in (MAP_TAGS if is_map else SEQ_TAGS):
            raise Fatal(at(self.name, event, "yaml-tag", tag_message(event.tag)))
        if len(self.stack) >= MAX_DEPTH:
            raise Fatal(at(self.name, event, "yaml-depth", DEPTH_MESSAGE))
        self.written += 1
        if self.written > MAX_NODES:
            raise Fatal(at(self.name, event, "yaml-too-big", NODES_MESSAGE))
        self.expanded += 1
        path = _pending_path(self.stack) if self.index is not None else ()
        if not self.stack and (not is_map or event.flow_style):
            self.top_keys = None
        frame = _Frame({} if is_map else [], is_map, event, event.anchor, self.expanded, path)
        if event.anchor is not None:
            self.anchors[event.anchor] = (frame.value, None)
        self.stack.append(frame)

    def _close(self) -> tuple[Any, Any]:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.value, self.expanded - frame.opened_at + 1)
        return frame.value, frame.start

    def _alias(self, event: Any) -> Any:
        target = self.anchors.get(event.anchor)
        if target is None:
            raise Fatal(at(self.name, event, "yaml-alias", f"alias *{event.anchor} refers to no anchor"))
        value, size = target
        if size is None:
            message = f"alias *{event.anchor} refers to a collection that contains it"
            raise Fatal(at(self.name, event, "yaml-alias", message))
        self.expanded += size
        if self.expanded > min(ALIAS_BASE_BUDGET + ALIAS_GROWTH * self.written, MAX_NODES):
            message = "aliases expand this file to too many values (an alias bomb?); write the data out instead"
            raise Fatal(at(self.name, event, "yaml-alias", message))
        return value

    def _document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            message = "a plan file holds one YAML document; a second one starts here"
            raise Fatal(at(self.name, event, "yaml-documents", message))

    def _attach(self, value: Any, event: Any) -> None:
        """Attach a finished value to the innermost open collection."""
        top = self.stack[-1]
        index = self.index
        if not top.is_map:
            if index is not None:
                index.values[(*top.path, len(top.value))] = _position(event)
            top.value.append(value)
            return
        if top.key is _NO_KEY:
            top.key = value if type(value) is str else self._as_key(value, event)
            top.key_event = event
            if self.top_keys is not None and len(self.stack) == 1:
                self.top_keys.append((top.key, event.start_mark.line, event.start_mark.column))
                if len(self.top_keys) > MAX_TOP_KEYS:  # emptied (not known), and no more recorded
                    self.top_keys.clear()
                    self.top_keys = None
            return
        key, top.key = top.key, _NO_KEY
        mapping = top.value
        if key in mapping:
            path = (*_pending_path(self.stack[:-1]), key)
            if index is None and not self.tally.full:
                self.duplicates.append((len(self.tally.kept), top.key_event, path, key))
            self.tally.add(_duplicate_problem(self.name, top.key_event, key, index, path))
            return
        mapping[key] = value
        if index is not None:
            path = (*top.path, key)
            index.keys[path] = _position(top.key_event)
            index.values[path] = _position(event)

    def _as_key(self, value: Any, event: Any) -> str:
        if isinstance(value, (dict, list)):
            message = "a mapping key must be plain text, not a list or mapping"
            raise Fatal(at(self.name, event, "yaml-complex-key", message))
        message = f"mapping key {value!r} is not text; quote it if it is meant as a name"
        self.tally.add(at(self.name, event, "yaml-key-type", message))
        return str(value)

    def _finish(self) -> tuple[Any, list[Problem], PositionIndex | None]:
        name, index, problems = self.name, self.index, self.tally.kept
        if self.root_event is None:
            raise Fatal(Problem(name, 1, 1, "yaml-empty", "the file holds no YAML document"))
        if self.root is None:
            # "---", "~" or "null" alone: a document, but nothing in it.
            message = "the YAML document is empty (null): there is no data in it"
            raise Fatal(at(name, self.root_event, "yaml-empty", message))
        if self.duplicates:
            # Rare: one more pass finds the first of each duplicate key; the document keeps them.
            from cheplan.loading.yaml_positions import positions_of

            index = positions_of(self.text, [path for _, _, path, _ in self.duplicates])
            for slot, key_event, path, key in self.duplicates:
                problems[slot] = _duplicate_problem(name, key_event, key, index, path)
        return self.root, self.tally.problems(), index


def _duplicate_problem(name: str, key_event: Any, key: str, index: PositionIndex | None, path: KeyPath) -> Problem:
    first = index.keys.get(path) if index is not None else None
    where = f" (first defined at line {first[0]})" if first else ""
    return at(name, key_event, "duplicate-key", f"duplicate key {key!r}{where}; a key may appear once per mapping")
