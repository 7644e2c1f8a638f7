"""Record indicator values in a plan file: the writer behind `cheplan measure` and the Measures sheet.

Like progress (:mod:`cheplan.editing.record`), one call takes the lock, reads the plan once,
appends each value to its indicator's `values:` list, validates the result once and writes it
once, atomically: all values or none. Only the text of the indicators' blocks changes; every
other byte is kept. A value already on record (the same period, figure, note, organisation
and correction) is not added again, so running the same command or import twice is harmless.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cheplan.domain.errors import InvalidPlanError, WriteRefusedError
from cheplan.domain.indicators import IndicatorValue
from cheplan.domain.problems import Problem
from cheplan.editing.blocks import ActionBlock, _events, _read_keys, list_region
from cheplan.editing.entry_text import _key_and_text
from cheplan.editing.files import check_writable, locked_plan, plan_bytes, write_atomically
from cheplan.editing.update import split_newlines
from cheplan.loading import cache as validation_cache
from cheplan.loading.load import Source, validate_sources
from cheplan.loading.locate import display_name, resolve_registers

_INDICATORS_KEY = re.compile(r"\nindicators:[ \t]*(?:#[^\n]*)?\n")


@dataclass(frozen=True)
class ValueOutcome:
    indicator_id: str
    entry: IndicatorValue
    recorded: bool  # False: the same value was already on record


@dataclass(frozen=True)
class ValuesOutcome:
    plan_name: str
    entries: tuple[ValueOutcome, ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def written(self) -> bool:
        return any(outcome.recorded for outcome in self.entries)


def record_values(
    plan_path: Path,
    entries: Sequence[tuple[str, IndicatorValue]],
    *,
    registers: list[Path] | None,
    expected_sha256: str | None = None,
    cache: bool = False,
) -> ValuesOutcome:
    """Append each `(indicator_id, value)` in one atomic write; raises WriteRefusedError when
    the result would not validate (the plan's own checks: range, period, correction) or the
    layout cannot be edited safely, and InvalidPlanError when the plan is not valid as it stands.
    `cache`: remember the written plan as valid in the user's cache (the command line's choice)."""
    from cheplan.editing.record import text_sha256

    register_sources = [Source.read(path) for path in resolve_registers(registers)]
    with locked_plan(plan_path, display_name(plan_path)) as plan:
        check_writable(plan)
        original = plan.read_text()
        if expected_sha256 is not None and text_sha256(original) != expected_sha256:
            raise WriteRefusedError(f"{plan.name} not changed: it changed while the values were being checked", [])
        text, newline = split_newlines(original, plan.name)
        try:
            text, outcomes = add_values(text, entries, plan.name)
        except IndicatorNotFoundError as missing:
            raise why_not_found(plan.name, original, register_sources, missing.indicator_id) from None
        final = text.replace("\n", newline) if newline != "\n" else text
        after = validate_sources(Source(final, plan.name), register_sources)
        if not any(o.recorded for o in outcomes):
            if not after.ok:
                raise InvalidPlanError(after.errors)
            return ValuesOutcome(plan.name, tuple(outcomes))
        plan_bytes(plan, final)
        if not after.ok:
            raise WriteRefusedError(
                f"{plan.name} not changed: these values would make the plan invalid"
                " (the positions above are in the text as it would have been written)",
                after.errors,
            )
        write_atomically(plan, final)
        if cache:
            key = validation_cache.content_key([final, *(s.text for s in register_sources)])
            validation_cache.remember_valid(key, after.documents)
        warnings = tuple(w for w in after.warnings if w.path[:1] == ("indicators",))
        return ValuesOutcome(plan.name, tuple(outcomes), warnings)


class IndicatorNotFoundError(LookupError):
    """The text-level edit found no block for the indicator; :func:`why_not_found` says why."""

    def __init__(self, indicator_id: str) -> None:
        super().__init__(indicator_id)
        self.indicator_id = indicator_id


def add_values(
    text: str, entries: Sequence[tuple[str, IndicatorValue]], name: str
) -> tuple[str, tuple[ValueOutcome, ...]]:
    """The text (newlines as `\\n`) with each `(indicator_id, value)` appended to its indicator's
    `values:` list, a value already on record left out: a pure edit, so `cheplan measure` and
    `returns import` (with the progress entries, in one write) share it. The caller validates the
    whole result. Raises IndicatorNotFoundError, or WriteRefusedError for a layout it cannot edit."""
    outcomes: list[ValueOutcome] = []
    for indicator_id, entry in entries:
        block = find_indicator(text, indicator_id, name)
        if block is None:
            raise IndicatorNotFoundError(indicator_id)
        on_record = [v for v in block.data.get("values") or [] if isinstance(v, dict)]
        if entry.as_data() in on_record:
            outcomes.append(ValueOutcome(indicator_id, entry, recorded=False))
            continue
        text = text[: block.start] + _with_value(block, entry, name) + text[block.end :]
        outcomes.append(ValueOutcome(indicator_id, entry, recorded=True))
    return text, tuple(outcomes)


def why_not_found(name: str, text: str, registers: list[Source], indicator_id: str) -> Exception:
    """Why the edit found no block for `indicator_id` in the plan `text` as it stands."""
    from cheplan.domain.errors import UsageError

    validation = validate_sources(Source(text, name), registers)
    if not validation.ok or validation.plan is None:
        return InvalidPlanError(validation.errors)
    known = [i.id for i in validation.plan.indicators]
    if indicator_id not in known:
        from cheplan.domain.words import suggestion

        return UsageError(f"{name} has no indicator {indicator_id!r}{suggestion(indicator_id, known)}")
    return WriteRefusedError(
        f"{name} not changed: indicator {indicator_id} is not written as a block list item"
        " (`- id: ...` under `indicators:`), so cheplan cannot tell where its value goes; record it by hand",
        [],
    )


def find_indicator(text: str, indicator_id: str, name: str) -> ActionBlock | None:
    """The block of indicator `indicator_id` in the top-level `indicators:` list, or None."""
    region = list_region(text, _INDICATORS_KEY)
    if region is None:
        return None
    text_nl, first, dash, keys, region_end = region.text_nl, region.first, region.dash, region.keys, region.end
    item = re.compile(rf"\n[ ]{{{dash}}}-[ \n]")
    quoted = re.escape(indicator_id)
    id_line = re.compile(rf"\n(?:[ ]{{{dash}}}-[ ]+|[ ]{{{keys}}})id:[ ]+([\"']?){quoted}\1[ ]*(?:#[^\n]*)?\n")
    matches = [m.start() for m in id_line.finditer(text_nl, first, region_end + 1)]
    if len(matches) != 1:
        return None
    starts = [m.start() for m in item.finditer(text_nl, first, matches[0] + dash + 3)]
    following = item.search(text_nl, matches[0] + 1, region_end + 1)
    end = following.start() if following else region_end
    block = ActionBlock(len(starts) - 1, starts[-1], end, text[starts[-1] : end], dash)
    return block if _analyse(block, indicator_id, name) else None


def _analyse(block: ActionBlock, indicator_id: str, name: str) -> bool:
    import yaml

    from cheplan.loading.safe_yaml import parse_yaml

    try:
        events = _events(block.text)  # once: for the anchors and for the keys' positions
    except yaml.YAMLError:
        return False
    shared = any(getattr(event, "anchor", None) is not None for event in events)
    if shared:  # an anchor shares one value between places: appending to it would change both
        raise WriteRefusedError(
            f"{name} not changed: indicator {indicator_id} uses YAML anchors or aliases (& or *);"
            " write the shared values out in full first",
            [],
        )
    document = parse_yaml(block.text, name)
    data = document.data
    if document.problems or not isinstance(data, list) or len(data) != 1 or not isinstance(data[0], dict):
        return False
    if data[0].get("id") != indicator_id:
        return False
    block.data = data[0]
    _read_keys(block, events)
    return True


def number_text(value: int | float) -> str:
    """A number as YAML 1.1 reads it back as the same number (1e+60 would be text: it needs a dot)."""
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    if "e" in text and "." not in text:
        mantissa, _, exponent = text.partition("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def value_text(entry: IndicatorValue, dash_column: int, keys_column: int) -> str:
    """`- period: ...` and the entry's other keys, one per line."""
    lines = []
    if entry.period is not None:
        lines.append(f'period: "{entry.period}"')
    if entry.corrects is not None:
        lines.append(f'corrects: "{entry.corrects}"')
    lines.append(f"value: {number_text(entry.value)}")
    if entry.note:
        lines.append(_key_and_text("note", entry.note, keys_column, fold=True))
    if entry.organisation is not None:
        lines.append(f"organisation: {entry.organisation}")
    first = " " * dash_column + "-" + " " * (keys_column - dash_column - 1) + lines[0]
    return "".join(line + "\n" for line in [first, *(" " * keys_column + line for line in lines[1:])])


def _with_value(block: ActionBlock, entry: IndicatorValue, name: str) -> str:
    """The block's text with `entry` appended to its values; refused unless it reads back so."""
    from cheplan.loading.safe_yaml import parse_yaml

    text, column = block.text, block.keys_column
    values = block.keys.get("values")
    old = block.data.get("values")
    if values is None:
        at = _line_after(text, block.content_end)
        inserted = (
            f"{' ' * column}values:\n{value_text(entry, column + block.dash_column, column + block.dash_column + 2)}"
        )
    elif isinstance(old, list) and old and values.kind == "block" and values.items_column is not None:
        dash = values.items_column
        at = _line_after(text, values.content_end)
        inserted = value_text(entry, dash, values.item_keys_column or dash + 2)
    else:
        raise WriteRefusedError(
            f"{name} not changed: the values of indicator {block.data.get('id')} are not written as a block list"
            " (`- period: ...` lines); record this value by hand",
            [],
        )
    if at == len(text) and text and not text.endswith("\n"):
        inserted = "\n" + inserted
    new_text = text[:at] + inserted + text[at:]
    expected: dict[str, Any] = dict(block.data)
    expected["values"] = [*(old or []), entry.as_data()]
    document = parse_yaml(new_text, name)
    if document.problems or document.data != [expected]:
        raise WriteRefusedError(f"{name} not changed: the value would not read back as given; record it by hand", [])
    return new_text


def _line_after(text: str, offset: int) -> int:
    while offset > 0 and text[offset - 1] in " \n":
        offset -= 1
    newline = text.find("\n", offset)
    return len(text) if newline == -1 else newline + 1
