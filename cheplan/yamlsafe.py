"""Read YAML safely and remember where every value came from.

PyYAML's composer keeps a node object (with two marks) per value and recurses in C, which
crashes on deeply nested input. Instead we read the parser's flat event stream and build
plain Python data directly, in one pass, with an explicit stack. That one loop is where
every safety rule lives:

* only the standard scalar, mapping and sequence tags are accepted (no ``!!python/*``);
* timestamps stay strings, so an impossible date is a validation error, not a crash;
* a duplicate key is a problem naming both lines;
* nesting depth and alias expansion are bounded, so a billion-laughs file fails fast;
* one document per file.

Positions cost time and memory and are only needed when there is something to report, so
they are recorded by a second pass over the same text (``position_index``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

from cheplan.errors import UnreadableInputError
from cheplan.problems import Path, Problem

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
# Aliases may share data, but the expanded tree may not grow past this many nodes plus
# ALIAS_GROWTH times the nodes actually written in the file.
ALIAS_BASE_BUDGET = 100_000
ALIAS_GROWTH = 4

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
USING_C_LOADER = _Loader is not yaml.SafeLoader

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
_TIMESTAMP, _MERGE = _T + "timestamp", _T + "merge"
_MAP_TAGS = frozenset({None, "!", _T + "map"})
_SEQ_TAGS = frozenset({None, "!", _T + "seq"})
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})

_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


def read_text(path: FsPath, display: str) -> str:
    """Read a file as UTF-8 text (a UTF-8 BOM is allowed) or explain why it cannot be."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableInputError(
                f"{display}: file is {size:,} bytes; cheplan reads plans up to {MAX_FILE_BYTES:,}"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInputError(f"{display}: no such file") from None
    except IsADirectoryError:
        raise UnreadableInputError(f"{display}: is a directory, not a plan file") from None
    except PermissionError:
        raise UnreadableInputError(f"{display}: permission denied") from None
    except OSError as exc:
        raise UnreadableInputError(f"{display}: cannot be read ({exc.strerror})") from None
    return decode_utf8(raw, display)


def decode_utf8(raw: bytes, display: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableInputError(
            f"{display}: file is encoded as UTF-16 (or UTF-32); cheplan reads UTF-8 only. Save it as UTF-8."
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul != -1:
        hint = (
            "it looks like UTF-16 without a byte-order mark; save it as UTF-8"
            if raw[1::2].count(0) > len(raw) // 4 or raw[0::2].count(0) > len(raw) // 4
            else "this is not a text file"
        )
        line, col = _line_col_of_byte(raw, nul)
        raise UnreadableInputError(f"{display}:{line}:{col}: NUL byte in file; {hint}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_byte(raw, exc.start)
        raise UnreadableInputError(
            f"{display}:{line}:{col}: not valid UTF-8 (byte 0x{raw[exc.start]:02x});"
            " cheplan reads UTF-8 only. Save the file as UTF-8."
        ) from None


def _line_col_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    prefix = raw[line_start:offset].decode("utf-8", errors="replace")
    return raw.count(b"\n", 0, offset) + 1, len(prefix) + 1


@dataclass
class YamlDocument:
    """A parsed file: its data (None when unusable), its problems, and lazy positions."""

    name: str
    text: str
    data: Any
    problems: list[Problem]
    _index: PositionIndex | None = field(default=None, repr=False)

    @property
    def usable(self) -> bool:
        return self.data is not None and not any(p.is_error for p in self.problems)

    @property
    def positions(self) -> PositionIndex:
        if self._index is None:
            self._index = position_index(self.text)
        return self._index

    def problem_at(
        self, path: Path, code: str, message: str, *, severity: str = "error", at_key: bool = False
    ) -> Problem:
        line, col = self.positions.locate(path, at_key=at_key)
        return Problem(self.name, line, col, code, message, severity, path)  # type: ignore[arg-type]


@dataclass
class PositionIndex:
    """Line and column (1-based) of each value, and of each mapping key, by path."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path, *, at_key: bool = False) -> tuple[int, int]:
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


def parse_yaml(text: str, name: str) -> YamlDocument:
    """Build data from YAML text; every problem is returned, nothing is raised."""
    try:
        data, problems = _build(text, name, None)
    except _Fatal as fatal:
        return YamlDocument(name, text, None, [fatal.problem])
    except yaml.YAMLError as exc:
        return YamlDocument(name, text, None, [_yaml_error_problem(exc, text, name)])
    return YamlDocument(name, text, data, problems)


def position_index(text: str) -> PositionIndex:
    index = PositionIndex()
    # Positions up to a failure are still useful.
    with contextlib.suppress(_Fatal, yaml.YAMLError):
        _build(text, "", index)
    return index


class _Fatal(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _yaml_error_problem(exc: yaml.YAMLError, text: str, name: str) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        message = "; ".join(parts) or "malformed YAML"
        return Problem(name, mark.line + 1, mark.column + 1, "yaml-syntax", f"malformed YAML: {message}")
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return Problem(name, line, col, "yaml-syntax", f"character {char!r} (U+{ord(char):04X}) is not allowed in YAML")
    return Problem(name, 1, 1, "yaml-syntax", f"malformed YAML: {exc}")


class _Frame:
    """One open mapping or sequence while the event stream is read."""

    __slots__ = ("anchor", "index", "is_map", "key", "key_mark", "path", "size", "value")

    def __init__(self, value: Any, path: Path, anchor: str | None, is_map: bool) -> None:
        self.value = value
        self.path = path
        self.size = 1
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_mark: Any = None
        self.index = 0
        self.is_map = is_map


_NO_KEY = object()


def _events(text: str) -> Iterator[Any]:
    loader = _Loader(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


def _build(text: str, name: str, index: PositionIndex | None) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []
    anchors: dict[str, tuple[Any, int | None]] = {}
    stack: list[_Frame] = []
    root: Any = None
    have_root = False
    documents = 0
    written_nodes = 0
    expanded_nodes = 0

    def problem(mark: Any, code: str, message: str) -> Problem:
        return Problem(name, mark.line + 1, mark.column + 1, code, message)

    def attach(value: Any, size: int, mark: Any) -> None:
        """Put a finished value into the open collection (or make it the root)."""
        nonlocal root, have_root
        if not stack:
            root, have_root = value, True
            if index is not None:
                index.values[()] = (mark.line + 1, mark.column + 1)
            return
        top = stack[-1]
        top.size += size
        if top.is_map:
            if top.key is _NO_KEY:
                top.key = _as_key(value, mark)
                top.key_mark = mark
                return
            key, top.key = top.key, _NO_KEY
            mapping = top.value
            if key in mapping:
                first = index_keys.get((id(mapping), key))
                where = f" (first defined at line {first})" if first else ""
                problems.append(
                    problem(
                        top.key_mark,
                        "duplicate-key",
                        f"duplicate key {key!r}{where}; a key may appear once per mapping",
                    )
                )
                return
            mapping[key] = value
            index_keys[(id(mapping), key)] = top.key_mark.line + 1
            if index is not None:
                path = (*top.path, key)
                index.keys[path] = (top.key_mark.line + 1, top.key_mark.column + 1)
                index.values[path] = (mark.line + 1, mark.column + 1)
        else:
            top.value.append(value)
            if index is not None:
                index.values[(*top.path, top.index)] = (mark.line + 1, mark.column + 1)
            top.index += 1

    def _as_key(value: Any, mark: Any) -> Any:
        if isinstance(value, str):
            return value
        if isinstance(value, (dict, list)):
            raise _Fatal(problem(mark, "yaml-complex-key", "a mapping key must be plain text, not a list or mapping"))
        problems.append(
            problem(mark, "yaml-key-type", f"mapping key {value!r} is not text; quote it if it is meant as a name")
        )
        return str(value)

    # Keys are tracked by mapping identity to name the first line of a duplicate.
    index_keys: dict[tuple[int, Any], int] = {}
    stack_marks: list[Any] = []

    for event in _events(text):
        kind = type(event)
        if kind is yaml.ScalarEvent:
            written_nodes += 1
            expanded_nodes += 1
            value = _scalar(event, problem)
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            attach(value, 1, event.start_mark)
        elif kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
            is_map = kind is yaml.MappingStartEvent
            allowed = _MAP_TAGS if is_map else _SEQ_TAGS
            if event.tag not in allowed:
                raise _Fatal(problem(event.start_mark, "yaml-tag", _tag_message(event.tag)))
            if len(stack) >= MAX_DEPTH:
                raise _Fatal(
                    problem(
                        event.start_mark,
                        "yaml-depth",
                        f"nesting deeper than {MAX_DEPTH} levels; a plan is never this deep",
                    )
                )
            written_nodes += 1
            expanded_nodes += 1
            path: Path = ()
            if index is not None and stack:
                top = stack[-1]
                path = (*top.path, top.key) if top.is_map else (*top.path, top.index)
            frame = _Frame({} if is_map else [], path, event.anchor, is_map)
            if event.anchor:
                anchors[event.anchor] = (frame.value, None)
            stack.append(frame)
            stack_marks.append(event.start_mark)
        elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            frame = stack.pop()
            mark = stack_marks.pop()
            if frame.anchor:
                anchors[frame.anchor] = (frame.value, frame.size)
            attach(frame.value, frame.size, mark)
        elif kind is yaml.AliasEvent:
            target = anchors.get(event.anchor)
            if target is None:
                raise _Fatal(problem(event.start_mark, "yaml-alias", f"alias *{event.anchor} refers to no anchor"))
            value, size = target
            if size is None:
                raise _Fatal(
                    problem(
                        event.start_mark, "yaml-alias", f"alias *{event.anchor} refers to a collection that contains it"
                    )
                )
            expanded_nodes += size
            if expanded_nodes > ALIAS_BASE_BUDGET + ALIAS_GROWTH * written_nodes:
                raise _Fatal(
                    problem(
                        event.start_mark,
                        "yaml-alias",
                        "aliases expand this file to too many values (an alias bomb?); write the data out instead",
                    )
                )
            attach(value, size, event.start_mark)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Fatal(
                    problem(
                        event.start_mark,
                        "yaml-documents",
                        "a plan file holds one YAML document; a second one starts here",
                    )
                )
    if not have_root:
        raise _Fatal(Problem(name, 1, 1, "yaml-empty", "the file holds no YAML document"))
    return root, problems


def _scalar(event: Any, problem: Any) -> Any:
    tag = event.tag
    value: str = event.value
    if tag is None or tag == "!":
        if tag is None and event.implicit[0]:
            tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        else:
            return value
    if tag in (_STR, _TIMESTAMP):
        # Timestamps stay text: the schema decides what a valid date is.
        return value
    if tag == _MERGE:
        raise _Fatal(problem(event.start_mark, "yaml-merge", "merge keys (<<) are not supported; write the keys out"))
    if tag not in _SCALAR_TAGS:
        raise _Fatal(problem(event.start_mark, "yaml-tag", _tag_message(tag)))
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
    try:
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _constructor.construct_yaml_bool(node)
        if tag == _INT:
            return _constructor.construct_yaml_int(node)
        return _constructor.construct_yaml_float(node)
    except (ValueError, yaml.YAMLError):
        raise _Fatal(
            problem(event.start_mark, "yaml-scalar", f"{value[:40]!r} is not a valid {tag.rsplit(':', 1)[-1]}")
        ) from None


def _tag_message(tag: str | None) -> str:
    if tag and "python/" in tag:
        return f"unsafe tag {tag!r} refused: plan files hold plain data only"
    return f"tag {tag!r} is not allowed: plan files use plain mappings, lists, text and numbers"
