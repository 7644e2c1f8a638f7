"""Read YAML safely and remember where every value came from.

The pieces, each in its own module:

* files.py reads the file (through domain.filesystem: a size cap, regular files only), UTF-8
  only, a clear message for anything else;
* yaml_builder.py builds plain data from PyYAML's flat event stream with an explicit
  stack (no recursion, so deep nesting cannot crash), bounding depth and aliases, and
  records positions in a second pass only when a problem needs them;
* yaml_scalars.py types each scalar: only the standard tags, timestamps kept as text,
  numbers whose value depends on the reader refused.

This module is the front: `parse_yaml` turns text into a YamlDocument (data, problems,
lazy positions) and never raises.

PyYAML itself is imported on the first parse, not with this module: a command that reads a
plan from the validation cache never parses YAML, and importing PyYAML costs more than the
rest of such a command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cheplan.domain.caps import MAX_DEPTH, MAX_FILE_BYTES, MAX_SCALAR_CHARS
from cheplan.domain.problems import KeyPath, Problem
from cheplan.loading.files import decode_utf8, read_text
from cheplan.loading.yaml_builder import (
    ALIAS_BASE_BUDGET,
    ALIAS_GROWTH,
    DEPTH_MESSAGE,
    PositionIndex,
    build,
    position_index,
)
from cheplan.loading.yaml_positions import positions_of
from cheplan.loading.yaml_scalars import Fatal, yaml_api

__all__ = [
    "ALIAS_BASE_BUDGET",
    "ALIAS_GROWTH",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_SCALAR_CHARS",
    "PositionIndex",
    "YamlDocument",
    "decode_utf8",
    "parse_yaml",
    "position_index",
    "read_text",
]


def __getattr__(name: str) -> Any:
    """`USING_C_LOADER` is computed on first use, so importing this module stays cheap."""
    if name == "USING_C_LOADER":
        return yaml_api().using_c
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Up to this many characters a problem's position comes from a full index of the file (one
# pass, then every lookup is free); past it, from passes that find only the paths asked for
# (yaml_positions): a full index of a 20 MB plan would take over 500 MB.
FULL_INDEX_CHARS = 2_000_000


@dataclass
class YamlDocument:
    """A parsed file: its data (None when unusable), its problems, and lazy positions."""

    name: str
    text: str
    data: Any
    problems: list[Problem]
    _index: PositionIndex | None = field(default=None, repr=False)
    # A large file's positions found so far, and every path already looked for.
    _known: PositionIndex = field(default_factory=PositionIndex, repr=False)
    _asked: set[KeyPath] = field(default_factory=set, repr=False)
    # Items of the large lists that passed the schema on their own, by the list's path: set when
    # an invalid file was validated in pieces, so its cross-checks need not validate them again.
    valid_items: dict[KeyPath, list[tuple[int, Any]]] = field(default_factory=dict, repr=False)
    # Each key of the top-level mapping, with its line and column (0-based): see yaml_builder.build.
    top_keys: list[tuple[str, int, int]] = field(default_factory=list, repr=False)
    values: int = 0
    """The values written in the file (texts, numbers, lists and mappings; what MAX_NODES caps)."""

    @property
    def positions(self) -> PositionIndex:
        """A full index of the file's positions (built on first use: costly for a large file)."""
        if self._index is None:
            self._index = position_index(self.text)
        return self._index

    def prefetch(self, paths: Iterable[KeyPath]) -> None:
        """Find where these paths are in one pass, before problems are made at them one by one."""
        if self._index is not None or len(self.text) <= FULL_INDEX_CHARS:
            return
        missing = {path for path in paths if path not in self._asked}
        if missing:
            found = positions_of(self.text, missing)
            self._known.values.update(found.values)
            self._known.keys.update(found.keys)
            self._asked |= missing

    def locate(self, path: KeyPath, *, at_key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value (or key) at `path`, else of its nearest ancestor."""
        if self._index is not None or len(self.text) <= FULL_INDEX_CHARS:
            return self.positions.locate(path, at_key=at_key)
        self.prefetch([path])
        return self._known.locate(path, at_key=at_key)

    def problem_at(
        self, path: KeyPath, code: str, message: str, *, severity: str = "error", at_key: bool = False
    ) -> Problem:
        line, col = self.locate(path, at_key=at_key)
        return Problem(self.name, line, col, code, message, severity, path)  # type: ignore[arg-type]


def parse_yaml(text: str, name: str) -> YamlDocument:
    """Build data from YAML text; every problem is returned, nothing is raised."""
    api = yaml_api()
    top_keys: list[tuple[str, int, int]] = []
    try:
        data, problems, index, values = build(text, name, None, top_keys)
    except Fatal as fatal:
        return YamlDocument(name, text, None, [fatal.problem])
    except api.yaml.YAMLError as exc:
        return YamlDocument(name, text, None, [_yaml_error_problem(exc, text, name)])
    if index is None:
        return YamlDocument(name, text, data, problems, top_keys=top_keys, values=values)
    # The positions of duplicate keys, found to name their first lines: kept for later problems.
    return YamlDocument(
        name, text, data, problems, _known=index, _asked=set(index.values), top_keys=top_keys, values=values
    )


def _yaml_error_problem(exc: Any, text: str, name: str) -> Problem:
    yaml = yaml_api().yaml
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        message = "; ".join(parts) or "malformed YAML"
        if "nesting depth" in message:
            # PyYAML 6.0.4's scanner refuses deep flow nesting before our own depth budget sees
            # it; report it the same way, so the message does not depend on the installed version.
            return Problem(name, mark.line + 1, mark.column + 1, "yaml-depth", DEPTH_MESSAGE)
        if "tab" not in message and _char_at(text, mark.line, mark.column) == "\t":
            message += " (a tab: YAML indents with spaces only)"
        return Problem(name, mark.line + 1, mark.column + 1, "yaml-syntax", f"malformed YAML: {message}")
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return Problem(name, line, col, "yaml-syntax", f"character {char!r} (U+{ord(char):04X}) is not allowed in YAML")
    return Problem(name, 1, 1, "yaml-syntax", f"malformed YAML: {exc}")


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a parser mark (0-based line and column), or "" past the end."""
    lines = re.split(r"\r\n|\r|\n", text, maxsplit=line + 1)
    row = lines[line] if line < len(lines) else ""
    return row[column] if column < len(row) else ""
