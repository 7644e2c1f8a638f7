"""Validate a plan whose only edit is in its `rounds:` block without parsing the whole plan again.

`returns send` records each message in its own validated write: a 10,000-action plan takes a
second or more to validate, its rounds block milliseconds. The edited text is validated here
only when the result is provably the one full validation would give; else `revalidated` says
None and the caller validates the whole text.

Why it is the same. The text before was parsed in full: its validation carries where each
top-level key starts (`Validation.top_keys`). When

* the top level is a block mapping with every key at column 0, `rounds` one of them;
* the `rounds:` block (round_blocks.find_region) starts on that key's line and ends where the
  next top-level key starts, or at the end of the text: it is exactly that key and its value;
* the edited text is the text before with that block replaced, every other byte the same,
  and the edited block is found there (same start, same text after it), LF line endings;
* neither block uses anchors or aliases (nothing outside can refer into them, nor they out),
  and the new block alone parses with no problem to the one key `rounds`;

the parser meets the same events before the block and after it (both ends are column-0 key
starts in block context), so the edited plan's data is the data before with `rounds` replaced.
A plan's first round, appended at its end, is taken the same way: the plan's last top-level key
and the new block, parsed together on their own, must hold that key's data as before.
The caps: the file's size is checked by the caller (plan_bytes), depth, scalar lengths and tags
by the block's own parse, the node count here (only a block that grows is taken, so the alias
budget, which grows with the nodes written, only grows). The schema: the rounds' items through
the validator the plan's schema uses for them (no rule of the plan spans fields); the
cross-checks: those of round_checks, the only module whose checks read the rounds (a test
guards that). Any problem at all: None, and the full validation reports it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from cheplan.domain.caps import MAX_NODES
from cheplan.domain.errors import WriteRefusedError
from cheplan.domain.rounds import ReturnsRound
from cheplan.editing.plan_size import values_in
from cheplan.editing.round_blocks import Region, find_region
from cheplan.loading.load import Validation
from cheplan.loading.safe_yaml import parse_yaml


def revalidated(before_text: str, before: Validation, after_text: str, name: str) -> Validation | None:
    """The validation of `after_text` (the text `before_text`, validated as `before`, with its
    rounds block edited), when it can be shown to equal a full validation's; else None."""
    if not before.ok or before.plan is None or not before.documents or not isinstance(before.documents[0], dict):
        return None
    if not before.top_keys:  # not parsed here (from the cache, say): where the keys are is not known
        return None
    if "\r" in after_text or "\r" in before_text or any(column != 0 for _, _, column in before.top_keys):
        return None
    try:
        old, new = find_region(before_text, name), find_region(after_text, name)
    except WriteRefusedError:
        return None
    if new is not None and old is None:
        return _appended(before_text, before, after_text, new, name)
    lines = _rounds_lines(before.top_keys)
    if lines is None or old is None or new is None or not _only_block_differs(before_text, old, after_text, new):
        return None
    start_line, next_key_line = lines
    if before_text.count("\n", 0, old.start) != start_line:
        return None
    ends_at_next_key = next_key_line is not None and old.end < len(before_text)
    if (next_key_line is None and old.end != len(before_text)) or (
        next_key_line is not None and (not ends_at_next_key or before_text.count("\n", 0, old.end) != next_key_line)
    ):
        return None
    old_block, new_block = before_text[old.start : old.end], after_text[new.start : new.end]
    if _other_breaks(old_block + new_block):
        return None
    data = _block_data(new_block, name)
    if data is None or not _plain(old_block):
        return None
    plan_data = before.documents[0]
    outside = before.nodes_besides_rounds
    if outside is None:
        outside = values_in(plan_data) - values_in(plan_data["rounds"])
    if values_in(data) < values_in(plan_data["rounds"]):
        return None  # a block that shrinks could shrink an alias budget after it: not worth proving
    shift = new_block.count("\n") - old_block.count("\n")
    at = next(i for i, (key, _, _) in enumerate(before.top_keys) if key == "rounds")
    top_keys = [*before.top_keys[: at + 1], *((k, line + shift, c) for k, line, c in before.top_keys[at + 1 :])]
    return _with_rounds(before, data, name, outside, top_keys)


# The last top-level key's block is parsed again with a new `rounds:` after it: when that block
# is this long (the plan's `actions:`, say), validating the whole plan costs no more.
_MAX_LAST_BLOCK = 1_000_000


def _appended(before_text: str, before: Validation, after_text: str, new: Region, name: str) -> Validation | None:
    """`rounds:` added at the end of a plan without one: the plan's last top-level key and the
    new block, parsed together on their own, must hold that key's data as before and the rounds."""
    key, line, _ = before.top_keys[-1]
    if any(k == "rounds" for k, _, _ in before.top_keys) or not before_text.endswith("\n"):
        return None
    if new.start != len(before_text) or new.end != len(after_text) or not after_text.startswith(before_text):
        return None
    start = _line_start(before_text, line)
    if start is None or len(after_text) - start > _MAX_LAST_BLOCK:
        return None
    tail = after_text[start:]
    document = parse_yaml(tail, name) if _plain(tail) and not _other_breaks(tail) else None
    if document is None or document.problems or not isinstance(document.data, dict):
        return None
    data = document.data
    if list(data) != [key, "rounds"] or data[key] != before.documents[0][key] or not isinstance(data["rounds"], list):
        return None
    if [(k, column) for k, _, column in document.top_keys] != [(key, 0), ("rounds", 0)]:
        return None
    top_keys = [*before.top_keys, ("rounds", before_text.count("\n"), 0)]
    return _with_rounds(before, data["rounds"], name, values_in(before.documents[0]) + 1, top_keys)


def _other_breaks(text: str) -> bool:
    """Line breaks YAML counts besides LF (NEL, LS, PS): lines here are counted by LF alone."""
    return any(mark in text for mark in "\x85\u2028\u2029")


def _line_start(text: str, line: int) -> int | None:
    """Where 0-based `line` of `text` (ending in a newline) starts, found from the end."""
    start = len(text)
    for _ in range(text.count("\n") - line):
        if start == 0:
            return None
        start = text.rfind("\n", 0, start - 1) + 1
    return start if text.count("\n", 0, start) == line else None


def _rounds_lines(top_keys: list[tuple[str, int, int]]) -> tuple[int, int | None] | None:
    """The line of the `rounds` key, and of the top-level key after it (None: it is the last)."""
    if any(column != 0 for _, _, column in top_keys):
        return None
    found = [i for i, (key, _, _) in enumerate(top_keys) if key == "rounds"]
    if len(found) != 1:
        return None
    at = found[0]
    return top_keys[at][1], top_keys[at + 1][1] if at + 1 < len(top_keys) else None


def _only_block_differs(before_text: str, old: Region, after_text: str, new: Region) -> bool:
    tail = len(before_text) - old.end
    return (
        old.start == new.start
        and len(after_text) - new.end == tail
        and after_text.startswith(before_text[: old.start])
        and after_text.endswith(before_text[old.end :])
    )


def _plain(block: str) -> bool:
    """The block parses on its own with neither anchors nor aliases."""
    from cheplan.loading.yaml_scalars import yaml_api

    yaml = yaml_api().yaml
    try:
        events = list(yaml.parse(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except yaml.YAMLError:
        return False
    return not any(type(e) is yaml.AliasEvent or getattr(e, "anchor", None) is not None for e in events)


def _block_data(block: str, name: str) -> list[Any] | None:
    """The rounds the new block holds, when it parses alone with no problem and no anchors."""
    if not _plain(block):
        return None
    document = parse_yaml(block, name)
    data = document.data
    if document.problems or not isinstance(data, dict) or list(data) != ["rounds"]:
        return None
    if document.top_keys != [("rounds", 0, 0)] or not isinstance(data["rounds"], list):
        return None
    rounds: list[Any] = data["rounds"]
    return rounds


def _with_rounds(
    before: Validation, rounds: list[Any], name: str, outside: int, top_keys: list[tuple[str, int, int]]
) -> Validation | None:
    """The plan before with these rounds, when they pass their schema and cross-checks; `outside`:
    how many values the plan holds besides the rounds (their key counted)."""
    from cheplan.loading import round_checks
    from cheplan.loading.checks import CHECKS, CheckContext
    from cheplan.loading.safe_yaml import YamlDocument
    from cheplan.loading.schema import validate_items

    assert before.plan is not None
    if outside + values_in(rounds) > MAX_NODES:
        return None
    data = {**before.documents[0], "rounds": rounds}
    passed, all_passed, _ = validate_items(data, ("rounds",), ReturnsRound)
    if not all_passed:
        return None
    plan = dataclasses.replace(before.plan, rounds=[found for _, found in passed])
    context = CheckContext.for_plan(plan, YamlDocument(name, "", data, []))
    for rule in CHECKS:
        if rule.function.__module__ == round_checks.__name__ and any(True for _ in rule.function(context)):
            return None
    documents = [data, *before.documents[1:]]
    return Validation(plan, before.registers, [], documents, top_keys=top_keys, nodes_besides_rounds=outside)
