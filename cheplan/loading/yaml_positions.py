"""Where given values are in a YAML text: one pass over the parser's events that keeps nothing else.

A full position index (yaml_builder.position_index) holds a path and a position for every
value: at two and a half million values that is over half a GB and longer than the parse.
Problems need the positions of a few paths only, so this pass records just those and their
ancestors (a path that is not in the file is placed at its nearest ancestor, as
`PositionIndex.locate` does), builds no data, and stops once every path asked for is found.
Keys are typed as the builder types them, so the paths match the data's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from cheplan.domain.problems import KeyPath
from cheplan.loading.problem_cap import Tally
from cheplan.loading.yaml_builder import PositionIndex
from cheplan.loading.yaml_scalars import Fatal, tagged, typed_plain, yaml_api

_NO_KEY = object()
_COMPLEX_KEY = object()  # a list or mapping as a key: the builder refuses the file anyway


class _Open:
    """An open collection: its path when it lies on a wanted path (else None: not followed)."""

    __slots__ = ("count", "is_map", "key", "key_at", "path")

    def __init__(self, path: KeyPath | None, is_map: bool) -> None:
        self.path = path
        self.is_map = is_map
        self.count = 0
        self.key: Any = _NO_KEY
        self.key_at: tuple[int, int] = (1, 1)


def _position(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return mark.line + 1, mark.column + 1


def _key_of(api: Any, event: Any) -> Any:
    """The mapping key a scalar event makes, as yaml_builder makes it (text, or str() of the value)."""
    value: Any = event.value
    tag = event.tag
    if tag is None:
        if event.implicit[0]:
            candidates = api.implicit.get(value[:1])
            if candidates is not None or api.implicit_anywhere:
                value = typed_plain(api, event, candidates or api.implicit_anywhere, "", Tally(0))
    elif tag != "!":
        value = tagged(api, event, tag, "")
    return value if type(value) is str else str(value)


def positions_of(text: str, wanted: Iterable[KeyPath]) -> PositionIndex:
    """The positions of the `wanted` paths and of every ancestor of them, in one pass."""
    found = _Pass(set(wanted))
    api = found.api
    yaml = api.yaml
    value_kinds = (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    documents = 0
    parser = api.loader(text)
    # Positions up to a failure are still useful (the builder reports the failure itself).
    with contextlib.suppress(Fatal, yaml.YAMLError):
        try:
            while found.left:
                event = parser.get_event()
                kind = type(event)
                if kind in ends:
                    found.stack.pop()
                elif kind in value_kinds:
                    found.value(event, kind)
                elif kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        break
                elif kind is yaml.StreamEndEvent:
                    break
        finally:
            parser.dispose()
    return found.index


class _Pass:
    """The state of one pass: the open collections, and what is still to find."""

    def __init__(self, targets: set[KeyPath]) -> None:
        self.api = yaml_api()
        self.targets = targets
        self.on_path = {path[:end] for path in targets for end in range(len(path) + 1)}
        self.left = len(targets)
        self.index = PositionIndex()
        self.stack: list[_Open] = []
        # What each anchored scalar reads as, for an alias of it used as a key (`*K : 2`).
        self.anchored: dict[str, Any] = {}

    def value(self, event: Any, kind: type) -> None:
        """A scalar, an alias or the start of a collection: a key, or a value to place."""
        yaml = self.api.yaml
        is_start = kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent
        is_map = kind is yaml.MappingStartEvent
        if kind is yaml.ScalarEvent and event.anchor is not None:
            self.anchored[event.anchor] = _key_of(self.api, event)
        if not self.stack:
            self._found((), event, None)
            if is_start:
                self.stack.append(_Open((), is_map))
            return
        top = self.stack[-1]
        if top.is_map and top.key is _NO_KEY:
            # A key: remember it (and where it is) for the value that follows.
            # Typed only where it names a path followed (typing every key costs a third of the pass).
            if top.path is None:
                top.key = None
            else:
                top.key = self._key(event, kind)
            top.key_at = _position(event)
            if is_start:
                self.stack.append(_Open(None, is_map))
            return
        path: KeyPath | None = None
        if top.is_map:
            if top.path is not None and top.key is not _COMPLEX_KEY:
                path = (*top.path, top.key)
            top.key = _NO_KEY
        else:
            if top.path is not None:
                path = (*top.path, top.count)
            top.count += 1
        if path is not None and path not in self.on_path:
            path = None  # not followed: nothing asked for lies inside it
        if path is not None and path not in self.index.values:  # the first of duplicate keys is kept
            self._found(path, event, top.key_at if top.is_map else None)
        if is_start:
            self.stack.append(_Open(path, is_map))

    def _key(self, event: Any, kind: type) -> Any:
        yaml = self.api.yaml
        if kind is yaml.ScalarEvent:
            return _key_of(self.api, event)
        if kind is yaml.AliasEvent:
            return self.anchored.get(event.anchor, _COMPLEX_KEY)
        return _COMPLEX_KEY

    def _found(self, path: KeyPath, event: Any, key_at: tuple[int, int] | None) -> None:
        self.index.values[path] = _position(event)
        if key_at is not None:
            self.index.keys[path] = key_at
        if path in self.targets:
            self.left -= 1
