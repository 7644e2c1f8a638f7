"""A plan (or a register stub) as a YAML file people will edit: keys in the schema's order,
long text folded, months and dates quoted, and a header saying where it came from.

The data is handed to libyaml's emitter as a stream of events, one value at a time, rather
than through PyYAML's representer: that builds a node object per value (with the collector
walking them all) before writing a byte, and took 4.7 s and 470 MiB for a 50,000-action plan
where the stream takes 2.4 s and almost no memory. The text is the same, byte for byte
(tests/outputs/test_plan_yaml.py holds the two side by side).
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Any

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# Texts up to this long (keys, codes, statuses, lead names) repeat thousands of times in a plan:
# how each is written is worked out once.
_REMEMBERED_CHARS = 64
_REMEMBERED_TEXTS = 20_000  # events kept: the repeated texts come early (keys first); at most some MB


@dataclass(frozen=True)
class WrittenSize:
    """How big a plan's file will be, counted on its data before it is written."""

    values: int
    """Values as a reader counts them: each text, number, list and mapping, keys included."""
    characters: int
    """Characters of text in those values: at least this many bytes of file."""


def written_size(data: Any) -> WrittenSize:
    """Count what `plan_text` would write, in one pass over the data (no recursion: a stack).

    Cheap beside writing and reading the text back, so a writer can refuse a plan over a read
    cap before spending the time and memory to make it. Shared values are counted each time
    they appear, as they are written out each time.
    """
    values = 1
    characters = len(data) if isinstance(data, str) else 0
    pending: list[Any] = [data] if isinstance(data, (dict, list)) else []
    while pending:
        found = pending.pop()
        if isinstance(found, dict):
            values += 2 * len(found)  # each key and its value
            try:
                characters += sum(map(len, found))  # the keys: text, as the reader makes them
            except TypeError:  # a key that is not text (a number) counts as its value does: none
                characters += sum(len(key) for key in found if isinstance(key, str))
            items = found.values()
        else:
            values += len(found)
            items = found
        for item in items:
            if isinstance(item, str):
                characters += len(item)
            elif isinstance(item, (dict, list)):
                pending.append(item)
    return WrittenSize(values, characters)


def plan_text(data: dict[str, Any], comment: str) -> str:
    """`data` as YAML, after `comment` (each line made a YAML comment)."""
    import yaml

    # The header first, so the text is made once (joining it to the body after would copy it);
    # written, not given to StringIO(...), which would keep every character in four bytes.
    stream = io.StringIO()
    stream.write("".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines()))
    # libyaml's emitter when PyYAML has it: five times faster on a plan of thousands of actions.
    base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    dumper = base(stream, allow_unicode=True, width=100, indent=2, sort_keys=False)
    try:
        dumper.emit(yaml.StreamStartEvent())
        dumper.emit(yaml.DocumentStartEvent(explicit=False))
        _Events(yaml, dumper).write(data)
        dumper.emit(yaml.DocumentEndEvent(explicit=False))
        dumper.emit(yaml.StreamEndEvent())
    finally:
        dumper.dispose()
    return stream.getvalue()


class _Events:
    """Writes a value as events: a shared value is written out in full each time it appears
    (never as an anchor and alias), so the file holds what `written_size` counted. Recursive,
    as deep as the data: at most the read cap's depth.

    The emitter only reads an event, so one event object serves every time a short text (a key,
    a code, a status, a lead) is written: a plan repeats them hundreds of thousands of times."""

    def __init__(self, yaml: Any, dumper: Any) -> None:
        self.yaml, self.dumper, self.emit = yaml, dumper, dumper.emit
        self.mapping_end, self.sequence_end = yaml.MappingEndEvent(), yaml.SequenceEndEvent()
        self.texts: dict[str, Any] = {}

    def write(self, value: Any) -> None:
        yaml, emit = self.yaml, self.emit
        if isinstance(value, str):
            event = self.texts.get(value)
            if event is None:
                implicit, style = _text_form(value)
                event = yaml.ScalarEvent(None, _STR, implicit, str(value), style=style)
                if len(value) <= _REMEMBERED_CHARS and len(self.texts) < _REMEMBERED_TEXTS:
                    self.texts[value] = event
            emit(event)
        elif isinstance(value, dict):
            emit(yaml.MappingStartEvent(None, _MAP, True, flow_style=not value))
            for key, item in value.items():
                self.write(key)
                self.write(item)
            emit(self.mapping_end)
        elif isinstance(value, list):
            emit(yaml.SequenceStartEvent(None, _SEQ, True, flow_style=not value))
            for item in value:
                self.write(item)
            emit(self.sequence_end)
        else:  # a number, true/false, null, a date: as PyYAML's safe representer writes it
            node = self.dumper.represent_data(value)
            emit(yaml.ScalarEvent(None, node.tag, _implicit(node.tag, node.value), node.value, style=node.style))


def _text_form(value: str) -> tuple[tuple[bool, bool], str | None]:
    """Whether the text may be written without its tag (plain, quoted), and its style: several
    lines as a literal block; dates and months quoted, as the guide asks."""
    if "\n" in value:
        style: str | None = "|"
    elif len(value) >= 7 and value[:4].isdigit() and value[4:5] == "-":
        style = '"'
    else:
        style = None
    return _implicit(_STR, value), style


def _implicit(tag: str, value: str) -> tuple[bool, bool]:
    """As PyYAML's serializer decides it: the tag may go unwritten when a reader would resolve
    the value, plain or quoted, to that tag anyway."""
    import yaml

    resolver = _resolver()
    plain = resolver.resolve(yaml.ScalarNode, value, (True, False))
    quoted = resolver.resolve(yaml.ScalarNode, value, (False, True))
    return plain == tag, quoted == tag


@functools.cache
def _resolver() -> Any:
    import yaml

    return yaml.resolver.Resolver()
