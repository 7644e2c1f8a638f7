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

PyYAML itself is imported on the first parse, not with this module: a command that reads a
plan from the validation cache never parses YAML, and importing PyYAML costs more than the
rest of such a command.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from cheplan.domain.errors import UnreadableInputError
from cheplan.domain.problems import Path, Problem

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
# The longest text in a real plan is a few thousand characters; a megabyte-long value is a
# wrong or hostile file, reported at once instead of after a second pass for positions.
MAX_SCALAR_CHARS = 100_000
# Aliases may share data, but the expanded tree may not grow past this many nodes plus
# ALIAS_GROWTH times the nodes actually written in the file.
ALIAS_BASE_BUDGET = 100_000
ALIAS_GROWTH = 4

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
_TIMESTAMP, _MERGE = _T + "timestamp", _T + "merge"
_MAP_TAGS = frozenset({None, "!", _T + "map"})
_SEQ_TAGS = frozenset({None, "!", _T + "seq"})
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})


class _Yaml:
    """The parts of PyYAML the builder uses, looked up once."""

    def __init__(self) -> None:
        import yaml

        self.yaml = yaml
        self.loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        self.using_c = self.loader is not yaml.SafeLoader
        self.constructor = yaml.constructor.SafeConstructor()
        # How a plain (unquoted) scalar is typed, by its first character, as yaml.resolver does it.
        resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
        anywhere = list(resolvers.get(None, []))
        self.implicit: dict[str, list[tuple[str, Any]]] = {
            first: [*candidates, *anywhere] for first, candidates in resolvers.items() if first is not None
        }
        self.implicit_anywhere = anywhere


_api: _Yaml | None = None


def _yaml() -> _Yaml:
    global _api  # noqa: PLW0603 - one lazily built, read-only table per process
    if _api is None:
        _api = _Yaml()
    return _api


def __getattr__(name: str) -> Any:
    """`USING_C_LOADER` is computed on first use, so importing this module stays cheap."""
    if name == "USING_C_LOADER":
        return _yaml().using_c
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_text(path: FsPath, display: str) -> str:
    """Read a file as UTF-8 text (a UTF-8 BOM is allowed) or explain why it cannot be."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableInputError(
                f"{display}: file is {size:,} bytes; cheplan reads plans up to {MAX_FILE_BYTES:,}"
            )
        # Read at most one byte past the limit: a device or pipe reports size 0 (/dev/zero).
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise UnreadableInputError(f"{display}: more than {MAX_FILE_BYTES:,} bytes; cheplan reads plans up to that")
    except FileNotFoundError:
        raise UnreadableInputError(f"{display}: no such file") from None
    except IsADirectoryError:
        raise UnreadableInputError(f"{display}: is a directory, not a file") from None
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
    api = _yaml()
    try:
        data, problems, index = _build(text, name, None)
    except _Fatal as fatal:
        return YamlDocument(name, text, None, [fatal.problem])
    except api.yaml.YAMLError as exc:
        return YamlDocument(name, text, None, [_yaml_error_problem(exc, text, name)])
    return YamlDocument(name, text, data, problems, index)


def position_index(text: str) -> PositionIndex:
    index = PositionIndex()
    # Positions up to a failure are still useful.
    with contextlib.suppress(_Fatal, _yaml().yaml.YAMLError):
        _build(text, "", index)
    return index


_DEPTH_MESSAGE = f"nesting deeper than {MAX_DEPTH} levels; a plan is never this deep"


class _Fatal(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _yaml_error_problem(exc: Any, text: str, name: str) -> Problem:
    yaml = _yaml().yaml
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        message = "; ".join(parts) or "malformed YAML"
        if "nesting depth" in message:
            # PyYAML 6.0.4's scanner refuses deep flow nesting before our own depth budget sees
            # it; report it the same way, so the message does not depend on the installed version.
            return Problem(name, mark.line + 1, mark.column + 1, "yaml-depth", _DEPTH_MESSAGE)
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
    import re

    lines = re.split(r"\r\n|\r|\n", text, maxsplit=line + 1)
    row = lines[line] if line < len(lines) else ""
    return row[column] if column < len(row) else ""


class _Frame:
    """One open mapping or sequence while the event stream is read."""

    __slots__ = ("anchor", "is_map", "key", "key_event", "opened_at", "path", "start", "value")

    def __init__(self, value: Any, is_map: bool, start: Any, anchor: str | None, opened_at: int, path: Path) -> None:
        self.value = value
        self.is_map = is_map
        self.start = start  # the start event, for its position
        self.anchor = anchor
        self.opened_at = opened_at  # the node count when it opened: its size when it closes
        self.path = path  # only recorded for a position index
        self.key: Any = _NO_KEY
        self.key_event: Any = None


_NO_KEY = object()


def _pending_path(stack: list[_Frame]) -> Path:
    """The path of the value about to be attached to the innermost open collection."""
    return tuple(frame.key if frame.is_map else len(frame.value) for frame in stack)


def _at(name: str, event: Any, code: str, message: str) -> Problem:
    mark = event.start_mark
    return Problem(name, mark.line + 1, mark.column + 1, code, message)


def _position(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return mark.line + 1, mark.column + 1


def _build(text: str, name: str, index: PositionIndex | None) -> tuple[Any, list[Problem], PositionIndex | None]:
    """One pass over the parser's events. Returns the data, its problems, and the position
    index when one had to be built (to name the first line of a duplicate key)."""
    api = _yaml()
    yaml = api.yaml
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, mapping_end = yaml.MappingStartEvent, yaml.MappingEndEvent
    sequence_start, sequence_end = yaml.SequenceStartEvent, yaml.SequenceEndEvent
    document_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
    implicit = api.implicit
    problems: list[Problem] = []
    # Duplicate keys found before positions exist: (where in `problems`, key event, path, key).
    duplicates: list[tuple[int, Any, Path, str]] = []
    anchors: dict[str, tuple[Any, int | None]] = {}
    stack: list[_Frame] = []
    root: Any = None
    root_event: Any = None
    documents = 0
    written = 0  # nodes written in the file
    expanded = 0  # nodes in the data, aliases counted in full

    parser = api.loader(text)
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is scalar_event:
                written += 1
                expanded += 1
                value: Any = event.value
                if len(value) > MAX_SCALAR_CHARS:
                    raise _Fatal(
                        _at(
                            name,
                            event,
                            "yaml-too-long",
                            f"a value of {len(value):,} characters; plan values are at most {MAX_SCALAR_CHARS:,}",
                        )
                    )
                tag = event.tag
                if tag is None:
                    if event.implicit[0]:
                        candidates = implicit.get(value[:1])
                        if candidates is not None or api.implicit_anywhere:
                            value = _typed_plain(api, event, candidates or api.implicit_anywhere, name)
                elif tag != "!":
                    value = _tagged(api, event, tag, name)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
            elif kind is mapping_start or kind is sequence_start:
                is_map = kind is mapping_start
                if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                    raise _Fatal(_at(name, event, "yaml-tag", _tag_message(event.tag)))
                if len(stack) >= MAX_DEPTH:
                    raise _Fatal(
                        _at(
                            name,
                            event,
                            "yaml-depth",
                            _DEPTH_MESSAGE,
                        )
                    )
                written += 1
                expanded += 1
                path = _pending_path(stack) if index is not None else ()
                frame = _Frame({} if is_map else [], is_map, event, event.anchor, expanded, path)
                if event.anchor is not None:
                    anchors[event.anchor] = (frame.value, None)
                stack.append(frame)
                continue
            elif kind is mapping_end or kind is sequence_end:
                frame = stack.pop()
                value = frame.value
                if frame.anchor is not None:
                    anchors[frame.anchor] = (value, expanded - frame.opened_at + 1)
                event = frame.start
            elif kind is alias_event:
                target = anchors.get(event.anchor)
                if target is None:
                    raise _Fatal(_at(name, event, "yaml-alias", f"alias *{event.anchor} refers to no anchor"))
                value, size = target
                if size is None:
                    raise _Fatal(
                        _at(name, event, "yaml-alias", f"alias *{event.anchor} refers to a collection that contains it")
                    )
                expanded += size
                if expanded > ALIAS_BASE_BUDGET + ALIAS_GROWTH * written:
                    raise _Fatal(
                        _at(
                            name,
                            event,
                            "yaml-alias",
                            "aliases expand this file to too many values (an alias bomb?); write the data out instead",
                        )
                    )
            elif kind is document_start:
                documents += 1
                if documents > 1:
                    raise _Fatal(
                        _at(
                            name,
                            event,
                            "yaml-documents",
                            "a plan file holds one YAML document; a second one starts here",
                        )
                    )
                continue
            elif kind is stream_end:
                break
            else:
                continue

            # Attach the finished value to the innermost open collection, or make it the root.
            if not stack:
                root, root_event = value, event
                if index is not None:
                    index.values[()] = _position(event)
                continue
            top = stack[-1]
            if top.is_map:
                if top.key is _NO_KEY:
                    top.key = value if type(value) is str else _as_key(value, event, name, problems)
                    top.key_event = event
                    continue
                key, top.key = top.key, _NO_KEY
                mapping = top.value
                if key in mapping:
                    path = (*_pending_path(stack[:-1]), key)
                    if index is None:
                        duplicates.append((len(problems), top.key_event, path, key))
                    problems.append(_duplicate_problem(name, top.key_event, key, index, path))
                    continue
                mapping[key] = value
                if index is not None:
                    path = (*top.path, key)
                    index.keys[path] = _position(top.key_event)
                    index.values[path] = _position(event)
            else:
                if index is not None:
                    index.values[(*top.path, len(top.value))] = _position(event)
                top.value.append(value)
    finally:
        parser.dispose()
    if root_event is None:
        raise _Fatal(Problem(name, 1, 1, "yaml-empty", "the file holds no YAML document"))
    if root is None:
        # "---", "~" or "null" alone: a document, but nothing in it.
        raise _Fatal(_at(name, root_event, "yaml-empty", "the YAML document is empty (null): there is no data in it"))
    if duplicates:
        # Rare: one more pass gives every key's line, and the document keeps it for later problems.
        index = position_index(text)
        for slot, key_event, path, key in duplicates:
            problems[slot] = _duplicate_problem(name, key_event, key, index, path)
    return root, problems, index


def _duplicate_problem(name: str, key_event: Any, key: str, index: PositionIndex | None, path: Path) -> Problem:
    first = index.keys.get(path) if index is not None else None
    where = f" (first defined at line {first[0]})" if first else ""
    return _at(name, key_event, "duplicate-key", f"duplicate key {key!r}{where}; a key may appear once per mapping")


def _as_key(value: Any, event: Any, name: str, problems: list[Problem]) -> str:
    if isinstance(value, (dict, list)):
        raise _Fatal(_at(name, event, "yaml-complex-key", "a mapping key must be plain text, not a list or mapping"))
    problems.append(
        _at(name, event, "yaml-key-type", f"mapping key {value!r} is not text; quote it if it is meant as a name")
    )
    return str(value)


def _typed_plain(api: _Yaml, event: Any, candidates: list[tuple[str, Any]], name: str) -> Any:
    """An unquoted scalar that may be a number, a boolean or null, as YAML 1.1 reads it."""
    value: str = event.value
    tag = next((tag for tag, pattern in candidates if pattern.match(value)), None)
    if tag is None or (tag not in _SCALAR_TAGS and tag != _MERGE):
        return value  # text; "=" and YAML's other odd implicit tags mean nothing in a plan either
    return _tagged(api, event, tag, name)


def _tagged(api: _Yaml, event: Any, tag: str, name: str) -> Any:
    value: str = event.value
    if tag in (_STR, _TIMESTAMP):
        # Timestamps stay text: the schema decides what a valid date is.
        return value
    if tag == _MERGE:
        raise _Fatal(_at(name, event, "yaml-merge", "merge keys (<<) are not supported; write the keys out"))
    if tag not in _SCALAR_TAGS:
        raise _Fatal(_at(name, event, "yaml-tag", _tag_message(tag)))
    if tag == _NULL:
        return None
    if tag == _INT and value.isascii() and value.isdigit() and (value[0] != "0" or len(value) == 1):
        # Plain decimal, the only kind a plan has (ids, versions): no need for PyYAML's parser.
        with contextlib.suppress(ValueError):  # over 4,300 digits: PyYAML's parser says so below
            return int(value)
    yaml = api.yaml
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
    try:
        if tag == _BOOL:
            return api.constructor.construct_yaml_bool(node)
        if tag == _INT:
            number = api.constructor.construct_yaml_int(node)
            if not _DECIMAL.fullmatch(value):
                # 010 is 8 to YAML 1.1 but 10 to YAML 1.2 readers (editors, ruamel in `cheplan
                # update`): refuse any number whose value depends on who reads it.
                raise _Fatal(_at(name, event, "yaml-number", _AMBIGUOUS_NUMBER.format(value=value)))
            return number
        return api.constructor.construct_yaml_float(node)
    except (ValueError, KeyError, yaml.YAMLError):
        raise _Fatal(
            _at(name, event, "yaml-scalar", f"{value[:40]!r} is not a valid {tag.rsplit(':', 1)[-1]}")
        ) from None


_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)", re.ASCII)
_AMBIGUOUS_NUMBER = (
    "{value!r} is an octal, hexadecimal, binary, sexagesimal or underscored number, which YAML readers"
    " disagree on; write a plain decimal number, or quote it if it is text"
)


def _tag_message(tag: str | None) -> str:
    if tag and "python/" in tag:
        return f"unsafe tag {tag!r} refused: plan files hold plain data only"
    return f"tag {tag!r} is not allowed: plan files use plain mappings, lists, text and numbers"
